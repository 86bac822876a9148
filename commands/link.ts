import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { createLinkCode, redeemLinkCode } from "../src/core/people/link";
import { plural } from "../src/core/text";

export default defineCommand({
  name: "link",
  description: "Link your accounts on Slack, Discord and elsewhere into one person",
  role: "member",
  communityOptional: true,
  options: [{ name: "code", type: "string", description: "The code /link gave you on your other account", minLength: 4, maxLength: 16, example: "K7QM2XPA" }],
  schema: z.object({
    code: z.string().trim().regex(/^[A-Za-z0-9-]{4,16}$/, { message: "A link code looks like K7QM2XPA." }).optional(),
  }),
  async run({ options, actor, services }) {
    if (!options.code) {
      const { code } = await createLinkCode(services, actor);
      return {
        text: `Your link code is ${code}. Within 15 minutes, type /link ${code} on your other account (Slack, Discord or the terminal) to join them. Keep it to yourself.`,
        ephemeral: true,
      };
    }
    const r = await redeemLinkCode(services, actor, options.code);
    return {
      text: `Linked: your accounts are now one person. ${plural(r.votesMerged, "vote")} moved over${r.duplicateVotes ? `; ${plural(r.duplicateVotes, "request")} you had voted for on both count once` : ""}.`,
      ephemeral: true,
    };
  },
});
