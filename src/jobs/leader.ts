import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Client } from "pg";
import type { Logger } from "pino";

export interface LeadershipHandlers {
  /** This replica is now the one that runs scheduled jobs. */
  elected(): void | Promise<void>;
  /** It no longer is (stopping, or its database session died): stop scheduling. */
  demoted(): void | Promise<void>;
}

/** Decides which replica runs the scheduled jobs. */
export interface Leadership {
  /** Who this replica is, in logs and in DigestRun.claimedBy. */
  readonly id: string;
  readonly isLeader: boolean;
  start(handlers: LeadershipHandlers): void;
  /** Resolves once the first attempt after start() is over, elected or not (and elected() has run). */
  decided(): Promise<void>;
  stop(): Promise<void>;
}

export const replicaId = (): string => `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;

/** The embedded database has one process by construction: it always leads. */
export class SoleLeader implements Leadership {
  isLeader = false;
  private handlers?: LeadershipHandlers;
  constructor(readonly id: string = replicaId()) {}

  private first: Promise<void> = Promise.resolve();

  start(handlers: LeadershipHandlers): void {
    this.handlers = handlers;
    this.isLeader = true;
    this.first = Promise.resolve(handlers.elected()).catch(() => {});
  }

  decided(): Promise<void> {
    return this.first;
  }

  async stop(): Promise<void> {
    if (!this.isLeader) return;
    this.isLeader = false;
    await this.handlers?.demoted();
  }
}

/** Key of the scheduler's session advisory lock ("Flyw"); any constant all replicas share. */
export const SCHEDULER_LOCK_KEY = 0x466c7977;
/** Key of the Discord gateway's lock ("Flyd"): its own, so the gateway and the jobs may lead on different replicas. */
export const DISCORD_GATEWAY_LOCK_KEY = 0x466c7964;

export interface AdvisoryLockOptions {
  id?: string;
  /** How often a follower tries the lock, and the leader checks its session is alive. */
  pollMs?: number;
  key?: number;
  /** What the lock elects a leader for, in logs and the session's application_name (default "scheduler"). */
  role?: string;
  log: Logger;
}

/**
 * Leader election on PostgreSQL: the replica whose dedicated session holds a session-level
 * advisory lock leads. When that process dies, PostgreSQL ends its session and frees the lock;
 * a follower's next try takes it. A leader whose session breaks steps down at once. Needs a
 * direct connection (or session pooling): transaction-pooling proxies cannot hold session locks.
 */
export class AdvisoryLockLeader implements Leadership {
  readonly id: string;
  isLeader = false;
  private client?: Client;
  private handlers?: LeadershipHandlers;
  private timer?: NodeJS.Timeout;
  private step?: Promise<void>;
  private stopped = false;
  private readonly pollMs: number;
  private readonly key: number;
  private readonly role: string;
  private firstTry?: Promise<void>;
  private firstDone: () => void = () => {};

  constructor(
    private readonly url: string,
    private readonly opts: AdvisoryLockOptions,
  ) {
    this.id = opts.id ?? replicaId();
    this.pollMs = opts.pollMs ?? 5000;
    this.key = opts.key ?? SCHEDULER_LOCK_KEY;
    this.role = opts.role ?? "scheduler";
  }

  start(handlers: LeadershipHandlers): void {
    this.handlers = handlers;
    this.stopped = false;
    this.firstTry = new Promise((resolve) => (this.firstDone = resolve));
    this.next(0);
  }

  decided(): Promise<void> {
    return this.firstTry ?? Promise.resolve();
  }

  private next(ms: number): void {
    if (this.stopped) return this.firstDone();
    this.timer = setTimeout(() => {
      this.step = this.tryLead().finally(() => {
        this.firstDone();
        this.next(this.pollMs);
      });
    }, ms);
  }

  private async tryLead(): Promise<void> {
    try {
      const client = this.client ?? (await this.connect());
      if (this.isLeader) {
        await client.query("SELECT 1"); // the lock lives as long as this session: check it is alive
        return;
      }
      const res = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [this.key]);
      if (res.rows[0]?.ok && !this.stopped) {
        this.isLeader = true;
        this.opts.log.info({ replica: this.id, role: this.role }, this.role === "scheduler" ? "this replica now runs the scheduled jobs" : `this replica now leads: ${this.role}`);
        await this.handlers?.elected();
      }
    } catch (e) {
      this.opts.log.warn({ err: e, replica: this.id }, `${this.role} lock session failed`);
      await this.lose();
    }
  }

  private async connect(): Promise<Client> {
    // Loaded here: the embedded database (SoleLeader) never needs the pg driver.
    const { Client } = await import("pg");
    const client = new Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 10_000, application_name: `flywheel-${this.role}` });
    // A broken session means the lock is gone: step down at once rather than at the next check.
    const broken = () => {
      if (this.client === client) void this.lose();
    };
    client.on("error", (e) => {
      this.opts.log.warn({ err: e, replica: this.id }, `${this.role} lock session error`);
      broken();
    });
    client.on("end", broken);
    try {
      await client.connect();
    } catch (e) {
      await client.end().catch(() => {});
      throw e;
    }
    this.client = client;
    return client;
  }

  private async lose(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.isLeader) {
      this.isLeader = false;
      this.opts.log.warn({ replica: this.id, role: this.role }, `this replica lost the ${this.role} lock`);
      await this.handlers?.demoted();
    }
    await client?.end().catch(() => {});
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.firstDone();
    if (this.timer) clearTimeout(this.timer);
    await this.step?.catch(() => {});
    const client = this.client;
    this.client = undefined;
    if (this.isLeader) {
      this.isLeader = false;
      // Jobs stop before the lock is freed, so the next leader never overlaps them.
      await this.handlers?.demoted();
      await client?.query("SELECT pg_advisory_unlock($1::bigint)", [this.key]).catch(() => {});
    }
    await client?.end().catch(() => {});
  }
}
