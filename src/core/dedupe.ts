import type { Db, Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";

/** An inbound id to record with the first statement of the work it starts (see recordDelivery). */
export interface Delivery {
  id: string;
  source: string;
  event?: string;
}

/**
 * Records an inbound event id (a GitHub delivery, a Slack retry, a Discord interaction) and says
 * whether this is the first time it was seen. The primary key makes it race-free across replicas.
 * Inside a transaction, the record rolls back with a failed handling, so a redelivery retries it.
 */
export async function firstTimeSeen(db: Tx, id: string, source: string, event = ""): Promise<boolean> {
  const inserted = await db.webhookDelivery.createMany({ data: [{ id: deliveryKey({ id, source }), source, event }], skipDuplicates: true });
  return inserted.count === 1;
}

const deliveryKey = (d: Delivery) => `${d.source}:${d.id}`;

/**
 * firstTimeSeen as a step of a larger statement, so recording the id costs no round trip of its
 * own: `WITH d AS (<this>) ...` yields one row when this is the first time, none when it was
 * seen before. The same row firstTimeSeen writes, so either finds what the other recorded.
 */
export function recordDelivery(d: Delivery): Prisma.Sql {
  return Prisma.sql`INSERT INTO "WebhookDelivery" (id, source, event) VALUES (${deliveryKey(d)}, ${d.source}, ${d.event ?? ""}) ON CONFLICT DO NOTHING RETURNING id`;
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
