import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { UserError } from "../src/core/errors";
import { findPerson } from "../src/core/people/find";

export default defineCommand({
  name: "steward",
  description: "Staff: make a person the steward of a community (they can pledge for it)",
  role: "staff",
  options: [
    { name: "person", type: "string", description: "The person (mention or name)", required: true, example: "@ana" },
    { name: "community", type: "string", description: "Community slug", required: true, autocomplete: "community" },
    { name: "remove", type: "boolean", keyword: true, description: "Remove the stewardship instead" },
  ],
  schema: z.object({
    person: z.string({ message: "Name the person, e.g. /steward @ana alpha" }).min(1),
    community: z.string({ message: "Name the community slug, e.g. /steward @ana alpha" }).regex(/^[a-z0-9-]+$/, { message: "Give a community slug, like alpha." }),
    remove: z.coerce.boolean().optional(),
  }),
  async run({ options: o, actor, services }) {
    const community = await services.db.community.findUnique({ where: { slug: o.community } });
    if (!community || !community.active) throw new UserError(`There is no community "${o.community}".`);
    const person = await findPerson(services, o.person, actor.platform);
    if (o.remove) {
      await services.db.person.update({ where: { id: person.id }, data: { role: "member" } });
      return { text: `${person.displayName} is no longer a steward of ${community.name}.` };
    }
    await services.db.person.update({ where: { id: person.id }, data: { role: "steward", communityId: community.id } });
    return { text: `${person.displayName} is now a steward of ${community.name} and can pledge for it.` };
  },
});
