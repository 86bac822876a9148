import type { Logger } from "pino";
import { type Env } from "./config/env";
import { type FlywheelConfig, loadConfigFile } from "./config/file";
import { type Clock, systemClock } from "./core/clock";
import type { Services } from "./core/context";
import { ThreadMessages } from "./core/inbound";
import { forPublicReads } from "./core/reads";
import { syncCommunities } from "./core/people/communities";
import { subscribeSupport } from "./core/support/relay";
import { ticketDeliveryFailed } from "./core/support/unreachable";
import { openDatabase, type Database } from "./db/client";
import type { Deliverer } from "./delivery/deliverer";
import { deadLetterAlert } from "./delivery/dead-alert";
import { OutboxWorker, type WorkerOptions } from "./delivery/worker";
import { scheduleJobs } from "./jobs";
import { AdvisoryLockLeader, DISCORD_GATEWAY_LOCK_KEY, type Leadership, SoleLeader } from "./jobs/leader";
import { Scheduler } from "./jobs/scheduler";
import { createLogger } from "./log";
import type { PlatformStatus, StartedPlatform } from "./platforms/platform";
import { mountHealth } from "./server/health";
import { HttpServer } from "./server/http";
import { Metrics, mountMetrics } from "./server/metrics";
import { mountRoadmap } from "./web/roadmap";

/** A running Flywheel: everything main, the CLI's admin endpoint or a test needs to reach. */
export interface App {
  env: Env;
  services: Services;
  database: Database;
  http: HttpServer;
  port: number;
  worker: OutboxWorker;
  /** The outbox worker's deliverers, one per platform (it reads this list on every delivery). */
  deliverers: Deliverer[];
  /** Cron jobs (src/jobs/), run only on the replica that holds the scheduler lock. */
  scheduler: Scheduler;
  metrics: Metrics;
  /** Each started platform's connection state; /healthz shows it. */
  platforms: Map<string, () => PlatformStatus>;
  /** Plain thread/DM messages the platforms see, for the features that subscribe (support relay). */
  threads: ThreadMessages;
  /** A leader election for a connection only one replica may hold (see PlatformContext.elect). */
  elect(role: "discord-gateway"): Leadership;
  /** Mounts what a started platform hands back: its routes, deliverer, status and stop. */
  attach(platform: StartedPlatform): void;
  stop(): Promise<void>;
}

export interface StartOptions {
  env: Env;
  config?: FlywheelConfig;
  clock?: Clock;
  log?: Logger;
  /** Database URL override ("memory:" for tests); defaults to env.DATABASE_URL or DATA_DIR. */
  databaseUrl?: string;
  /** Read replica URL override; defaults to env.DATABASE_READ_URL (PostgreSQL only). */
  readUrl?: string;
  /** Extra deliverers (the shell's, test stand-ins). */
  deliverers?: Deliverer[];
  worker?: WorkerOptions & { autostart?: boolean };
  /** false: no scheduled jobs (tests); pollMs: how often a follower replica tries the scheduler lock. */
  scheduler?: false | { pollMs?: number };
  /** Start Slack/Discord/GitHub when their variables are set (default true). */
  platforms?: boolean;
  listen?: boolean;
}

export async function startApp(opts: StartOptions): Promise<App> {
  const { env } = opts;
  const log = opts.log ?? createLogger(env.LOG_LEVEL);
  const config = opts.config ?? loadConfigFile(env.FLYWHEEL_CONFIG).config;
  const database = await openDatabase(
    { url: opts.databaseUrl ?? env.DATABASE_URL, dataDir: env.DATA_DIR, readUrl: opts.readUrl ?? env.DATABASE_READ_URL },
    { migrate: true, log: (line) => log.info(line) },
  );
  if ((opts.readUrl ?? env.DATABASE_READ_URL) && database.kind === "pglite") log.warn("DATABASE_READ_URL is ignored: it needs DATABASE_URL (PostgreSQL) as the primary");
  // Run in reverse order on stop: the database closes last.
  const stopHooks: (() => Promise<void>)[] = [() => database.close()];
  const runStopHooks = async () => {
    for (const hook of [...stopHooks].reverse()) {
      try {
        await hook();
      } catch (e) {
        log.warn({ err: e }, "stop hook failed");
      }
    }
  };
  try {
    const sync = await syncCommunities(database.prisma, config);
    if (sync.added.length || sync.changed.length || sync.removed.length) log.info(sync, "communities synced from config");
    const metrics = new Metrics(database.prisma, log);
    const services: Services = {
      db: database.prisma,
      replica: database.replica,
      clock: opts.clock ?? systemClock,
      config,
      log,
      metrics,
      publicUrl: env.PUBLIC_URL,
    };
    const url = opts.databaseUrl ?? env.DATABASE_URL;
    const pollMs = opts.scheduler ? opts.scheduler.pollMs : undefined;
    const elect = (role: "scheduler" | "discord-gateway"): Leadership =>
      database.kind === "postgresql" && url
        ? new AdvisoryLockLeader(url, { log, pollMs, role, key: role === "scheduler" ? undefined : DISCORD_GATEWAY_LOCK_KEY })
        : new SoleLeader();
    const leadership = elect("scheduler");
    const scheduler = new Scheduler(leadership, log);
    scheduleJobs(scheduler, services);
    const http = new HttpServer(log);
    const deliverers: Deliverer[] = [...(opts.deliverers ?? [])];
    // A private ticket's refused DM is told to staff on its card, once; any other dead row gets the generic alert.
    const generic = deadLetterAlert(config);
    const deadAlert: WorkerOptions["onDeadTx"] = async (tx, row) => {
      if (!(await ticketDeliveryFailed(tx, services, row))) await generic(tx, row);
    };
    const worker = new OutboxWorker(
      services,
      deliverers,
      metrics.countingWorker({ exclusive: database.kind === "pglite", onDeadTx: deadAlert, ...opts.worker }),
    );
    const platforms = new Map<string, () => PlatformStatus>();
    const threads = new ThreadMessages(log);
    const app: App = {
      env,
      services,
      database,
      http,
      port: 0,
      worker,
      deliverers,
      scheduler,
      metrics,
      platforms,
      threads,
      elect,
      attach(platform) {
        for (const r of platform.routes ?? []) http.route(r.method, r.path, r.handler);
        if (platform.deliverer) deliverers.push(platform.deliverer);
        platforms.set(platform.name, platform.status);
        if (platform.stop) stopHooks.push(() => platform.stop!());
      },
      stop: runStopHooks,
    };
    mountHealth(http, app);
    // Anonymous public reads: the pages, the JSON API and the feed may lag the primary by the replica's lag.
    mountRoadmap(http, forPublicReads(services));
    mountMetrics(http, metrics);
    subscribeSupport(services, threads);
    if (opts.platforms !== false) {
      const { startPlatforms } = await import("./platforms");
      const started = await startPlatforms(app);
      if (started.github) services.github = started.github;
      for (const p of started.started) app.attach(p);
    }
    if (opts.worker?.autostart !== false) {
      worker.start();
      stopHooks.push(() => worker.stop());
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
    await runStopHooks();
    throw e;
  }
}
