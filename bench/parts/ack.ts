/**
 * Part 1 — slash-command ack latency: signed `/upvote` slash commands POSTed to the built bot's
 * real Bolt HTTP endpoint (POST /slack/events, PostgreSQL, Slack's Web API and response_url
 * served by a local stand-in) at fixed rates, open loop (each request leaves at its scheduled
 * time whatever the earlier ones are doing; latency counts from that time, so a stall is not
 * hidden). Two latencies per request: the ack (the HTTP answer Slack waits at most 3 s for) and
 * the answer the person reads (the vote's confirmation arriving on the response_url). The floor:
 * a bare Bolt app set up the same way, in its own process, acking at once and answering a fixed
 * text with respond() (bench/floors/bare-bolt.cjs). At each rate, floor and bot alternate in short
 * slices (SLICE_S), so a burst of load from elsewhere on the machine lands on both, and each
 * figure carries the load average sampled during its own slices.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "../lib/context";
import { botWorld } from "../lib/db";
import { benchDbName, databaseUrl, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, ROOT, startNode, type Running } from "../lib/proc";
import { SlackStandin } from "../lib/slack-standin";
import { summarize, type Summary } from "../lib/stats";
import { communitySpec } from "../lib/world";

const DB = benchDbName("flywheel_bench_ack");
const COMMUNITIES = 50;
const MEMBERS = 100;
const HOT = 40;
const SLACK_LIMIT_MS = 3_000;
const SIGNING_SECRET = randomBytes(16).toString("hex");
const BOT_TOKEN = `xoxb-bench-${randomBytes(6).toString("hex")}`;

interface LoadResult {
  sent: number;
  /** Ack latencies (ms from the scheduled send to the HTTP answer). */
  latencies: number[];
  /** Answer latencies (ms from the scheduled send to the response_url post arriving). */
  answers: number[];
  errors: number;
  overLimit: number;
  firstError?: string;
  /** os.loadavg()[0] when the slice started and when it ended. */
  loads: number[];
}

/** How long after the last ack the answers may still arrive before they count as lost. */
const ANSWER_GRACE_MS = 10_000;
/** Floor and bot take turns in slices this long at each rate (the last one shorter). */
const SLICE_S = 2;
/** The targets of issue #22: what the person reads after /upvote, against bare Bolt's respond(). */
const ANSWER_P50_MAX = 2;
const ANSWER_P99_MAX = 1.5;

