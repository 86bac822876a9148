import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
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
/** Actions whose third word is required (who, priority, text, rating); the others take none. */
const TAKES_VALUE: ReadonlySet<string> = new Set(["assign", "priority", "note", "reply", "rate"]);
const CHOICE_VALUES = { priorities: PRIORITIES.join(", "), helpful: RATINGS[0], notHelpful: RATINGS[1] };

export default defineCommand({
  name: "ticket",
  descriptionKey: "support.ticketCmd.description",
  role: "member",
  // Staff act from the support space, which belongs to no community; the core checks who may do what.
  communityOptional: true,
  usage: `${ACTIONS.join("|")} <number> [who|priority|text|rating]`,
  options: [
    { name: "action", type: "string", descriptionKey: "support.ticketCmd.option.action", required: true, choices: ACTIONS },
    { name: "number", type: "integer", descriptionKey: "support.ticketCmd.option.number", required: true, min: 1, autocomplete: "ticket" },
    { name: "value", type: "string", descriptionKey: "support.ticketCmd.option.value", descriptionValues: CHOICE_VALUES, rest: true, maxLength: 4000, example: "@sam" },
  ],
  schema: z
    .object({
      action: z.enum(ACTIONS, { message: says("support.ticketCmd.actionChoice") }),
      number: ticketNumber,
      value: z.string().trim().max(4000, { message: says("support.ticketCmd.valueTooLong") }).optional(),
    })
    .superRefine((o, ctx) => {
      const value = o.value ?? "";
      const issue = (key: Parameters<typeof says>[0], params: Record<string, string> = {}) =>
        ctx.addIssue({ code: "custom", path: ["value"], message: says(key), params: { action: o.action, ...CHOICE_VALUES, ...params } });
      if (TAKES_VALUE.has(o.action) && !value) issue("support.ticketCmd.needsValue");
      if (!TAKES_VALUE.has(o.action) && value) issue("support.ticketCmd.noValueExpected", { value });
      if (o.action === "priority" && value && !(PRIORITIES as readonly string[]).includes(value.toLowerCase())) issue("support.ticketCmd.priorityChoice");
      if (o.action === "rate" && value && !(RATINGS as readonly string[]).includes(value.toLowerCase())) issue("support.ticketCmd.rateChoice");
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
