/**
 * Part 3 — scale: seeds worlds of N communities (per community: 100 members, 20 requests, 2,000
 * votes, 40 pledges; so 500 communities = 10,000 requests and 1,000,000 votes) and times what a
 * member waits for: the ranked list (/requests), one community's list, /request-show of the most
 * wanted requests and every community's weekly digest. Floors: the
 * same commands' cheapest counterpart on the same data: resolve who is asking, then read an
 * unranked page of 11 requests, or one request by id. Growth between scales is reported as an exponent: 1 = linear.
 */
import { dispatch } from "../../src/command-kit/dispatch";
import type { Services } from "../../src/core/context";
import { buildDigest, buildDigests, type Digest } from "../../src/core/digest/digest";
import { resolveActor } from "../../src/core/people/identity";
import { lastCompleteWeek } from "../../src/core/weeks";
import { runScheduledDigest } from "../../src/jobs/digests";
import type { Prisma } from "../../src/generated/prisma/client";
import { openDatabase, type Database } from "../../src/db/client";
import { benchDbName, dropDatabase } from "../lib/pg";
import type { BenchContext } from "../lib/context";
import { interleave, summarize, timeOnce } from "../lib/stats";
import { benchConfig, benchServices, communitySpec } from "../lib/world";
import { PER_COMMUNITY, seededWorld } from "../seed";

const DB = benchDbName("flywheel_bench");

export interface ScalePoint {
  communities: number;
  votes: number;
  list: number;
  show: number;
  digests?: number;
}

export async function runScale(ctx: BenchContext): Promise<void> {
  const points: ScalePoint[] = [];
  try {
    for (const n of ctx.options.scales) points.push(await measureScale(ctx, n));
  } finally {
    await dropDatabase(DB);
  }
  growth(ctx, points, "list", "/requests");
  growth(ctx, points, "show", "/request-show");
  growth(ctx, points, "digests", "all weekly digests");
}

async function measureScale(ctx: BenchContext, n: number): Promise<ScalePoint> {
  const label = `${n.toLocaleString("en-US")} communities`;
  ctx.log(`seeding ${label}: ${(n * PER_COMMUNITY.requests).toLocaleString("en-US")} requests, ${(n * PER_COMMUNITY.votes).toLocaleString("en-US")} votes…`);
  const { url, counts, cached } = await seededWorld(DB, { communities: n, progress: process.stdout.isTTY === true });
  const how = cached ? "cached" : "seeded";
  ctx.log(`${how} in ${(counts.ms / 1000).toFixed(1)} s`);
  ctx.report.add({
    part: "scale",
    name: `seed ${label} (${counts.votes.toLocaleString("en-US")} votes), ${how}`,
    unit: "s",
    value: counts.ms / 1000,
    better: "lower",
    // A copy of the cached world says nothing about seeding's speed.
    target: n === 500 && !cached ? { of: "value", max: 60, text: "< 60 s" } : undefined,
    details: { ...counts, cached },
  });

  const database = await openDatabase({ url });
  try {
    const services = benchServices(database, benchConfig(n));
    return await timeCommands(ctx, services, database, n, label, counts.votes);
  } finally {
    await database.close();
  }
}

