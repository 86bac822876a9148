import type { Db } from "../db/client";

/**
 * Records an inbound event id (a GitHub delivery, a Slack retry, a Discord interaction) and says
 * whether this is the first time it was seen. The primary key makes it race-free across replicas.
 */
export async function firstTimeSeen(db: Db, id: string, source: string, event = ""): Promise<boolean> {
  const inserted = await db.webhookDelivery.createMany({ data: [{ id: `${source}:${id}`, source, event }], skipDuplicates: true });
  return inserted.count === 1;
}
