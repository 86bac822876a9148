import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { applyMigrations, migrationFiles } from "./migrate";

/** Migrations ship beside the code (prisma/migrations) in the repo, the build and the image. */
export const MIGRATIONS_DIR = findUp(join("prisma", "migrations")) ?? resolve("prisma", "migrations");

function findUp(rel: string): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, rel))) return join(dir, rel);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The embedded PostgreSQL zeroes its whole shared-buffer pool at start, so the 128 MB default
 * is 128 MB of resident memory. One bot process is PGlite's only client and the OS still caches
 * the data files, so 16 MB is plenty (bench/: idle RSS of the PGlite bot 380 → ~250 MB).
 */
export const PGLITE_SETTINGS = ["-c", "shared_buffers=16MB"];

/**
 * A new embedded database starts as a copy of a template folder instead of running initdb.
 *
 * PGlite creates a database the way PostgreSQL's initdb does, inside a second Postgres instance
 * in WebAssembly: bootstrap, then the system views, collations and information_schema, then
 * every migration. That is ~2 s on an idle machine (most of a newcomer's first `npm start`) and
 * ~300 MB of garbage. The result is the same files for every new database of a given PGlite
 * and migration set, so `npm run build` makes them once (scripts/pglite-template.mjs) and a new
 * data folder is a copy of them (~40 MB of files). PGlite's own `loadDataDir` (a tarball) was
 * measured too: it unpacks through Postgres's in-memory file system, took several times as long
 * as the copy and left ~120 MB more resident.
 *
 * The key names everything the files depend on: PGlite's version (its Postgres and catalog
 * layout) and each migration's name and checksum. A template whose key differs is never used,
 * so a stale one costs only the initdb it would have saved. In the copy, _prisma_migrations
 * says the migrations were applied when the template was made.
 */

/** node_modules/.cache/flywheel: the usual place for a tool's cache, beside the PGlite it was made with. */
function cacheDir(): string | undefined {
  let entry: string;
  try {
    entry = require.resolve("@electric-sql/pglite");
  } catch {
    return undefined;
  }
  const at = entry.lastIndexOf(`${sep}node_modules${sep}`);
  return at < 0 ? undefined : join(entry.slice(0, at), "node_modules", ".cache", "flywheel");
}

function pgliteVersion(): string {
  try {
    const entry = require.resolve("@electric-sql/pglite");
    for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir)) {
      const manifest = join(dir, "package.json");
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
        if (pkg.name === "@electric-sql/pglite") return pkg.version ?? "unknown";
      }
    }
  } catch {
    // No PGlite, no template: the caller falls back to initdb.
  }
  return "unknown";
}

/** Where the template for this PGlite and this migration set lives (it may not exist yet). */
export function pgliteTemplatePath(migrationsDir = MIGRATIONS_DIR, settings: readonly string[] = PGLITE_SETTINGS, cache = cacheDir()): string | undefined {
  if (!cache) return undefined;
  const hash = createHash("sha256").update(`pglite@${pgliteVersion()}\0${settings.join(" ")}\0`);
  for (const { name, script } of migrationFiles(migrationsDir)) hash.update(`${name}\0${createHash("sha256").update(script).digest("hex")}\0`);
  return join(cache, `pglite-template-${hash.digest("hex").slice(0, 16)}`);
}

/**
 * Fills `dir` (absent or empty) from the template when there is one; false when there is none.
 * The copy goes to a sibling folder first and is renamed into place, so a copy cut short (disk
 * full, the process killed) never leaves a folder PGlite would take for a database.
 */
export function copyPgliteTemplate(template: string | undefined, dir: string): boolean {
  if (!template || !existsSync(join(template, "PG_VERSION"))) return false;
  if (existsSync(dir) && readdirSync(dir).length > 0) return false;
  const partial = `${dir}.partial-${process.pid}`;
  try {
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    cpSync(template, partial, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
    return true;
  } catch {
    rmSync(partial, { recursive: true, force: true });
    return false;
  }
}

/** Removes the templates of other keys (an older PGlite or migration set) beside the current one. */
export function removeOtherTemplates(current: string): void {
  const cache = dirname(current);
  if (!existsSync(cache)) return;
  for (const name of readdirSync(cache)) {
    if (/^pglite-template-[0-9a-f]{16}$/.test(name) && join(cache, name) !== current) rmSync(join(cache, name), { recursive: true, force: true });
  }
}

/**
 * `npm run build` (scripts/pglite-template.mjs): makes the template new embedded databases are
 * copied from (see template.ts), unless the one for this PGlite and migration set exists. Made
 * beside its final place and renamed into it, so two builds at once never leave half a template.
 */
export async function makePgliteTemplate(
  opts: { log?: (line: string) => void; migrationsDir?: string; cache?: string } = {},
): Promise<string | undefined> {
  const log = opts.log ?? (() => {});
  const migrationsDir = opts.migrationsDir ?? MIGRATIONS_DIR;
  const template = pgliteTemplatePath(migrationsDir, PGLITE_SETTINGS, opts.cache ?? cacheDir());
  if (!template) return undefined;
  if (!existsSync(join(template, "PG_VERSION"))) {
    const partial = `${template}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    const { PGlite } = await import("@electric-sql/pglite");
    const pglite = new PGlite(partial, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
    try {
      await applyMigrations({ exec: (s) => pglite.exec(s), query: (s, p) => pglite.query(s, p) }, migrationsDir, () => {});
      // Written out now, so a copy starts without replaying the WAL of initdb and the migrations.
      await pglite.exec("CHECKPOINT");
    } finally {
      await pglite.close();
    }
    try {
      renameSync(partial, template);
      log(`made the embedded database's template (${template})`);
    } catch {
      // Another build made it first: theirs is the same files.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  removeOtherTemplates(template);
  return template;
}
