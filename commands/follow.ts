import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { follow, unfollow } from "../src/core/requests/follow";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "follow",
  descriptionKey: "commands.follow.description",
  role: "member",
  // Being told about a request needs no community: anyone the bot knows may follow.
  communityOptional: true,
  options: [
    { name: "number", type: "integer", descriptionKey: "commands.option.requestNumberExample", required: true, min: 1, autocomplete: "request" },
    { name: "stop", type: "boolean", keyword: true, descriptionKey: "commands.follow.option.stop" },
  ],
  schema: z.object({ number: requestNumber, stop: z.boolean().optional() }),
  async run({ options, actor, place, services, t }) {
    if (options.stop) {
      const out = await unfollow(services, actor, options.number);
      return { text: t.t(out.removed ? "commands.follow.stopped" : "commands.follow.notFollowing", { number: out.requestId }), ephemeral: true };
    }
    const out = await follow(services, actor, options.number, place);
    const where = place.channel ? "here" : place.user ? "dm" : "nowhere";
    return { text: t.t("commands.follow.following", { number: out.requestId, where, platform: place.platform, stop: `/follow ${out.requestId} --stop` }), ephemeral: true };
  },
});
