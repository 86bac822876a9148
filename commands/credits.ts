import { z } from "zod";
import { defineCommand } from "../src/command-kit/define";
import { parsed } from "../src/command-kit/parse";
import { creditsReport, findCreditTarget, parseSince } from "../src/core/credit/report";
import type { Reply } from "../src/core/reply";

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;

export default defineCommand({
  name: "credits",
  description: "Who built, reviewed, asked for and funded what: the credit ledger",
  role: "member",
  communityOptional: true,
  usage: "[person|community] [since YYYY-MM-DD]",
  options: [
    { name: "who", type: "string", description: "A person (name, handle or GitHub login) or a community slug; everyone if left out", maxLength: 100, example: "ana" },
    { name: "since", type: "string", description: "Only credits from this day on (YYYY-MM-DD)", maxLength: 20, example: "2026-01-01" },
  ],
  // "/credits", "/credits ana", "/credits Ana Lopez 2026-01-01", "/credits 2026-01-01": a date-shaped word is the since.
  readWords(words) {
    const last = words[words.length - 1];
    const since = last !== undefined && DATE.test(last) ? last : undefined;
    const who = (since ? words.slice(0, -1) : words).join(" ").trim();
    return parsed({ who: who || undefined, since });
  },
  schema: z.object({
    who: z.string().trim().max(100, { message: "That name is too long." }).optional(),
    since: z.string().trim().max(20, { message: "Give the date as YYYY-MM-DD." }).optional(),
  }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    const since = o.since ? parseSince(o.since) : undefined;
    const target = o.who ? await findCreditTarget(services, actor, o.who) : undefined;
    return { text: await creditsReport(services, actor, target, t, since), ephemeral: true };
  },
});
