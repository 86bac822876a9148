import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { createRequest, DETAILS_MAX, findSimilar, TITLE_MAX, TITLE_MIN } from "../src/core/requests/requests";
import type { Reply } from "../src/core/reply";

const options = [
  { name: "title", type: "string", description: `What you need, in ${TITLE_MIN}–${TITLE_MAX} characters`, required: true, rest: true, minLength: TITLE_MIN, maxLength: TITLE_MAX, example: "Faster image builds" },
  { name: "details", type: "string", description: `Why it matters, up to ${DETAILS_MAX} characters`, afterBar: true, maxLength: DETAILS_MAX, example: "CI takes 20 minutes" },
  { name: "force", type: "boolean", keyword: true, description: "File it even if similar requests exist" },
] as const;

export default defineCommand({
  name: "request",
  description: "Request a feature for your community",
  role: "member",
  usage: "<title> [| details] [--force]",
  options: [...options],
  modal: {
    command: "request",
    title: "New feature request",
    submitLabel: "File request",
    fields: [
      { name: "title", label: "Title", required: true, minLength: TITLE_MIN, maxLength: TITLE_MAX, placeholder: "Faster image builds" },
      { name: "details", label: "Details", long: true, maxLength: DETAILS_MAX, placeholder: "What would it change for your community?" },
    ],
  },
  schema: z.object({
    title: z
      .string({ message: "Give your request a title, e.g. /request Faster image builds" })
      .trim()
      .min(TITLE_MIN, { message: `The title needs at least ${TITLE_MIN} characters.` })
      .max(TITLE_MAX, { message: `The title can be at most ${TITLE_MAX} characters; put the rest in the details (after a | ).` }),
    details: z.string().trim().max(DETAILS_MAX, { message: `The details can be at most ${DETAILS_MAX} characters.` }).optional(),
    force: z.coerce.boolean().optional(),
    sourceUrl: z.string().url().optional(),
  }),
  async run({ options: o, actor, place, services, t }): Promise<Reply> {
    if (!o.force) {
      const similar = await findSimilar(services, o.title);
      if (similar.length) {
        const forced = `request ${o.title}${o.details ? ` | ${o.details}` : ""} --force`;
        return {
          text: `Similar requests are already open. Upvote one of them, or file yours anyway (add --force):\n${similar.map((s) => `#${s.id} ${s.title}`).join("\n")}`,
          ephemeral: true,
          sections: similar.map((s) => ({ text: `#${s.id} ${s.title}`, buttons: [{ label: `Upvote #${s.id}`, command: `upvote ${s.id}`, style: "primary" as const }] })),
          buttons: forced.length <= 95 ? [{ label: "File it anyway", command: forced }] : undefined,
        };
      }
    }
    const r = await createRequest(services, actor, { title: o.title, details: o.details, place, sourceUrl: o.sourceUrl });
    return {
      text: `Filed #${r.id} ${r.title}. Your vote is counted for ${actor.communitySlug ?? "your community"}; others can /upvote ${r.id}.`,
      title: `#${r.id} ${r.title}`,
      sections: [{ text: r.body || undefined, buttons: requestButtons(t, r.id) }],
    };
  },
});
