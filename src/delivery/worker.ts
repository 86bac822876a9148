import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Prisma } from "../generated/prisma/client";
import type { Services } from "../core/context";
import { placeOf } from "../core/outbox";
import type { Reply } from "../core/reply";
import { scrubSecrets } from "../log";
import { type Deliverer, type FailureReason, PermanentFailure, RetryLater } from "./deliverer";

/** A row that just went dead, as hooks and the staff alert see it. */
export interface DeadRow {
  id: number;
  key: string;
  platform: string;
  workspace: string;
  channel: string;
  attempts: number;
  error: string;
  /** Set when the platform said why in a way a feature acts on (a refused DM). */
  reason?: FailureReason;
}

export type RetryReason = "rate_limited" | "error";

export interface WorkerOptions {
  /** Failed attempts (5xx, network) before a row is marked dead. 429s do not count. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pollMs?: number;
  batch?: number;
  /** How long a claimed row stays reserved for this worker; renewed while its delivery runs. */
  leaseMs?: number;
  /**
   * How long before a paced channel's turn its next row is claimed; the delivery then waits for
   * the turn, so claiming it is not what makes the message late.
   */
  paceLeadMs?: number;
  /**
   * Only this process uses the database (embedded PGlite): leases left by an earlier run of it
   * are stale at start, so its rows resume at once instead of after the lease.
   */
  exclusive?: boolean;
  /** Runs inside the transaction that marks a row dead, so a follow-up (the staff alert) is recorded once, with it. */
  onDeadTx?: (tx: Prisma.TransactionClient, row: DeadRow) => Promise<void>;
  /** Called after a row went dead (metrics). */
  onDead?: (row: DeadRow) => void | Promise<void>;
  onDelivered?: (platform: string) => void;
  onRetry?: (platform: string, reason: RetryReason) => void;
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
  inDoubt: boolean;
  /** The channel's latest delivery (paced platforms only): its next post waits until pace after it. */
  lastDeliveredAt: Date | null;
};

type Outcome =
  | { kind: "delivered"; externalId: string | null; thread: string | null }
  | { kind: "wait"; ms: number; error: string }
  | { kind: "failed"; permanent: boolean; error: string; reason?: FailureReason };

/** "fetch failed (ECONNREFUSED)": the message, plus the network cause fetch hides in `cause`. */
function errorText(e: unknown): string {
  const err = e as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const message = typeof err?.message === "string" ? err.message : String(e);
  const cause = err?.cause?.code ?? err?.cause?.message;
  return typeof cause === "string" && !message.includes(cause) ? `${message} (${cause})` : message;
}

const DEFAULTS = {
  maxAttempts: 12,
  baseDelayMs: 1000,
  maxDelayMs: 10 * 60_000,
  pollMs: 500,
  batch: 25,
  leaseMs: 60_000,
  paceLeadMs: 100,
  exclusive: false,
  random: Math.random,
};

/**
 * Delivers outbox rows, on one replica or many.
 *
 * - Claiming: `FOR UPDATE SKIP LOCKED` plus a lease owned by this worker (lockedBy), so two
 *   workers never take the same row; the lease is renewed while a delivery runs, and only the
 *   owner records the outcome. A worker that dies leaves its lease to expire; the row is then
 *   claimed again and flagged `inDoubt` for the deliverer.
 * - Order: only the oldest pending row of each channel is claimable, so a channel's messages
 *   arrive in the order they were enqueued, retries included.
 * - Pacing: on a platform whose deliverer sets channelPaceMs, a channel's next post leaves no
 *   sooner than that after its last delivery (deliveredAt, in the database, so every worker keeps
 *   to it). The row is claimed paceLeadMs before that turn and held until it; the worker that
 *   delivered wakes up for it then, not at the next poll. Different channels go on in parallel.
 * - Failures: 429 waits for Retry-After without counting as an attempt; other failures back off
 *   exponentially with jitter; after maxAttempts (or a PermanentFailure) the row is dead.
 */
export class OutboxWorker {
  private timer?: NodeJS.Timeout;
  private stopped = true;
  /** Deliveries under way (at most `batch`, at most one per channel). */
  private inFlight = new Set<Promise<void>>();
  private pumping?: Promise<void>;
  private pumpAgain = false;
  private first = true;
  /** When the rows this worker put off (rate limit, backoff) are due again (epoch ms, ascending). */
  private dueTimes: number[] = [];
  readonly owner = randomUUID();
  private opts: typeof DEFAULTS & WorkerOptions;

