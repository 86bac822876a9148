import { startApp, type App } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { createLogger } from "../../src/log";
import { freshDatabase, TEST_CONFIG_YAML } from "./db";
import { recordingDeliverer, type RecordingDeliverer } from "./recorder";

export interface SupportApp {
  app: App;
  clock: ManualClock;
  slack: RecordingDeliverer;
  discord: RecordingDeliverer;
  shell: RecordingDeliverer;
  /** Delivers every due outbox row through the recording deliverers. */
  drain(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The whole bot as startApp builds it (support relay subscribed, outbox worker), on a fresh
 * database, with deliverers that record what Slack, Discord and the terminal would be sent.
 */
export async function startSupportApp(target: string, yaml = TEST_CONFIG_YAML): Promise<SupportApp> {
  const fresh = target === "pglite" ? undefined : await freshDatabase(target);
  const clock = new ManualClock();
  const slack = recordingDeliverer("slack");
  const discord = recordingDeliverer("discord");
  const shell = recordingDeliverer("shell");
  try {
    const app = await startApp({
      env: loadEnv({}),
      config: parseConfig(yaml),
      clock,
      log: createLogger("silent"),
      databaseUrl: fresh?.url ?? "memory:",
      deliverers: [slack, discord, shell],
      worker: { autostart: false },
      platforms: false,
      listen: false,
    });
    return {
      app,
      clock,
      slack,
      discord,
      shell,
      drain: () => app.worker.drain(),
      async close() {
        await app.stop();
        await fresh?.drop();
      },
    };
  } catch (e) {
    await fresh?.drop();
    throw e;
  }
}
