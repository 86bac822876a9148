import type { Services } from "../core/context";
import { DELIVERY_MEMORY_DAYS, forgetDeliveriesBefore } from "../core/dedupe";
import type { Job } from "./scheduler";

/** The daily clean-up: inbound ids (and Slack's outbox markers) older than any redelivery can be. */
export async function forgetOldDeliveries(services: Services): Promise<number> {
  const before = new Date(services.clock.now().getTime() - DELIVERY_MEMORY_DAYS * 24 * 60 * 60 * 1000);
  const forgotten = await forgetDeliveriesBefore(services.db, before);
  if (forgotten) services.log.info({ forgotten, before }, "forgot old inbound delivery ids");
  return forgotten;
}

/** Daily, at a quiet hour. */
export const forgetOldDeliveriesJob = (services: Services): Job => ({
  name: "forget-old-deliveries",
  cron: "23 3 * * *",
  run: () => forgetOldDeliveries(services),
});
