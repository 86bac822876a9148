import type { Db } from "../db/client";
import type { Prisma } from "../generated/prisma/client";

/**
 * Records an inbound event id (a GitHub delivery, a Slack retry, a Discord interaction) and says
 * whether this is the first time it was seen. The primary key makes it race-free across replicas.
 * Inside a transaction, the record rolls back with a failed handling, so a redelivery retries it.
 */
export async function firstTimeSeen(db: Db | Prisma.TransactionClient, id: string, source: string, event = ""): Promise<boolean> {
  const inserted = await db.webhookDelivery.createMany({ data: [{ id: `${source}:${id}`, source, event }], skipDuplicates: true });
  return inserted.count === 1;
}
