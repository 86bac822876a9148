import type { Services } from "../core/context";
import { runSupportReminders } from "../core/support/reminders";
import type { Job } from "./scheduler";

/** SLA reminders: every minute is fine-grained enough for the shortest (15-minute) threshold. */
export const supportRemindersJob = (services: Services): Job => ({
  name: "support-reminders",
  cron: "* * * * *",
  run: () => runSupportReminders(services),
});
