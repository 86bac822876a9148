import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { whereAnswersGo } from "../src/core/support/cards";
import { DETAILS_MAX, SUMMARY_MAX, SUMMARY_MIN, supportSpace } from "../src/core/support/model";
import { openTicket } from "../src/core/support/tickets";
import type { Reply } from "../src/core/reply";


export default defineCommand({
  name: "support",
  descriptionKey: "support.cmd.description",
  role: "member",
  usage: "<summary> [| details] [--private]",
  options: [
    { name: "summary", type: "string", descriptionKey: "support.cmd.option.summary", descriptionValues: { min: SUMMARY_MIN, max: SUMMARY_MAX }, required: true, rest: true, minLength: SUMMARY_MIN, maxLength: SUMMARY_MAX, exampleKey: "commands.example.supportSummary" },
    { name: "details", type: "string", descriptionKey: "support.cmd.option.details", descriptionValues: { max: DETAILS_MAX }, afterBar: true, maxLength: DETAILS_MAX, exampleKey: "commands.example.supportDetails" },
    { name: "private", type: "boolean", keyword: true, descriptionKey: "support.cmd.option.private" },
  ],
  modal: {
    command: "support",
    title: "support.cmd.form.title",
    submitLabel: "support.cmd.form.submit",
    fields: [
      { name: "summary", label: "support.cmd.form.summaryLabel", required: true, minLength: SUMMARY_MIN, maxLength: SUMMARY_MAX, placeholder: "support.cmd.form.summaryPlaceholder" },
      { name: "details", label: "support.cmd.form.detailsLabel", long: true, maxLength: DETAILS_MAX, placeholder: "support.cmd.form.detailsPlaceholder" },
    ],
  },
  schema: z.object({
    summary: z
      .string({ message: says("support.cmd.summaryMissing") })
      .trim()
      .min(SUMMARY_MIN, { message: says("support.cmd.summaryTooShort") })
      .max(SUMMARY_MAX, { message: says("support.cmd.summaryTooLong") }),
    details: z.string().trim().max(DETAILS_MAX, { message: says("support.cmd.detailsTooLong") }).optional(),
    private: z.boolean({ message: says("support.cmd.privateChoice") }).optional(),
  }),
  async run({ options: o, actor, place, services, t }): Promise<Reply> {
    const ticket = await openTicket(services, actor, { summary: o.summary, details: o.details, place, private: o.private });
    const where = whereAnswersGo(ticket, place, Boolean(supportSpace(services.config)), t);
    const opened = t.t("support.opened", { private: ticket.private ? "yes" : "no", id: ticket.id, summary: ticket.summary });
    return { text: `${opened}\n${where}`, title: t.t("support.ticketTitle", { id: ticket.id }), ephemeral: true };
  },
});
