/**
 * Part 5 — footprint: the built bot (`node dist/src/main.js`, what `npm start` runs) started
 * from nothing until /healthz answers 200, and its resident memory once idle; with the embedded
 * PGlite (a fresh data folder, then a restart on it) and with PostgreSQL. Floor: a bare Node
 * HTTP server started and measured the same way.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { PGLITE_SETTINGS } from "../../src/db/client";
import { recreateDatabase, dropDatabase } from "../lib/pg";
import type { BenchContext } from "../lib/context";
import { median } from "../lib/stats";
import { benchConfig } from "../lib/world";

const ROOT = resolve(__dirname, "..", "..");
const READY_TIMEOUT_MS = 120_000;

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
  ctx.log("building (tsc -p tsconfig.build.json) so the figures are for this code…");
  const build = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`.slice(0, 500));

  const idleMs = ctx.options.quick ? 2_000 : 10_000;
  const runs = ctx.options.quick ? 1 : 3;
  const work = mkdtempSync(join(tmpdir(), "flywheel-bench-footprint-"));
  const configPath = join(work, "flywheel.yml");
  // 50 communities: a realistic config to sync at start-up.
  writeFileSync(configPath, stringify(JSON.parse(JSON.stringify(benchConfig(50)))));
  const env = { PATH: process.env.PATH ?? "", HOME: work, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", FLYWHEEL_CONFIG: configPath, NODE_ENV: "production" };
  const bot = [join(ROOT, "dist", "src", "main.js")];

  try {
    const floor = await repeat(runs, () => start(["-e", FLOOR_SERVER], { PATH: env.PATH }, work, idleMs));
    // PGlite: the first start creates the database and applies the migrations; later starts reuse it.
    const fresh: Started[] = [];
    const warm: Started[] = [];
    const pgliteFloor: Started[] = [];
    for (let i = 0; i < runs; i++) {
      const dataDir = join(work, `data-${i}`);
      fresh.push(await start(bot, { ...env, DATA_DIR: dataDir }, work, idleMs));
      warm.push(await start(bot, { ...env, DATA_DIR: dataDir }, work, idleMs));
      pgliteFloor.push(await start(["-e", floorPglite(dataDir)], { PATH: env.PATH }, work, idleMs));
    }
    const url = await recreateDatabase("flywheel_bench_footprint");
    const pg: Started[] = [];
    try {
      for (let i = 0; i < runs; i++) pg.push(await start(bot, { ...env, DATABASE_URL: url, DATA_DIR: join(work, "unused") }, work, idleMs));
    } finally {
      await dropDatabase("flywheel_bench_footprint");
    }
    const add = (name: string, xs: Started[], floorRuns: Started[], floorName: string, rssTarget: boolean) => {
      ctx.report.add({
        part: "footprint",
        name: `start-up to /healthz, ${name}`,
        unit: "ms",
        value: median(xs.map((s) => s.readyMs)),
        floor: median(floorRuns.map((s) => s.readyMs)),
        floorName,
        better: "lower",
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
        target: rssTarget ? { of: "value", max: 150, text: "< 150 MB" } : undefined,
        details: { idleSeconds: idleMs / 1000, runs: xs.map((s) => s.rssMb), floorRuns: floorRuns.map((s) => s.rssMb) },
      });
    };
    add("PGlite, first run (creates the database)", fresh, floor, "bare Node HTTP server", false);
    add("PGlite, restart", warm, pgliteFloor, "Node + PGlite on the same folder", true);
    add("PostgreSQL", pg, floor, "bare Node HTTP server", true);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function repeat<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

/** Starts a Node process, waits for its HTTP port to answer 200, idles, reads its RSS, stops it. */
async function start(args: string[], env: Record<string, string>, cwd: string, idleMs: number): Promise<Started> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString()));
  try {
    const port = await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1], child, () => out);
    const path = args[0] === "-e" ? "/" : "/healthz";
    await waitFor(async () => ((await status(Number(port), path)) === 200 ? true : undefined), child, () => out);
    const readyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    await new Promise((r) => setTimeout(r, idleMs));
    const rssKb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN);
    return { readyMs: Math.round(readyMs), rssMb: Math.round((rssKb / 1024) * 10) / 10 };
  } finally {
    await stop(child);
  }
}

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, child: ChildProcess, output: () => string): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process exited (${child.exitCode}) before it was ready: ${output().slice(-400)}`);
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s: ${output().slice(-400)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function status(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolvePromise) => {
    const req = request({ host: "127.0.0.1", port, path, timeout: 2_000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode);
    });
    req.on("error", () => resolvePromise(undefined));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/** SIGTERM (the bot shuts down cleanly on it), SIGKILL if it lingers. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
