import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { Client, Pool } from "pg";
import type { FlywheelConfig } from "../../src/config/file";
import { syncCommunities } from "../../src/core/people/communities";
import { connectPrisma, MIGRATIONS_DIR, openDatabase, PGLITE_SETTINGS, type Database } from "../../src/db/client";
import { applyMigrations } from "../../src/db/migrate";
import { PrismaClient } from "../../src/generated/prisma/client";
import { admin, databaseUrl, recreateDatabase, dropDatabase } from "./pg";
import { benchConfig, writeConfigFile } from "./world";

/** Parameterised SQL on the raw driver, bypassing Prisma: the floors use it. */
export type RawQuery = (sql: string, params?: unknown[]) => Promise<unknown>;

export interface BenchDb {
  kind: "postgresql" | "pglite";
  database: Database;
  raw: RawQuery;
  /** Closes the connections and removes the database (keepDatabase: leave it for another process). */
  close(opts?: { keepDatabase?: boolean }): Promise<void>;
}

/** A fresh PostgreSQL database opened through the app's own openDatabase, plus a raw pg pool of the same size (10). */
export async function freshPostgres(name: string): Promise<BenchDb> {
  const url = await recreateDatabase(name);
  const database = await openDatabase({ url }, { migrate: true });
  const pool = new Pool({ connectionString: url, max: 10 });
  return {
    kind: "postgresql",
    database,
    raw: (sql, params) => pool.query(sql, params),
    async close(opts) {
      await pool.end();
      await database.close();
      if (!opts?.keepDatabase) await dropDatabase(name);
    },
  };
}

/**
 * A fresh embedded PGlite on disk (as the bot runs by default), built exactly as openDatabase
 * builds it, but keeping the PGlite handle so a floor can query it without Prisma.
 */
export async function freshPglite(): Promise<BenchDb> {
  const dir = mkdtempSync(join(tmpdir(), "flywheel-bench-pglite-"));
  const pglite = new PGlite(join(dir, "pglite"), { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  await applyMigrations({ exec: (s) => pglite.exec(s), query: (s, p) => pglite.query(s, p) }, MIGRATIONS_DIR, () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  await connectPrisma(prisma);
  const database: Database = {
    prisma,
    kind: "pglite",
    ping: async () => !pglite.closed,
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
  return {
    kind: "pglite",
    database,
    raw: (sql, params) => pglite.query(sql, params),
    async close() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A small world on any database: the config's communities (synced as the bot does), `members`
 * people per community with Slack accounts U00000001..., and `requests` fresh requests with no
 * votes (ids 1..requests), filed by member 1.
 */
export async function smallWorld(db: BenchDb, config: FlywheelConfig, opts: { members: number; requests: number }): Promise<void> {
  await syncCommunities(db.database.prisma, config);
  const communities = config.communities.length;
  const m = opts.members;
  await db.raw(
    `INSERT INTO "Person" (id, "displayName", "communityId", role)
     SELECT g, 'Member ' || g, c.id, 'member' FROM generate_series(1, $1::int) g
     JOIN "Community" c ON c.slug = 'c' || lpad(((g - 1) / $2 + 1)::text, 5, '0')`,
    [communities * m, m],
  );
  await db.raw(
    `INSERT INTO "Account" ("personId", platform, "externalId", workspace)
     SELECT g, 'slack', 'U' || lpad(g::text, 8, '0'), 'T' || lpad(((g - 1) / $2 + 1)::text, 6, '0') FROM generate_series(1, $1::int) g`,
    [communities * m, m],
  );
  await db.raw(
    `INSERT INTO "FeatureRequest" (id, title, body, "communityId", "authorId", "updatedAt")
     SELECT g, 'Hot request ' || g, '', (SELECT "communityId" FROM "Person" WHERE id = 1), 1, now() FROM generate_series(1, $1::int) g`,
    [opts.requests],
  );
  for (const t of ["Person", "Account", "FeatureRequest"])
    await db.raw(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), (SELECT max(id) FROM "${t}"))`);
}

/**
 * Seeded worlds kept between runs as template databases (README "Performance"): copying one
 * with CREATE DATABASE … TEMPLATE is a file copy of seconds, where seeding 10,000,000 votes takes
 * minutes. The name carries a hash of what made it, so a changed schema or seed makes a new one.
 */

const OURS = /^flywheel_bench[a-z0-9_]*$/;

/**
 * What a part that starts the built bot needs first: `communities` communities in a flywheel.yml
 * written to `work`, and a fresh PostgreSQL database `name` holding their small world, left for the bot.
 */
export async function botWorld(work: string, name: string, communities: number, sizes: { members: number; requests: number }): Promise<{ config: FlywheelConfig; configPath: string }> {
  const config = benchConfig(communities);
  const configPath = writeConfigFile(work, config);
  const db = await freshPostgres(name);
  await smallWorld(db, config, sizes);
  await db.close({ keepDatabase: true });
  return { config, configPath };
}

export async function databaseExists(name: string): Promise<boolean> {
  return admin(async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1);
}

/** What a template was seeded with (counts, time), kept as the database's comment. */
export async function templateNote<T>(name: string): Promise<T | null> {
  return admin(async (c) => {
    const r = await c.query<{ note: string | null }>("SELECT shobj_description(oid, 'pg_database') AS note FROM pg_database WHERE datname = $1", [name]);
    const note = r.rows[0]?.note;
    return note ? (JSON.parse(note) as T) : null;
  });
}

/**
 * Publishes a seeded database as a template under its final name (a rename: a run cut off while
 * seeding leaves only the building copy, never a half-seeded template), with its note, and drops
 * the other templates that `stale` matches (earlier schemas or seeds of the same world).
 */
export async function publishTemplate(building: string, template: string, note: unknown, stale: RegExp): Promise<void> {
  if (!OURS.test(building) || !OURS.test(template)) throw new Error(`refusing to publish ${building} as ${template}`);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await c.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    await c.query(`COMMENT ON DATABASE "${template}" IS ${literal(JSON.stringify(note))}`);
    // A template nobody connects to: CREATE DATABASE … TEMPLATE needs it idle.
    await c.query(`ALTER DATABASE "${template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
    const old = (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname <> $1", [template])).rows.map((r) => r.datname).filter((n) => stale.test(n) && OURS.test(n));
    for (const name of old) await dropTemplate(c, name);
  });
}

async function dropTemplate(c: Client, name: string): Promise<void> {
  await c.query(`ALTER DATABASE "${name}" WITH IS_TEMPLATE false`);
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** A fresh database copied from a template; returns its URL. */
export async function copyOfTemplate(name: string, template: string): Promise<string> {
  if (!OURS.test(name) || !OURS.test(template)) throw new Error(`refusing to copy ${template} to ${name}`);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    try {
      // FILE_COPY (PostgreSQL 15+): one checkpoint and a copy of the files, not the whole database through the WAL.
      await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" STRATEGY FILE_COPY`);
    } catch (e) {
      if (!/strategy/i.test(e instanceof Error ? e.message : "")) throw e;
      await c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    }
  });
  return databaseUrl(name);
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
