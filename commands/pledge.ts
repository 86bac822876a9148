import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { pledge } from "../src/core/requests/pledges";
import { requestNumber } from "../src/core/schemas";
import type { MessageKey } from "../src/i18n/catalog";

export default defineCommand({
  name: "pledge",
  descriptionKey: "commands.pledge.description",
  role: "steward",
  communityOptional: true,
  options: [
    { name: "number", type: "integer", descriptionKey: "commands.option.requestNumber", required: true, min: 1, autocomplete: "request" },
    { name: "amount", type: "number", descriptionKey: "commands.pledge.option.amount", required: true, min: 0, example: "500" },
    { name: "note", type: "string", descriptionKey: "commands.pledge.option.note", rest: true, maxLength: 500, exampleKey: "commands.example.pledgeNote" },
    { name: "community", type: "string", keyword: true, descriptionKey: "commands.pledge.option.community", autocomplete: "community" },
  ],
  schema: z.object({
    number: requestNumber,
    amount: z.coerce
      .number({ message: says("commands.pledge.amountMissing") })
      .min(0, { message: says("commands.pledge.amountNegative") })
      .max(10_000_000_000, { message: says("commands.pledge.amountTooLarge") })
      .refine((n) => Number.isFinite(n) && Math.round(n * 100) === n * 100, { message: says("commands.pledge.twoDecimals") }),
    note: z.string().trim().max(500, { message: says("commands.pledge.noteTooLong") }).optional(),
    community: z.string().optional(),
  }),
  async run({ options: o, actor, services, t }) {
    const unit = services.config.pledgeUnit;
    const out = await pledge(services, actor, { requestId: o.number, amount: o.amount, note: o.note || undefined, communitySlug: o.community });
    const key = ({ pledged: "commands.pledge.pledged", updated: "commands.pledge.updated", withdrawn: "commands.pledge.withdrawn", none: "commands.pledge.none" } as const satisfies Record<typeof out.kind, MessageKey>)[out.kind];
    const text = t.t(key, { community: out.community, amount: o.amount, unit, number: out.requestId });
    return { text, buttons: [{ label: t.t("commands.button.details"), command: `request-show ${out.requestId}` }] };
  },
});
