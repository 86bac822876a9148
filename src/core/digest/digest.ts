import { Prisma, type Community, type RequestStatus } from "../../generated/prisma/client";
import { communityShownTo, personShownTo, type Viewer } from "../people/visibility";
import type { Services } from "../context";
import { UserError } from "../errors";
import { enqueue, enqueueMany, type OutgoingMessage } from "../outbox";
import type { Place, Reply, Section } from "../reply";
import { rankRequests, type RankedRequest, statusLabel } from "../requests/requests";
import { distribution } from "../support/stats";
import { formatDuration, truncate } from "../text";
import { formatWeekRange, lastCompleteWeek, type Week } from "../weeks";
import { DEFAULT_LOCALE, PSEUDO_LOCALE } from "../../i18n/catalog";
import { pseudoText } from "../../i18n/pseudo";
import { translator, type Translator } from "../../i18n/translate";
import { personLocale } from "../people/locale";

/** Monday 09:00 in the community's time zone, unless its `digest` setting says otherwise. */
export const DEFAULT_DIGEST_CRON = "0 9 * * 1";
/** Lines and characters per section: each must fit a Slack section block and a Discord embed field (1024). */
const LIST_MAX = 10;
const SECTION_CHARS = 900;
const MOST_WANTED = 5;
const TITLE_MAX = 70;
/** Shipped first, then what is moving, then the rest. */
const STATUS_ORDER: RequestStatus[] = ["shipped", "in_progress", "planned", "declined", "open", "merged"];

export interface Digest {
  community: Community;
  week: Week;
  /** What gets posted (the preview is the same, marked ephemeral). */
  reply: Reply;
  /** Nothing happened this week: nothing is posted. */
  empty: boolean;
}

/**
 * The first lines that fit, then "…and N more". Lines are made on demand (line(i)): a week can
 * hold a thousand pledges and only the first few are shown, in each of hundreds of digests.
 */
function capped(count: number, line: (i: number) => string, more: (n: number) => string): string {
  const kept: string[] = [];
  let size = 0;
  for (let i = 0; i < count && kept.length < LIST_MAX; i++) {
    const text = line(i);
    if (size + text.length + 1 > SECTION_CHARS) break;
    kept.push(text);
    size += text.length + 1;
  }
  return [...kept, ...(kept.length < count ? [more(count - kept.length)] : [])].join("\n");
}

const title = (t: string) => truncate(t, TITLE_MAX);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const dayRanges = new Map<string, Intl.DateTimeFormat>();
/**
 * A week's dates as the reader writes them ("23–29 Nov 2026", "23–29 nov 2026"). English keeps
 * the day-month form Flywheel has always used; en-XA accents it, like any text it shows.
 */
