import { Prisma, type Community, type RequestStatus, type Tier } from "../../generated/prisma/client";
import { translator, type Translator } from "../../i18n/translate";
import { communityShownTo, personShownTo, type Viewer } from "../people/visibility";
import type { Services } from "../context";
import { UserError } from "../errors";
import { LISTABLE_STATUSES, rankRequests, type ListableStatus, type RankedRequest } from "../requests/requests";

/**
 * The public roadmap's data: what the web page, the JSON API and the Atom feed show. Private
 * communities are replaced by "a Premier member" here, in one place, so no output can leak a
 * name the others hide.
 */

export const ROADMAP_PAGE_SIZE = 25;
export const ROADMAP_GROUP_SIZE = 10;
export const RECENTLY_SHIPPED_DAYS = 90;
export const FEED_SIZE = 50;
const ALL_STATUSES: RequestStatus[] = ["open", "planned", "in_progress", "shipped", "declined", "merged"];

export interface PublicCommunity {
  /** The community's name, or "a Premier member" when it is private. */
  name: string;
  /** null when private: the slug would name it too. */
  slug: string | null;
  private: boolean;
}

export interface PublicCredit {
  name: string;
  /** What they are credited for (code, review, request, ...), from the credit ledger. */
  kinds: string[];
  githubLogin: string | null;
}

export interface PublicGithubLink {
  repo: string;
  number: number;
  kind: string;
  url: string;
  state: string;
  title: string;
}

export interface PublicRequest {
  number: number;
  title: string;
  status: RequestStatus;
  createdAt: Date;
  updatedAt: Date;
  shippedAt: Date | null;
  mergedInto: number | null;
  breadth: {
    communities: number;
    /** Tier-weighted count of the communities that want it (the ranking key). */
    weighted: number;
    /** weighted / the weight of every active community, 0..1: the bar's length. */
    share: number;
    wantedBy: PublicCommunity[];
  };
  votes: number;
  pledges: { count: number; total: number; unit: string };
  github: PublicGithubLink[];
  credits: PublicCredit[];
}

export interface PublicStatusChange {
  at: Date;
  from: RequestStatus;
  to: RequestStatus;
  reason: string | null;
  /** command (staff), github or merge */
  source: string;
  link: string | null;
}

export interface PublicRequestDetail extends PublicRequest {
  body: string;
  requestedBy: PublicCommunity;
  mergedFrom: number[];
  history: PublicStatusChange[];
  /** Running total of current votes at the end of each day a vote was cast (UTC). */
  votesOverTime: { day: string; votes: number }[];
  pledgesBy: { community: PublicCommunity; amount: number }[];
}

export interface RoadmapQuery {
  /** One status: the page's filter; several: the API's. Shipped alone lists newest first. */
  statuses: ListableStatus[];
  community?: string;
  search?: string;
  page?: number;
  pageSize?: number;
}

