import type { Logger } from "pino";
import { type Env } from "./config/env";
import { type FlywheelConfig, loadConfigFile } from "./config/file";
import { cleanText } from "./core/clean-text";
import { type Clock, systemClock } from "./core/clock";
import { syncCommunities } from "./core/people/communities";
import type { Services } from "./core/context";
import type { ThreadMessageHandler } from "./core/inbound";
import { subscribeSupport } from "./core/support/relay";
import { ticketDeliveryFailed } from "./core/support/unreachable";
import { openDatabase, type Database } from "./db/client";
import type { Deliverer } from "./delivery/deliverer";
import { deadLetterAlert } from "./delivery/dead-alert";
import { OutboxWorker, type WorkerOptions } from "./delivery/worker";
import { digestJobs } from "./jobs/digests";
import { AdvisoryLockLeader, SoleLeader } from "./jobs/leader";
import { Scheduler } from "./jobs/scheduler";
import { runSupportReminders } from "./core/support/reminders";
import { forgetOldDeliveries } from "./jobs/forget-deliveries";
import { createLogger } from "./log";
import { HttpServer } from "./server/http";
import { mountHealth } from "./server/health";
import { mountRoadmap } from "./web/roadmap";
import { Metrics, mountMetrics } from "./server/metrics";

export type PlatformStatus = "connected" | "connecting" | "disconnected";

/** A running Flywheel: everything a platform module or a test needs to reach. */
export interface App {
  env: Env;
  services: Services;
  database: Database;
  http: HttpServer;
  port: number;
  worker: OutboxWorker;
  deliverers: Deliverer[];
  /** Cron jobs, run only on the replica that holds the scheduler lock; add yours with add(). */
  scheduler: Scheduler;
  metrics: Metrics;
  /** Platforms report their connection state here; /healthz shows it. */
  platforms: Map<string, () => PlatformStatus>;
  /** Subscribers to plain thread/DM messages the platforms see (support relay). */
  threadHandlers: ThreadMessageHandler[];
  /** Run in reverse order on stop. */
  stopHooks: (() => Promise<void>)[];
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Env;
  config?: FlywheelConfig;
  clock?: Clock;
  log?: Logger;
  /** Database URL override ("memory:" for tests); defaults to env.DATABASE_URL or DATA_DIR. */
  databaseUrl?: string;
  /** Extra deliverers (the shell's, test stand-ins). */
  deliverers?: Deliverer[];
  worker?: WorkerOptions & { autostart?: boolean };
  /** false: no scheduled jobs (tests); pollMs: how often a follower replica tries the scheduler lock. */
  scheduler?: false | { pollMs?: number };
  /** Start Slack/Discord/GitHub when their variables are set (default true). */
  platforms?: boolean;
  listen?: boolean;
}

/** Hands a thread message to every subscriber; one failing subscriber does not stop the others. */
export async function publishThreadMessage(app: App, said: Parameters<ThreadMessageHandler>[0]): Promise<void> {
  // Thread and DM messages from every platform are cleaned here, once, like command options.
  const m = { ...said, text: cleanText(said.text) };
  for (const h of app.threadHandlers) {
    try {
      await h(m);
    } catch (e) {
      app.services.log.error({ err: e }, "thread message handler failed");
    }
  }
}

export async function startApp(opts: StartOptions): Promise<App> {
  const { env } = opts;
  const log = opts.log ?? createLogger(env.LOG_LEVEL);
  const config = opts.config ?? loadConfigFile(env.FLYWHEEL_CONFIG).config;
  const database = await openDatabase(
    { url: opts.databaseUrl ?? env.DATABASE_URL, dataDir: env.DATA_DIR },
    { migrate: true, log: (line) => log.info(line) },
  );
  const stopHooks: (() => Promise<void>)[] = [() => database.close()];
  try {
    const sync = await syncCommunities(database.prisma, config);
    if (sync.added.length || sync.changed.length || sync.removed.length) log.info(sync, "communities synced from config");
    const metrics = new Metrics(database.prisma, log);
    const services: Services = {
      db: database.prisma,
      clock: opts.clock ?? systemClock,
      config,
      log,
      metrics,
      publicUrl: env.PUBLIC_URL,
    };
    const url = opts.databaseUrl ?? env.DATABASE_URL;
    const pollMs = opts.scheduler ? opts.scheduler.pollMs : undefined;
    const leadership = database.kind === "postgresql" && url ? new AdvisoryLockLeader(url, { log, pollMs }) : new SoleLeader();
    const scheduler = new Scheduler(leadership, log);
    scheduler.addSource(digestJobs(services, leadership.id));
    // SLA reminders: every minute is fine-grained enough for the shortest (15-minute) threshold.
    scheduler.add({ name: "support-reminders", cron: "* * * * *", run: () => runSupportReminders(services) });
    scheduler.add({ name: "forget-old-deliveries", cron: "23 3 * * *", run: () => forgetOldDeliveries(services) });
    const http = new HttpServer(log);
    const deliverers: Deliverer[] = [...(opts.deliverers ?? [])];
    const app: App = {
      env,
      services,
      database,
      http,
      port: 0,
      deliverers,
      scheduler,
      metrics,
      platforms: new Map(),
      threadHandlers: [],
      stopHooks,
      worker: undefined as unknown as OutboxWorker,
      async stop() {
        for (const hook of [...stopHooks].reverse()) {
          try {
            await hook();
          } catch (e) {
            log.warn({ err: e }, "stop hook failed");
          }
        }
      },
    };
    mountHealth(app);
    subscribeSupport(app);
    mountRoadmap(app);
    mountMetrics(app, metrics);
    if (opts.platforms !== false) {
      const { startPlatforms } = await import("./platforms");
      await startPlatforms(app);
    }
    // A private ticket's refused DM is told to staff on its card, once; any other dead row gets the generic alert.
    const generic = deadLetterAlert(config);
    const deadAlert: WorkerOptions["onDeadTx"] = async (tx, row) => {
      if (!(await ticketDeliveryFailed(tx, services, row))) await generic(tx, row);
    };
    app.worker = new OutboxWorker(
      services,
      deliverers,
      metrics.countingWorker({ exclusive: database.kind === "pglite", onDeadTx: deadAlert, ...opts.worker }),
    );
    if (opts.worker?.autostart !== false) {
      app.worker.start();
      stopHooks.push(() => app.worker.stop());
    }
    if (opts.scheduler !== false) {
      scheduler.start();
      stopHooks.push(() => scheduler.stop());
    }
    if (opts.listen !== false) {
      app.port = await http.listen(env.PORT, env.HOST);
      stopHooks.push(() => http.close());
    }
    return app;
  } catch (e) {
    for (const hook of [...stopHooks].reverse()) await hook().catch(() => {});
    throw e;
  }
}
