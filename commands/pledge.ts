import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { pledge } from "../src/core/requests/pledges";
import { requestNumber } from "../src/core/schemas";

export default defineCommand({
  name: "pledge",
  description: "Pledge your community's co-funding for a request (0 withdraws it)",
  role: "steward",
  communityOptional: true,
  options: [
    { name: "number", type: "integer", description: "Request number", required: true, min: 1, autocomplete: "request" },
    { name: "amount", type: "number", description: "Amount (0 withdraws)", required: true, min: 0, example: "500" },
    { name: "note", type: "string", description: "What the pledge covers", rest: true, maxLength: 500, example: "half the cost" },
    { name: "community", type: "string", keyword: true, description: "Staff: the community that pledges", autocomplete: "community" },
  ],
  schema: z.object({
    number: requestNumber,
    amount: z.coerce
      .number({ message: "Give an amount, like 500 (or 0 to withdraw)." })
      .min(0, { message: "An amount can't be negative; 0 withdraws the pledge." })
      .max(10_000_000_000, { message: "That amount is too large." })
      .refine((n) => Number.isFinite(n) && Math.round(n * 100) === n * 100, { message: "Use at most two decimals." }),
    note: z.string().trim().max(500, { message: "Keep the note under 500 characters." }).optional(),
    community: z.string().optional(),
  }),
  async run({ options: o, actor, services }) {
    const unit = services.config.pledgeUnit;
    const out = await pledge(services, actor, { requestId: o.number, amount: o.amount, note: o.note || undefined, communitySlug: o.community });
    const text = {
      pledged: `${out.community} pledges ${o.amount} ${unit} toward #${out.requestId}. Thank you!`,
      updated: `${out.community}'s pledge toward #${out.requestId} is now ${o.amount} ${unit}.`,
      withdrawn: `${out.community}'s pledge toward #${out.requestId} is withdrawn.`,
      none: `${out.community} had no pledge on #${out.requestId}.`,
    }[out.kind];
    return { text, buttons: [{ label: "Details", command: `request-show ${out.requestId}` }] };
  },
});
