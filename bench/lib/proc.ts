import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "..", "..");
const READY_TIMEOUT_MS = 120_000;

let built = false;
/** Builds dist/ once per run (tsc -p tsconfig.build.json), so figures are for this code. */
export function ensureBuilt(log: (line: string) => void): void {
  if (built) return;
  log("building (tsc -p tsconfig.build.json) so the figures are for this code…");
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build failed: ${r.stdout}${r.stderr}`.slice(0, 500));
  built = true;
}

/**
 * The built bot, as `npm start` runs it. BENCH_BOT_NODE_ARGS adds Node options to it, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the bot under a benchmark's load.
 */
export const BOT = [...(process.env.BENCH_BOT_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), join(ROOT, "dist", "src", "main.js")];

/** The environment every bench part starts the built bot with (`npm start`'s, on loopback, quiet logs), plus the part's own. */
export function botEnv(work: string, configPath: string, databaseUrl: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const base: Record<string, string | undefined> = { PATH: process.env.PATH ?? "", HOME: work, DATA_DIR: work, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn", NODE_ENV: "production", FLYWHEEL_CONFIG: configPath, DATABASE_URL: databaseUrl, ...extra };
  return Object.fromEntries(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface Running {
  child: ChildProcess;
  port: number;
  /** Spawn to first 200 on the ready path. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a Node process that prints "http://127.0.0.1:<port>" and waits until GET readyPath answers 200. */
export async function startNode(args: string[], env: Record<string, string>, cwd: string, readyPath = "/healthz"): Promise<Running> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const running: Running = { child, port: 0, readyMs: 0, output: () => out, stop: () => stop(child) };
  try {
    running.port = Number(await waitFor(() => /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1], child, () => out));
    await waitFor(async () => ((await status(running.port, readyPath)) === 200 ? true : undefined), child, () => out);
    running.readyMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
    return running;
  } catch (e) {
    await stop(child);
    throw e;
  }
}

/** Resident memory of a process, from /proc. */
export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
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

/** SIGTERM (the bot shuts down cleanly on it), SIGKILL if it lingers. Only ever our own child. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}
