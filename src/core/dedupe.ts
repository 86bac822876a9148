import type { Db, Tx } from "../db/client";

/**
 * Records an inbound event id (a GitHub delivery, a Slack retry, a Discord interaction) and says
 * whether this is the first time it was seen. The primary key makes it race-free across replicas.
 * Inside a transaction, the record rolls back with a failed handling, so a redelivery retries it.
 */
export async function firstTimeSeen(db: Tx, id: string, source: string, event = ""): Promise<boolean> {
  const inserted = await db.webhookDelivery.createMany({ data: [{ id: `${source}:${id}`, source, event }], skipDuplicates: true });
  return inserted.count === 1;
}

/**
 * How long an inbound id is remembered. Slack retries within minutes, a Discord interaction
 * expires after 15 minutes, GitHub redelivers up to 3 days back; a week covers them all.
 */
export const DELIVERY_MEMORY_DAYS = 7;

/**
 * Forgets ids received before `before`, a batch at a time so the table is never locked long.
 * Returns how many were forgotten.
 */
export async function forgetDeliveriesBefore(db: Db, before: Date, batch = 5_000): Promise<number> {
  let forgotten = 0;
  for (;;) {
    const n = await db.$executeRaw`
      DELETE FROM "WebhookDelivery" WHERE id IN (
        SELECT id FROM "WebhookDelivery" WHERE "receivedAt" < ${before} LIMIT ${batch})`;
    forgotten += n;
    if (n < batch) return forgotten;
  }
}
