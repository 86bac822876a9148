import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { requestButtons } from "../src/core/requests/cards";
import { createRequest, DETAILS_MAX, findSimilar, TITLE_MAX, TITLE_MIN } from "../src/core/requests/requests";
import type { Reply } from "../src/core/reply";

const options = [
  { name: "title", type: "string", descriptionKey: "commands.request.option.title", descriptionValues: { min: TITLE_MIN, max: TITLE_MAX }, required: true, rest: true, minLength: TITLE_MIN, maxLength: TITLE_MAX, exampleKey: "commands.example.requestTitle" },
  { name: "details", type: "string", descriptionKey: "commands.request.option.details", descriptionValues: { max: DETAILS_MAX }, afterBar: true, maxLength: DETAILS_MAX, exampleKey: "commands.example.requestDetails" },
  { name: "force", type: "boolean", keyword: true, descriptionKey: "commands.request.option.force" },
] as const;

export default defineCommand({
  name: "request",
  descriptionKey: "commands.request.description",
  role: "member",
  usage: "<title> [| details] [--force]",
  options: [...options],
  modal: {
    command: "request",
    title: "commands.request.form.title",
    submitLabel: "commands.request.form.submit",
    fields: [
      { name: "title", label: "commands.request.form.titleLabel", required: true, minLength: TITLE_MIN, maxLength: TITLE_MAX, placeholder: "commands.request.form.titlePlaceholder" },
      { name: "details", label: "commands.request.form.detailsLabel", long: true, maxLength: DETAILS_MAX, placeholder: "commands.request.form.detailsPlaceholder" },
    ],
  },
  schema: z.object({
    title: z
      .string({ message: says("commands.request.titleMissing") })
      .trim()
      .min(TITLE_MIN, { message: says("commands.request.titleTooShort") })
      .max(TITLE_MAX, { message: says("commands.request.titleTooLong") }),
    details: z.string().trim().max(DETAILS_MAX, { message: says("commands.request.detailsTooLong") }).optional(),
    force: z.coerce.boolean().optional(),
    sourceUrl: z.string().url().optional(),
  }),
  async run({ options: o, actor, place, services, t }): Promise<Reply> {
    if (!o.force) {
      const similar = await findSimilar(services, o.title);
      if (similar.length) {
        const forced = `request ${o.title}${o.details ? ` | ${o.details}` : ""} --force`;
        return {
          text: `${t.t("commands.request.similar")}\n${similar.map((s) => `#${s.id} ${s.title}`).join("\n")}`,
          ephemeral: true,
          sections: similar.map((s) => ({ text: `#${s.id} ${s.title}`, buttons: [{ label: t.t("commands.request.upvoteButton", { number: s.id }), command: `upvote ${s.id}`, style: "primary" as const }] })),
          buttons: forced.length <= 95 ? [{ label: t.t("commands.request.fileAnyway"), command: forced }] : undefined,
        };
      }
    }
    const r = await createRequest(services, actor, { title: o.title, details: o.details, place, sourceUrl: o.sourceUrl });
    return {
      text: actor.communitySlug
        ? t.t("commands.request.filed", { number: r.id, title: r.title, community: actor.communitySlug, upvote: `/upvote ${r.id}` })
        : t.t("commands.request.filedNoCommunity", { number: r.id, title: r.title, upvote: `/upvote ${r.id}` }),
      title: `#${r.id} ${r.title}`,
      sections: [{ text: r.body || undefined, buttons: requestButtons(t, r.id) }],
    };
  },
});
