// Minimal offline equivalent of `prisma migrate deploy` for PostgreSQL and PGlite.
// Records migrations in _prisma_migrations exactly like Prisma's schema engine, so a later
// real `prisma migrate deploy/status/dev` accepts them (checksum = sha256 hex of migration.sql).
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Anything with a simple-protocol multi-statement `exec` and a parameterised `query`. */
export interface SqlRunner {
  exec(sql: string): Promise<unknown>;
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  lock?: boolean; // take Prisma's advisory lock (real PostgreSQL only)
}

// Same DDL as prisma-engines sql-schema-connector/src/flavour/postgres.rs create_migrations_table
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Every migration in `dir`, in the order they apply (folder names start with their timestamp). */
export function migrationFiles(dir: string): { name: string; script: string }[] {
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
        .map((d) => d.name).sort()
    : [];
  return names.map((name) => ({ name, script: readFileSync(join(dir, name, "migration.sql"), "utf8") }));
}

export async function applyMigrations(db: SqlRunner, dir = "prisma/migrations", log = console.log): Promise<string[]> {
  const files = migrationFiles(dir);
  if (db.lock) await db.query("SELECT pg_advisory_lock(72707369)"); // same key Prisma Migrate uses
  try {
    await db.exec(CREATE_TABLE);
    type Row = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };
    const rows: Row[] = (await db.query(
      "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at")).rows as Row[];
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) throw new Error(`migration ${failed.migration_name} previously failed (P3009); resolve it first`);
    const done = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
    const applied: string[] = [];
    for (const { name, script } of files) {
      if (done.has(name)) {
        const rec = rows.find((r) => r.migration_name === name && r.finished_at)!;
        const ok = [script, script.replace(/\r\n/g, "\n"), script.replace(/\n/g, "\r\n")].some((s) => sha256(s) === rec.checksum);
        if (!ok) log(`warning: migration ${name} was modified after it was applied`);
        continue;
      }
      const id = randomUUID();
      await db.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)",
        [id, sha256(script), name]);
      try {
        await db.exec(script); // one simple-protocol call = one implicit transaction, like Prisma
      } catch (e: unknown) {
        const why = e instanceof Error ? e.message : String(e);
        await db.query("UPDATE _prisma_migrations SET logs = $2 WHERE id = $1", [id, why]);
        throw new Error(`migration ${name} failed: ${why}`);
      }
      await db.query("UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = 1 WHERE id = $1", [id]);
      applied.push(name);
      log(`applied ${name}`);
    }
    return applied;
  } finally {
    if (db.lock) await db.query("SELECT pg_advisory_unlock(72707369)");
  }
}