async function timeCommands(ctx: BenchContext, services: Services, database: Database, n: number, label: string, votes: number): Promise<ScalePoint> {
  const samples = ctx.options.quick ? 10 : 30;
  // A member of a community in the middle of the list, speaking from its Slack channel.
  const home = Math.floor(n / 3);
  const spec = communitySpec(home);
  const member = `U${String(home * PER_COMMUNITY.members + 1).padStart(8, "0")}`;
  const speaker = { platform: "slack" as const, externalId: member, displayName: "Member", workspace: spec.slack.team, channel: spec.slack.channel };
  const run = async (line: string) => {
    const [command, ...rest] = line.split(" ");
    const reply = await dispatch(services, {
      command,
      text: rest.join(" "),
      speaker,
      place: { platform: "slack", workspace: spec.slack.team, channel: spec.slack.channel },
    });
    if (reply.error) throw new Error(`/${line} failed: ${reply.text}`);
    return reply;
  };
  // Warm up: the first call pays for Prisma's connection and query plans.
  const first = await run("requests");
  const top = [...first.text.matchAll(/#(\d+) /g)].map((m) => Number(m[1])).slice(0, 10);
  if (!top.length) throw new Error("the ranked list is empty");
  const db = database.prisma;

  // The floors do what any such command must: find who is asking, then read the rows it shows
  // without ranking or counting anything.
  const unrankedPage = async (where: Prisma.FeatureRequestWhereInput) => {
    await resolveActor(services, speaker);
    await db.featureRequest.findMany({ where, orderBy: { id: "asc" }, take: 11, select: { id: true, title: true, status: true, createdAt: true } });
  };

  // /requests vs an unranked page of the same size.
  const list = await interleave(
    samples,
    () => timeOnce(() => unrankedPage({ status: "open" })),
    () => timeOnce(() => run("requests")),
  );
  const listFig = ctx.report.add({
    part: "scale",
    name: `/requests, ${label}`,
    unit: "ms",
    value: summarize(list.subject).p50,
    floor: summarize(list.floor).p50,
    floorName: "who + unranked page",
    better: "lower",
    target: n === 500 ? { of: "value", max: 50, text: "< 50 ms" } : n === 5000 ? { of: "ratio", max: 5, text: "≤ 5× floor" } : undefined,
    details: { subject: summarize(list.subject), floor: summarize(list.floor), votes },
  });

  // One community's list (what its digest and `/requests --community` show).
  const scoped = await interleave(
    samples,
    (i) => timeOnce(() => unrankedPage({ status: "open", communityId: ((i * 37) % n) + 1 })),
    (i) => timeOnce(() => run(`requests --community ${communitySpec((i * 37) % n).slug}`)),
  );
  ctx.report.add({
    part: "scale",
    name: `/requests --community, ${label}`,
    unit: "ms",
    value: summarize(scoped.subject).p50,
    floor: summarize(scoped.floor).p50,
    floorName: "who + unranked page",
    better: "lower",
    details: { subject: summarize(scoped.subject), floor: summarize(scoped.floor) },
  });

  // /request-show of the most wanted requests (the most votes to count) vs reading one request.
  const show = await interleave(
    samples,
    (i) =>
      timeOnce(async () => {
        await resolveActor(services, speaker);
        await db.featureRequest.findUnique({ where: { id: top[i % top.length] } });
      }),
    (i) => timeOnce(() => run(`request-show ${top[i % top.length]}`)),
  );
  const showFig = ctx.report.add({
    part: "scale",
    name: `/request-show, ${label}`,
    unit: "ms",
    value: summarize(show.subject).p50,
    floor: summarize(show.floor).p50,
    floorName: "who + one request",
    better: "lower",
    target: n === 5000 ? { of: "ratio", max: 4, text: "≤ 4× floor" } : undefined,
    details: { subject: summarize(show.subject), floor: summarize(show.floor), requests: top },
  });

  // Every community's digest of the last complete week, built together (as the catch-up does),
  // beside building one community's: the ratio is what the other communities add.
  const communities = await db.community.findMany({ where: { active: true }, orderBy: { id: "asc" } });
  const week = lastCompleteWeek(services.clock.now(), "UTC");
  const rounds = ctx.options.quick ? 2 : 5;
  let built: Digest[] = [];
  const digests = await interleave(
    rounds,
    (i) => timeOnce(() => buildDigest(services, communities[(i * 7) % communities.length], week)),
    () =>
      timeOnce(async () => {
        built = await buildDigests(services, communities, week);
      }),
  );
  const posted = built.filter((d) => !d.empty).length;
  if (posted !== communities.length) throw new Error(`expected ${communities.length} digests with news, got ${posted}`);
  const digestFig = ctx.report.add({
    part: "scale",
    name: `all ${n.toLocaleString("en-US")} weekly digests, ${label}`,
    unit: "ms",
    value: summarize(digests.subject).p50,
    floor: summarize(digests.floor).p50,
    floorName: "one community's digest",
    better: "lower",
    target: n === 500 ? { of: "value", max: 2000, text: "< 2 s" } : undefined,
    details: { subject: summarize(digests.subject), floor: summarize(digests.floor), week: week.label, characters: built[0]?.reply.text.length },
  });
  // The Monday-morning burst: every community's scheduled job fires at once and runs as the
  // scheduler runs it (claim, build, queue its posts).
  let outcomes: Awaited<ReturnType<typeof runScheduledDigest>>[] = [];
  const burst = await timeOnce(async () => {
    outcomes = await Promise.all(communities.map((c) => runScheduledDigest(services, c.slug, "bench")));
  });
  const jobsPosted = outcomes.filter((o) => o?.kind === "posted").length;
  if (jobsPosted !== communities.length) throw new Error(`expected ${communities.length} scheduled digests posted, got ${jobsPosted}`);
  ctx.report.add({
    part: "scale",
    name: `${n.toLocaleString("en-US")} scheduled digest jobs at once, ${label}`,
    unit: "ms",
    value: burst,
    floor: summarize(digests.subject).p50,
    floorName: "built together",
    better: "lower",
    target: { of: "ratio", max: 2, text: "≤ 2× floor" },
  });
  return { communities: n, votes, list: listFig.value, show: showFig.value, digests: digestFig.value };
}

/** How cost grows from the smallest to the largest scale: t ∝ n^k, k = 1 is linear. */
function growth(ctx: BenchContext, points: ScalePoint[], key: "list" | "show" | "digests", what: string): void {
  const have = points.filter((p) => p[key] !== undefined);
  if (have.length < 2) return;
  const a = have[0];
  const b = have[have.length - 1];
  const k = Math.log(b[key]! / a[key]!) / Math.log(b.communities / a.communities);
  ctx.report.add({
    part: "scale",
    name: `growth of ${what}, ${a.communities}→${b.communities} communities`,
    unit: "exponent",
    value: k,
    better: "lower",
    // The list walks an index whatever the size: near-flat. The rest: no worse than linear.
    target: key === "list" ? { of: "value", max: 0.3, text: "≤ 0.3" } : { of: "value", max: 1, text: "≤ 1 (linear or better)" },
    details: { points: have.map((p) => ({ communities: p.communities, ms: p[key] })) },
  });
}
