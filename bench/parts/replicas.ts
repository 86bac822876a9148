/**
 * Part 6 — replicas. Two questions from "Running at scale":
 * 1. How does `/upvote` throughput, answered end to end (signed slash command acked, the vote's
 *    confirmation arrived on the response_url), grow with 1, 2 and 3 bot replicas on one
 *    PostgreSQL? Closed loop: CONCURRENCY clients, each sending its next command when the last
 *    was answered, spread round robin over the replicas (the client is the load balancer).
 * 2. What does the roadmap page cost with and without a read replica? The bench starts its own
 *    primary cluster and a streaming replica of it (initdb, pg_basebackup) on loopback ports, and
 *    times GET /roadmap on a bot with and without DATABASE_READ_URL. It skips with a line saying
 *    why when the clusters cannot be started (no PostgreSQL binaries, no postgres user...).
 * Everything shares the machine's cores: the figures say what bounds Flywheel here, not what N
 * machines would do.
 */
import { spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { openDatabase } from "../../src/db/client";
import type { BenchContext } from "../lib/context";
import { botWorld, smallWorld, type BenchDb } from "../lib/db";
import { benchDbName, databaseUrl, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, startNode, type Running } from "../lib/proc";
import { SlackStandin } from "../lib/slack-standin";
import { summarize } from "../lib/stats";
import { benchConfig, communitySpec, writeConfigFile } from "../lib/world";
import { type Command, slashCommand } from "./ack";

const DB = benchDbName("flywheel_bench_replicas");
const COMMUNITIES = 50;
const MEMBERS = 100;
const HOT = 40;
const CONCURRENCY = 24;
const PAGE_CONCURRENCY = 8;
const PGBIN = process.env.BENCH_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const SIGNING_SECRET = randomBytes(16).toString("hex");
const BOT_TOKEN = `xoxb-bench-${randomBytes(6).toString("hex")}`;

export async function runReplicas(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  await upvoteScaling(ctx);
  await roadmapWithReplica(ctx);
}

function env(work: string, configPath: string, databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return botEnv(work, configPath, databaseUrl, extra);
}

async function upvoteScaling(ctx: BenchContext): Promise<void> {
  const seconds = ctx.options.durationS;
  const standin = new SlackStandin();
  await standin.listen();
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-replicas-"));
  const bots: Running[] = [];
  try {
    const { configPath } = await botWorld(work, DB, COMMUNITIES, { members: MEMBERS, requests: HOT });
    const url = new URL(databaseUrl(DB)).toString();
    const slackEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl };

    let pair = 0;
    const upvote = (): Command => {
      const p = pair++;
      const voter = Math.floor(p / HOT) + 1;
      if (voter > COMMUNITIES * MEMBERS) throw new Error("out of distinct voters: shorten --duration");
      const s = communitySpec(Math.floor((voter - 1) / MEMBERS));
      return slashCommand(standin, { user: `U${String(voter).padStart(8, "0")}`, team: s.slack.team, channel: s.slack.channel, text: String((p % HOT) + 1) });
    };
    let one = 0;
    for (const n of [1, 2, 3]) {
      while (bots.length < n) bots.push(await startNode(BOT, env(work, configPath, url, slackEnv), work));
      await closedLoop(standin, bots.map((b) => b.port), 1, upvote); // warm the new replica up
      const r = await closedLoop(standin, bots.map((b) => b.port), seconds, upvote);
      if (n === 1) one = r.perSecond;
      const lat = summarize(r.latencies);
      ctx.log(`${n} replica${n > 1 ? "s" : ""}: ${r.perSecond.toFixed(0)} /upvote answered per s (p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, ${r.errors} errors)`);
      ctx.report.add({
        part: "replicas",
        name: `/upvote answered end to end, ${n} replica${n > 1 ? "s" : ""} (${CONCURRENCY} clients)`,
        unit: "per s",
        value: r.perSecond,
        floor: n > 1 ? one * n : undefined,
        floorName: n > 1 ? `${n}× one replica (linear)` : undefined,
        better: "higher",
        details: { seconds, answered: r.done, errors: r.errors, firstError: r.firstError, p50: lat.p50, p99: lat.p99 },
      });
      if (r.errors) ctx.report.notes.push(`replicas: ${r.errors} /upvote commands with ${n} replicas were not answered with a counted vote (first: ${r.firstError})`);
    }
  } finally {
    for (const b of bots.reverse()) await b.stop();
    await standin.close();
    await dropDatabase(DB);
    rmSync(work, { recursive: true, force: true });
  }
}

