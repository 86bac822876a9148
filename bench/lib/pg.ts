import { Client } from "pg";

/** The server the benchmarks use; never anything but loopback. */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) throw new Error(`benchmarks only run against a local server, not ${host}`);
}

/**
 * A bench database's name: the part's own, plus BENCH_DB_SUFFIX when set, so two benchmark runs on
 * one server (two checkouts, two people) never drop each other's databases.
 */
export function benchDbName(base: string): string {
  const suffix = process.env.BENCH_DB_SUFFIX ?? "";
  if (!/^[a-z0-9_]*$/.test(suffix)) throw new Error("BENCH_DB_SUFFIX takes lower-case letters, digits and _ only");
  return `${base}${suffix}`;
}

export function databaseUrl(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A connection to the server's maintenance database, closed after `fn`. */
export async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  assertLoopback(ADMIN_URL);
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops (if present) and creates an empty database; returns its URL. Names are ours: flywheel_bench*. */
export async function recreateDatabase(name: string): Promise<string> {
  if (!/^flywheel_bench[a-z0-9_]*$/.test(name)) throw new Error(`refusing to recreate ${name}: bench databases are named flywheel_bench*`);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^flywheel_bench[a-z0-9_]*$/.test(name)) throw new Error(`refusing to drop ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

export async function serverVersion(): Promise<string> {
  return admin(async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
}
