import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../src/db/client";
import { copyPgliteTemplate, makePgliteTemplate, MIGRATIONS_DIR, pgliteTemplatePath } from "../src/db/template";

// A new embedded database is a copy of the template the build makes (initdb + every migration),
// so a newcomer's first start skips initdb. These run on PGlite whatever TEST_DATABASE_URL says:
// the template exists only for the embedded database.

let work: string;
let cache: string;
let template: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "flywheel-template-"));
  cache = join(work, "cache");
  template = (await makePgliteTemplate({ cache }))!;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const migrationNames = () => readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

test("the template is a complete database, made once per PGlite and migration set", async () => {
  expect(template).toBe(pgliteTemplatePath(MIGRATIONS_DIR, undefined, cache));
  expect(existsSync(join(template, "PG_VERSION"))).toBe(true);
  expect(readdirSync(cache)).toEqual([template.split("/").pop()]); // no half-made folder left beside it
  const made = statSync(join(template, "PG_VERSION")).mtimeMs;
  expect(await makePgliteTemplate({ cache })).toBe(template);
  expect(statSync(join(template, "PG_VERSION")).mtimeMs).toBe(made);
});

test("a changed migration names another template, and making it removes the stale one", async () => {
  const migrations = join(work, "migrations");
  cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
  const last = migrationNames().pop()!;
  appendFileSync(join(migrations, last, "migration.sql"), "\n-- changed\n");
  expect(pgliteTemplatePath(migrations, undefined, cache)).not.toBe(template);
  const other = join(work, "cache2");
  mkdirSync(join(other, "pglite-template-0123456789abcdef"), { recursive: true });
  const made = await makePgliteTemplate({ cache: other, migrationsDir: migrations });
  expect(readdirSync(other)).toEqual([made!.split("/").pop()]);
}, 120_000);

test("a new data folder opens from the template with every migration applied, and works", async () => {
  const lines: string[] = [];
  const db = await openDatabase({ dataDir: join(work, "data-a") }, { migrate: true, log: (l) => lines.push(l), template });
  try {
    expect(lines).toContain("created the embedded database from the build's template");
    expect(lines.filter((l) => l.startsWith("applied "))).toEqual([]); // nothing left to apply
    const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name");
    expect(rows.map((r) => r.migration_name)).toEqual(migrationNames());
    const c = await db.prisma.community.create({ data: { slug: "alpha", name: "Alpha" } });
    expect(c.id).toBeGreaterThan(0);
  } finally {
    await db.close();
  }
  // The folder is the bot's own: a restart reads what it wrote, and the template is unchanged.
  const again = await openDatabase({ dataDir: join(work, "data-a") }, { migrate: true, template });
  try {
    expect(await again.prisma.community.count()).toBe(1);
  } finally {
    await again.close();
  }
  const fromTemplate = await openDatabase({ dataDir: join(work, "data-b") }, { migrate: true, template });
  try {
    expect(await fromTemplate.prisma.community.count()).toBe(0);
  } finally {
    await fromTemplate.close();
  }
}, 120_000);

test("without a template (or with template: false) the database is created with initdb as before", async () => {
  const lines: string[] = [];
  const db = await openDatabase({ dataDir: join(work, "data-c") }, { migrate: true, log: (l) => lines.push(l), template: join(work, "no-such-template") });
  try {
    expect(lines).not.toContain("created the embedded database from the build's template");
    expect(lines.filter((l) => l.startsWith("applied "))).toHaveLength(migrationNames().length);
    expect(await db.prisma.community.count()).toBe(0);
  } finally {
    await db.close();
  }
}, 120_000);

test("a template is copied only into an absent or empty folder, never over a database", () => {
  const full = join(work, "full");
  mkdirSync(full, { recursive: true });
  writeFileSync(join(full, "something"), "x");
  expect(copyPgliteTemplate(template, full)).toBe(false);
  expect(readdirSync(full)).toEqual(["something"]);
  expect(copyPgliteTemplate(undefined, join(work, "none"))).toBe(false);
  const empty = join(work, "empty");
  mkdirSync(empty);
  expect(copyPgliteTemplate(template, empty)).toBe(true);
  expect(existsSync(join(empty, "PG_VERSION"))).toBe(true);
  expect(readdirSync(work).filter((n) => n.includes(".partial-"))).toEqual([]);
});
