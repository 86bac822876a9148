import { randomUUID } from "node:crypto";
import { Prisma } from "../generated/prisma/client";
import type { Services } from "../core/context";
import { placeOf } from "../core/outbox";
import type { Reply } from "../core/reply";
import { scrubSecrets } from "../log";
import { type Deliverer, PermanentFailure, RetryLater } from "./deliverer";

export interface WorkerOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pollMs?: number;
  batch?: number;
  /** How long a claimed row stays reserved for this worker before another may take it. */
  leaseMs?: number;
  /** Called once when a row goes dead (staff alert, metrics). */
  onDead?: (row: { id: number; key: string; platform: string; channel: string; error: string }) => void | Promise<void>;
  onDelivered?: (platform: string) => void;
  onRetry?: (platform: string) => void;
  random?: () => number;
}

type Row = {
  id: number;
  idempotencyKey: string;
  platform: "slack" | "discord" | "shell" | "github";
  workspace: string;
  channel: string;
  thread: string | null;
  parentId: number | null;
  editOfId: number | null;
  payload: unknown;
  attempts: number;
};

/**
 * Delivers outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED plus a lease, so several
 * replicas never take the same row; only the oldest pending row of each channel is claimable,
 * so a channel's messages arrive in order. 429s wait for Retry-After without counting as an
 * attempt; other failures back off exponentially with jitter until the row goes dead.
 */
export class OutboxWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = true;
  readonly owner = randomUUID();
  private opts: Required<Omit<WorkerOptions, "onDead" | "onDelivered" | "onRetry">> & WorkerOptions;

  constructor(
    private services: Services,
    private deliverers: Deliverer[],
    opts: WorkerOptions = {},
  ) {
    this.opts = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, pollMs: 500, batch: 25, leaseMs: 60_000, random: Math.random, ...opts };
  }

  private get platforms(): string[] {
    return this.deliverers.map((d) => d.platform);
  }

  /** Claims due rows (at most one per channel) for this worker. */
  async claim(): Promise<Row[]> {
    if (!this.platforms.length) return [];
    const now = this.services.clock.now();
    const leaseEnd = new Date(now.getTime() + this.opts.leaseMs);
    return this.services.db.$transaction(async (tx) =>
      tx.$queryRaw<Row[]>(Prisma.sql`
        UPDATE "OutboxMessage" SET "lockedUntil" = ${leaseEnd}
        WHERE id IN (
          SELECT o.id FROM "OutboxMessage" o
          WHERE o.status = 'pending' AND o."nextAttemptAt" <= ${now}
            AND (o."lockedUntil" IS NULL OR o."lockedUntil" < ${now})
            AND o.platform::text IN (${Prisma.join(this.platforms)})
            AND NOT EXISTS (
              SELECT 1 FROM "OutboxMessage" p
              WHERE p.platform = o.platform AND p.workspace = o.workspace AND p.channel = o.channel
                AND p.status = 'pending' AND p.id < o.id)
            AND (o."parentId" IS NULL OR EXISTS (SELECT 1 FROM "OutboxMessage" t WHERE t.id = o."parentId" AND t.status <> 'pending'))
            AND (o."editOfId" IS NULL OR EXISTS (SELECT 1 FROM "OutboxMessage" t WHERE t.id = o."editOfId" AND t.status <> 'pending'))
          ORDER BY o.id
          LIMIT ${this.opts.batch}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, "idempotencyKey", platform::text AS platform, workspace, channel, thread, "parentId", "editOfId", payload, attempts`),
    );
  }

  /** Claims and delivers one batch; returns how many rows were handled. */
  async tick(): Promise<number> {
    const rows = await this.claim();
    await Promise.all(rows.map((r) => this.deliverOne(r)));
    return rows.length;
  }

  /** Delivers until nothing is due (tests and the CLI). */
  async drain(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.tick();
      if (!n) break;
      total += n;
    }
    return total;
  }

  private async deliverOne(row: Row): Promise<void> {
    const db = this.services.db;
    const deliverer = this.deliverers.find((d) => d.platform === row.platform)!;
    const now = () => this.services.clock.now();
    try {
      let thread = row.thread ?? undefined;
      if (row.parentId) {
        const parent = await db.outboxMessage.findUnique({ where: { id: row.parentId } });
        if (!parent || parent.status === "dead" || !parent.externalId) throw new PermanentFailure(`thread parent #${row.parentId} was never posted`);
        thread = parent.thread ?? parent.externalId;
      }
      let editExternalId: string | undefined;
      if (row.editOfId) {
        const target = await db.outboxMessage.findUnique({ where: { id: row.editOfId } });
        if (!target || target.status === "dead" || !target.externalId) throw new PermanentFailure(`message to edit (#${row.editOfId}) was never posted`);
        editExternalId = target.externalId;
        thread = target.thread ?? thread;
      }
      const place = { ...placeOf(row), thread };
      const result = await deliverer.deliver({
        id: row.id,
        key: row.idempotencyKey,
        place,
        reply: row.payload as Reply,
        editExternalId,
        attempt: row.attempts + 1,
      });
      await db.outboxMessage.update({
        where: { id: row.id },
        data: {
          status: "delivered",
          attempts: { increment: 1 },
          externalId: result.externalId ?? editExternalId ?? null,
          thread: result.thread ?? thread ?? null,
          deliveredAt: now(),
          lockedUntil: null,
          lastError: null,
        },
      });
      this.opts.onDelivered?.(row.platform);
    } catch (e) {
      const message = scrubSecrets(e instanceof Error ? e.message : String(e)).slice(0, 500);
      if (e instanceof RetryLater) {
        await db.outboxMessage.update({
          where: { id: row.id },
          data: { nextAttemptAt: new Date(now().getTime() + Math.max(0, e.retryAfterMs)), lockedUntil: null, lastError: message },
        });
        this.opts.onRetry?.(row.platform);
        return;
      }
      const attempts = row.attempts + 1;
      if (e instanceof PermanentFailure || attempts >= this.opts.maxAttempts) {
        await db.outboxMessage.update({ where: { id: row.id }, data: { status: "dead", attempts, lockedUntil: null, lastError: message } });
        this.services.log.warn({ outboxId: row.id, platform: row.platform, error: message }, "outbox message is dead");
        await this.opts.onDead?.({ id: row.id, key: row.idempotencyKey, platform: row.platform, channel: row.channel, error: message });
        return;
      }
      const backoff = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempts - 1));
      const jittered = backoff / 2 + (backoff / 2) * this.opts.random();
      await db.outboxMessage.update({
        where: { id: row.id },
        data: { attempts, nextAttemptAt: new Date(now().getTime() + jittered), lockedUntil: null, lastError: message },
      });
      this.opts.onRetry?.(row.platform);
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async () => {
      if (this.stopped) return;
      let handled = 0;
      try {
        this.running = this.tick();
        handled = (await this.running) as number;
      } catch (e) {
        this.services.log.error({ err: e }, "outbox tick failed");
      }
      if (!this.stopped) this.timer = setTimeout(loop, handled ? 0 : this.opts.pollMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => {});
  }
}
