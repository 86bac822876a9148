import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { unvote } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "unvote",
  description: "Take back your vote for a feature request",
  role: "member",
  options: [{ name: "number", type: "integer", description: "Request number, e.g. 12", required: true, min: 1, autocomplete: "request" }],
  schema: z.object({ number: requestNumber }),
  async run({ options, actor, services }) {
    const out = await unvote(services, actor, options.number);
    return out.removed
      ? { text: `Your vote for #${out.requestId} is withdrawn.`, ephemeral: true, buttons: [{ label: "Upvote again", command: `upvote ${out.requestId}` }] }
      : { text: `You had not voted for #${out.requestId}.`, ephemeral: true };
  },
});
