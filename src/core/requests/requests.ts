import { Prisma, type RequestStatus } from "../../generated/prisma/client";
import type { Actor, RoleName, Services } from "../context";
import type { MessageKey } from "../../i18n/catalog";
import type { Translator } from "../../i18n/translate";
import { UserError } from "../errors";
import type { Place } from "../reply";
import { homeAudience, homeRowsInsert, refreshHomes } from "../home/refresh";
import { recordDelivery, type Delivery } from "../dedupe";
import { communityForPlace, type Speaker } from "../people/identity";

export const TITLE_MIN = 3;
export const TITLE_MAX = 120;
export const DETAILS_MAX = 4000;
export const PAGE_SIZE = 10;
export const LISTABLE_STATUSES = ["open", "planned", "in_progress", "shipped", "declined"] as const;
export type ListableStatus = (typeof LISTABLE_STATUSES)[number];

export const STATUS_KEY = {
  open: "requests.status.open",
  planned: "requests.status.planned",
  in_progress: "requests.status.in_progress",
  shipped: "requests.status.shipped",
  declined: "requests.status.declined",
  merged: "requests.status.merged",
} as const satisfies Record<RequestStatus, MessageKey>;

/** A status as the reader's language names it. */
export const statusLabel = (t: Translator, status: RequestStatus): string => t.t(STATUS_KEY[status]);

export interface RankedRequest {
  id: number;
  title: string;
  status: RequestStatus;
  communities: number;
  breadth: number;
  votes: number;
  pledges: number;
  pledged: number;
  createdAt: Date;
}

export const needCommunity = (actor: Actor): number => {
  if (actor.communityId === null) throw new UserError({ key: "requests.needCommunity" });
  return actor.communityId;
};

/** A request by public number, following merges to the survivor. */
export async function getRequest(services: Services, id: number) {
  const r = await services.db.featureRequest.findUnique({ where: { id } });
  if (!r) throw new UserError({ key: "requests.notFound", values: { number: id, list: "/requests" } });
  return r;
}

export async function followMerges(services: Services, id: number) {
  let r = await getRequest(services, id);
  for (let hops = 0; r.status === "merged" && r.mergedIntoId && hops < 20; hops++) r = await getRequest(services, r.mergedIntoId);
  return r;
}

export interface SimilarRequest {
  id: number;
  title: string;
  status: RequestStatus;
  overlap: number;
}

/**
 * Open requests whose titles share most of the words (stemmed by PostgreSQL's English text
 * search, so "builds" matches "build") with the given title. Runs on PostgreSQL and PGlite alike.
 */
export async function findSimilar(services: Services, title: string, limit = 5): Promise<SimilarRequest[]> {
  const rows = await services.db.$queryRaw<{ id: number; title: string; status: RequestStatus; overlap: number }[]>(Prisma.sql`
    WITH q AS (SELECT tsvector_to_array(to_tsvector('english', ${title})) AS words)
    SELECT r.id, r.title, r.status::text AS status,
           (SELECT count(*)::float8 FROM unnest(tsvector_to_array(to_tsvector('english', r.title))) w, q WHERE w = ANY(q.words))
             / GREATEST(1, (SELECT cardinality(words) FROM q)) AS overlap
    FROM "FeatureRequest" r
    WHERE r.status IN ('open', 'planned', 'in_progress')
    ORDER BY overlap DESC, r.id ASC
    LIMIT ${limit * 4}`);
  return rows
    .map((r) => ({ ...r, overlap: Number(r.overlap) }))
    .filter((r) => r.overlap >= 0.5)
    .slice(0, limit);
}

export async function createRequest(
  services: Services,
  actor: Actor,
  input: { title: string; details?: string; place: Place; sourceUrl?: string },
) {
  const communityId = needCommunity(actor);
  const now = services.clock.now();
  return services.db.$transaction(async (tx) => {
    const r = await tx.featureRequest.create({
      data: {
        createdAt: now,
        updatedAt: now,
        title: input.title,
        body: input.details ?? "",
        communityId,
        authorId: actor.personId,
        origin: input.place as unknown as Prisma.InputJsonValue,
        sourceUrl: input.sourceUrl ?? null,
      },
    });
    // Asking counts as wanting it: the author's vote puts their community on the request.
    await tx.vote.create({
      data: { requestId: r.id, personId: actor.personId, communityId, place: input.place as unknown as Prisma.InputJsonValue, createdAt: now },
    });
    await refreshHomes(tx, now, { request: r.id });
    return r;
  });
}