export async function runAck(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  const rates = ctx.options.quick ? [50, 100] : [50, 100, 200];
  const seconds = ctx.options.durationS;
  const standin = new SlackStandin();
  await standin.listen();
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-ack-"));
  const running: Running[] = [];
  try {
    const { configPath } = await botWorld(work, DB, COMMUNITIES, { members: MEMBERS, requests: HOT });
    const url = new URL(databaseUrl(DB));

    const slackEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: standin.apiUrl };
    const bot = await startNode(BOT, botEnv(work, configPath, url.toString(), slackEnv), work);
    running.push(bot);
    const floor = await startNode([join(ROOT, "bench", "floors", "bare-bolt.cjs")], { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...slackEnv }, ROOT);
    running.push(floor);

    // Every request is a new vote: voter p / HOT on hot request p % HOT.
    let pair = 0;
    const upvote = () => {
      const p = pair++;
      const voter = Math.floor(p / HOT) + 1;
      if (voter > COMMUNITIES * MEMBERS) throw new Error("out of distinct voters: shorten --duration");
      const s = communitySpec(Math.floor((voter - 1) / MEMBERS));
      return slashCommand(standin, { user: `U${String(voter).padStart(8, "0")}`, team: s.slack.team, channel: s.slack.channel, text: String((p % HOT) + 1) });
    };
    const counted = (text: string) => text.includes("Your vote for #");
    const run = (port: number, rate: number, s: number, ok: (text: string) => boolean) => load(standin, port, rate, s, upvote, ok);
    // Warm up both (connections, Prisma's first queries, JIT) before measuring.
    await run(floor.port, 20, 1, () => true);
    await run(bot.port, 20, 1, counted);

    let over = { bot: 0, floor: 0 };
    for (const rate of rates) {
      const f = emptyResult();
      const b = emptyResult();
      for (let left = seconds; left > 0; left -= SLICE_S) {
        const s = Math.min(SLICE_S, left);
        merge(f, await run(floor.port, rate, s, () => true));
        merge(b, await run(bot.port, rate, s, counted));
      }
      over = { bot: over.bot + b.overLimit, floor: over.floor + f.overLimit };
      const fs = summarize(f.latencies);
      const bs = summarize(b.latencies);
      const fa = summarize(f.answers);
      const ba = summarize(b.answers);
      ctx.log(`${rate}/s ack: bot p50 ${bs.p50.toFixed(1)} p90 ${bs.p90.toFixed(1)} p99 ${bs.p99.toFixed(1)} ms (${b.errors} errors) · floor p50 ${fs.p50.toFixed(1)} p90 ${fs.p90.toFixed(1)} p99 ${fs.p99.toFixed(1)} ms`);
      ctx.log(`${rate}/s answer: bot p50 ${ba.p50.toFixed(1)} p90 ${ba.p90.toFixed(1)} p99 ${ba.p99.toFixed(1)} ms · floor p50 ${fa.p50.toFixed(1)} p90 ${fa.p90.toFixed(1)} p99 ${fa.p99.toFixed(1)} ms · load ${loadText(b.loads)}`);
      if (b.firstError) ctx.log(`first error: ${b.firstError}`);
      // The load average (1 min) sampled at the start and end of each of this rate's slices, floor's and bot's.
      const loadDuring = loadSummary([...f.loads, ...b.loads]);
      const details = { seconds, sliceSeconds: SLICE_S, sent: b.sent, errors: b.errors, bot: round(bs), floor: round(fs), botAnswer: round(ba), floorAnswer: round(fa), floorErrors: f.errors, loadDuring };
      ctx.report.add({ part: "ack", name: `/upvote ack p50 at ${rate}/s`, unit: "ms", value: bs.p50, floor: fs.p50, floorName: "bare Bolt ack", better: "lower", details });
      ctx.report.add({ part: "ack", name: `/upvote ack p90 at ${rate}/s`, unit: "ms", value: bs.p90, floor: fs.p90, floorName: "bare Bolt ack", better: "lower", details: { loadDuring } });
      ctx.report.add({
        part: "ack",
        name: `/upvote ack p99 at ${rate}/s`,
        unit: "ms",
        value: bs.p99,
        floor: fs.p99,
        floorName: "bare Bolt ack",
        better: "lower",
        target: rate === 100 ? { of: "ratio", max: 1.5, text: "≤ 1.5× floor" } : undefined,
        details: { loadDuring },
      });
      ctx.report.add({
        part: "ack",
        name: `/upvote answer on response_url p50 at ${rate}/s`,
        unit: "ms",
        value: ba.p50,
        floor: fa.p50,
        floorName: "bare Bolt respond()",
        better: "lower",
        target: { of: "ratio", max: ANSWER_P50_MAX, text: `≤ ${ANSWER_P50_MAX}× floor` },
        details: { loadDuring, min: round(ba).min, floorMin: round(fa).min },
      });
      ctx.report.add({
        part: "ack",
        name: `/upvote answer on response_url p99 at ${rate}/s`,
        unit: "ms",
        value: ba.p99,
        floor: fa.p99,
        floorName: "bare Bolt respond()",
        better: "lower",
        target: { of: "ratio", max: ANSWER_P99_MAX, text: `≤ ${ANSWER_P99_MAX}× floor` },
        details: { loadDuring },
      });
      if (b.errors) ctx.report.notes.push(`ack at ${rate}/s: ${b.errors} of ${b.sent} /upvote requests were not acked and answered with a counted vote (first: ${b.firstError})`);
    }
    ctx.report.add({
      part: "ack",
      name: `requests answered after Slack's 3 s, all rates`,
      unit: "requests",
      value: over.bot,
      floor: over.floor,
      floorName: "bare Bolt ack",
      better: "lower",
      target: { of: "value", max: 0, text: "0" },
    });
  } finally {
    for (const r of running.reverse()) await r.stop();
    await standin.close();
    await dropDatabase(DB);
    rmSync(work, { recursive: true, force: true });
  }
}

