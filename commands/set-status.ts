import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { statusLabel } from "../src/core/requests/requests";
import { requestNumber } from "../src/core/schemas";
import { changeStatus } from "../src/core/requests/lifecycle";

const STATUSES = ["open", "planned", "in_progress", "shipped", "declined"] as const;

export default defineCommand({
  name: "set-status",
  descriptionKey: "commands.setStatus.description",
  role: "staff",
  options: [
    { name: "number", type: "integer", descriptionKey: "commands.option.requestNumber", required: true, min: 1, autocomplete: "request" },
    { name: "status", type: "string", descriptionKey: "commands.setStatus.option.status", required: true, choices: STATUSES },
    { name: "reason", type: "string", descriptionKey: "commands.setStatus.option.reason", rest: true, maxLength: 500, exampleKey: "commands.example.statusReason" },
  ],
  schema: z.object({
    number: requestNumber,
    status: z.preprocess(
      (v) => (typeof v === "string" ? v.toLowerCase().replace(/[\s-]+/g, "_") : v),
      z.enum(STATUSES, { message: says("commands.setStatus.statusChoice") }),
    ),
    reason: z.string().trim().max(500, { message: says("commands.setStatus.reasonTooLong") }).optional(),
  }),
  async run({ options: o, actor, services, t }) {
    const res = await changeStatus(services, { requestId: o.number, to: o.status, reason: o.reason || undefined, source: "command", actorId: actor.personId });
    if (!res.changed) return { text: t.t("commands.setStatus.already", { number: o.number, status: statusLabel(t, res.status) }), ephemeral: true };
    return { text: t.t("commands.setStatus.changed", { number: o.number, to: statusLabel(t, res.to), from: statusLabel(t, res.from) }) };
  },
});
