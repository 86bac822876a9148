import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { type Localized, UserError } from "../src/core/errors";
import type { Reply } from "../src/core/reply";
import { ticketNumber } from "../src/core/schemas";
import { PRIORITIES, RATINGS, RELAY_MAX } from "../src/core/support/model";
import { addNote, replyByCommand, useTicket } from "../src/core/support/relay";
import {
  type ActionResult,
  assignTicket,
  claimTicket,
  closeTicket,
  escalateTicket,
  markWaiting,
  rateTicket,
  reopenTicket,
  resolveTicket,
  setPriority,
  showTicket,
} from "../src/core/support/tickets";

const ACTIONS = ["show", "claim", "assign", "priority", "escalate", "waiting", "resolve", "close", "reopen", "note", "reply", "rate", "use"] as const;
/** What the third word means, per action; actions not listed take none. */
const VALUE_HINT: Partial<Record<(typeof ACTIONS)[number], string>> = {
  assign: "whom to assign, e.g. /ticket assign 12 @sam",
  priority: `the priority, one of ${PRIORITIES.join(", ")}`,
  note: "the note's text",
  reply: "the reply's text",
  rate: `your rating, ${RATINGS.join(" or ")}`,
};

export default defineCommand({
  name: "ticket",
  description: "Work on a support ticket: staff claim, assign, prioritize, escalate, resolve; requesters reply, rate",
  role: "member",
  // Staff act from the support space, which belongs to no community; the core checks who may do what.
  communityOptional: true,
  usage: `${ACTIONS.join("|")} <number> [who|priority|text|rating]`,
  options: [
    { name: "action", type: "string", description: "What to do", required: true, choices: ACTIONS },
    { name: "number", type: "integer", description: "Ticket number, e.g. 12", required: true, min: 1, autocomplete: "ticket" },
    { name: "value", type: "string", description: "assign: who · priority: low|normal|high|urgent · note/reply: text · rate: helpful|not-helpful", rest: true, maxLength: 4000, example: "@sam" },
  ],
  schema: z
    .object({
      action: z.enum(ACTIONS, { message: `Choose an action: ${ACTIONS.join(", ")}.` }),
      number: ticketNumber,
      value: z.string().trim().max(4000, { message: "That text is too long (4000 characters at most)." }).optional(),
    })
    .superRefine((o, ctx) => {
      const hint = VALUE_HINT[o.action];
      const value = o.value ?? "";
      if (hint && !value) ctx.addIssue({ code: "custom", path: ["value"], message: `/ticket ${o.action} needs ${hint}.` });
      if (!hint && value) ctx.addIssue({ code: "custom", path: ["value"], message: `/ticket ${o.action} takes only a ticket number; I didn't expect "${value}".` });
      if (o.action === "priority" && value && !(PRIORITIES as readonly string[]).includes(value.toLowerCase()))
        ctx.addIssue({ code: "custom", path: ["value"], message: `Priority must be one of ${PRIORITIES.join(", ")}.` });
      if (o.action === "rate" && value && !(RATINGS as readonly string[]).includes(value.toLowerCase()))
        ctx.addIssue({ code: "custom", path: ["value"], message: `Rate it ${RATINGS.join(" or ")}.` });
    }),
  async run({ options: o, actor, place, services, t }): Promise<Reply> {
    const id = o.number;
    const value = o.value ?? "";
    const say = (m: Localized) => t.t(m.key, m.values);
    const answer = (r: ActionResult): Reply => ({ text: r.changed ? t.t("support.done", { what: say(r.message) }) : say(r.message), ephemeral: true });
    switch (o.action) {
      case "show":
        return showTicket(services, actor, id, t);
      case "claim":
        return answer(await claimTicket(services, actor, id));
      case "assign":
        return answer(await assignTicket(services, actor, id, value));
      case "priority":
        return answer(await setPriority(services, actor, id, value.toLowerCase() as (typeof PRIORITIES)[number]));
      case "escalate":
        return answer(await escalateTicket(services, actor, id));
      case "waiting":
        return answer(await markWaiting(services, actor, id));
      case "resolve":
        return answer(await resolveTicket(services, actor, id));
      case "close":
        return answer(await closeTicket(services, actor, id));
      case "reopen":
        return answer(await reopenTicket(services, actor, id));
      case "use":
        return { text: say(await useTicket(services, actor, id)), ephemeral: true };
      case "rate": {
        const r = await rateTicket(services, actor, id, value.toLowerCase() as (typeof RATINGS)[number]);
        return { text: r.changed ? t.t("support.rated", { id }) : say(r.message), ephemeral: true };
      }
      case "note": {
        if (value.length > RELAY_MAX) throw new UserError({ key: "support.noteTooLong", values: { max: RELAY_MAX } });
        await addNote(services, actor, id, value, place.platform);
        return { text: t.t("support.noteAdded", { id }), ephemeral: true };
      }
      case "reply": {
        if (value.length > RELAY_MAX) throw new UserError({ key: "support.replyTooLong", values: { max: RELAY_MAX } });
        const r = await replyByCommand(services, actor, id, value, place.platform);
        const to = r.kind === "recorded" && r.relayedTo.includes("member") ? "member" : "staff";
        return { text: t.t("support.replySent", { to, id }), ephemeral: true };
      }
    }
  },
});
