/**
 * Part — a vote cast from the public roadmap page by a signed-in person, beside the same vote cast
 * in Slack. Web: the real form POST /roadmap/<n>/upvote (session cookie, the session's CSRF token,
 * the page's own Origin; src/web/actions.ts), then the GET of the page it redirects to, which shows
 * the outcome: the latency is until that page has arrived. Slack: a signed `/upvote` slash command
 * to POST /slack/events, the latency until its answer arrives on the response_url (the stand-in).
 * Both on one built bot (PostgreSQL), open loop at the same rate, slices alternating. The Slack vote
 * is the floor: the figure says what the web's round trip and page cost over chat's answer.
 * Sessions are rows made the way src/web/signin/sessions.ts makes them (a sign-in would only add
 * the provider's round trips before the first vote).
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchContext } from "../lib/context";
import { freshPostgres, smallWorld } from "../lib/db";
import { httpRequest, openLoop, settle, slackSignature, type Slice } from "../lib/http";
import { benchDbName, databaseUrl, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, startNode, type Running } from "../lib/proc";
import { SlackStandin } from "../lib/slack-standin";
import { summarize } from "../lib/stats";
import { benchConfig, communitySpec, writeConfigFile } from "../lib/world";
import { slashCommand } from "./ack";

const DB = benchDbName("flywheel_bench_web");
const COMMUNITIES = 50;
const MEMBERS = 100;
const HOT = 40;
const RATE = 20;
const ROUNDS = 2;
const SIGNING_SECRET = randomBytes(16).toString("hex");
const SESSION_SECRET = randomBytes(32).toString("hex");
const ANSWER_GRACE_MS = 10_000;

export async function runWeb(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  const seconds = ctx.options.durationS;
  const standin = new SlackStandin();
  await standin.listen();
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-web-"));
  const running: Running[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  try {
    const config = benchConfig(COMMUNITIES);
    const configPath = writeConfigFile(work, config);
    const db = await freshPostgres(DB);
    await smallWorld(db, config, { members: MEMBERS, requests: HOT });
    // Odd people vote on the web (each has a session), even ones in Slack: every vote is a new one.
    const people = COMMUNITIES * MEMBERS;
    const cookies = new Map<number, { cookie: string; csrf: string }>();
    const rows: unknown[] = [];
    for (let p = 1; p <= people; p += 2) {
      const token = randomBytes(32).toString("base64url");
      const csrf = randomBytes(32).toString("base64url");
      const team = communitySpec(Math.floor((p - 1) / MEMBERS)).slack.team;
      rows.push(createHash("sha256").update(token).digest("hex"), p, `U${String(p).padStart(8, "0")}`, team, csrf);
      cookies.set(p, { cookie: `fw_session=${token}.${createHmac("sha256", SESSION_SECRET).update(token).digest("base64url")}`, csrf });
    }
    for (let i = 0; i < rows.length; i += 5 * 500) {
      const chunk = rows.slice(i, i + 5 * 500);
      const values = Array.from({ length: chunk.length / 5 }, (_, k) => `($${5 * k + 1}, $${5 * k + 2}, 'slack', $${5 * k + 3}, $${5 * k + 4}, $${5 * k + 5}, now(), now())`).join(", ");
      await db.raw(`INSERT INTO "WebSession" (id, "personId", platform, "externalId", workspace, csrf, "createdAt", "lastSeenAt") VALUES ${values}`, chunk);
    }
    await db.close({ keepDatabase: true });

    const bot = await startNode(
      BOT,
      botEnv(work, configPath, databaseUrl(DB), {
        SLACK_BOT_TOKEN: `xoxb-bench-${randomBytes(6).toString("hex")}`,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: standin.apiUrl,
        SESSION_SECRET,
        // Sign-in on, so pages read the session; the provider is never called here.
        SLACK_CLIENT_ID: "bench",
        SLACK_CLIENT_SECRET: "bench",
        // Behind one proxy of ours, as a public deployment is: each voter comes from their own
        // address, so the per-address limit (60 actions a minute) counts people, not the load generator.
        WEB_PROXY_HOPS: "1",
      }),
      work,
    );
    running.push(bot);
    const origin = `http://127.0.0.1:${bot.port}`;

    let webNext = 0;
    let slackNext = 0;
    /** Votes the voter was told were counted (person, request), on either side, warm-up included. */
    const counted: [number, number][] = [];
    const pick = (k: number, side: 1 | 2) => {
      const person = 2 * (k % (people / 2)) + side;
      const request = Math.floor(k / (people / 2)) + 1;
      if (request > HOT) throw new Error("out of fresh votes: shorten --duration");
      return { person, request };
    };

    const webVote = async (_i: number, at: number): Promise<number> => {
      const { person, request } = pick(webNext++, 1);
      const s = cookies.get(person)!;
      const form = new URLSearchParams({ csrf: s.csrf }).toString();
      const forwarded = `10.${(person >> 16) & 255}.${(person >> 8) & 255}.${person & 255}`;
      const posted = await httpRequest(agent, bot.port, "POST", `/roadmap/${request}/upvote`, {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(Buffer.byteLength(form)),
        cookie: s.cookie,
        origin,
        "x-forwarded-for": forwarded,
      }, form);
      if (posted.status < 300 || posted.status >= 400 || posted.headers.location !== `/roadmap/${request}`) throw new Error(`POST answered ${posted.status} ${String(posted.headers.location ?? "")}: ${posted.body.slice(0, 200)}`);
      const page = await httpRequest(agent, bot.port, "GET", `/roadmap/${request}`, { cookie: s.cookie, "x-forwarded-for": forwarded });
      if (page.status !== 200) throw new Error(`GET /roadmap/${request} answered ${page.status}`);
      const shown = page.body.replace(/&#39;/g, "'");
      if (!shown.includes(`Your vote for #${request} is counted`)) throw new Error(`the page after the vote does not show it: ${/class="flash[^"]*"[^>]*>([^<]*)/.exec(shown)?.[1] ?? "no flash"}`);
      counted.push([person, request]);
      return page.end - at;
    };

    const slackSlice = async (rate: number, s: number): Promise<Slice> => {
      const sent: { id: string; at: number; person: number; request: number }[] = [];
      const acks = await openLoop(rate, s, async (_i, at) => {
        const { person, request } = pick(slackNext++, 2);
        const c = communitySpec(Math.floor((person - 1) / MEMBERS));
        const cmd = slashCommand(standin, { user: `U${String(person).padStart(8, "0")}`, team: c.slack.team, channel: c.slack.channel, text: String(request) });
        const res = await httpRequest(agent, bot.port, "POST", "/slack/events", { ...cmd.headers, ...slackSignature(SIGNING_SECRET, cmd.body) }, cmd.body);
        if (res.status !== 200) throw new Error(`ack HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        sent.push({ id: cmd.id, at, person, request });
        return res.end - at;
      });
      // A slow answer says "Working on it…" first and is replaced by the outcome: wait for that.
      const final = (id: string) => standin.answers.get(id)?.text.includes("Your vote for #") ?? false;
      await settle(() => sent.every((x) => final(x.id)), ANSWER_GRACE_MS);
      const out: Slice = { sent: acks.sent, latencies: [], errors: acks.errors, firstError: acks.firstError };
      for (const x of sent) {
        const a = standin.answers.get(x.id);
        standin.answers.delete(x.id);
        if (!a) {
          out.errors++;
          out.firstError ??= `no answer on the response_url within ${ANSWER_GRACE_MS / 1000} s`;
        } else if (!a.text.includes("Your vote for #")) {
          out.errors++;
          out.firstError ??= `answer: ${a.text.slice(0, 200)}`;
        } else {
          counted.push([x.person, x.request]);
          out.latencies.push(a.at - x.at);
        }
      }
      return out;
    };

    // Warm up both paths (connections, Prisma's first queries, JIT) before measuring.
    await slackSlice(10, 1);
    await openLoop(10, 1, webVote);

    const web: Slice = { sent: 0, latencies: [], errors: 0 };
    const slack: Slice = { sent: 0, latencies: [], errors: 0 };
    const add = (into: Slice, s: Slice) => {
      into.sent += s.sent;
      into.latencies.push(...s.latencies);
      into.errors += s.errors;
      into.firstError ??= s.firstError;
    };
    ctx.report.measuring();
    for (let r = 0; r < ROUNDS; r++) {
      add(slack, await slackSlice(RATE, seconds));
      add(web, await openLoop(RATE, seconds, webVote));
    }

    // Every vote answered "counted" is stored, once.
    const check = await storedVotes(DB, counted);
    const answered = counted.length;
    const w = summarize(web.latencies);
    const sl = summarize(slack.latencies);
    ctx.log(`web vote (POST + page) p50 ${w.p50.toFixed(1)} p99 ${w.p99.toFixed(1)} ms (${web.errors} errors) · Slack /upvote answer p50 ${sl.p50.toFixed(1)} p99 ${sl.p99.toFixed(1)} ms (${slack.errors} errors); ${answered} answered counted, ${check.missing} of them not stored, ${check.duplicates} stored twice`);
    if (web.firstError) ctx.log(`first web error: ${web.firstError}`);
    if (slack.firstError) ctx.log(`first Slack error: ${slack.firstError}`);
    const details = { rate: RATE, seconds, rounds: ROUNDS, web: { ...w, sent: web.sent, errors: web.errors, firstError: web.firstError }, slack: { ...sl, sent: slack.sent, errors: slack.errors, firstError: slack.firstError }, votesAnswered: answered, ...check };
    for (const q of ["p50", "p99"] as const)
      ctx.report.add({
        part: "web",
        name: `vote seen by the voter ${q}, web form (POST + page) vs Slack /upvote, ${RATE}/s`,
        unit: "ms",
        value: w[q],
        floor: sl[q],
        floorName: "the same vote in Slack, answer on response_url",
        better: "lower",
        ...(q === "p50" ? { details } : {}),
      });
    // Late or failed answers are the load's as much as the code's; a vote told "counted" and not stored, or stored twice, is not.
    ctx.report.add({ part: "web", name: "web and Slack votes not answered within 10 s, or answered wrongly", unit: "votes", value: web.errors + slack.errors, better: "lower", details: { webErrors: web.errors, slackErrors: slack.errors, sent: web.sent + slack.sent } });
    ctx.report.add({ part: "web", name: "votes answered as counted but not stored, or stored twice", unit: "votes", value: check.missing + check.duplicates, better: "lower", target: { of: "value", max: 0, text: "0" }, loadBound: false, details: { answered, ...check } });
    if (web.errors || slack.errors) ctx.report.notes.push(`web: ${web.errors} of ${web.sent} web votes and ${slack.errors} of ${slack.sent} Slack votes failed (first: ${web.firstError ?? slack.firstError})`);
  } finally {
    agent.destroy();
    for (const r of running.reverse()) await r.stop();
    await standin.close();
    await dropDatabase(DB);
    rmSync(work, { recursive: true, force: true });
  }
}

/** Of the votes answered "counted", how many are not in the database; and how many votes are stored twice. */
async function storedVotes(name: string, counted: [number, number][]): Promise<{ missing: number; duplicates: number; webVotes: number }> {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: databaseUrl(name) });
  await c.connect();
  try {
    const found = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM unnest($1::int[], $2::int[]) AS x(person, request) JOIN "Vote" v ON v."personId" = x.person AND v."requestId" = x.request`,
      [counted.map((x) => x[0]), counted.map((x) => x[1])],
    );
    const dup = await c.query<{ n: string; web: string }>(
      `SELECT count(*) - count(DISTINCT ("personId", "requestId")) AS n, count(*) FILTER (WHERE place->>'via' = 'web') AS web FROM "Vote"`,
    );
    return { missing: counted.length - Number(found.rows[0].n), duplicates: Number(dup.rows[0].n), webVotes: Number(dup.rows[0].web) };
  } finally {
    await c.end();
  }
}