  constructor(
    private services: Services,
    private deliverers: Deliverer[],
    opts: WorkerOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  private get platforms(): string[] {
    return this.deliverers.map((d) => d.platform);
  }

  private paceOf(platform: string): number {
    return Math.max(0, this.deliverers.find((d) => d.platform === platform)?.channelPaceMs ?? 0);
  }

  /** How long before a paced channel's turn its row may be claimed (never more than the pace). */
  private leadOf(platform: string): number {
    return Math.min(Math.max(0, this.opts.paceLeadMs), this.paceOf(platform));
  }

  private now(): Date {
    return this.services.clock.now();
  }

  /** Claims due rows (at most one per channel, the oldest pending one) for this worker. */
  async claim(limit = this.opts.batch): Promise<Row[]> {
    if (!this.platforms.length) return [];
    const now = this.now();
    const leaseEnd = new Date(now.getTime() + this.opts.leaseMs);
    // A paced channel's row is claimable from lead before its last delivery is pace old, and
    // posted (deliverOne) only then. deliveredAt is written after the platform answered, so the
    // next post reaches it at least pace after the previous one did.
    const paced = this.deliverers.filter((d) => this.paceOf(d.platform) > 0);
    const pacing = paced.map((d) => Prisma.sql`
          AND NOT (o.platform::text = ${d.platform} AND EXISTS (
            SELECT 1 FROM "OutboxMessage" l
            WHERE l.platform = o.platform AND l.workspace = o.workspace AND l.channel = o.channel
              AND l."deliveredAt" > ${new Date(now.getTime() - this.paceOf(d.platform) + this.leadOf(d.platform))}))`);
    const lastDelivered = paced.length
      ? Prisma.sql`CASE WHEN m.platform::text IN (${Prisma.join(paced.map((d) => d.platform))}) THEN (
          SELECT max(l."deliveredAt") FROM "OutboxMessage" l
          WHERE l.platform = m.platform AND l.workspace = m.workspace AND l.channel = m.channel) END`
      : Prisma.sql`NULL::timestamp(3)`;
    // A lockedUntil still set when the row is claimed again means the last claimer never
    // recorded an outcome: its delivery may or may not have reached the platform.
    return this.services.db.$queryRaw<Row[]>(Prisma.sql`
      WITH due AS (
        SELECT o.id, (o."lockedUntil" IS NOT NULL) AS "inDoubt"
        FROM "OutboxMessage" o
        WHERE o.status = 'pending' AND o."nextAttemptAt" <= ${now}
          AND (o."lockedUntil" IS NULL OR o."lockedUntil" < ${now})
          AND o.platform::text IN (${Prisma.join(this.platforms)})
          AND NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" p
            WHERE p.platform = o.platform AND p.workspace = o.workspace AND p.channel = o.channel
              AND p.status = 'pending' AND p.id < o.id)
          AND (o."parentId" IS NULL OR EXISTS (SELECT 1 FROM "OutboxMessage" t WHERE t.id = o."parentId" AND t.status <> 'pending'))
          AND (o."editOfId" IS NULL OR EXISTS (SELECT 1 FROM "OutboxMessage" t WHERE t.id = o."editOfId" AND t.status <> 'pending'))
          ${pacing.length ? Prisma.join(pacing, " ") : Prisma.empty}
        ORDER BY o.id
        LIMIT ${limit}
        FOR UPDATE OF o SKIP LOCKED)
      UPDATE "OutboxMessage" m SET "lockedUntil" = ${leaseEnd}, "lockedBy" = ${this.owner}
      FROM due WHERE m.id = due.id
      RETURNING m.id, m."idempotencyKey", m.platform::text AS platform, m.workspace, m.channel, m.thread,
                m."parentId", m."editOfId", m.payload, m.attempts, due."inDoubt", ${lastDelivered} AS "lastDeliveredAt"`);
  }

  /** Claims and delivers one batch; returns how many rows were handled. */
  async tick(): Promise<number> {
    const rows = await this.claim();
    const results = await Promise.allSettled(rows.map((r) => this.deliverOne(r)));
    for (const r of results) {
      // The row keeps its lease and is retried (in doubt) when the lease runs out.
      if (r.status === "rejected") this.services.log.error({ err: r.reason }, "could not record an outbox delivery outcome");
    }
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

  /** Makes rows leased by an earlier run of this (only) process claimable now. */
  async releaseStaleLeases(): Promise<number> {
    const res = await this.services.db.outboxMessage.updateMany({
      where: { status: "pending", lockedUntil: { not: null } },
      data: { lockedUntil: new Date(0) }, // still set: those rows stay "in doubt"
    });
    return res.count;
  }

  private async deliverOne(row: Row): Promise<void> {
    const stopRenewing = this.keepLease(row.id);
    let outcome: Outcome;
    try {
      await this.turnOf(row);
      outcome = await this.attempt(row);
    } finally {
      stopRenewing();
    }
    await this.record(row, outcome);
  }

  /** Waits until a paced channel may take its next post (at most the lead it was claimed with). */
  private async turnOf(row: Row): Promise<void> {
    if (!row.lastDeliveredAt) return;
    const wait = Math.min(row.lastDeliveredAt.getTime() + this.paceOf(row.platform) - this.now().getTime(), this.leadOf(row.platform));
    // A timer may fire a millisecond before the wall clock says it is due: never post early.
    const until = Date.now() + wait;
    while (Date.now() < until) await sleep(until - Date.now());
  }

  /** One try at the platform; every failure becomes an Outcome, never an exception. */
  private async attempt(row: Row): Promise<Outcome> {
    const db = this.services.db;
    try {
      const deliverer = this.deliverers.find((d) => d.platform === row.platform);
      if (!deliverer) throw new PermanentFailure(`no deliverer for ${row.platform}`);
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
      const result = await deliverer.deliver({
        id: row.id,
        key: row.idempotencyKey,
        place: { ...placeOf(row), thread },
        reply: row.payload as Reply,
        editExternalId,
        attempt: row.attempts + 1,
        inDoubt: row.inDoubt,
      });
      return { kind: "delivered", externalId: result.externalId ?? editExternalId ?? null, thread: result.thread ?? thread ?? null };
    } catch (e) {
      const error = scrubSecrets(errorText(e)).slice(0, 500);
      if (e instanceof RetryLater) return { kind: "wait", ms: Math.max(0, e.retryAfterMs), error };
      return e instanceof PermanentFailure ? { kind: "failed", permanent: true, error, reason: e.reason } : { kind: "failed", permanent: false, error };
    }
  }

  /** Writes the outcome, only while this worker still owns the row. */
  private async record(row: Row, outcome: Outcome): Promise<void> {
    const db = this.services.db;
    const mine = { id: row.id, status: "pending" as const, lockedBy: this.owner };
    const released = { lockedUntil: null, lockedBy: null };
    const stillMine = (count: number) => {
      if (!count) this.services.log.warn({ outboxId: row.id }, "outbox lease was lost before the outcome was recorded");
      return count > 0;
    };
    if (outcome.kind === "delivered") {
      const deliveredAt = this.now();
      const res = await db.outboxMessage.updateMany({
        where: mine,
        data: { ...released, status: "delivered", attempts: { increment: 1 }, externalId: outcome.externalId, thread: outcome.thread, deliveredAt, lastError: null },
      });
      const pace = this.paceOf(row.platform);
      // The channel's next row becomes claimable then: wake for it, not at the next poll.
      if (pace > 0) this.dueAgainIn(deliveredAt.getTime() + pace - this.leadOf(row.platform) - this.now().getTime());
      if (stillMine(res.count)) this.opts.onDelivered?.(row.platform);
      return;
    }
    if (outcome.kind === "wait") {
      const res = await db.outboxMessage.updateMany({
        where: mine,
        data: { ...released, nextAttemptAt: new Date(this.now().getTime() + outcome.ms), lastError: outcome.error },
      });
      this.dueAgainIn(outcome.ms);
      if (stillMine(res.count)) this.opts.onRetry?.(row.platform, "rate_limited");
      return;
    }
    const attempts = row.attempts + 1;
    if (outcome.permanent || attempts >= this.opts.maxAttempts) {
      const dead: DeadRow = { id: row.id, key: row.idempotencyKey, platform: row.platform, workspace: row.workspace, channel: row.channel, attempts, error: outcome.error, ...(outcome.reason ? { reason: outcome.reason } : {}) };
      const marked = await db.$transaction(async (tx) => {
        const res = await tx.outboxMessage.updateMany({ where: mine, data: { ...released, status: "dead", attempts, lastError: outcome.error } });
        if (res.count && this.opts.onDeadTx) await this.opts.onDeadTx(tx, dead);
        return res.count;
      });
      if (!stillMine(marked)) return;
      this.services.log.warn({ outboxId: row.id, platform: row.platform, attempts, error: outcome.error }, "outbox message is dead");
      await this.opts.onDead?.(dead);
      return;
    }
    const backoff = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempts - 1));
    const jittered = backoff / 2 + (backoff / 2) * this.opts.random();
    const res = await db.outboxMessage.updateMany({
      where: mine,
      data: { ...released, attempts, nextAttemptAt: new Date(this.now().getTime() + jittered), lastError: outcome.error },
    });
    this.dueAgainIn(jittered);
    if (stillMine(res.count)) this.opts.onRetry?.(row.platform, "error");
  }

