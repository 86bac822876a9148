import type { Services } from "../core/context";
import { digestJobs } from "./digests";
import { forgetOldDeliveriesJob } from "./forget-deliveries";
import { forgetWebSessionsJob } from "./forget-web-sessions";
import { forgetOldHomeRowsJob } from "./forget-home-rows";
import type { Scheduler } from "./scheduler";
import { supportRemindersJob } from "./support-reminders";

/** Every scheduled job of the bot, one file each in this folder; a new job is added here. */
export function scheduleJobs(scheduler: Scheduler, services: Services): void {
  scheduler.addSource(digestJobs(services, scheduler.leadership.id));
  scheduler.add(supportRemindersJob(services));
  scheduler.add(forgetOldDeliveriesJob(services));
  scheduler.add(forgetWebSessionsJob(services));
  scheduler.add(forgetOldHomeRowsJob(services));
}
