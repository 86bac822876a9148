import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { applyMigrations } from "./migrate";
import { copyPgliteTemplate, MIGRATIONS_DIR, PGLITE_SETTINGS, pgliteTemplatePath } from "./template";

export type Db = PrismaClient;
/** The client or an open transaction: what a step that may run inside a caller's transaction takes. */
export type Tx = Db | Prisma.TransactionClient;

export interface Database {
  prisma: Db;
  /** A client on the read replica (DATABASE_READ_URL), when one is configured. */
  replica?: Db;
  kind: "postgresql" | "pglite";
  /** Runs raw SQL on the underlying driver (used for advisory locks and health checks). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export { MIGRATIONS_DIR, PGLITE_SETTINGS };

/**
 * Prisma's query compiler is a WebAssembly module that works in bursts: it parses the schema
 * once at connect, then plans each query shape the first time it is seen (plans are cached, so
 * a running bot rarely calls it). With V8's default tiering that start-up burst is hot enough
 * for V8 to recompile its functions with the optimizing compiler on background threads, which
 * leaves ~28 MB resident for good (compiler memory malloc keeps, optimized code) and buys
 * nothing later. So this one module is compiled with the baseline compiler only. V8 reads the
 * flag when a module is compiled, and the module is compiled on the first connect (then shared by
 * every client): the flag is restored right after, and modules compiled later, such as PGlite's
 * Postgres (hot for the whole life of the process, measured ~35% slower on SQL-heavy work
 * without the optimizing tier), tier up as usual. bench/ footprint: idle RSS; votes: throughput.
 */
export async function connectPrisma(prisma: PrismaClient): Promise<void> {
  const wasAlreadySet = process.execArgv.includes("--liftoff-only");
  if (!wasAlreadySet) setFlagsFromString("--liftoff-only");
  try {
    await prisma.$connect();
  } finally {
    if (!wasAlreadySet) setFlagsFromString("--no-liftoff-only");
  }
}

/**
 * Creating the embedded database runs initdb in a throwaway Postgres whose buffers (~300 MB)
 * become garbage a second or two later. When V8 has already settled down for idling by then,
 * nothing collects them until the bot next allocates in earnest, so a newcomer's first
 * `npm start` could sit at ~700 MB. One full collection a few seconds later gives it back.
 */
function collectAfterCreation(): void {
  setTimeout(() => {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  }, 5_000).unref();
}

/**
 * A plain client on a streaming read replica: never migrated (it follows the primary), and read
 * only through src/core/reads.ts. A plain PrismaClient rather than @prisma/extension-read-replicas:
 * the extension sends every read of the whole app to the replica (core's read-then-write rules
 * included), and its extended client is not the PrismaClient type core takes, so it could not be
 * chosen per call site without casts. See README "Running at scale".
 */
async function openReplica(url: string): Promise<{ prisma: Db; close(): Promise<void> }> {
  const { Pool } = await import("pg");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new Pool({ connectionString: url, max: 10 });
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  await connectPrisma(prisma);
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

let memoryTemplate: (() => Promise<Blob | undefined>) | undefined;

/**
 * Makes every later "memory:" database start as a copy of a migrated PGlite dump (`dumpDataDir`)
 * instead of running initdb of its own, which costs ~4 s of CPU each time: the test suite opens
 * hundreds of them. Migrations still run after the copy, so a stale dump is only slower, never wrong.
 */
export function startMemoryDatabasesFrom(template: (() => Promise<Blob | undefined>) | undefined): void {
  memoryTemplate = template;
}

/**
 * postgresql://... opens real PostgreSQL (adapter-pg); anything else is an embedded PGlite:
 * "memory:" in memory, otherwise a folder on disk.
 */
export async function openDatabase(
  target: { url?: string; dataDir?: string; readUrl?: string },
  /**
   * template: the folder a new embedded database is copied from (default: the one `npm run build`
   * made, see template.ts); false runs initdb even when there is one.
   */
  opts: { migrate?: boolean; log?: (line: string) => void; template?: string | false } = {},
): Promise<Database> {
  const log = opts.log ?? (() => {});
  const url = target.url;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const { Pool } = await import("pg");
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const pool = new Pool({ connectionString: url, max: 10 });
    // A pool error (server restart) must not crash the bot; queries report it.
    pool.on("error", () => {});
    if (opts.migrate) {
      const c = await pool.connect(); // one session: the advisory lock is per connection
      try {
        await applyMigrations({ exec: (s) => c.query(s), query: (s, p) => c.query(s, p as unknown[]), lock: true }, MIGRATIONS_DIR, log);
      } finally {
        c.release();
      }
    }
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    await connectPrisma(prisma);
    const replica = target.readUrl ? await openReplica(target.readUrl) : undefined;
    return {
      prisma,
      replica: replica?.prisma,
      kind: "postgresql",
      ping: async () => {
        try {
          await pool.query("SELECT 1");
          return true;
        } catch {
          return false;
        }
      },
      close: async () => {
        await replica?.close();
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  let dir: string | undefined;
  let creating = false;
  if (url !== "memory:") {
    dir = join(target.dataDir ?? "./data", "pglite");
    creating = !existsSync(join(dir, "PG_VERSION"));
    if (creating && opts.template !== false && copyPgliteTemplate(opts.template ?? pgliteTemplatePath(), dir)) {
      creating = false;
      log("created the embedded database from the build's template");
    }
    mkdirSync(dir, { recursive: true });
  }
  const loadDataDir = url === "memory:" && memoryTemplate ? await memoryTemplate() : undefined;
  // One options object: PGlite's constructor drops its second argument when the first (the
  // folder) is undefined, as it is for "memory:".
  const pglite = new PGlite({ dataDir: dir, loadDataDir, startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  if (creating) collectAfterCreation();
  if (opts.migrate) await applyMigrations({ exec: (s) => pglite.exec(s), query: (s, p) => pglite.query(s, p) }, MIGRATIONS_DIR, log);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  // PGlite's own module must be compiled before connectPrisma narrows V8 to its baseline compiler.
  await pglite.waitReady;
  await connectPrisma(prisma);
  return {
    prisma,
    kind: "pglite",
    ping: async () => {
      try {
        await pglite.query("SELECT 1");
        return !pglite.closed;
      } catch {
        return false;
      }
    },
    // An open PGlite keeps Node alive: it must be closed explicitly.
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