  /** Remembers when a put-off row or a paced channel is due, so the loop wakes for it then rather than at the next poll. */
  private dueAgainIn(ms: number): void {
    const at = Date.now() + ms;
    let i = this.dueTimes.length;
    while (i > 0 && this.dueTimes[i - 1] > at) i--;
    this.dueTimes.splice(i, 0, at);
  }

  /**
   * How long to sleep after a round with nothing to do: the poll interval, or less when a row
   * this worker put off (or a channel it paced) is due sooner, so a channel's next message leaves
   * as soon as its pace allows, not up to a poll interval later.
   */
  private idleDelay(): number {
    return this.dueTimes.length ? Math.max(0, Math.min(this.opts.pollMs, this.dueTimes[0] - Date.now())) : this.opts.pollMs;
  }

  /** Forgets the wake-ups due at or before `at`: a claim that began then has looked for their rows. */
  private spendDue(at: number): void {
    let past = 0;
    while (past < this.dueTimes.length && this.dueTimes[past] <= at) past++;
    this.dueTimes.splice(0, past);
  }

  /** Renews the lease while a slow delivery (a platform holding the request) is still running. */
  private keepLease(id: number): () => void {
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    const timer = setInterval(() => {
      this.services.db.outboxMessage
        .updateMany({
          where: { id, status: "pending", lockedBy: this.owner },
          data: { lockedUntil: new Date(this.now().getTime() + this.opts.leaseMs) },
        })
        .catch((e: unknown) => this.services.log.warn({ err: e, outboxId: id }, "could not renew an outbox lease"));
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * Delivers continuously: claims due rows while fewer than `batch` deliveries are under way, and
   * claims again as soon as one finishes (the channel's next row may now be claimable), rather
   * than waiting for a whole batch. Idle, it sleeps until the poll interval or the moment a row it
   * put off is due, whichever is sooner.
   */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.first = true;
    this.wake(0);
  }

  private wake(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      if (this.pumping) this.pumpAgain = true;
      else this.pumping = this.pump().finally(() => (this.pumping = undefined));
    }, ms);
  }

  private async pump(): Promise<void> {
    let claimed = 0;
    const room = this.opts.batch - this.inFlight.size;
    const looked = Date.now();
    try {
      if (this.first && this.opts.exclusive) await this.releaseStaleLeases();
      this.first = false;
      if (room > 0) {
        const rows = await this.claim(room);
        claimed = rows.length;
        for (const row of rows) {
          const delivery: Promise<void> = this.deliverOne(row)
            // The row keeps its lease and is retried (in doubt) when the lease runs out.
            .catch((e: unknown) => this.services.log.error({ err: e }, "could not record an outbox delivery outcome"))
            .finally(() => {
              this.inFlight.delete(delivery);
              this.wake(0);
            });
          this.inFlight.add(delivery);
        }
      }
    } catch (e) {
      this.services.log.error({ err: e }, "outbox tick failed");
    }
    // What was due when this round began was there for its claim to take (or the claim failed,
    // and the poll tries again): those wake-ups are spent. One due while the claim ran is not.
    if (room > 0) this.spendDue(looked);
    if (this.stopped) return;
    const more = this.pumpAgain || (claimed > 0 && claimed === room);
    this.pumpAgain = false;
    if (more) this.wake(0);
    // With every slot taken there is nothing to claim; the next delivery to finish wakes the loop.
    else if (!this.timer && room > 0) this.wake(this.idleDelay());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pumping?.catch(() => {});
    await Promise.allSettled([...this.inFlight]);
  }
}