export interface RoadmapPage {
  rows: PublicRequest[];
  total: number;
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export type GroupKey = "planned" | "in_progress" | "shipped_recently" | "open";
export interface RoadmapGroup {
  key: GroupKey;
  status: ListableStatus;
  rows: PublicRequest[];
  total: number;
}

/**
 * A community on the public pages (anyone reads them): see people/visibility for the rule. A
 * signed-in member reading a request's page is the viewer there, and reads their own private
 * community's name; it stays private (no slug, no link) all the same.
 */
export function publicCommunity(c: Pick<Community, "name" | "slug" | "private" | "tier"> & { id?: number }, t: Translator, viewer: Viewer = "public"): PublicCommunity {
  const name = communityShownTo(c, viewer, t);
  return c.private ? { name, slug: null, private: true } : { name, slug: c.slug, private: false };
}

/** Named communities first (by weight, then name), private ones after (their order tells nothing). */
function orderCommunities(list: Community[], weight: (t: Tier) => number): Community[] {
  return [...list].sort(
    (a, b) =>
      Number(a.private) - Number(b.private) ||
      weight(b.tier) - weight(a.tier) ||
      (a.private ? 0 : a.name.localeCompare(b.name, "en")),
  );
}

const isHttpUrl = (s: string | null | undefined): s is string => {
  if (!s) return false;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
};

const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** Communities that can be filtered on publicly: active and not private. */
export async function filterableCommunities(services: Services): Promise<{ slug: string; name: string }[]> {
  const rows = await services.db.community.findMany({ where: { active: true, private: false }, orderBy: { name: "asc" } });
  return rows.map((c) => ({ slug: c.slug, name: c.name }));
}

/** A private community's slug is as unknown as a made-up one: filtering by it would reveal its votes. */
async function assertFilterable(services: Services, slug: string | undefined): Promise<void> {
  if (!slug) return;
  const c = await services.db.community.findUnique({ where: { slug } });
  if (!c || c.private) throw new UserError({ key: "pages.error.noPublicCommunity", values: { slug } });
}

const weightOf = (services: Services) => (t: Tier) => services.config.weights[t];

/** Adds names, money, GitHub links and credits to ranked rows, a handful of queries per page. */
async function decorate(services: Services, ranked: RankedRequest[], t: Translator, viewer: Viewer = "public"): Promise<PublicRequest[]> {
  if (!ranked.length) return [];
  const { db } = services;
  const ids = ranked.map((r) => r.id);
  const weight = weightOf(services);
  const [communities, perCommunity, requests, links, contributions, shipped] = await Promise.all([
    db.community.findMany(),
    // The (request, community) pairs the vote trigger keeps: one row per community, not per vote.
    db.requestCommunity.findMany({ where: { requestId: { in: ids } }, select: { requestId: true, communityId: true } }),
    db.featureRequest.findMany({ where: { id: { in: ids } }, select: { id: true, updatedAt: true, mergedIntoId: true } }),
    db.githubItem.findMany({ where: { requestId: { in: ids } }, orderBy: [{ repo: "asc" }, { number: "asc" }] }),
    db.contribution.findMany({ where: { requestId: { in: ids } }, include: { person: true }, orderBy: { id: "asc" } }),
    db.statusChange.groupBy({ by: ["requestId"], where: { requestId: { in: ids }, to: "shipped" }, _max: { createdAt: true } }),
  ]);
  const byId = new Map(communities.map((c) => [c.id, c]));
  const totalWeight = communities.filter((c) => c.active).reduce((s, c) => s + weight(c.tier), 0);
  const meta = new Map(requests.map((r) => [r.id, r]));
  const shippedAt = new Map(shipped.map((s) => [s.requestId, s._max.createdAt]));
  const wanted = new Map<number, Community[]>();
  for (const v of perCommunity) {
    const c = byId.get(v.communityId);
    if (c) wanted.set(v.requestId, [...(wanted.get(v.requestId) ?? []), c]);
  }

  return ranked.map((r) => {
    const m = meta.get(r.id);
    return {
      number: r.id,
      title: r.title,
      status: r.status,
      createdAt: r.createdAt,
      updatedAt: m?.updatedAt ?? r.createdAt,
      shippedAt: r.status === "shipped" ? (shippedAt.get(r.id) ?? m?.updatedAt ?? null) : null,
      mergedInto: m?.mergedIntoId ?? null,
      breadth: {
        communities: r.communities,
        weighted: r.breadth,
        share: totalWeight > 0 ? Math.min(1, r.breadth / totalWeight) : 0,
        wantedBy: orderCommunities(wanted.get(r.id) ?? [], weight).map((c) => publicCommunity(c, t, viewer)),
      },
      votes: r.votes,
      pledges: { count: r.pledges, total: r.pledged, unit: services.config.pledgeUnit },
      github: links
        .filter((l) => l.requestId === r.id)
        .map((l) => ({
          repo: l.repo,
          number: l.number,
          kind: l.kind,
          url: isHttpUrl(l.url) ? l.url : `https://github.com/${l.repo}/${l.kind === "pull" ? "pull" : "issues"}/${l.number}`,
          state: l.state,
          title: l.title,
        })),
      credits: creditsFor(contributions.filter((c) => c.requestId === r.id), byId, t, viewer),
    };
  });
}

type ContributionRow = Prisma.ContributionGetPayload<{ include: { person: true } }>;

/** One entry per credited subject (a person, a community, or an unlinked GitHub login). */
function creditsFor(rows: ContributionRow[], communities: Map<number, Community>, t: Translator, viewer: Viewer): PublicCredit[] {
  const bySubject = new Map<string, PublicCredit>();
  for (const c of rows) {
    const login = c.githubLogin && GITHUB_LOGIN.test(c.githubLogin) ? c.githubLogin : null;
    let name: string;
    if (c.person) name = personShownTo(c.person, c.person.communityId === null ? null : communities.get(c.person.communityId), viewer, t);
    else if (c.communityId !== null && communities.has(c.communityId)) name = publicCommunity(communities.get(c.communityId)!, t, viewer).name;
    else if (login) name = `@${login}`;
    else continue;
    const entry = bySubject.get(c.subject) ?? { name, kinds: [], githubLogin: login };
    if (!entry.kinds.includes(c.kind)) entry.kinds.push(c.kind);
    entry.githubLogin ??= login;
    bySubject.set(c.subject, entry);
  }
  return [...bySubject.values()];
}

/** When each shipped request shipped (its last change to shipped, else its last update), newest first. */
async function shippedOrder(services: Services, since?: Date): Promise<{ id: number; shippedAt: Date }[]> {
  const rows = await services.db.$queryRaw<{ id: number; shippedAt: Date }[]>(Prisma.sql`
    SELECT r.id, coalesce(max(sc."createdAt"), r."updatedAt") AS "shippedAt"
    FROM "FeatureRequest" r
    LEFT JOIN "StatusChange" sc ON sc."requestId" = r.id AND sc."to" = 'shipped'
    WHERE r.status = 'shipped'
    GROUP BY r.id
    ${since ? Prisma.sql`HAVING coalesce(max(sc."createdAt"), r."updatedAt") >= ${since}` : Prisma.empty}
    ORDER BY 2 DESC, r.id DESC`);
  return rows.map((r) => ({ id: r.id, shippedAt: new Date(r.shippedAt) }));
}

/**
 * Shipped requests, newest first, with the same community and search filters as the others:
 * the filters narrow the (bounded) list of shipped ids, then the page is cut in shipping order.
 */
async function rankShipped(services: Services, q: Pick<RoadmapQuery, "community" | "search">, since?: Date) {
  const order = await shippedOrder(services, since);
  if (!order.length) return { rows: [] as RankedRequest[], total: 0 };
  const { rows } = await rankRequests(services, {
    statuses: ["shipped"],
    // Every shipped request is in `order` anyway; only the recent window needs an id list.
    ids: since ? order.map((o) => o.id) : undefined,
    communitySlug: q.community,
    search: q.search,
    pageSize: order.length,
  });
  const position = new Map(order.map((o, i) => [o.id, i]));
  rows.sort((a, b) => (position.get(a.id) ?? Infinity) - (position.get(b.id) ?? Infinity));
  return { rows, total: rows.length };
}

/** Requests with the given statuses, paged: breadth order, except shipped alone (newest first). */
/** The reader's words for what the data names (private communities' tier phrases); the organization's language unless given. */
const orgWords = (services: Services): Translator => translator(services.config.locale);

/** As the viewer may read it: a signed-in member reads their own private community's name ("public": nobody's). */
export async function listRoadmap(services: Services, q: RoadmapQuery, t: Translator = orgWords(services), viewer: Viewer = "public"): Promise<RoadmapPage> {
  await assertFilterable(services, q.community);
  const page = Math.max(1, q.page ?? 1);
  const pageSize = q.pageSize ?? ROADMAP_PAGE_SIZE;
  const statuses = q.statuses.length ? q.statuses : [...LISTABLE_STATUSES];
  if (statuses.length === 1 && statuses[0] === "shipped") {
    const all = await rankShipped(services, q);
    const slice = all.rows.slice((page - 1) * pageSize, page * pageSize);
    return { rows: await decorate(services, slice, t, viewer), total: all.total, page, pageSize, hasMore: page * pageSize < all.total };
  }
  const filter = { statuses, communitySlug: q.community, search: q.search };
  const r = await rankRequests(services, { ...filter, page, pageSize });
  // total comes from a window over the page's rows: an empty page past the end reports 0, so count it.
  const total = r.rows.length ? r.total : page > 1 ? (await rankRequests(services, { ...filter, pageSize: 1 })).total : 0;
  return { rows: await decorate(services, r.rows, t, viewer), total, page, pageSize, hasMore: r.hasMore };
}

/** The roadmap at a glance: planned, in progress, shipped in the last 90 days, most-wanted open. */
export async function roadmapOverview(services: Services, q: Pick<RoadmapQuery, "community" | "search">, t: Translator = orgWords(services), viewer: Viewer = "public"): Promise<RoadmapGroup[]> {
  await assertFilterable(services, q.community);
  const since = new Date(services.clock.now().getTime() - RECENTLY_SHIPPED_DAYS * 86_400_000);
  const top = (status: ListableStatus) => rankRequests(services, { statuses: [status], communitySlug: q.community, search: q.search, pageSize: ROADMAP_GROUP_SIZE });
  const [planned, inProgress, shipped, open] = await Promise.all([top("planned"), top("in_progress"), rankShipped(services, q, since), top("open")]);
  const groups: [GroupKey, ListableStatus, { rows: RankedRequest[]; total: number }][] = [
    ["planned", "planned", planned],
    ["in_progress", "in_progress", inProgress],
    ["shipped_recently", "shipped", shipped],
    ["open", "open", open],
  ];
  // One decoration for the four groups' rows (each status's requests are apart): a quarter of the queries.
  const shown = groups.map(([, , r]) => r.rows.slice(0, ROADMAP_GROUP_SIZE));
  const decorated = await decorate(services, shown.flat(), t, viewer);
  let at = 0;
  return groups.map(([key, status, r], i) => {
    const rows = decorated.slice(at, at + shown[i].length);
    at += shown[i].length;
    return { key, status, rows, total: r.total };
  });
}

/** Any request by number (merged and declined ones too), or null; as the viewer may read it (the API: "public"). */
export async function getPublicRequest(services: Services, id: number, t: Translator = orgWords(services), viewer: Viewer = "public"): Promise<PublicRequestDetail | null> {
  const { db } = services;
  if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) return null;
  const fr = await db.featureRequest.findUnique({ where: { id }, include: { community: true, mergedFrom: { select: { id: true }, orderBy: { id: "asc" } } } });
  if (!fr) return null;
  const ranked = await rankRequests(services, { statuses: ALL_STATUSES, ids: [id], pageSize: 1 });
  const [base] = await decorate(services, ranked.rows, t, viewer);
  const [changes, votes, pledges] = await Promise.all([
    db.statusChange.findMany({ where: { requestId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    // Counted per day in the database: a popular request can have tens of thousands of votes.
    // createdAt is stored as UTC wall-clock time, so its date is the UTC day.
    db.$queryRaw<{ day: string; n: number }[]>(Prisma.sql`
      SELECT to_char(v."createdAt", 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM "Vote" v WHERE v."requestId" = ${id} GROUP BY 1 ORDER BY 1`),
    db.pledge.findMany({ where: { requestId: id }, include: { community: true }, orderBy: [{ amount: "desc" }, { id: "asc" }] }),
  ]);
  let runningTotal = 0;
  const votesOverTime = votes.map((v) => ({ day: v.day, votes: (runningTotal += Number(v.n)) }));
  return {
    ...base,
    body: fr.body,
    requestedBy: publicCommunity(fr.community, t, viewer),
    mergedFrom: fr.mergedFrom.map((m) => m.id),
    history: changes.map((c) => ({
      at: c.createdAt,
      from: c.from,
      to: c.to,
      reason: c.reason,
      source: c.source,
      link: isHttpUrl(c.sourceRef) ? c.sourceRef : null,
    })),
    votesOverTime,
    pledgesBy: orderPledges(pledges, weightOf(services)).map((p) => ({ community: publicCommunity(p.community, t, viewer), amount: Number(p.amount) })),
  };
}

type PledgeRow = Prisma.PledgeGetPayload<{ include: { community: true } }>;
/** Named pledges first by amount; private ones after, so position cannot hint at who they are. */
const orderPledges = (rows: PledgeRow[], weight: (t: Tier) => number) =>
  [...rows].sort(
    (a, b) =>
      Number(a.community.private) - Number(b.community.private) ||
      (a.community.private ? weight(b.community.tier) - weight(a.community.tier) : 0) ||
      Number(b.amount) - Number(a.amount),
  );

export interface FeedEntry {
  id: number;
  number: number;
  title: string;
  from: RequestStatus;
  to: RequestStatus;
  at: Date;
  reason: string | null;
  link: string | null;
  /** Who wants the request now (private communities by tier only, as everywhere). */
  wantedBy: PublicCommunity[];
}

/** The latest status changes, newest first: the Atom feed's entries. */
export async function statusFeed(services: Services, limit = FEED_SIZE, t: Translator = orgWords(services)): Promise<FeedEntry[]> {
  const rows = await services.db.statusChange.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { request: { select: { id: true, title: true } } },
  });
  const ids = [...new Set(rows.map((c) => c.requestId))];
  const ranked = ids.length ? (await rankRequests(services, { statuses: ALL_STATUSES, ids, pageSize: ids.length })).rows : [];
  const requests = new Map((await decorate(services, ranked, t)).map((r) => [r.number, r]));
  return rows.map((c) => ({
    id: c.id,
    number: c.request.id,
    title: c.request.title,
    from: c.from,
    to: c.to,
    at: c.createdAt,
    reason: c.reason,
    link: isHttpUrl(c.sourceRef) ? c.sourceRef : null,
    wantedBy: requests.get(c.requestId)?.breadth.wantedBy ?? [],
  }));
}

export const isListableStatus = (s: string): s is ListableStatus => (LISTABLE_STATUSES as readonly string[]).includes(s);
