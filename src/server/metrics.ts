import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import type { MetricsSink } from "../core/context";
import type { Db } from "../db/client";
import type { DeadRow, RetryReason, WorkerOptions } from "../delivery/worker";
import type { HttpServer } from "./http";

const PLATFORMS = ["slack", "discord", "shell", "github"] as const;

/**
 * Flywheel's Prometheus metrics, one registry per app (two apps in one process, as in tests,
 * never share counters). Counters count what this replica did; the outbox gauges read the
 * database, so they show the whole deployment whichever replica is scraped.
 */
export class Metrics implements MetricsSink {
  readonly registry = new Registry();
  private readonly commands: Counter<"command" | "platform" | "outcome">;
  private readonly webhooks: Counter<"source" | "event">;
  private readonly delivered: Counter<"platform">;
  private readonly retried: Counter<"platform" | "reason">;
  private readonly dead: Counter<"platform">;
  private readonly digests: Counter<"outcome">;

  constructor(db: Db, log: Logger) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.commands = new Counter({ name: "flywheel_commands_total", help: "Slash commands handled, by command, platform and outcome", labelNames: ["command", "platform", "outcome"], registers });
    this.webhooks = new Counter({ name: "flywheel_webhook_deliveries_total", help: "Inbound webhook and event deliveries, by source and event", labelNames: ["source", "event"], registers });
    this.delivered = new Counter({ name: "flywheel_outbox_delivered_total", help: "Outbox messages delivered by this replica", labelNames: ["platform"], registers });
    this.retried = new Counter({ name: "flywheel_outbox_retried_total", help: "Outbox deliveries put off for a retry (rate_limited: 429; error: 5xx or network)", labelNames: ["platform", "reason"], registers });
    this.dead = new Counter({ name: "flywheel_outbox_dead_total", help: "Outbox messages this replica gave up on", labelNames: ["platform"], registers });
    this.digests = new Counter({ name: "flywheel_digest_runs_total", help: "Digest runs: posted, empty (nothing happened), already (claimed by another run)", labelNames: ["outcome"], registers });

    const countByPlatform = async (gauge: Gauge<"platform">, status: "pending" | "dead") => {
      try {
        const rows = await db.outboxMessage.groupBy({ by: ["platform"], where: { status }, _count: { _all: true } });
        for (const p of PLATFORMS) gauge.set({ platform: p }, 0);
        for (const r of rows) gauge.set({ platform: r.platform }, r._count._all);
      } catch (e) {
        log.warn({ err: e }, "metrics: could not read the outbox");
      }
    };
    new Gauge({
      name: "flywheel_outbox_depth",
      help: "Outbox messages waiting to be delivered (all replicas)",
      labelNames: ["platform"],
      registers,
      async collect() {
        await countByPlatform(this, "pending");
      },
    });
    new Gauge({
      name: "flywheel_outbox_dead_messages",
      help: "Outbox messages marked dead (all replicas); /healthz shows the same count",
      labelNames: ["platform"],
      registers,
      async collect() {
        await countByPlatform(this, "dead");
      },
    });
  }

  commandHandled(command: string, platform: string, outcome: "ok" | "user_error" | "error"): void {
    this.commands.inc({ command, platform, outcome });
  }

  webhookReceived(source: string, event: string): void {
    this.webhooks.inc({ source, event: event || "unknown" });
  }

  digestRun(outcome: "posted" | "empty" | "already"): void {
    this.digests.inc({ outcome });
  }

  outboxDelivered(platform: string): void {
    this.delivered.inc({ platform });
  }

  outboxRetried(platform: string, reason: RetryReason): void {
    this.retried.inc({ platform, reason });
  }

  outboxDead(platform: string): void {
    this.dead.inc({ platform });
  }

  /** Worker options that also count deliveries, retries and dead rows (keeping any hooks given). */
  countingWorker(opts: WorkerOptions = {}): WorkerOptions {
    return {
      ...opts,
      onDelivered: (platform) => {
        this.outboxDelivered(platform);
        opts.onDelivered?.(platform);
      },
      onRetry: (platform, reason) => {
        this.outboxRetried(platform, reason);
        opts.onRetry?.(platform, reason);
      },
      onDead: async (row: DeadRow) => {
        this.outboxDead(row.platform);
        await opts.onDead?.(row);
      },
    };
  }
}

/** GET /metrics in the Prometheus text format. */
export function mountMetrics(http: HttpServer, metrics: Metrics): void {
  http.route("GET", "/metrics", async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { "content-type": metrics.registry.contentType, "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}
