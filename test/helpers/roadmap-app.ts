import { startApp, type App } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { createLogger } from "../../src/log";
import { freshDatabase } from "./db";

export interface RunningApp {
  app: App;
  clock: ManualClock;
  /** http://127.0.0.1:PORT */
  base: string;
  close(): Promise<void>;
}

/** The whole bot on 127.0.0.1 (no chat platforms), on a fresh PGlite or PostgreSQL database. */
export async function startRoadmapApp(target: string, yaml: string): Promise<RunningApp> {
  const fresh = target === "pglite" ? null : await freshDatabase(target);
  const clock = new ManualClock();
  const env = loadEnv({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" });
  let app: App;
  try {
    app = await startApp({
      env,
      config: parseConfig(yaml),
      clock,
      log: createLogger("silent"),
      databaseUrl: fresh ? fresh.url : "memory:",
      platforms: false,
      worker: { autostart: false },
    });
  } catch (e) {
    await fresh?.drop();
    throw e;
  }
  return {
    app,
    clock,
    base: `http://127.0.0.1:${app.port}`,
    async close() {
      await app.stop();
      await fresh?.drop();
    },
  };
}