/** Whose home pages a new vote on request `id` concerns, inside a statement whose step `v` inserted it. */
const newVoteAudience = (id: number) =>
  Prisma.join([...homeAudience({ request: id }), Prisma.sql`p.id IN (SELECT "personId" FROM v)`, Prisma.sql`p."communityId" IN (SELECT "communityId" FROM v)`], " OR ");

export type VoteOutcome = { kind: "voted" | "already"; requestId: number; redirectedFrom?: number };

/** One vote per person per request, enforced by the database; voting twice is harmless. */
export async function upvote(services: Services, actor: Actor, id: number, place: Place): Promise<VoteOutcome> {
  const communityId = needCommunity(actor);
  // The common case in one statement (bench/: half the round trips of look-up-then-insert): a
  // new vote on a request that takes votes. Anything else (already voted, merged, closed,
  // missing) falls through to the explanation below.
  // The home refreshes go in the same statement; the vote is not visible to its other steps, so
  // the voter and their community are named outright (the same audience as after the vote).
  const now = services.clock.now();
  const fast = await services.db.$queryRaw<{ requestId: number }[]>(Prisma.sql`
    WITH v AS (
      INSERT INTO "Vote" ("requestId", "personId", "communityId", place, "createdAt")
      SELECT r.id, ${actor.personId}, ${communityId}, ${JSON.stringify(place)}::jsonb, ${now}
      FROM "FeatureRequest" r WHERE r.id = ${id} AND r.status IN ('open', 'planned', 'in_progress')
      ON CONFLICT DO NOTHING
      RETURNING "requestId", "personId", "communityId"
    ),
    h AS (${homeRowsInsert(now, Prisma.sql`EXISTS (SELECT 1 FROM v) AND (${newVoteAudience(id)})`)})
    SELECT "requestId" FROM v`);
  if (fast.length) return { kind: "voted", requestId: id };
  const r = await followMerges(services, id);
  if (r.status === "shipped" || r.status === "declined")
    throw new UserError({ key: "requests.closedToVotes", values: { number: r.id, status: r.status } });
  const res = await services.db.vote.createMany({
    data: [{ requestId: r.id, personId: actor.personId, communityId, place: place as unknown as Prisma.InputJsonValue, createdAt: services.clock.now() }],
    skipDuplicates: true,
  });
  if (res.count === 1) await refreshHomes(services.db, services.clock.now(), { request: r.id });
  return { kind: res.count === 1 ? "voted" : "already", requestId: r.id, redirectedFrom: r.id !== id ? id : undefined };
}

/**
 * What the one-statement /upvote did: the delivery was seen before (nothing done); the vote is
 * counted (by this actor); or it did nothing but record the delivery, if it was given one
 * (declined), and the ordinary path (resolveActor, then upvote) decides and explains.
 */
export type SpeakerVote = { kind: "seen" } | { kind: "voted"; actor: Actor; requestId: number } | { kind: "declined"; recorded: boolean };

/**
 * `/upvote` in its usual case as ONE statement (bench/parts/votes.ts, ack.ts: each round trip is
 * most of the command's time): record the inbound delivery, find the speaker, count the vote,
 * queue the home page refreshes and, with a read replica, note the write. It declines, having
 * changed nothing else, whenever resolveActor or upvote would do more than that: an unknown
 * account (created there), a place whose community is not the person's or is inactive (their
 * community changes there, or they speak for none: a Slack Connect guest), a name still to
 * learn, a request already voted for, merged, closed or missing.
 */
