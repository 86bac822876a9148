import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { whereAnswersGo } from "../src/core/support/cards";
import { DETAILS_MAX, SUMMARY_MAX, SUMMARY_MIN, supportSpace } from "../src/core/support/model";
import { openTicket } from "../src/core/support/tickets";
import type { Reply } from "../src/core/reply";


export default defineCommand({
  name: "support",
  description: "Ask staff for help: opens a support ticket for your community",
  role: "member",
  usage: "<summary> [| details] [--private]",
  options: [
    { name: "summary", type: "string", description: `What you need help with, in ${SUMMARY_MIN}–${SUMMARY_MAX} characters`, required: true, rest: true, minLength: SUMMARY_MIN, maxLength: SUMMARY_MAX, example: "Builds fail with a quota error" },
    { name: "details", type: "string", description: `Anything staff should know, up to ${DETAILS_MAX} characters`, afterBar: true, maxLength: DETAILS_MAX, example: "since Monday, on every branch" },
    { name: "private", type: "boolean", keyword: true, description: "Keep it private: staff answer you in a direct message, nothing is posted in the channel" },
  ],
  modal: {
    command: "support",
    title: "Ask for support",
    submitLabel: "Open ticket",
    fields: [
      { name: "summary", label: "Summary", required: true, minLength: SUMMARY_MIN, maxLength: SUMMARY_MAX, placeholder: "Builds fail with a quota error" },
      { name: "details", label: "Details", long: true, maxLength: DETAILS_MAX, placeholder: "What happened, what you expected, links to logs" },
    ],
  },
  schema: z.object({
    summary: z
      .string({ message: "Say what you need help with, e.g. /support Builds fail with a quota error" })
      .trim()
      .min(SUMMARY_MIN, { message: `The summary needs at least ${SUMMARY_MIN} characters.` })
      .max(SUMMARY_MAX, { message: `The summary can be at most ${SUMMARY_MAX} characters; put the rest in the details (after a | ).` }),
    details: z.string().trim().max(DETAILS_MAX, { message: `The details can be at most ${DETAILS_MAX} characters.` }).optional(),
    private: z.boolean({ message: "private is a yes/no choice, e.g. /support Builds fail --private" }).optional(),
  }),
  async run({ options: o, actor, place, services, t }): Promise<Reply> {
    const ticket = await openTicket(services, actor, { summary: o.summary, details: o.details, place, private: o.private });
    const where = whereAnswersGo(ticket, place, Boolean(supportSpace(services.config)), t);
    const opened = t.t("support.opened", { private: ticket.private ? "yes" : "no", id: ticket.id, summary: ticket.summary });
    return { text: `${opened}\n${where}`, title: t.t("support.ticketTitle", { id: ticket.id }), ephemeral: true };
  },
});
