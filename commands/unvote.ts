import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { unvote } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "unvote",
  descriptionKey: "commands.unvote.description",
  role: "member",
  options: [{ name: "number", type: "integer", descriptionKey: "commands.option.requestNumberExample", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, services, t }) {
    const out = await unvote(services, actor, options.number);
    return out.removed
      ? {
          text: t.t("commands.unvote.withdrawn", { number: out.requestId }),
          ephemeral: true,
          buttons: [{ label: t.t("commands.unvote.upvoteAgain"), command: `upvote ${out.requestId}` }],
        }
      : { text: t.t("commands.unvote.notVoted", { number: out.requestId }), ephemeral: true };
  },
});
