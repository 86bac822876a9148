import cron from "node-cron";
import { addDays, localParts, zonedTime } from "../core/weeks";

/**
 * The first time in [from, until] when the cron expression fires in the time zone, if any:
 * how a newly elected scheduler tells that a run was missed while no replica was leading.
 * Candidates come from the expression's hours and minutes on each local day; node-cron's own
 * matcher decides each one, so its semantics (ranges, names, day-of-week rules) are the ones used.
 */
export function firstFireBetween(expression: string, timezone: string, from: Date, until: Date): Date | undefined {
  if (from > until) return undefined;
  const fields = cron.parse(expression);
  const matcher = cron.createTask(expression, () => undefined, { timezone });
  try {
    const lastDay = localParts(until, timezone);
    for (let day = localParts(from, timezone) as { year: number; month: number; day: number }; ; day = addDays(day, 1)) {
      if (Date.UTC(day.year, day.month - 1, day.day) > Date.UTC(lastDay.year, lastDay.month - 1, lastDay.day)) return undefined;
      for (const hour of fields.hour) {
        for (const minute of fields.minute) {
          const at = zonedTime(day, hour, minute, timezone);
          if (at < from) continue;
          if (at > until) return undefined;
          if (matcher.match(at)) return at;
        }
      }
    }
  } finally {
    void matcher.destroy();
  }
}

/** A clear message for a bad expression, or undefined when node-cron accepts it. */
export function cronProblem(expression: string): string | undefined {
  const v = cron.validateDetailed(expression);
  return v.valid ? undefined : v.errors.map((e) => `${e.field}: ${e.message}`).join("; ") || "not a cron expression";
}
