/**
 * Part — Discord over HTTP: `/upvote` interactions POSTed to the built bot's
 * POST /discord/interactions (src/platforms/discord/http.ts), Ed25519-signed with a key pair made
 * here (DISCORD_PUBLIC_KEY), PostgreSQL, no gateway, open loop at a few rates. The latency is until
 * the HTTP response carrying the first answer has arrived (Discord shows that answer; a type-5
 * "thinking" answer after 1.5 s would be counted apart). Every voter is a new Discord user, so each
 * answer also makes the person and their account, as a newcomer's first vote does. The floor: a bare
 * Node HTTP handler that verifies the signature with node:crypto and answers a fixed type-4 message
 * (bench/floors/bare-discord.cjs). Floor and bot alternate at each rate.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { configSchema } from "../../src/config/file";
import type { BenchContext } from "../lib/context";
import { freshPostgres, smallWorld } from "../lib/db";
import { httpRequest, openLoop, settle, type Slice } from "../lib/http";
import { benchDbName, databaseUrl, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, ROOT, startNode, type Running } from "../lib/proc";
import { summarize } from "../lib/stats";
import { communitySpec, writeConfigFile } from "../lib/world";

const DB = benchDbName("flywheel_bench_discord");
const COMMUNITIES = 50;
const HOT = 40;
const APP_ID = "300000000000000002";
const guildOf = (n: number) => String(100_000_000_000_000_000n + BigInt(2 * n + 1));
const channelOf = (n: number) => String(100_000_000_000_000_000n + BigInt(2 * n + 2));

export async function runDiscord(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  const rates = ctx.options.quick ? [50] : [25, 50, 100];
  const seconds = ctx.options.durationS;
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-discord-"));
  const running: Running[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  // Discord's REST API: an answer that was deferred is edited in through it; nothing else is called.
  let restCalls = 0;
  /**
   * Interaction tokens whose deferred answer arrived: edited in (PATCH …/messages/@original), or,
   * when the placeholder's privacy was the wrong guess, deleted and sent as a follow-up (POST /webhooks/<app>/<token>).
   */
  const edited = new Set<string>();
  /** A few REST calls that were not a deferred answer, to tell what the bot called instead. */
  const otherCalls: string[] = [];
  const rest = createServer((req, res) => {
    restCalls++;
    // discord.js percent-encodes the path: @original arrives as %40original.
    const url = decodeURIComponent((req.url ?? "").split("?")[0]);
    const m = /^(?:\/api)?(?:\/v\d+)?\/webhooks\/\d+\/([^/]+)(\/messages\/@original)?$/.exec(url);
    if (m && ((req.method === "PATCH" && m[2]) || (req.method === "POST" && !m[2]))) edited.add(m[1]);
    else if (otherCalls.length < 5) otherCalls.push(`${req.method} ${url}`);
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((r) => rest.listen(0, "127.0.0.1", r));
  try {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const der = publicKey.export({ format: "der", type: "spki" });
    const publicKeyHex = der.subarray(der.length - 32).toString("hex");

    const config = configSchema.parse({
      communities: Array.from({ length: COMMUNITIES }, (_, n) => ({ ...communitySpec(n), discord: { guild: guildOf(n), channel: channelOf(n) } })),
      staff: [{ slack: "U0STAFF", shell: "admin" }],
    });
    const configPath = writeConfigFile(work, config);
    const db = await freshPostgres(DB);
    await smallWorld(db, config, { members: 1, requests: HOT });
    await db.close({ keepDatabase: true });

    const bot = await startNode(
      BOT,
      botEnv(work, configPath, databaseUrl(DB), {
        DISCORD_TOKEN: `bench.${randomBytes(12).toString("hex")}`,
        DISCORD_APPLICATION_ID: APP_ID,
        DISCORD_PUBLIC_KEY: publicKeyHex,
        DISCORD_API_URL: `http://127.0.0.1:${(rest.address() as AddressInfo).port}`,
      }),
      work,
    );
    running.push(bot);
    const floor = await startNode([join(ROOT, "bench", "floors", "bare-discord.cjs")], { PATH: process.env.PATH ?? "", DISCORD_PUBLIC_KEY: publicKeyHex }, ROOT);
    running.push(floor);

    let next = 0;
    const tally = { counted: 0, deferred: 0, late: 0 };
    /** (Discord user, request) of every vote answered as counted, or deferred (its outcome is edited in later). */
    const answeredVotes: [string, number][] = [];
    const deferredTokens: string[] = [];
    const upvote = (port: number, bot: boolean) => async (_i: number, at: number): Promise<number> => {
      const k = next++;
      const community = k % COMMUNITIES;
      const request = (Math.floor(k / COMMUNITIES) % HOT) + 1;
      const payload = interaction(k, community, request);
      const body = JSON.stringify(payload);
      const res = await httpRequest(agent, port, "POST", "/discord/interactions", signed(privateKey, body), body);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      if (bot) {
        const answer = JSON.parse(res.body) as { type: number; data?: { embeds?: { description?: string }[]; content?: string } };
        if (answer.type === 5) {
          tally.deferred++;
          deferredTokens.push(payload.token);
        }
        else if (answer.type === 4 && (answer.data?.embeds?.[0]?.description ?? answer.data?.content ?? "").includes(`Your vote for #${request} is counted`)) tally.counted++;
        else throw new Error(`answer: ${res.body.slice(0, 200)}`);
        answeredVotes.push([payload.member.user.id, request]);
        // Discord drops an interaction not answered within 3 s.
        if (res.end - at > 3000) tally.late++;
      }
      return res.end - at;
    };

    // Warm up both (connections, Prisma's first queries, discord.js's first interaction, JIT).
    await openLoop(20, 1, upvote(floor.port, false));
    await openLoop(20, 1, upvote(bot.port, true));

    let errors = 0;
    for (const rate of rates) {
      ctx.report.measuring();
      const f: Slice = await openLoop(rate, seconds, upvote(floor.port, false));
      const b: Slice = await openLoop(rate, seconds, upvote(bot.port, true));
      errors += b.errors;
      const bs = summarize(b.latencies);
      const fs = summarize(f.latencies);
      ctx.log(`${rate}/s: bot p50 ${bs.p50.toFixed(1)} p99 ${bs.p99.toFixed(1)} ms (${b.errors} errors) · floor p50 ${fs.p50.toFixed(1)} p99 ${fs.p99.toFixed(1)} ms (${f.errors} errors)`);
      if (b.firstError) ctx.log(`first error: ${b.firstError}`);
      const details = { seconds, sent: b.sent, errors: b.errors, firstError: b.firstError, floorErrors: f.errors, bot: bs, floor: fs };
      for (const q of ["p50", "p99"] as const)
        ctx.report.add({ part: "discord", name: `/upvote answer in the HTTP response ${q} at ${rate}/s`, unit: "ms", value: bs[q], floor: fs[q], floorName: "bare Ed25519 verify + fixed answer", better: "lower", ...(q === "p50" ? { details } : {}) });
    }

    // Every vote answered (or deferred: its outcome follows) is stored once, by one person per Discord user.
    const c = new Client({ connectionString: databaseUrl(DB) });
    await c.connect();
    let missing = 0;
    let duplicates = 0;
    try {
      // A deferred vote is done when its answer is edited in: wait for those (a loaded bot is far behind), then look.
      const editsDone = await settle(() => deferredTokens.every((t) => edited.has(t)), 60_000);
      if (!editsDone) ctx.log(`${deferredTokens.filter((t) => !edited.has(t)).length} deferred answers were not edited in within 60 s (other REST calls: ${otherCalls.join(", ") || "none"})`);
      const giveUp = performance.now() + 5_000;
      for (;;) {
        const found = await c.query<{ n: string }>(
          `SELECT count(*) AS n FROM unnest($1::text[], $2::int[]) AS x(uid, request)
           JOIN "Account" a ON a.platform = 'discord' AND a."externalId" = x.uid JOIN "Vote" v ON v."personId" = a."personId" AND v."requestId" = x.request`,
          [answeredVotes.map((x) => x[0]), answeredVotes.map((x) => x[1])],
        );
        missing = answeredVotes.length - Number(found.rows[0].n);
        if (!missing || performance.now() > giveUp) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const dup = await c.query<{ n: string }>(`SELECT (SELECT count(*) - count(DISTINCT "externalId") FROM "Account" WHERE platform = 'discord') + (SELECT count(*) - count(DISTINCT ("personId", "requestId")) FROM "Vote") AS n`);
      duplicates = Number(dup.rows[0].n);
    } finally {
      await c.end();
    }
    ctx.log(`${answeredVotes.length} answered (${tally.counted} counted in the response, ${tally.deferred} deferred, ${tally.late} after 3 s), ${missing} not stored, ${duplicates} doubled; ${errors} errors; ${restCalls} REST calls`);
    ctx.report.add({ part: "discord", name: "/upvote interactions answered after Discord's 3 s or not at all, all rates", unit: "interactions", value: tally.late + errors, better: "lower", details: { late: tally.late, errors, deferred: tally.deferred } });
    ctx.report.add({
      part: "discord",
      name: "votes answered but not stored, or stored (or their person made) twice",
      unit: "votes",
      value: missing + duplicates,
      better: "lower",
      target: { of: "value", max: 0, text: "0" },
      loadBound: false,
      details: { answered: answeredVotes.length, counted: tally.counted, deferred: tally.deferred, deferredEdited: deferredTokens.filter((t) => edited.has(t)).length, missing, duplicates, restCalls },
    });
  } finally {
    agent.destroy();
    for (const r of running.reverse()) await r.stop();
    rest.closeAllConnections();
    await new Promise<void>((r) => rest.close(() => r()));
    await dropDatabase(DB);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The headers Discord signs an interaction with: Ed25519 over timestamp + raw body, taken when sent. */
function signed(key: KeyObject, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), key).toString("hex"),
    "x-signature-timestamp": timestamp,
  };
}

/** `/upvote <request>` as Discord posts it, from new user k in community n's channel. */
function interaction(k: number, n: number, request: number) {
  const id = String(400_000_000_000_000_000n + BigInt(k));
  const user = { id: String(300_000_000_000_000_000n + BigInt(k)), username: `member${k}`, discriminator: "0", global_name: `Member ${k}`, avatar: null };
  const guild = guildOf(n);
  return {
    id,
    application_id: APP_ID,
    token: `interaction-token-${id}`,
    version: 1,
    type: 2,
    guild_id: guild,
    guild: { id: guild, features: [], locale: "en-US" },
    channel: { id: channelOf(n), type: 0, guild_id: guild },
    channel_id: channelOf(n),
    member: { user, roles: [], joined_at: "2026-01-01T00:00:00.000Z", deaf: false, mute: false, flags: 0, permissions: "1024", nick: null },
    locale: "en-US",
    guild_locale: "en-US",
    app_permissions: "2048",
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 10_000_000,
    data: { id: "500000000000000001", name: "upvote", type: 1, guild_id: guild, options: [{ name: "number", type: 4, value: request }] },
  };
}