const emptyResult = (): LoadResult => ({ sent: 0, latencies: [], answers: [], errors: 0, overLimit: 0, loads: [] });

/** Adds one slice's result to a rate's running total. */
function merge(into: LoadResult, slice: LoadResult): void {
  into.sent += slice.sent;
  into.latencies.push(...slice.latencies);
  into.answers.push(...slice.answers);
  into.errors += slice.errors;
  into.overLimit += slice.overLimit;
  into.loads.push(...slice.loads);
  into.firstError ??= slice.firstError;
}

const loadSummary = (loads: number[]) => {
  const r = (x: number) => Math.round(x * 100) / 100;
  return { min: r(Math.min(...loads)), mean: r(loads.reduce((a, x) => a + x, 0) / loads.length), max: r(Math.max(...loads)) };
};
const loadText = (loads: number[]) => {
  const l = loadSummary(loads);
  return `${l.min}–${l.max}`;
};

const round = (s: Summary) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v * 100) / 100]));

/** A slash command as Slack sends it: form-encoded, signed with the app's signing secret when sent. */
export function slashCommand(standin: SlackStandin, c: { user: string; team: string; channel: string; text: string }): Command {
  const trigger = `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`;
  const body = new URLSearchParams({
    token: "legacy-verification-token",
    team_id: c.team,
    team_domain: c.team.toLowerCase(),
    channel_id: c.channel,
    channel_name: "general",
    user_id: c.user,
    user_name: c.user.toLowerCase(),
    command: "/upvote",
    text: c.text,
    api_app_id: "A0BENCH",
    is_enterprise_install: "false",
    response_url: standin.responseUrl(trigger),
    trigger_id: trigger,
  }).toString();
  return { id: trigger, body, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) } };
}

/** One slash command to send; its answer comes back on the stand-in's response_url `id`. */
export interface Command {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Sends rate × seconds requests at fixed intervals (open loop), collects their ack latencies, then
 * waits for every answer on the response_url and collects those latencies too.
 */
async function load(standin: SlackStandin, port: number, rate: number, seconds: number, make: () => Command, ok: (text: string) => boolean): Promise<LoadResult> {
  const n = Math.max(1, Math.round(rate * seconds));
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const result: LoadResult = { sent: n, latencies: [], answers: [], errors: 0, overLimit: 0, loads: [loadavg()[0]] };
  const fail = (why: string) => {
    result.errors++;
    result.firstError ??= why;
  };
  const start = performance.now() + 20;
  const inFlight: Promise<void>[] = [];
  const acked: { id: string; at: number }[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // Timers fire up to ~1 ms early: wait out the rest, so no latency starts before its request leaves.
    while (performance.now() < at) {
      // spin
    }
    const { id, body, headers } = make();
    // Signed when sent, as Slack does (Bolt refuses timestamps over five minutes old).
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
    inFlight.push(
      post(agent, port, body, { ...headers, "x-slack-request-timestamp": ts, "x-slack-signature": signature }).then(
        (res) => {
          const ms = res.end - at;
          result.latencies.push(ms);
          if (ms > SLACK_LIMIT_MS) result.overLimit++;
          if (res.status !== 200 || res.body !== "") fail(`ack HTTP ${res.status}: ${res.body.slice(0, 200)}`);
          else acked.push({ id, at });
        },
        (e: unknown) => {
          result.overLimit++;
          fail(e instanceof Error ? e.message : String(e));
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const giveUp = performance.now() + ANSWER_GRACE_MS;
  while (acked.some((a) => !standin.answers.has(a.id)) && performance.now() < giveUp) await new Promise((r) => setTimeout(r, 20));
  for (const a of acked) {
    const answer = standin.answers.get(a.id);
    if (!answer) fail(`no answer on the response_url within ${ANSWER_GRACE_MS / 1000} s of the last ack`);
    else {
      result.answers.push(answer.at - a.at);
      if (!ok(answer.text)) fail(`answer: ${answer.text.slice(0, 200)}`);
    }
    standin.answers.delete(a.id);
  }
  result.loads.push(loadavg()[0]);
  return result;
}

function post(agent: Agent, port: number, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; end: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/slack/events", method: "POST", agent, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), end: performance.now() }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(body);
  });
}