export function weekRangeIn(t: Translator, w: Week): string {
  if (t.locale === DEFAULT_LOCALE) return formatWeekRange(w);
  if (t.locale === PSEUDO_LOCALE) return pseudoText(formatWeekRange(w));
  let f = dayRanges.get(t.locale);
  if (!f) dayRanges.set(t.locale, (f = new Intl.DateTimeFormat(t.locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" })));
  const monday = new Date(Date.UTC(w.monday.year, w.monday.month - 1, w.monday.day));
  return f.formatRange(monday, new Date(monday.getTime() + 6 * 86_400_000));
}

/** A digest is posted in the community's channels: it speaks the community's language. */
export const communityTranslator = (services: Services, community: Community): Translator =>
  translator(personLocale(services.config, { communitySlug: community.slug }));

/** "#12 Dark mode — 3 communities · 5 votes · 1 pledge — open", for the most-wanted list. */
const wantedLine = (t: Translator, r: RankedRequest) =>
  truncate(t.t("pages.digest.wantedLine", { number: r.id, title: truncate(r.title, 80), communities: r.communities, votes: r.votes, pledges: r.pledges, status: r.status }), 140);

/** Finds an active community by slug; a clear error otherwise. */
export async function communityBySlug(services: Services, slug: string): Promise<Community> {
  const c = await services.db.community.findUnique({ where: { slug } });
  if (!c || !c.active) throw new UserError({ key: "pages.digest.noCommunity", values: { slug } });
  return c;
}

type Range = { gte: Date; lt: Date };

/**
 * What happened in a week across every community. It is the same for each community's digest
 * of that week, so it is read once per batch (and shared by digests built at the same moment,
 * like the Monday-morning burst of scheduled jobs) instead of once per community.
 */
async function weekNews(services: Services, week: Week) {
  const { db } = services;
  const range: Range = { gte: week.start, lt: week.end };
  // New requests, from every community.
  const fresh = await db.featureRequest.findMany({
    where: { createdAt: range, status: { not: "merged" } },
    orderBy: { id: "asc" },
    include: { community: true },
  });
  // Status changes: net change per request over the week.
  const changes = await db.statusChange.findMany({
    where: { createdAt: range },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    include: { request: { select: { id: true, title: true, mergedIntoId: true } } },
  });
  const net = new Map<number, { from: RequestStatus; to: RequestStatus; title: string; mergedIntoId: number | null }>();
  for (const c of changes) {
    const before = net.get(c.requestId);
    net.set(c.requestId, { from: before?.from ?? c.from, to: c.to, title: c.request.title, mergedIntoId: c.request.mergedIntoId });
  }
  const moved = [...net.entries()]
    .filter(([, c]) => c.from !== c.to)
    .sort(([a, x], [b, y]) => STATUS_ORDER.indexOf(x.to) - STATUS_ORDER.indexOf(y.to) || a - b);
  const shippedIds = moved.filter(([, c]) => c.to === "shipped").map(([id]) => id);
  const credits = shippedIds.length
    ? await db.contribution.findMany({
        where: { requestId: { in: shippedIds } },
        orderBy: { id: "asc" },
        include: { person: { select: { displayName: true, community: true } }, community: true },
      })
    : [];
  const creditsByRequest = new Map<number, typeof credits>();
  for (const c of credits) if (c.requestId !== null) creditsByRequest.set(c.requestId, [...(creditsByRequest.get(c.requestId) ?? []), c]);
  // Pledges made or changed this week.
  const pledges = (
    await db.pledge.findMany({
      where: { updatedAt: range },
      orderBy: [{ amount: "desc" }, { id: "asc" }],
      include: { community: true, request: { select: { id: true, title: true } } },
    })
  ).map((p) => ({ ...p, amount: Number(p.amount.toString()) }));
  return { fresh, moved, credits: creditsByRequest, pledges };
}

type WeekNews = Awaited<ReturnType<typeof weekNews>>;

/** Votes cast in the week move the most-wanted list, so a week with only votes is not empty. */
async function anyVotes(services: Services, week: Week): Promise<boolean> {
  return (await services.db.vote.findFirst({ where: { createdAt: { gte: week.start, lt: week.end } }, select: { id: true } })) !== null;
}

/** The most-wanted open requests now, with the votes each gained in the week. */
async function mostWanted(services: Services, week: Week) {
  const { rows } = await rankRequests(services, { statuses: ["open"], pageSize: MOST_WANTED });
  const gained = rows.length
    ? await services.db.vote.groupBy({ by: ["requestId"], where: { requestId: { in: rows.map((r) => r.id) }, createdAt: { gte: week.start, lt: week.end } }, _count: { _all: true } })
    : [];
  return { rows, gained: new Map(gained.map((g) => [g.requestId, g._count._all])) };
}

/** Concurrent callers for the same database and week share one read; nothing is kept after it. */
const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();
function shared<T>(services: Services, what: string, week: Week, read: () => Promise<T>): Promise<T> {
  let running = inFlight.get(services.db);
  if (!running) inFlight.set(services.db, (running = new Map()));
  const key = `${what}:${week.start.getTime()}:${week.end.getTime()}`;
  let p = running.get(key) as Promise<T> | undefined;
  if (!p) {
    const table = running;
    p = read().finally(() => table.delete(key));
    table.set(key, p);
  }
  return p;
}

/** Each community's own figures for the week (support, people credited), for many communities in a few queries. */
async function communityNews(services: Services, communities: Community[], range: Range) {
  const { db } = services;
  const ids = communities.map((c) => c.id);
  const [opened, resolved, answered, contributions] = await Promise.all([
    db.supportTicket.groupBy({ by: ["communityId"], where: { communityId: { in: ids }, createdAt: range }, _count: { _all: true } }),
    db.supportTicket.groupBy({ by: ["communityId"], where: { communityId: { in: ids }, resolvedAt: range }, _count: { _all: true } }),
    db.supportTicket.findMany({ where: { communityId: { in: ids }, firstResponseAt: range }, select: { communityId: true, createdAt: true, firstResponseAt: true } }),
    db.contribution.findMany({
      where: { createdAt: range, personId: { not: null }, OR: [{ communityId: { in: ids } }, { person: { communityId: { in: ids } } }] },
      orderBy: { id: "asc" },
      include: { person: { select: { id: true, displayName: true, communityId: true } } },
    }),
  ]);
  const count = (rows: { communityId: number; _count: { _all: number } }[]) => new Map(rows.map((r) => [r.communityId, r._count._all]));
  const openedBy = count(opened);
  const resolvedBy = count(resolved);
  return (c: Community) => ({
    opened: openedBy.get(c.id) ?? 0,
    resolved: resolvedBy.get(c.id) ?? 0,
    answered: answered.filter((t) => t.communityId === c.id),
    // Credited to the community, or to one of its people.
    contributions: contributions.filter((x) => x.communityId === c.id || x.person?.communityId === c.id),
  });
}
type CommunityNews = ReturnType<Awaited<ReturnType<typeof communityNews>>>;

/** One community's digest from the week's news and its own figures. */
function compose(services: Services, t: Translator, community: Community, week: Week, news: WeekNews, own: CommunityNews) {
  const { config } = services;
  // A digest is posted in the community's own channels: its members read it.
  const viewer: Viewer = { communityId: community.id, isStaff: false };
  const sections: Section[] = [];
  const { fresh, moved, credits, pledges } = news;
  if (fresh.length)
    sections.push({
      title: t.t("pages.digest.newRequests"),
      text: capped(
        fresh.length,
        (i) => t.t("pages.digest.newLine", { number: fresh[i].id, title: title(fresh[i].title), community: communityShownTo(fresh[i].community, viewer, t) }),
        (count) => t.t("pages.digest.moreRequests", { count, command: "/requests" }),
      ),
    });

  if (moved.length) {
    const line = (i: number) => {
      const [id, c] = moved[i];
      if (c.to === "shipped") {
        const who: string[] = [];
        for (const x of credits.get(id) ?? []) {
          const name = x.person ? personShownTo(x.person, x.person.community, viewer, t) : x.githubLogin ? `@${x.githubLogin}` : x.community ? communityShownTo(x.community, viewer, t) : undefined;
          if (name && !who.includes(name)) who.push(name);
        }
        const shipped = { number: id, title: title(c.title) };
        return who.length ? t.t("pages.digest.shippedThanks", { ...shipped, names: t.list(who) }) : t.t("pages.digest.shipped", shipped);
      }
      if (c.to === "merged")
        return c.mergedIntoId ? t.t("pages.digest.mergedInto", { number: id, title: title(c.title), into: c.mergedIntoId }) : t.t("pages.digest.merged", { number: id, title: title(c.title) });
      return t.t("pages.digest.moved", { number: id, title: title(c.title), from: statusLabel(t, c.from), to: statusLabel(t, c.to) });
    };
    sections.push({ title: t.t("pages.digest.statusChanges"), text: capped(moved.length, line, (count) => t.t("pages.digest.moreChanges", { count })) });
  }

  if (pledges.length) {
    const line = (i: number) => {
      const p = pledges[i];
      return t.t("pages.digest.pledgeLine", {
        community: capitalize(communityShownTo(p.community, viewer, t)),
        renewed: p.createdAt >= week.start ? "no" : "yes",
        amount: p.amount,
        unit: config.pledgeUnit,
        number: p.request.id,
        title: title(p.request.title),
      });
    };
    sections.push({ title: t.t("pages.digest.pledges"), text: capped(pledges.length, line, (count) => t.t("pages.digest.morePledges", { count })) });
  }

  // This community's support figures.
  const { opened, resolved, answered } = own;
  const firstResponse = distribution(answered.map((t) => t.firstResponseAt!.getTime() - t.createdAt.getTime()))?.medianMs;
  if (opened || resolved || answered.length) {
    const fields = [
      { label: t.t("pages.digest.opened"), value: t.number(opened) },
      { label: t.t("pages.digest.resolved"), value: t.number(resolved) },
      { label: t.t("pages.digest.medianFirstResponse"), value: firstResponse === undefined ? t.t("pages.digest.noFirstResponses") : formatDuration(firstResponse, t) },
    ];
    sections.push({ title: t.t("pages.digest.support", { community: community.name }), text: fields.map((f) => t.t("pages.digest.field", f)).join(" · "), fields });
  }

  // Thanks to this community's people credited this week.
  const people = new Map<number, { name: string; count: number; kinds: string[] }>();
  for (const c of own.contributions) {
    const p = people.get(c.person!.id) ?? { name: c.person!.displayName, count: 0, kinds: [] };
    p.count++;
    const kind = t.t("pages.creditKind", { kind: c.kind });
    if (!p.kinds.includes(kind)) p.kinds.push(kind);
    people.set(c.person!.id, p);
  }
  if (people.size) {
    const lines = [...people.values()]
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
      .map((p) => t.t("pages.digest.thanksLine", { name: p.name, count: p.count, kinds: p.kinds.join(", ") }));
    sections.push({ title: t.t("pages.digest.thankYou"), text: capped(lines.length, (i) => lines[i], (count) => t.t("pages.digest.morePeople", { count })) });
  }
  return sections;
}

/**
 * The digests of many communities for one week, from the tables: new requests from every
 * community, the most-wanted open requests, status changes (shipped first, with their credits),
 * pledges, each community's support figures and thanks to its people credited this week. What
 * is the same for every community is read once (bench/: 500 digests at 1,000,000 votes).
 */
export async function buildDigests(services: Services, communities: Community[], week: Week): Promise<Digest[]> {
  if (!communities.length) return [];
  const range: Range = { gte: week.start, lt: week.end };
  const [news, own] = await Promise.all([shared(services, "news", week, () => weekNews(services, week)), communityNews(services, communities, range)]);
  const drafts = communities.map((community) => {
    const t = communityTranslator(services, community);
    return { community, t, sections: compose(services, t, community, week, news, own(community)) };
  });
  // A week with no sections anywhere may still have had votes (only then is the table scanned for one).
  const voted = drafts.some((d) => !d.sections.length) ? await shared(services, "votes", week, () => anyVotes(services, week)) : true;
  // The most-wanted list is context, not news: it is shown only in a week with news.
  const wanted = drafts.some((d) => d.sections.length || voted) ? await shared(services, "wanted", week, () => mostWanted(services, week)) : undefined;
  return drafts.map(({ community, t, sections }) => {
    const when = weekRangeIn(t, week);
    const empty = sections.length === 0 && !voted;
    if (!empty && wanted?.rows.length) {
      const lines = wanted.rows.map((r) => {
        const gained = wanted.gained.get(r.id);
        const line = wantedLine(t, r);
        return gained ? t.t("pages.digest.gained", { line, count: gained }) : line;
      });
      sections.splice(news.fresh.length ? 1 : 0, 0, { title: t.t("pages.digest.mostWanted"), text: lines.join("\n") });
    }
    const header = t.t("pages.digest.header", { community: community.name, when, week: week.label });
    const reply: Reply = {
      title: t.t("pages.digest.title", { community: community.name, when }),
      text: [header, ...sections.map((s) => `${s.title}\n${s.text}`)].join("\n\n"),
      sections,
      buttons: sections.length ? [{ label: t.t("pages.digest.openRequests"), command: "requests open" }] : undefined,
    };
    return { community, week, reply, empty };
  });
}

/** One community's digest for one week (see buildDigests). */
export async function buildDigest(services: Services, community: Community, week: Week): Promise<Digest> {
  return (await buildDigests(services, [community], week))[0];
}

/** Where a community's digest goes: its community channels, or the terminal when it has none. */
export async function digestPlaces(services: Services, community: Community): Promise<Place[]> {
  const spaces = await services.db.space.findMany({ where: { communityId: community.id, purpose: "community" }, orderBy: { id: "asc" } });
  if (!spaces.length) return [{ platform: "shell", channel: community.slug }];
  return spaces.map((s) => ({ platform: s.platform, workspace: s.workspace || undefined, channel: s.channel }));
}

/**
 * The outbox key of one digest in one place. Spaces are rebuilt from the config file at every
 * start, so the key names the place itself, not the Space row's id.
 */
export const digestKey = (slug: string, week: string, p: Place): string =>
  `digest:${slug}:${week}:${p.platform}:${p.workspace ?? ""}:${p.channel ?? ""}`;

export type PostOutcome =
  | { kind: "posted"; week: Week; places: Place[] }
  | { kind: "empty"; week: Week }
  | { kind: "already"; week: Week; status: string; claimedBy: string | null; claimedAt: Date };

/**
 * Posts a community's digest for a week, once. The DigestRun row (unique per community and
 * week) is claimed in the same transaction that enqueues the messages: a crash before the
 * commit leaves nothing (the next run posts it), after the commit the outbox delivers it, and a
 * second replica or a second run finds the claim and posts nothing. An empty week is recorded
 * as "empty" and posts nothing (unless recordEmpty is false: then nothing is recorded).
 */
export async function postDigest(
  services: Services,
  community: Community,
  week: Week,
  claimedBy: string,
  opts: { recordEmpty?: boolean; /** Built beforehand with the rest of a batch (buildDigests). */ digest?: Digest } = {},
): Promise<PostOutcome> {
  const { db } = services;
  const already = async (): Promise<PostOutcome> => {
    const run = await db.digestRun.findUniqueOrThrow({ where: { communityId_week: { communityId: community.id, week: week.label } } });
    return { kind: "already", week, status: run.status, claimedBy: run.claimedBy, claimedAt: run.claimedAt };
  };
  if (await db.digestRun.findUnique({ where: { communityId_week: { communityId: community.id, week: week.label } } })) {
    services.metrics?.digestRun("already");
    return already();
  }
  const digest = opts.digest ?? (await buildDigest(services, community, week));
  // A hand-made run of an empty (often unfinished) week claims nothing: the schedule still posts it later.
  if (digest.empty && opts.recordEmpty === false) return { kind: "empty", week };
  const places = digest.empty ? [] : await digestPlaces(services, community);
  const now = services.clock.now();
  const claimed = await db.$transaction(async (tx) => {
    const run = await tx.digestRun.createMany({
      data: [{ communityId: community.id, week: week.label, status: digest.empty ? "empty" : "posted", claimedBy, claimedAt: now, postedAt: digest.empty ? null : now }],
      skipDuplicates: true,
    });
    if (!run.count) return false; // another replica or run got there first
    for (const place of places) await enqueue(tx, { key: digestKey(community.slug, week.label, place), place, reply: digest.reply });
    return true;
  });
  const outcome: PostOutcome = !claimed ? await already() : digest.empty ? { kind: "empty", week } : { kind: "posted", week, places };
  services.metrics?.digestRun(outcome.kind);
  services.log.info({ community: community.slug, week: week.label, outcome: outcome.kind, claimedBy }, "digest run");
  return outcome;
}

/** Rows per statement when a batch claims or queues: well under PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;
const chunks = <T>(rows: T[]): T[][] => Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Posts many communities' digests at once, each exactly as postDigest would (the Monday-morning
 * burst of scheduled jobs, a catch-up). The batch reads the claims in one statement, reads each
 * week once for all its communities (buildDigests), then claims every run and queues every
 * message in one transaction: a claim another replica already holds is skipped row by row
 * (ON CONFLICT DO NOTHING), so each digest is still posted once. If anything in the batch
 * fails, each community is posted on its own, so one community's failure loses no other's.
 * The outcomes come back in the order of runs; a community's failure is its "rejected" result.
 */
export async function postDigests(
  services: Services,
  runs: { community: Community; week: Week }[],
  claimedBy: string,
): Promise<PromiseSettledResult<PostOutcome>[]> {
  // Digests the batch built before it failed are posted as they are, not built again one by one.
  const built = new Map<string, Digest>();
  try {
    return await postBatch(services, runs, claimedBy, built);
  } catch (e) {
    services.log.warn({ err: e, runs: runs.length }, "digest batch failed; posting each community's digest on its own");
    const settled: PromiseSettledResult<PostOutcome>[] = [];
    for (const { community, week } of runs) {
      try {
        settled.push({ status: "fulfilled", value: await postDigest(services, community, week, claimedBy, { digest: built.get(runKey(community.id, week.label)) }) });
      } catch (reason) {
        settled.push({ status: "rejected", reason });
      }
    }
    return settled;
  }
}

const runKey = (communityId: number, week: string) => `${communityId}:${week}`;
/** Claiming and queueing thousands of digests takes seconds on a busy server: more than Prisma's default 5 s. */
const BATCH_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

async function postBatch(
  services: Services,
  runs: { community: Community; week: Week }[],
  claimedBy: string,
  built: Map<string, Digest>,
): Promise<PromiseSettledResult<PostOutcome>[]> {
  const { db } = services;
  // One entry per (community, week), in id order: two replicas' batches then claim rows in the
  // same order, so they wait on each other instead of deadlocking.
  const unique = new Map<string, { community: Community; week: Week }>();
  for (const r of runs) unique.set(runKey(r.community.id, r.week.label), r);
  const todo = [...unique.values()].sort((a, b) => a.community.id - b.community.id || a.week.label.localeCompare(b.week.label));
  // Built together per week as its zone bounds it: 2026-W48 in Paris is not 2026-W48 in UTC.
  const byWeek = new Map<string, { week: Week; communities: Community[] }>();
  for (const { community, week } of todo) {
    const span = `${week.start.getTime()}:${week.end.getTime()}`;
    const group = byWeek.get(span) ?? { week, communities: [] };
    group.communities.push(community);
    byWeek.set(span, group);
  }
  const claimsOf = async (groups: { week: Week; communities: Community[] }[]) =>
    groups.length
      ? new Map(
          (await db.digestRun.findMany({ where: { OR: groups.map((g) => ({ week: g.week.label, communityId: { in: g.communities.map((c) => c.id) } })) } })).map((r) => [
            runKey(r.communityId, r.week),
            r,
          ]),
        )
      : new Map();
  const outcomes = new Map<string, PostOutcome>();
  const alreadyFrom = (run: { status: string; claimedBy: string | null; claimedAt: Date }, week: Week): PostOutcome => ({ kind: "already", week, status: run.status, claimedBy: run.claimedBy, claimedAt: run.claimedAt });

  const claimed = await claimsOf([...byWeek.values()]);
  const digests: Digest[] = [];
  for (const { week, communities } of byWeek.values()) {
    const open = communities.filter((c) => {
      const run = claimed.get(runKey(c.id, week.label));
      if (run) outcomes.set(runKey(c.id, week.label), alreadyFrom(run, week));
      return !run;
    });
    digests.push(...(await buildDigests(services, open, week)));
  }
  for (const d of digests) built.set(runKey(d.community.id, d.week.label), d);

  // Where each community with news posts: its community channels, else the terminal.
  const posting = digests.filter((d) => !d.empty);
  const spaces = posting.length
    ? await db.space.findMany({ where: { communityId: { in: [...new Set(posting.map((d) => d.community.id))] }, purpose: "community" }, orderBy: { id: "asc" } })
    : [];
  const placesOf = new Map<number, Place[]>();
  for (const s of spaces) placesOf.set(s.communityId!, [...(placesOf.get(s.communityId!) ?? []), { platform: s.platform, workspace: s.workspace || undefined, channel: s.channel }]);
  const places = (c: Community): Place[] => placesOf.get(c.id) ?? [{ platform: "shell", channel: c.slug }];

  const now = services.clock.now();
  const won = await db.$transaction(async (tx) => {
    const won = new Set<string>();
    for (const part of chunks(digests)) {
      // One array per column (unnest): createManyAndReturn binds every field of every row.
      const rows = await tx.$queryRaw<{ communityId: number; week: string }[]>(Prisma.sql`
        INSERT INTO "DigestRun" ("communityId", week, status, "claimedBy", "claimedAt", "postedAt")
        SELECT c, w, s, ${claimedBy}, at, CASE WHEN s = 'posted' THEN at END
        FROM unnest(${part.map((d) => d.community.id)}::int[], ${part.map((d) => d.week.label)}::text[], ${part.map((d) => (d.empty ? "empty" : "posted"))}::text[]) AS t(c, w, s)
        CROSS JOIN (SELECT (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')::timestamp(3) AS at) n
        ON CONFLICT ("communityId", week) DO NOTHING
        RETURNING "communityId", week`);
      for (const r of rows) won.add(runKey(r.communityId, r.week));
    }
    const messages: OutgoingMessage[] = [];
    for (const d of posting) {
      if (!won.has(runKey(d.community.id, d.week.label))) continue; // another replica or run got there first
      for (const place of places(d.community)) messages.push({ key: digestKey(d.community.slug, d.week.label, place), place, reply: d.reply });
    }
    for (const part of chunks(messages)) await enqueueMany(tx, part);
    return won;
  }, BATCH_TRANSACTION);

  const lost = digests.filter((d) => !won.has(runKey(d.community.id, d.week.label)));
  const lostGroups = new Map<string, { week: Week; communities: Community[] }>();
  for (const d of lost) lostGroups.set(d.week.label, { week: d.week, communities: [...(lostGroups.get(d.week.label)?.communities ?? []), d.community] });
  const theirs = await claimsOf([...lostGroups.values()]);
  for (const d of digests) {
    const key = runKey(d.community.id, d.week.label);
    const run = theirs.get(key);
    if (!won.has(key) && !run) continue; // a claim that vanished: reported as a failure
    const outcome: PostOutcome = run ? alreadyFrom(run, d.week) : d.empty ? { kind: "empty", week: d.week } : { kind: "posted", week: d.week, places: places(d.community) };
    outcomes.set(key, outcome);
    services.log.info({ community: d.community.slug, week: d.week.label, outcome: outcome.kind, claimedBy }, "digest run");
  }
  for (const o of outcomes.values()) services.metrics?.digestRun(o.kind);
  return runs.map((r): PromiseSettledResult<PostOutcome> => {
    const outcome = outcomes.get(runKey(r.community.id, r.week.label));
    return outcome ? { status: "fulfilled", value: outcome } : { status: "rejected", reason: new Error(`no digest outcome for ${r.community.slug} ${r.week.label}`) };
  });
}

/** What the schedule posts when it fires: the last week that has fully ended, in the community's zone. */
export function dueWeek(services: Services, community: Community): Week {
  return lastCompleteWeek(services.clock.now(), community.timezone);
}

const placeName = (t: Translator, p: Place): string =>
  p.platform === "shell" ? t.t("pages.digest.terminal") : t.t("pages.digest.channel", { platform: p.platform, channel: p.channel ?? "" });

/** One sentence about a run, for /digest send and the CLI, in the asker's language (t). */
export function describeOutcome(t: Translator, community: Community, outcome: PostOutcome): string {
  const week = { community: community.name, week: outcome.week.label, when: weekRangeIn(t, outcome.week) };
  const which = t.t("pages.digest.which", week);
  switch (outcome.kind) {
    case "posted":
      return t.t("pages.digest.queued", { which, places: t.list(outcome.places.map((p) => placeName(t, p))) });
    case "empty":
      return t.t("pages.digest.nothing", week);
    case "already":
      return t.t("pages.digest.already", {
        which,
        status: outcome.status === "empty" ? "empty" : "posted",
        at: outcome.claimedAt.toISOString().slice(0, 16).replace("T", " "),
        by: outcome.claimedBy ?? t.t("pages.digest.earlierRun"),
      });
  }
}
