import { z } from "zod";
import { defineCommand, says } from "../src/command-kit/define";
import { parsed } from "../src/command-kit/parse";
import { creditsReport, findCreditTarget, parseSince } from "../src/core/credit/report";
import type { Reply } from "../src/core/reply";

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;

export default defineCommand({
  name: "credits",
  descriptionKey: "commands.credits.description",
  role: "member",
  communityOptional: true,
  usage: "[person|community] [since YYYY-MM-DD]",
  options: [
    { name: "who", type: "string", descriptionKey: "commands.credits.option.who", maxLength: 100, example: "ana" },
    { name: "since", type: "string", descriptionKey: "commands.credits.option.since", maxLength: 20, example: "2026-01-01" },
  ],
  // "/credits", "/credits ana", "/credits Ana Lopez 2026-01-01", "/credits 2026-01-01": a date-shaped word is the since.
  readWords(words) {
    const last = words[words.length - 1];
    const since = last !== undefined && DATE.test(last) ? last : undefined;
    const who = (since ? words.slice(0, -1) : words).join(" ").trim();
    return parsed({ who: who || undefined, since });
  },
  schema: z.object({
    who: z.string().trim().max(100, { message: says("commands.credits.nameTooLong") }).optional(),
    since: z.string().trim().max(20, { message: says("commands.credits.dateShape") }).optional(),
  }),
  async run({ options: o, actor, services, t }): Promise<Reply> {
    const since = o.since ? parseSince(o.since) : undefined;
    const target = o.who ? await findCreditTarget(services, actor, o.who) : undefined;
    return { text: await creditsReport(services, actor, target, t, since), ephemeral: true };
  },
});