export async function upvoteAsSpeaker(services: Services, speaker: Speaker, id: number, place: Place, delivery?: Delivery): Promise<SpeakerVote> {
  const { config } = services;
  const slug = communityForPlace(config, speaker)?.slug;
  // A place no community is configured for: resolveActor explains; nothing was run.
  if (!slug) return { kind: "declined", recorded: false };
  const now = services.clock.now();
  // Staff is the config's word, on any of the person's accounts (as resolveActor decides it).
  const staffKeys = config.staff.flatMap((s) => (["slack", "discord", "github", "shell"] as const).filter((k) => s[k]).map((k) => `${k}:${s[k]}`));
  const staff = staffKeys.length
    ? Prisma.sql`EXISTS (SELECT 1 FROM "Account" s WHERE s."personId" = p.id AND s.platform::text || ':' || s."externalId" = ANY(${staffKeys}::text[]))`
    : Prisma.sql`false`;
  // resolveActor replaces a stand-in name (the account id) once a real one is known: declined then.
  const staleName = speaker.displayName && speaker.displayName !== speaker.externalId ? speaker.externalId : null;
  // As in upvote: the voter and their community are named outright (newVoteAudience).
  const audience = newVoteAudience(id);
  const [row] = await services.db.$queryRaw<{ seen: boolean; personId: number | null; displayName: string | null; role: RoleName | null; staff: boolean | null; communityId: number | null; voted: boolean }[]>(Prisma.sql`
    WITH d AS (${delivery ? recordDelivery(delivery) : Prisma.sql`SELECT NULL::text AS id`}),
    who AS (
      SELECT p.id, p."displayName", p.role::text AS role, ${staff} AS staff, p."communityId"
      FROM "Account" a
      JOIN "Person" p ON p.id = a."personId"
      JOIN "Community" c ON c.id = p."communityId"
      WHERE a.platform = ${speaker.platform}::"Platform" AND a."externalId" = ${speaker.externalId}
        AND c.slug = ${slug ?? null} AND c.active AND p."displayName" IS DISTINCT FROM ${staleName}
        AND EXISTS (SELECT 1 FROM d)
    ),
    v AS (
      INSERT INTO "Vote" ("requestId", "personId", "communityId", place, "createdAt")
      SELECT r.id, who.id, who."communityId", ${JSON.stringify(place)}::jsonb, ${now}
      FROM who JOIN "FeatureRequest" r ON r.id = ${id} AND r.status IN ('open', 'planned', 'in_progress')
      ON CONFLICT DO NOTHING
      RETURNING "personId", "communityId"
    ),
    h AS (${homeRowsInsert(now, Prisma.sql`EXISTS (SELECT 1 FROM v) AND (${audience})`)}),
    w AS (UPDATE "Person" SET "lastWriteAt" = ${now} WHERE ${services.replica ? Prisma.sql`true` : Prisma.sql`false`} AND id IN (SELECT "personId" FROM v))
    SELECT NOT EXISTS (SELECT 1 FROM d) AS seen, who.id AS "personId", who."displayName", who.role, who.staff, who."communityId",
           EXISTS (SELECT 1 FROM v) AS voted
    FROM (SELECT 1) AS one LEFT JOIN who ON true`);
  if (row.seen) return { kind: "seen" };
  if (!row.voted || row.personId === null) return { kind: "declined", recorded: delivery !== undefined };
  const role: RoleName = row.staff ? "staff" : row.role === "staff" ? "member" : row.role!;
  const actor: Actor = {
    personId: row.personId,
    displayName: speaker.displayName || row.displayName || speaker.externalId,
    role,
    communityId: row.communityId,
    communitySlug: slug,
    platform: speaker.platform,
    externalId: speaker.externalId,
  };
  return { kind: "voted", actor, requestId: id };
}

export async function unvote(services: Services, actor: Actor, id: number): Promise<{ removed: boolean; requestId: number }> {
  const r = await followMerges(services, id);
  const res = await services.db.vote.deleteMany({ where: { requestId: r.id, personId: actor.personId } });
  // The voter and their community may no longer be among its audience: refresh theirs too.
  if (res.count > 0) await refreshHomes(services.db, services.clock.now(), { request: r.id, people: [actor.personId], communities: [actor.communityId] });
  return { removed: res.count > 0, requestId: r.id };
}

export interface ListQuery {
  statuses: RequestStatus[];
  communitySlug?: string;
  page?: number;
  pageSize?: number;
  /** Only requests whose title or details match these words (roadmap search). */
  search?: string;
  ids?: number[];
}

/**
 * Requests ranked by breadth: the tier-weighted count of distinct communities that voted, then
 * total votes, then pledged amount, then age (older first). Returns one extra row to tell
 * whether there is a next page.
 *
 * Every figure comes from RequestRank, one row per request that triggers keep (breadth from the
 * per-tier community counts times the weights syncRankWeights stored), so the whole list is a walk
 * of its (status, breadth, votes, pledged, createdAt, id) index: an unfiltered page reads its
 * offset + pageSize + 1 entries per status and its total from RequestStatusTally, whatever the
 * number of requests and votes. A community, search or id filter ranks only the rows it selects.
 */
