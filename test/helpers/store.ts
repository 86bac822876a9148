import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApp, type App } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import type { Clock } from "../../src/core/clock";
import { syncCommunities } from "../../src/core/people/communities";
import { openDatabase } from "../../src/db/client";
import type { Db } from "../../src/db/client";
import type { Deliverer } from "../../src/delivery/deliverer";
import { freshDatabase } from "./db";
import { pgliteTemplate } from "./templates";

/**
 * A database that whole apps (and child processes) open by URL or folder, as a deployment does:
 * a PGlite folder on disk, or a fresh database on the PostgreSQL server.
 */
export interface Store {
  databaseUrl?: string;
  dataDir: string;
  /** Runs fn on the store. On PGlite only while no app has the folder open. */
  use<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

export async function createStore(target: string, configYaml: string, seed: (db: Db) => Promise<void>): Promise<Store> {
  const dataDir = mkdtempSync(join(tmpdir(), "flywheel-store-"));
  const config = parseConfig(configYaml);
  if (target === "pglite") {
    // The migrated template's folder, copied: what the first open would otherwise build with initdb.
    cpSync((await pgliteTemplate()).dir, join(dataDir, "pglite"), { recursive: true });
    const use = async <T>(fn: (db: Db) => Promise<T>) => {
      const database = await openDatabase({ dataDir }, { migrate: true });
      try {
        return await fn(database.prisma);
      } finally {
        await database.close();
      }
    };
    await use(async (db) => {
      await syncCommunities(db, config);
      await seed(db);
    });
    return { dataDir, use, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const fresh = await freshDatabase(target);
  await syncCommunities(fresh.database.prisma, config);
  await seed(fresh.database.prisma);
  return {
    databaseUrl: fresh.url,
    dataDir,
    use: (fn) => fn(fresh.database.prisma),
    cleanup: async () => {
      await fresh.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A whole app on the store, the way `flywheel start` runs one (minus Slack/Discord). */
export function startOn(store: Store, configYaml: string, clock: Clock, deliverers: Deliverer[], opts: { listen?: boolean; scheduler?: false } = {}): Promise<App> {
  return startApp({
    env: loadEnv({ LOG_LEVEL: "silent", DATA_DIR: store.dataDir, PORT: "0", HOST: "127.0.0.1" } as NodeJS.ProcessEnv),
    config: parseConfig(configYaml),
    clock,
    databaseUrl: store.databaseUrl,
    deliverers,
    platforms: false,
    listen: opts.listen ?? false,
    worker: { pollMs: 20, leaseMs: 2000 },
    scheduler: opts.scheduler ?? { pollMs: 100 },
  });
}
