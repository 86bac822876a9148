import type { Services } from "./context";

/**
 * How long after a person changed something their reads stay on the primary. A streaming replica
 * is normally behind by well under a second; this leaves room for a busy one, and is short enough
 * that a person listing again and again soon reads the replica like everyone else.
 */
export const READ_YOUR_WRITES_MS = 5_000;

/**
 * The one rule for which database a read goes to (README "Running at scale"):
 * - anything that writes, or decides what to write, reads the primary (services.db);
 * - anonymous public reads (the pages, the JSON API, the feed) read the replica: forPublicReads;
 * - a person's listing reads the replica, unless they changed something within
 *   READ_YOUR_WRITES_MS, so replica lag never shows them a list without their own vote: readsFor.
 * Without DATABASE_READ_URL every read is on the primary and nothing here costs a query.
 */
export function forPublicReads(services: Services): Services {
  return services.replica ? { ...services, db: services.replica } : services;
}

/** Services whose db is where this person's read-only listing may read. */
export async function readsFor(services: Services, personId: number): Promise<Services> {
  if (!services.replica) return services;
  const person = await services.db.person.findUnique({ where: { id: personId }, select: { lastWriteAt: true } });
  const since = person?.lastWriteAt ? services.clock.now().getTime() - person.lastWriteAt.getTime() : Infinity;
  return since < READ_YOUR_WRITES_MS ? services : { ...services, db: services.replica };
}

/**
 * Remembers, on the primary, that this person just changed something (or may have: every command
 * that is not a listing counts). On the primary, so every app replica sees it.
 */
export async function noteWrite(services: Services, personId: number): Promise<void> {
  if (!services.replica) return;
  await services.db.person.update({ where: { id: personId }, data: { lastWriteAt: services.clock.now() } });
}
