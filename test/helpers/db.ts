import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { parseConfig, type FlywheelConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { syncCommunities } from "../../src/core/people/communities";
import type { Services } from "../../src/core/context";
import { openDatabase, startMemoryDatabasesFrom, type Database } from "../../src/db/client";
import { createLogger } from "../../src/log";
import { pgliteTemplateBlob, postgresTemplate } from "./templates";

// Every "memory:" database this file opens (here, or inside an app a harness starts) is a copy
// of one migrated template instead of a fresh initdb: see templates.ts.
startMemoryDatabasesFrom(pgliteTemplateBlob);

/** Every suite runs on an in-memory PGlite, and on real PostgreSQL too when TEST_DATABASE_URL is set. */
export const DB_TARGETS: string[] = ["pglite", ...(process.env.TEST_DATABASE_URL ? ["postgresql"] : [])];

/** A fresh, empty, migrated database: an in-memory PGlite, or a new database on the server (each a copy of the migrated template). */
export async function freshDatabase(target: string): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  if (target === "pglite") {
    const database = await openDatabase({ url: "memory:" }, { migrate: true });
    return { database, url: "memory:", drop: () => database.close() };
  }
  const empty = await emptyPostgresDatabase({ template: await postgresTemplate() });
  const database = await openDatabase({ url: empty.url }, { migrate: true });
  return {
    database,
    url: empty.url,
    async drop() {
      await database.close();
      await empty.drop();
    },
  };
}

/**
 * A new, empty database on the TEST_DATABASE_URL server (for programs that migrate it themselves),
 * or with opts.template a copy of that database.
 */
export async function emptyPostgresDatabase(opts: { template?: string } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `flywheel_test_${randomBytes(6).toString("hex")}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"${opts.template ? ` TEMPLATE "${opts.template}"` : ""}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const d = new Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await d.end();
    },
  };
}

export const TEST_CONFIG_YAML = `
communities:
  - { slug: alpha, name: Alpha University, tier: premier, slack: { team: T0ALPHA, channel: C0ALPHA }, discord: { guild: "100000000000000001", channel: "100000000000000002" } }
  - { slug: beta, name: Beta College, tier: general, slack: { team: T0BETA, channel: C0BETA } }
  - { slug: gamma, name: Gamma Institute, tier: essential, private: true, discord: { guild: "100000000000000003", channel: "100000000000000004" } }
staff:
  - { slack: U0STAFF, github: octocat }
  - { shell: carol }
  - { discord: "200000000000000009" }
support:
  slack: { team: T0STAFF, channel: C0SUPPORT }
`;

export interface TestEnv {
  services: Services;
  clock: ManualClock;
  database: Database;
  config: FlywheelConfig;
  /** Empties every table (ids restart) and syncs the communities again: cheaper than a new database. */
  reset(): Promise<void>;
  /** The database's URL ("memory:" for PGlite): a second connection (a second replica) opens it. */
  url: string;
  close(): Promise<void>;
}

/** Truncates every application table, keeping the migrations record. */
export async function truncateAll(database: Database): Promise<void> {
  const tables = await database.prisma.$queryRawUnsafe<{ tablename: string }[]>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'",
  );
  await database.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}

/** Services on a fresh database with the test communities synced in. */
export async function testServices(target: string, yaml = TEST_CONFIG_YAML): Promise<TestEnv> {
  const config = parseConfig(yaml);
  const { database, url, drop } = await freshDatabase(target);
  await syncCommunities(database.prisma, config);
  const clock = new ManualClock();
  const services: Services = { db: database.prisma, clock, config, log: createLogger("silent") };
  return {
    services,
    clock,
    database,
    config,
    url,
    async reset() {
      await truncateAll(database);
      await syncCommunities(database.prisma, config);
      clock.set(new ManualClock().now());
    },
    close: drop,
  };
}
