import type { Tx } from "../../db/client";
import { Prisma } from "../../generated/prisma/client";
import type { Reply } from "../reply";

/**
 * Home pages are republished at most once per window: changes within one window share one
 * outbox row (one idempotency key per person and window), delivered when the window ends, and
 * the deliverer builds the page from the data as it is then. A row outlives a restart.
 */
export const HOME_REFRESH_MS = 2000;

const HOME_ROW: Reply = { text: "", home: true };

/** Outbox keys of home page rows: a page that cannot be published is not a lost message. */
export const HOME_KEY_PREFIX = "home:";

/** What changed: a request (its requester, voters and wanting communities), a ticket (its requester), people, communities. */
export interface HomeChange {
  request?: number;
  ticket?: number;
  people?: number[];
  communities?: (number | null)[];
}

/**
 * Queues a republish of the home page of everyone whose page shows what changed, among those who
 * opened theirs (HomeView). One statement, the set-based form of outbox.enqueue: nobody has
 * opened a home page, nothing is written. Runs in the caller's transaction, so a change that
 * rolls back queues nothing.
 */
export async function refreshHomes(db: Tx, now: Date, change: HomeChange): Promise<void> {
  const who = homeAudience(change);
  if (!who.length) return;
  await db.$executeRaw(homeRowsInsert(now, Prisma.join(who, " OR ")));
}

/** Who a change concerns, as conditions on a Person `p` (any of them). */
export function homeAudience(change: HomeChange): Prisma.Sql[] {
  const who: Prisma.Sql[] = [];
  if (change.request !== undefined) {
    who.push(Prisma.sql`p.id IN (SELECT "authorId" FROM "FeatureRequest" WHERE id = ${change.request})`);
    who.push(Prisma.sql`p.id IN (SELECT "personId" FROM "Vote" WHERE "requestId" = ${change.request})`);
    who.push(Prisma.sql`p."communityId" IN (SELECT "communityId" FROM "RequestCommunity" WHERE "requestId" = ${change.request})`);
  }
  if (change.ticket !== undefined) who.push(Prisma.sql`p.id IN (SELECT "requesterId" FROM "SupportTicket" WHERE id = ${change.ticket})`);
  const people = change.people ?? [];
  if (people.length) who.push(Prisma.sql`p.id IN (${Prisma.join(people)})`);
  const communities = (change.communities ?? []).filter((c): c is number => c !== null);
  if (communities.length) who.push(Prisma.sql`p."communityId" IN (${Prisma.join(communities)})`);
  return who;
}

/**
 * The INSERT that queues the home rows of the people `who` selects (a condition on Person `p`),
 * on its own or as one step of a larger statement (the one-statement /upvote).
 */
export function homeRowsInsert(now: Date, who: Prisma.Sql): Prisma.Sql {
  const window = Math.floor(now.getTime() / HOME_REFRESH_MS);
  const due = new Date((window + 1) * HOME_REFRESH_MS);
  return Prisma.sql`
    INSERT INTO "OutboxMessage" ("idempotencyKey", platform, workspace, channel, payload, "nextAttemptAt")
    SELECT ${HOME_KEY_PREFIX}::text || h.platform::text || ':' || h."externalId" || ':' || ${String(window)}, h.platform, h.workspace, '@' || h."externalId",
           ${JSON.stringify(HOME_ROW)}::jsonb, ${due}
    FROM "HomeView" h
    JOIN "Account" a ON a.platform = h.platform AND a."externalId" = h."externalId"
    JOIN "Person" p ON p.id = a."personId"
    WHERE ${who}
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
}

/**
 * Home page rows are worth nothing once done (the page is rebuilt each time): the ones delivered
 * or given up before `before` are deleted, so a busy person's refreshes do not pile up.
 */
export async function forgetHomeRows(db: Tx, before: Date): Promise<number> {
  const gone = await db.outboxMessage.deleteMany({
    where: { idempotencyKey: { startsWith: HOME_KEY_PREFIX }, status: { in: ["delivered", "dead"] }, nextAttemptAt: { lt: before } },
  });
  return gone.count;
}
