import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { STATUS_LABEL } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";
import { changeStatus } from "../src/core/requests/lifecycle";

const STATUSES = ["open", "planned", "in_progress", "shipped", "declined"] as const;

export default defineCommand({
  name: "set-status",
  description: "Staff: set a request's status (everyone who asked or voted hears about it)",
  role: "staff",
  options: [
    { name: "number", type: "integer", description: "Request number", required: true, min: 1, autocomplete: "request" },
    { name: "status", type: "string", description: "New status", required: true, choices: STATUSES },
    { name: "reason", type: "string", description: "Why (shown to voters)", rest: true, maxLength: 500, example: "Scheduled for January" },
  ],
  schema: z.object({
    number: requestNumber,
    status: z.preprocess(
      (v) => (typeof v === "string" ? v.toLowerCase().replace(/[\s-]+/g, "_") : v),
      z.enum(STATUSES, { message: `Status must be one of ${STATUSES.join(", ")}.` }),
    ),
    reason: z.string().trim().max(500, { message: "Keep the reason under 500 characters." }).optional(),
  }),
  async run({ options: o, actor, services }) {
    const res = await changeStatus(services, { requestId: o.number, to: o.status, reason: o.reason || undefined, source: "command", actorId: actor.personId });
    if (!res.changed) return { text: `#${o.number} is already ${STATUS_LABEL[res.status]}.`, ephemeral: true };
    return { text: `#${o.number} is now ${STATUS_LABEL[res.to]} (was ${STATUS_LABEL[res.from]}). Its requester and voters will be told.` };
  },
});
