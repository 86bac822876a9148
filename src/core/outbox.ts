import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import type { Place, Reply } from "./reply";


const DUE_AT_ONCE = new Date(0);

export interface OutgoingMessage {
  /** Same key, same message: enqueueing twice (a retry, a replay) never posts twice. */
  key: string;
  place: Place;
  reply: Reply;
  /** Post in the thread the row with this id started (its thread id is known once delivered). */
  parentId?: number;
  /** Edit the message the row with this id posted, instead of posting a new one. */
  editOfId?: number;
  notBefore?: Date;
}

/**
 * Records a message to send. Delivery happens later, in the outbox worker, so a crash or an
 * outage loses nothing. Returns the row id (the existing one when the key was already used).
 */
export async function enqueue(db: Tx, m: OutgoingMessage): Promise<number> {
  const row = await db.outboxMessage.upsert({ where: { idempotencyKey: m.key }, create: outboxRow(m), update: {}, select: { id: true } });
  return row.id;
}

/**
 * Records many messages in one statement (a batch of digests); a key already used is left as
 * it is, as enqueue does. The rows go as one array per column (unnest): Prisma's createMany
 * binds every field of every row, which costs more than the insert itself for thousands of rows.
 */
export async function enqueueMany(db: Tx, messages: OutgoingMessage[]): Promise<void> {
  if (!messages.length) return;
  const rows = messages.map(outboxRow);
  const column = <T>(f: (r: Prisma.OutboxMessageCreateManyInput) => T) => rows.map(f);
  await db.$executeRaw(Prisma.sql`
    INSERT INTO "OutboxMessage" ("idempotencyKey", platform, workspace, channel, thread, "parentId", "editOfId", payload, "nextAttemptAt")
    SELECT k, p::"Platform", w, c, th, pa, ed, pl::jsonb, (n::timestamptz AT TIME ZONE 'UTC')::timestamp(3)
    FROM unnest(
      ${column((r) => r.idempotencyKey)}::text[], ${column((r) => r.platform)}::text[], ${column((r) => r.workspace ?? "")}::text[],
      ${column((r) => r.channel)}::text[], ${column((r) => r.thread ?? null)}::text[], ${column((r) => r.parentId ?? null)}::int[],
      ${column((r) => r.editOfId ?? null)}::int[], ${column((r) => JSON.stringify(r.payload))}::text[],
      ${column((r) => new Date(r.nextAttemptAt ?? DUE_AT_ONCE).toISOString())}::text[]
    ) AS t(k, p, w, c, th, pa, ed, pl, n)
    ON CONFLICT ("idempotencyKey") DO NOTHING`);
}

function outboxRow(m: OutgoingMessage): Prisma.OutboxMessageCreateManyInput {
  return {
    idempotencyKey: m.key,
    platform: m.place.platform,
    workspace: m.place.workspace ?? "",
    channel: m.place.channel ?? (m.place.user ? `@${m.place.user}` : ""),
    thread: m.place.thread ?? null,
    parentId: m.parentId ?? null,
    editOfId: m.editOfId ?? null,
    payload: m.reply as unknown as Prisma.InputJsonValue,
    // Due at once unless told otherwise. Not the database's now(): the worker compares with
    // the app's clock, and a database clock ahead of it would hold fresh rows back.
    nextAttemptAt: m.notBefore ?? DUE_AT_ONCE,
  };
}

/** Place of an outbox row, as adapters and the worker see it. */
export function placeOf(row: { platform: Place["platform"]; workspace: string; channel: string; thread: string | null }): Place {
  const dm = row.channel.startsWith("@");
  return {
    platform: row.platform,
    workspace: row.workspace || undefined,
    channel: dm ? undefined : row.channel,
    user: dm ? row.channel.slice(1) : undefined,
    thread: row.thread ?? undefined,
  };
}