export async function rankRequests(services: Services, q: ListQuery): Promise<{ rows: RankedRequest[]; hasMore: boolean; total: number }> {
  const pageSize = q.pageSize ?? PAGE_SIZE;
  const page = Math.max(1, q.page ?? 1);
  const offset = (page - 1) * pageSize;
  const statuses = [...new Set(q.statuses)];
  if (!statuses.length) return { rows: [], hasMore: false, total: 0 };
  const order = Prisma.sql`k.breadth DESC, k.votes DESC, k.pledged DESC, k."createdAt" ASC, k."requestId" ASC`;
  const columns = Prisma.sql`k."requestId" AS id, k.status::text AS status, k.communities, k.breadth, k.votes, k.pledges, k.pledged::float8 AS pledged, k."createdAt"`;
  const filtered = q.communitySlug !== undefined || !!q.search?.trim() || q.ids !== undefined;
  let rows: RankRow[];
  let total: number;
  if (!filtered) {
    // One ordered index walk per status (compared as the enum, so it is the index's first column),
    // merged; the title is read for the page's rows only.
    const walks = statuses.map(
      (s) => Prisma.sql`(SELECT ${columns} FROM "RequestRank" k WHERE k.status = ${s}::"RequestStatus" ORDER BY ${order} LIMIT ${offset + pageSize + 1})`,
    );
    const [ranked, tally] = await Promise.all([
      services.db.$queryRaw<RankRow[]>(Prisma.sql`
        SELECT p.*, r.title FROM (
          SELECT k.* FROM (${Prisma.join(walks, " UNION ALL ")}) k
          ORDER BY k.breadth DESC, k.votes DESC, k.pledged DESC, k."createdAt" ASC, k.id ASC
          LIMIT ${pageSize + 1} OFFSET ${offset}
        ) p JOIN "FeatureRequest" r ON r.id = p.id
        ORDER BY p.breadth DESC, p.votes DESC, p.pledged DESC, p."createdAt" ASC, p.id ASC`),
      services.db.$queryRaw<{ n: bigint | null }[]>(Prisma.sql`
        SELECT sum(requests) AS n FROM "RequestStatusTally" WHERE status IN (${Prisma.join(statuses.map((s) => Prisma.sql`${s}::"RequestStatus"`))})`),
    ]);
    rows = ranked;
    total = Number(tally[0]?.n ?? 0);
  } else {
    // The community's requests as an array first (RequestCommunity's index), then their rank rows
    // by key: as a join, the planner walks the whole rank index probing each request instead.
    const communityFilter = q.communitySlug !== undefined
      ? Prisma.sql`AND k."requestId" = ANY (ARRAY(SELECT rc."requestId" FROM "RequestCommunity" rc WHERE rc."communityId" = (SELECT c2.id FROM "Community" c2 WHERE c2.slug = ${q.communitySlug})))`
      : Prisma.empty;
    const searchFilter = q.search?.trim()
      ? Prisma.sql`AND k."requestId" IN (SELECT r.id FROM "FeatureRequest" r WHERE to_tsvector('english', r.title || ' ' || r.body) @@ plainto_tsquery('english', ${q.search}) OR r.title ILIKE ${"%" + q.search.trim() + "%"})`
      : Prisma.empty;
    const idFilter = q.ids ? Prisma.sql`AND k."requestId" IN (${Prisma.join(q.ids.length ? q.ids : [-1])})` : Prisma.empty;
    rows = await services.db.$queryRaw<RankRow[]>(Prisma.sql`
      SELECT p.*, r.title FROM (
        SELECT ${columns}, count(*) OVER () AS total FROM "RequestRank" k
        WHERE k.status IN (${Prisma.join(statuses.map((s) => Prisma.sql`${s}::"RequestStatus"`))}) ${communityFilter} ${searchFilter} ${idFilter}
        ORDER BY ${order}
        LIMIT ${pageSize + 1} OFFSET ${offset}
      ) p JOIN "FeatureRequest" r ON r.id = p.id
      ORDER BY p.breadth DESC, p.votes DESC, p.pledged DESC, p."createdAt" ASC, p.id ASC`);
    // A page past the end has no row to carry the count: 0, as callers expect of an empty page.
    total = rows.length ? Number(rows[0].total) : 0;
  }
  const mapped = rows.map((r) => ({
    id: r.id,
    title: r.title,
    status: r.status,
    communities: Number(r.communities),
    breadth: Number(r.breadth),
    votes: Number(r.votes),
    pledges: Number(r.pledges),
    pledged: Number(r.pledged),
    createdAt: new Date(r.createdAt),
  }));
  return { rows: mapped.slice(0, pageSize), hasMore: mapped.length > pageSize, total };
}

type RankRow = { id: number; title: string; status: RequestStatus; communities: number; breadth: number; votes: number; pledges: number; pledged: number; createdAt: Date; total?: bigint };
