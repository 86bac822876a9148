import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { UserError } from "../src/core/errors";
import { findPerson } from "../src/core/people/find";

export default defineCommand({
  name: "steward",
  descriptionKey: "commands.steward.description",
  role: "staff",
  options: [
    { name: "person", type: "string", descriptionKey: "commands.steward.option.person", required: true, example: "@ana" },
    { name: "community", type: "string", descriptionKey: "commands.steward.option.community", required: true, autocomplete: "community" },
    { name: "remove", type: "boolean", keyword: true, descriptionKey: "commands.steward.option.remove" },
  ],
  schema: z.object({
    person: z.string({ message: says("commands.steward.personMissing") }).min(1),
    community: z.string({ message: says("commands.steward.communityMissing") }).regex(/^[a-z0-9-]+$/, { message: says("commands.communitySlugShape") }),
    remove: z.coerce.boolean().optional(),
  }),
  async run({ options: o, actor, services, t }) {
    const community = await services.db.community.findUnique({ where: { slug: o.community } });
    if (!community || !community.active) throw new UserError({ key: "commands.noSuchCommunity", values: { slug: o.community } });
    const person = await findPerson(services, o.person, actor.platform);
    if (o.remove) {
      await services.db.person.update({ where: { id: person.id }, data: { role: "member" } });
      return { text: t.t("commands.steward.removed", { person: person.displayName, community: community.name }) };
    }
    await services.db.person.update({ where: { id: person.id }, data: { role: "steward", communityId: community.id } });
    return { text: t.t("commands.steward.made", { person: person.displayName, community: community.name }) };
  },
});
