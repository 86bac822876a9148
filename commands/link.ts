import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { createLinkCode, LINK_CODE_TTL_MS, redeemLinkCode } from "../src/core/people/link";

export default defineCommand({
  name: "link",
  descriptionKey: "commands.link.description",
  role: "member",
  communityOptional: true,
  options: [{ name: "code", type: "string", descriptionKey: "commands.link.option.code", minLength: 4, maxLength: 16, example: "K7QM2XPA" }],
  schema: z.object({
    code: z.string().trim().regex(/^[A-Za-z0-9-]{4,16}$/, { message: says("commands.link.codeShape") }).optional(),
  }),
  async run({ options, actor, services, t }) {
    if (!options.code) {
      const { code } = await createLinkCode(services, actor);
      return {
        text: t.t("commands.link.yourCode", { code, minutes: LINK_CODE_TTL_MS / 60_000, redeem: `/link ${code}` }),
        ephemeral: true,
      };
    }
    const r = await redeemLinkCode(services, actor, options.code);
    return {
      text: r.duplicateVotes
        ? t.t("commands.link.linkedWithDuplicates", { votes: r.votesMerged, duplicates: r.duplicateVotes })
        : t.t("commands.link.linked", { votes: r.votesMerged }),
      ephemeral: true,
    };
  },
});
