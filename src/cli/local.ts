import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseTarget } from "../db/target";

/**
 * An embedded PGlite database can be open in one process only. The running bot leaves this
 * lock file in DATA_DIR (its pid, its port, its database and a secret), so the CLI can send its
 * work to the bot's loopback-only admin endpoint instead of opening the same files twice, and
 * can refuse to write to another database than the bot's.
 */
export interface LocalLock {
  pid: number;
  port?: number;
  token: string;
  database?: DatabaseTarget;
}

export const lockPath = (dataDir: string) => join(dataDir, "flywheel.lock.json");

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function readLock(dataDir: string): LocalLock | undefined {
  const p = lockPath(dataDir);
  if (!existsSync(p)) return undefined;
  try {
    const lock = JSON.parse(readFileSync(p, "utf8")) as LocalLock;
    return lock.pid && isAlive(lock.pid) && lock.pid !== process.pid ? lock : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock for this process; fails if another live process holds it. */
export function writeLock(dataDir: string, at: { port?: number; database?: DatabaseTarget } = {}): LocalLock {
  const held = readLock(dataDir);
  if (held) throw new Error(`another Flywheel (pid ${held.pid}) is using ${dataDir}`);
  mkdirSync(dataDir, { recursive: true });
  const lock: LocalLock = { pid: process.pid, port: at.port, database: at.database, token: randomBytes(24).toString("hex") };
  writeFileSync(lockPath(dataDir), JSON.stringify(lock), { mode: 0o600 });
  return lock;
}

export function releaseLock(dataDir: string, lock: LocalLock): void {
  try {
    const cur = JSON.parse(readFileSync(lockPath(dataDir), "utf8")) as LocalLock;
    if (cur.token === lock.token) rmSync(lockPath(dataDir));
  } catch {
    /* already gone */
  }
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
