/**
 * Part 6 — the roadmap page: GET /roadmap (the overview of 10,000 requests) and GET /roadmap/<n>
 * from the built bot on PostgreSQL, anonymous and signed in (a session row and its signed cookie,
 * so every request reads the session as a browser's would), at a fixed rate, open loop (latency
 * counts from each request's scheduled time). The floor: a plain node:http server in its own
 * process answering the very same bytes from memory, at the same rate.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { BenchContext } from "../lib/context";
import { freshPostgres, smallWorld } from "../lib/db";
import { benchDbName, databaseUrl, dropDatabase } from "../lib/pg";
import { BOT, botEnv, ensureBuilt, startNode, type Running } from "../lib/proc";
import { summarize } from "../lib/stats";
import { benchConfig } from "../lib/world";

const DB = benchDbName("flywheel_bench_roadmap");
const COMMUNITIES = 50;
const MEMBERS = 20;
const REQUESTS = 10_000;
const SESSION_SECRET = randomBytes(24).toString("base64url");

interface Page {
  status: number;
  body: Buffer;
  headers: Record<string, string>;
}

function get(agent: Agent, port: number, path: string, cookie?: string): Promise<Page & { end: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent, headers: cookie ? { cookie } : {}, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: { "content-type": String(res.headers["content-type"] ?? "") }, end: performance.now() }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end();
  });
}

/** rate × seconds GETs, each sent at its scheduled time; latencies from that time. */
async function load(port: number, path: string, cookie: string | undefined, rate: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const n = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 20;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      get(agent, port, path, cookie).then(
        (res) => {
          latencies.push(res.end - at);
          if (res.status !== 200) errors++;
        },
        () => {
          errors++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latencies, errors, sent: n };
}

/** The floor: a bare node:http server that answers the recorded bytes of each path, nothing else. */
const FLOOR = `
const http = require("node:http");
const pages = new Map(JSON.parse(process.argv[1]).map(([k, type, b64]) => [k, [type, Buffer.from(b64, "base64")]]));
http.createServer((req, res) => {
  const key = (req.headers.cookie ? "in " : "out ") + req.url;
  const p = pages.get(key);
  if (req.url === "/healthz") { res.writeHead(200); return res.end("ok"); }
  if (!p) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { "content-type": p[0], "content-length": p[1].length });
  res.end(p[1]);
}).listen(0, "127.0.0.1", function () { process.stdout.write("http://127.0.0.1:" + this.address().port + "\\n"); });
`;

export async function runRoadmap(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);
  const rate = 200;
  const seconds = ctx.options.durationS;
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-roadmap-"));
  const running: Running[] = [];
  try {
    const config = benchConfig(COMMUNITIES);
    const configPath = join(work, "flywheel.yml");
    writeFileSync(configPath, stringify(JSON.parse(JSON.stringify(config))));
    const db = await freshPostgres(DB);
    await smallWorld(db, config, { members: MEMBERS, requests: REQUESTS });
    // Votes spread over the requests so ranking, breadth and pledges have work to do.
    await db.raw(
      `INSERT INTO "Vote" ("requestId", "personId", "communityId")
       SELECT 1 + (g * 7919) % $1, p.id, p."communityId" FROM generate_series(1, 30000) g JOIN "Person" p ON p.id = 1 + g % $2
       ON CONFLICT DO NOTHING`,
      [REQUESTS, COMMUNITIES * MEMBERS],
    );
    await db.raw(`UPDATE "FeatureRequest" SET status = 'planned' WHERE id % 97 = 0`);
    await db.raw(`UPDATE "FeatureRequest" SET status = 'in_progress' WHERE id % 89 = 0`);
    // A signed-in browser: the session row and the cookie the bot would have set (src/web/signin).
    const token = randomBytes(32).toString("base64url");
    await db.raw(
      `INSERT INTO "WebSession" (id, "personId", platform, "externalId", workspace, csrf, "createdAt", "lastSeenAt") VALUES ($1, 1, 'slack', 'U00000001', 'T000001', $2, now(), now())`,
      [createHash("sha256").update(token).digest("hex"), randomBytes(32).toString("base64url")],
    );
    const cookie = `fw_session=${token}.${createHmac("sha256", SESSION_SECRET).update(token).digest("base64url")}`;
    await db.close({ keepDatabase: true });

    const env = botEnv(work, configPath, databaseUrl(DB), {
      SESSION_SECRET,
      // Sign-in on (sessions are read); the provider is never called by these GETs.
      SLACK_CLIENT_ID: "bench",
      SLACK_CLIENT_SECRET: "bench",
    });
    const bot = await startNode(BOT, env, work);
    running.push(bot);
    const agent = new Agent({ keepAlive: true });
    const paths = ["/roadmap", "/roadmap/97"];
    const recorded: [string, string, string][] = [];
    for (const path of paths)
      for (const signedIn of [false, true]) {
        const page = await get(agent, bot.port, path, signedIn ? cookie : undefined);
        if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
        if (signedIn && !page.body.includes("/signout")) throw new Error(`GET ${path} with the session cookie is not signed in`);
        recorded.push([`${signedIn ? "in" : "out"} ${path}`, page.headers["content-type"], page.body.toString("base64")]);
      }
    agent.destroy();
    const floor = await startNode(["-e", FLOOR, JSON.stringify(recorded)], { PATH: process.env.PATH ?? "" }, work);
    running.push(floor);

    for (const path of paths)
      for (const signedIn of [false, true]) {
        const c = signedIn ? cookie : undefined;
        const who = signedIn ? "signed in" : "anonymous";
        ctx.log(`roadmap: GET ${path} (${who}) at ${rate}/s for ${seconds} s`);
        const mine = await load(bot.port, path, c, rate, seconds);
        const base = await load(floor.port, path, c, rate, seconds);
        const s = summarize(mine.latencies);
        const f = summarize(base.latencies);
        ctx.report.add({
          part: "roadmap",
          name: `GET ${path === "/roadmap" ? "/roadmap" : "/roadmap/<n>"} p99, ${who}, ${rate}/s`,
          unit: "ms",
          value: s.p99,
          floor: f.p99,
          floorName: "same bytes from memory",
          better: "lower",
          target: { of: "value", max: 250, text: "p99 ≤ 250 ms" },
          details: { requests: REQUESTS, bytes: recorded.find((r) => r[0] === `${signedIn ? "in" : "out"} ${path}`)![2].length * 0.75, sent: mine.sent, errors: mine.errors, floorErrors: base.errors, p50: s.p50, p90: s.p90, max: s.max, floorP50: f.p50 },
        });
      }
  } finally {
    for (const r of running.reverse()) await r.stop().catch(() => {});
    await dropDatabase(DB).catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}