interface LoopResult {
  perSecond: number;
  done: number;
  errors: number;
  latencies: number[];
  firstError?: string;
}

/** CONCURRENCY clients, each sending its next /upvote once the last one's answer arrived. */
async function closedLoop(standin: SlackStandin, ports: number[], seconds: number, make: () => Command): Promise<LoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const r: LoopResult = { perSecond: 0, done: 0, errors: 0, latencies: [] };
  const start = performance.now();
  const end = start + seconds * 1000;
  let turn = 0;
  const client = async () => {
    while (performance.now() < end) {
      const c = make();
      const port = ports[turn++ % ports.length];
      const t0 = performance.now();
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${c.body}`).digest("hex")}`;
      try {
        const status = await post(agent, port, "/slack/events", c.body, { ...c.headers, "x-slack-request-timestamp": ts, "x-slack-signature": signature });
        if (status !== 200) throw new Error(`ack HTTP ${status}`);
        const answer = await answerOf(standin, c.id, 10_000);
        if (!answer.includes("Your vote for #")) throw new Error(`answer: ${answer.slice(0, 120)}`);
        r.done++;
        r.latencies.push(performance.now() - t0);
      } catch (e) {
        r.errors++;
        r.firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  agent.destroy();
  r.perSecond = r.done / ((performance.now() - start) / 1000);
  return r;
}

async function answerOf(standin: SlackStandin, id: string, ms: number): Promise<string> {
  const giveUp = performance.now() + ms;
  for (;;) {
    const a = standin.answers.get(id);
    if (a) {
      standin.answers.delete(id);
      return a.text;
    }
    if (performance.now() > giveUp) throw new Error(`no answer on the response_url within ${ms / 1000} s`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

function post(agent: Agent, port: number, path: string, body: string | undefined, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: body === undefined ? "GET" : "POST", agent, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(body);
  });
}

// ---- the roadmap page with and without a streaming read replica ----

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: its tools run as the postgres user then. */
function pg(tool: string, args: string[]): void {
  const bin = join(PGBIN, tool);
  const root = process.getuid?.() === 0;
  const r = root ? spawnSync("runuser", ["-u", "postgres", "--", bin, ...args], { encoding: "utf8" }) : spawnSync(bin, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${tool} failed: ${(r.error?.message ?? `${r.stdout}${r.stderr}`).trim().slice(0, 300)}`);
}

interface Clusters {
  primaryUrl: string;
  replicaUrl: string;
  stop(): void;
}

/** A primary cluster and a streaming replica of it, both on loopback, in a temporary folder. */
async function startClusters(): Promise<Clusters> {
  if (!existsSync(join(PGBIN, "initdb"))) throw new Error(`no PostgreSQL binaries in ${PGBIN} (BENCH_PG_BIN)`);
  const base = mkdtempSync(join(tmpdir(), "flywheel-bench-pgrep-"));
  const started: string[] = [];
  const stop = () => {
    for (const dir of started.reverse()) {
      try {
        pg("pg_ctl", ["-D", dir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already gone
      }
    }
    rmSync(base, { recursive: true, force: true });
  };
  try {
    if (process.getuid?.() === 0) {
      const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
      chownSync(base, id("-u"), id("-g"));
    }
    const primary = join(base, "primary");
    const replica = join(base, "replica");
    const [p1, p2] = [await freePort(), await freePort()];
    pg("initdb", ["-D", primary, "-A", "trust", "-U", "postgres", "--no-sync"]);
    // fsync off: a throwaway cluster; the comparison is the read path, not durability.
    appendFileSync(join(primary, "postgresql.conf"), `\nport = ${p1}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${base}'\nfsync = off\nwal_level = replica\nmax_wal_senders = 4\n`);
    pg("pg_ctl", ["-D", primary, "-l", join(base, "primary.log"), "-w", "start"]);
    started.push(primary);
    pg("pg_basebackup", ["-h", "127.0.0.1", "-p", String(p1), "-U", "postgres", "-D", replica, "-R", "-X", "stream"]);
    appendFileSync(join(replica, "postgresql.conf"), `\nport = ${p2}\n`);
    pg("pg_ctl", ["-D", replica, "-l", join(base, "replica.log"), "-w", "start"]);
    started.push(replica);
    return { primaryUrl: `postgresql://postgres@127.0.0.1:${p1}/flywheel`, replicaUrl: `postgresql://postgres@127.0.0.1:${p2}/flywheel`, stop };
  } catch (e) {
    stop();
    throw e;
  }
}

async function roadmapWithReplica(ctx: BenchContext): Promise<void> {
  let clusters: Clusters;
  try {
    clusters = await startClusters();
  } catch (e) {
    ctx.report.skip("replicas", `roadmap page with a read replica: could not start a streaming replica (${e instanceof Error ? e.message : String(e)})`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-roadmap-"));
  try {
    const admin = new Client({ connectionString: clusters.primaryUrl.replace(/\/flywheel$/, "/postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE flywheel");
    await admin.end();
    const config = benchConfig(COMMUNITIES);
    const configPath = writeConfigFile(work, config);
    const database = await openDatabase({ url: clusters.primaryUrl }, { migrate: true });
    const pool = new Client({ connectionString: clusters.primaryUrl });
    await pool.connect();
    const db: BenchDb = { kind: "postgresql", database, raw: (sql, params) => pool.query(sql, params), close: async () => {} };
    await smallWorld(db, config, { members: MEMBERS, requests: HOT * 5 });
    // Votes so the page ranks something: every member votes for a few requests.
    await db.raw(`INSERT INTO "Vote" ("requestId", "personId", "communityId") SELECT (p % ${HOT * 5}) + 1, p, (SELECT "communityId" FROM "Person" WHERE id = p) FROM generate_series(1, ${COMMUNITIES * MEMBERS}) p`);
    const votes = Number(((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Vote"`)).rows[0]).n);
    await pool.end();
    await database.close();
    // The replica has caught up when it has every vote.
    const replica = new Client({ connectionString: clusters.replicaUrl });
    await replica.connect();
    const deadline = Date.now() + 30_000;
    while (Number((await replica.query<{ n: string }>(`SELECT count(*) AS n FROM "Vote"`).catch(() => ({ rows: [{ n: "0" }] }))).rows[0].n) < votes) {
      if (Date.now() > deadline) throw new Error("the replica did not catch up within 30 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    await replica.end();

    const seconds = ctx.options.durationS;
    const results: Record<string, ReturnType<typeof summarize> & { perSecond: number }> = {};
    for (const [label, extra] of [
      ["primary only", {}],
      ["with a read replica", { DATABASE_READ_URL: clusters.replicaUrl }],
    ] as const) {
      const bot = await startNode(BOT, env(work, configPath, clusters.primaryUrl, extra), work);
      try {
        await pages(bot.port, 1);
        const r = await pages(bot.port, seconds);
        const s = summarize(r.latencies);
        results[label] = { ...s, perSecond: r.perSecond };
        ctx.log(`/roadmap, ${label}: ${r.perSecond.toFixed(0)} pages/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
      } finally {
        await bot.stop();
      }
    }
    const [a, b] = [results["primary only"], results["with a read replica"]];
    ctx.report.add({ part: "replicas", name: `/roadmap pages per s with a read replica (${PAGE_CONCURRENCY} clients)`, unit: "per s", value: b.perSecond, floor: a.perSecond, floorName: "primary only", better: "higher", details: { votes } });
    ctx.report.add({ part: "replicas", name: "/roadmap p50 with a read replica", unit: "ms", value: b.p50, floor: a.p50, floorName: "primary only", better: "lower" });
  } finally {
    clusters.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** PAGE_CONCURRENCY clients reading GET /roadmap back to back. */
async function pages(port: number, seconds: number): Promise<{ perSecond: number; latencies: number[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: PAGE_CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await post(agent, port, "/roadmap", undefined, {});
        if (status === 200) latencies.push(performance.now() - t0);
      }
    }),
  );
  agent.destroy();
  return { perSecond: latencies.length / ((performance.now() - start) / 1000), latencies };
}
