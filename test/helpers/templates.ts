import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Client } from "pg";
import { MIGRATIONS_DIR, PGLITE_SETTINGS } from "../../src/db/client";
import { applyMigrations } from "../../src/db/migrate";

/*
 * Every test file gets databases of its own, but none of them needs to be built from nothing:
 * PGlite's initdb costs ~4 s of CPU per database and PostgreSQL's CREATE DATABASE + 16 migrations
 * ~0.7 s. So the migrated schema is built once per set of migrations (jest's globalSetup does it
 * before the workers start; a file run on its own builds it lazily) and each database is a copy.
 * Copies still go through openDatabase's migration runner, which finds everything applied: a
 * template that somehow lags the migrations costs time, never correctness.
 */

/** Changes whenever a migration (or PGlite's on-disk format) does, so a stale template is never used. */
function templateKey(): string {
  const h = createHash("sha256");
  const names = readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const name of names) {
    const file = join(MIGRATIONS_DIR, name, "migration.sql");
    h.update(name).update("\0").update(existsSync(file) ? readFileSync(file) : "").update("\0");
  }
  h.update(PGlite.defaultStartParams.join(" "));
  h.update(pgliteVersion());
  return h.digest("hex").slice(0, 16);
}

function pgliteVersion(): string {
  const pkg = join(__dirname, "..", "..", "node_modules", "@electric-sql", "pglite", "package.json");
  return existsSync(pkg) ? (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version : "unknown";
}

export interface PgliteTemplate {
  /** A migrated, cleanly closed PGlite folder: copy it to <DATA_DIR>/pglite. */
  dir: string;
  /** The same database as an uncompressed `dumpDataDir` tarball, for `loadDataDir` in memory. */
  tar: string;
}

/** The migrated PGlite template for the current migrations, built on first use. */
export async function pgliteTemplate(): Promise<PgliteTemplate> {
  const root = join(tmpdir(), "flywheel-test-templates", `pglite-${templateKey()}`);
  const done = { dir: join(root, "pglite"), tar: join(root, "data.tar") };
  if (existsSync(join(root, "complete"))) return done;
  // Built aside and renamed into place, so a reader never sees half a template; when two
  // processes race, the loser's copy is thrown away.
  mkdirSync(join(tmpdir(), "flywheel-test-templates"), { recursive: true });
  const building = mkdtempSync(join(tmpdir(), "flywheel-test-templates", "building-"));
  try {
    const pglite = new PGlite(join(building, "pglite"), { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
    await applyMigrations({ exec: (s) => pglite.exec(s), query: (s, p) => pglite.query(s, p) }, MIGRATIONS_DIR, () => {});
    const dump = await pglite.dumpDataDir("none");
    await pglite.close();
    writeFileSync(join(building, "data.tar"), Buffer.from(await dump.arrayBuffer()));
    writeFileSync(join(building, "complete"), "");
    renameSync(building, root);
  } catch (e) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(root, "complete"))) throw e;
  }
  return done;
}

/** The template tarball as the Blob PGlite's loadDataDir takes. */
export async function pgliteTemplateBlob(): Promise<Blob> {
  return new Blob([readFileSync((await pgliteTemplate()).tar)]);
}

// Serialises building the PostgreSQL template between workers and concurrent runs on one server.
const TEMPLATE_LOCK = 72707370;

/** The name of a migrated database on the TEST_DATABASE_URL server to copy with CREATE DATABASE … TEMPLATE. */
export async function postgresTemplate(admin = process.env.TEST_DATABASE_URL!): Promise<string> {
  const name = `flywheel_test_template_${templateKey()}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  try {
    const exists = async () => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
    if (await exists()) return name;
    await c.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    try {
      if (await exists()) return name;
      // Migrated under another name and renamed when complete: a run killed half-way leaves
      // a stray flywheel_test_* database, never a half-migrated template.
      const building = `flywheel_test_building_${randomBytes(6).toString("hex")}`;
      await c.query(`CREATE DATABASE "${building}"`);
      const u = new URL(admin);
      u.pathname = `/${building}`;
      const b = new Client({ connectionString: u.toString() });
      await b.connect();
      try {
        await applyMigrations({ exec: (s) => b.query(s), query: (s, p) => b.query(s, p) }, MIGRATIONS_DIR, () => {});
      } finally {
        await b.end();
      }
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      return name;
    } finally {
      await c.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]);
    }
  } finally {
    await c.end();
  }
}
