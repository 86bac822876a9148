/**
 * Part 5 — footprint: the built bot (`node dist/src/main.js`, what `npm start` runs) started
 * from nothing until /healthz answers 200, and its resident memory once idle; with the embedded
 * PGlite (a fresh data folder, then a restart on it) and with PostgreSQL, without a chat platform
 * and with Slack (HTTP mode, against the local stand-in). Floors: a bare Node HTTP server started
 * and measured the same way; for the PGlite restart, Node opening the same PGlite folder.
 * The first run copies the template `npm run build` makes (src/db/template.ts), as a newcomer's
 * `npm start` does; the same first run without it (initdb and every migration) is measured too.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { PGLITE_SETTINGS } from "../../src/db/client";
import { makePgliteTemplate } from "../../src/db/template";
import { benchDbName, recreateDatabase, dropDatabase } from "../lib/pg";
import type { BenchContext } from "../lib/context";
import type { Figure } from "../lib/report";
import { BOT, ensureBuilt, ROOT, rssMb, startNode } from "../lib/proc";
import { SlackStandin } from "../lib/slack-standin";
import { median } from "../lib/stats";
import { benchConfig } from "../lib/world";

const FOOTPRINT_DB = benchDbName("flywheel_bench_footprint");

interface Started {
  readyMs: number;
  rssMb: number;
}

const FLOOR_SERVER = `require("node:http").createServer((q, s) => s.end("ok")).listen(0, "127.0.0.1", function () { process.stdout.write("listening on http://127.0.0.1:" + this.address().port + "\\n"); });`;

/** The embedded database's own cost: Node opening the same PGlite folder with the bot's settings, then serving HTTP. */
const floorPglite = (dataDir: string) => `
const { PGlite } = require(${JSON.stringify(join(ROOT, "node_modules", "@electric-sql", "pglite", "dist", "index.cjs"))});
const db = new PGlite(${JSON.stringify(join(dataDir, "pglite"))}, { startParams: [...PGlite.defaultStartParams, ...${JSON.stringify(PGLITE_SETTINGS)}] });
db.query("SELECT 1").then(() => ${FLOOR_SERVER.replace(/;$/, "")});`;

export async function runFootprint(ctx: BenchContext): Promise<void> {
  ensureBuilt(ctx.log);

  const idleMs = ctx.options.quick ? 2_000 : 10_000;
  const runs = ctx.options.quick ? 1 : 3;
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-footprint-"));
  const configPath = join(work, "flywheel.yml");
  // 50 communities: a realistic config to sync at start-up.
  writeFileSync(configPath, stringify(JSON.parse(JSON.stringify(benchConfig(50)))));
  const env = { PATH: process.env.PATH ?? "", HOME: work, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", FLYWHEEL_CONFIG: configPath, NODE_ENV: "production" };
  const bot = BOT;

  // What `npm run build` does after tsc (scripts/pglite-template.mjs); nothing when it exists.
  const template = await makePgliteTemplate({ log: ctx.log });
  try {
    const floor = await repeat(runs, () => start(["-e", FLOOR_SERVER], { PATH: env.PATH }, work, idleMs));
    // PGlite: the first start creates the database and applies the migrations; later starts reuse it.
    const fresh: Started[] = [];
    const warm: Started[] = [];
    const pgliteFloor: Started[] = [];
    const initdb: Started[] = [];
    for (let i = 0; i < runs; i++) {
      const dataDir = join(work, `data-${i}`);
      // Without the template: what the first start cost before, and still costs a tree never built with npm run build.
      initdb.push(await withoutTemplate(template, () => start(bot, { ...env, DATA_DIR: join(work, `initdb-${i}`) }, work, idleMs)));
      fresh.push(await start(bot, { ...env, DATA_DIR: dataDir }, work, idleMs));
      warm.push(await start(bot, { ...env, DATA_DIR: dataDir }, work, idleMs));
      pgliteFloor.push(await start(["-e", floorPglite(dataDir)], { PATH: env.PATH }, work, idleMs));
    }
    const url = await recreateDatabase(FOOTPRINT_DB);
    const pg: Started[] = [];
    const pgSlack: Started[] = [];
    // A deployment with Slack (HTTP mode) also loads Bolt; its Web API is the local stand-in.
    const standin = new SlackStandin();
    await standin.listen();
    try {
      for (let i = 0; i < runs; i++) {
        pg.push(await start(bot, { ...env, DATABASE_URL: url, DATA_DIR: join(work, "unused") }, work, idleMs));
        pgSlack.push(
          await start(bot, { ...env, DATABASE_URL: url, DATA_DIR: join(work, "unused"), SLACK_BOT_TOKEN: "xoxb-bench-footprint", SLACK_SIGNING_SECRET: "bench-footprint-secret", SLACK_API_URL: standin.apiUrl }, work, idleMs),
        );
      }
    } finally {
      await standin.close();
      await dropDatabase(FOOTPRINT_DB);
    }
    type Targets = { start?: Figure["target"]; rss?: Figure["target"] };
    const add = (name: string, xs: Started[], floorRuns: Started[], floorName: string, targets: Targets) => {
      ctx.report.add({
        part: "footprint",
        name: `start-up to /healthz, ${name}`,
        unit: "ms",
        value: median(xs.map((s) => s.readyMs)),
        floor: median(floorRuns.map((s) => s.readyMs)),
        floorName,
        better: "lower",
        target: targets.start,
        details: { runs: xs, floorRuns },
      });
      ctx.report.add({
        part: "footprint",
        name: `idle RSS, ${name}`,
        unit: "MB",
        value: median(xs.map((s) => s.rssMb)),
        floor: median(floorRuns.map((s) => s.rssMb)),
        floorName,
        better: "lower",
        target: targets.rss,
        details: { idleSeconds: idleMs / 1000, runs: xs.map((s) => s.rssMb), floorRuns: floorRuns.map((s) => s.rssMb) },
      });
    };
    const under150: Figure["target"] = { of: "value", max: 150, text: "< 150 MB" };
    add("PGlite, first run (creates the database)", fresh, floor, "bare Node HTTP server", { start: { of: "value", max: 1_500, text: "≤ 1.5 s" } });
    add("PGlite, first run without the build's template (initdb)", initdb, floor, "bare Node HTTP server", {});
    add("PGlite, restart", warm, pgliteFloor, "Node + PGlite on the same folder", { rss: { of: "ratio", max: 1.3, text: "≤ 1.3× floor" } });
    add("PostgreSQL", pg, floor, "bare Node HTTP server", { rss: under150 });
    add("PostgreSQL + Slack", pgSlack, floor, "bare Node HTTP server", { rss: under150 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Runs fn with the build's template moved aside (this checkout's node_modules/.cache), then puts it back. */
async function withoutTemplate<T>(template: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!template) return fn();
  const aside = `${template}.aside-${process.pid}`;
  renameSync(template, aside);
  try {
    return await fn();
  } finally {
    renameSync(aside, template);
  }
}

async function repeat<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

/** Starts a process, waits until it answers, idles, reads its RSS, stops it. */
async function start(args: string[], env: Record<string, string>, cwd: string, idleMs: number): Promise<Started> {
  const running = await startNode(args, env, cwd, args[0] === "-e" ? "/" : "/healthz");
  try {
    await new Promise((r) => setTimeout(r, idleMs));
    return { readyMs: running.readyMs, rssMb: rssMb(running.child.pid!) };
  } finally {
    await running.stop();
  }
}
