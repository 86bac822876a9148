/**
 * Part 2 — vote throughput: distinct voters voting concurrently on a few hot requests, on
 * PostgreSQL and on the embedded PGlite, beside the floor: a raw
 * `INSERT ... ON CONFLICT DO NOTHING` through the driver (pg, or PGlite's own query), with the
 * same concurrency and pool. Floor and subject alternate in rounds so load spikes hit both.
 */
import { loadavg } from "node:os";
import { dispatch } from "../../src/command-kit/dispatch";
import type { Actor } from "../../src/core/context";
import type { Place } from "../../src/core/reply";
import { upvote } from "../../src/core/requests/requests";
import { freshPglite, freshPostgres, smallWorld, type BenchDb } from "../lib/db";
import { benchDbName } from "../lib/pg";
import type { BenchContext } from "../lib/context";
import { median, runConcurrent } from "../lib/stats";
import { benchConfig, benchServices, communitySpec } from "../lib/world";

const COMMUNITIES = 50;
const MEMBERS = 100; // 5,000 distinct voters
const HOT = 10; // hot requests per path
const CONCURRENCY = 32; // votes in flight: more than the pool (10), as a busy bot has
const ROUNDS = 3;

/** Pair i of a path: voter i / HOT on hot request (i % HOT), so every vote is a new one. */
const pair = (path: number, i: number) => ({ personId: Math.floor(i / HOT) + 1, requestId: path * HOT + (i % HOT) + 1 });
const communityOf = (personId: number) => Math.floor((personId - 1) / MEMBERS); // 0-based

export async function runVotes(ctx: BenchContext): Promise<void> {
  const perRound = ctx.options.votes;
  if (perRound * ROUNDS > HOT * COMMUNITIES * MEMBERS) throw new Error(`--votes ${perRound} is more than the world holds`);
  for (const open of [() => freshPostgres(benchDbName("flywheel_bench_votes")), () => freshPglite()]) {
    const db = await open();
    try {
      await measure(ctx, db, perRound);
    } finally {
      await db.close();
    }
  }
}

async function measure(ctx: BenchContext, db: BenchDb, perRound: number): Promise<void> {
  const config = benchConfig(COMMUNITIES);
  await smallWorld(db, config, { members: MEMBERS, requests: 4 * HOT });
  const services = benchServices(db.database, config);
  const rows = await db.database.prisma.community.findMany({ select: { id: true, slug: true } });
  const communityId = new Map(rows.map((c) => [c.slug, c.id]));
  const spec = (personId: number) => communitySpec(communityOf(personId));
  const placeOf = (personId: number): Place => ({ platform: "slack", workspace: spec(personId).slack.team, channel: spec(personId).slack.channel, user: `U${String(personId).padStart(8, "0")}` });
  const actorOf = (personId: number): Actor => ({
    personId,
    displayName: `Member ${personId}`,
    role: "member",
    communityId: communityId.get(spec(personId).slug)!,
    communitySlug: spec(personId).slug,
    platform: "slack",
    externalId: `U${String(personId).padStart(8, "0")}`,
  });

  // Each path has its own hot requests and a running pair counter, so every round inserts new votes.
  const next = [0, 0, 0, 0];
  const round = (path: number, vote: (p: { personId: number; requestId: number }) => Promise<void>) => async () => {
    const base = next[path];
    next[path] += perRound;
    const ms = await runConcurrent(perRound, CONCURRENCY, (i) => vote(pair(path, base + i)));
    return (perRound / ms) * 1000;
  };
  const floorInsert = (p: { personId: number; requestId: number }) =>
    db.raw(`INSERT INTO "Vote" ("requestId", "personId", "communityId") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      p.requestId, p.personId, actorOf(p.personId).communityId,
    ]).then(() => undefined);
  const floor = round(0, floorInsert);
  const core = round(1, async (p) => {
    const r = await upvote(services, actorOf(p.personId), p.requestId, placeOf(p.personId));
    if (r.kind !== "voted") throw new Error(`vote ${p.personId}→#${p.requestId} was not counted`);
  });
  const command = round(2, async (p) => {
    const s = spec(p.personId);
    const reply = await dispatch(services, {
      command: "upvote",
      text: String(p.requestId),
      speaker: { platform: "slack", externalId: `U${String(p.personId).padStart(8, "0")}`, displayName: `Member ${p.personId}`, workspace: s.slack.team, channel: s.slack.channel },
      place: placeOf(p.personId),
    });
    if (reply.error) throw new Error(`/upvote ${p.requestId} failed: ${reply.text}`);
  });

  const f: number[] = [];
  const c: number[] = [];
  const d: number[] = [];
  // The load average (1 min) at the start and end of every round, so each figure says what it ran under.
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    loads.push(loadavg()[0]);
    f.push(await floor());
    c.push(await core());
    d.push(await command());
    loads.push(loadavg()[0]);
    ctx.log(`${db.kind} round ${r + 1}: floor ${f[r].toFixed(0)}/s, upvote() ${c[r].toFixed(0)}/s, /upvote ${d[r].toFixed(0)}/s`);
  }
  // What the breadth trigger costs: the same raw insert with the table's triggers off (PostgreSQL only: ALTER TABLE).
  let noTrigger: number | undefined;
  if (db.kind === "postgresql") {
    await db.raw(`ALTER TABLE "Vote" DISABLE TRIGGER USER`);
    noTrigger = await round(3, floorInsert)();
    await db.raw(`ALTER TABLE "Vote" ENABLE TRIGGER USER`);
  }
  // Every vote landed once: the floor's, the core's and the command's.
  const counted = Number((await db.database.prisma.vote.count()));
  const expected = next[0] + next[1] + next[2] + (noTrigger === undefined ? 0 : perRound);
  if (counted !== expected) throw new Error(`${db.kind}: expected ${expected} votes, found ${counted}`);

  const label = db.kind === "postgresql" ? "PostgreSQL" : "PGlite";
  const floorName = db.kind === "postgresql" ? "raw INSERT via pg" : "raw INSERT via PGlite";
  const details = { rounds: ROUNDS, votesPerRound: perRound, concurrency: CONCURRENCY, hotRequests: HOT, voters: COMMUNITIES * MEMBERS, floorRounds: f, loadDuring: loads.map((l) => Math.round(l * 100) / 100) };
  ctx.report.add({
    part: "votes",
    name: `upvote() on ${label}`,
    unit: "votes/s",
    value: median(c),
    floor: median(f),
    floorName,
    better: "higher",
    target: db.kind === "postgresql" ? { of: "value", min: 2000, text: "≥ 2,000 votes/s" } : undefined,
    details: { ...details, subjectRounds: c, ...(noTrigger !== undefined ? { floorWithoutBreadthTrigger: noTrigger } : {}) },
  });
  ctx.report.add({
    part: "votes",
    name: `/upvote command on ${label}`,
    unit: "votes/s",
    value: median(d),
    floor: median(f),
    floorName,
    better: "higher",
    // Issue #22: the whole command at half the raw insert on PostgreSQL, a third of it on PGlite.
    target: db.kind === "postgresql" ? { of: "ratio", min: 0.5, text: "≥ 0.5× floor" } : { of: "ratio", min: 0.35, text: "≥ 0.35× floor" },
    details: { ...details, subjectRounds: d, note: "dispatch: resolve the Slack user to a person and community, check, vote, reply" },
  });
}
