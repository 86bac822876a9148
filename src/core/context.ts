import type { Logger } from "pino";
import type { FlywheelConfig } from "../config/file";
import type { Db } from "../db/client";
import type { Clock } from "./clock";
import type { GhItem, PullExtras } from "./github/refs";
import type { Place } from "./reply";

export type RoleName = "member" | "steward" | "staff";
export type PlatformName = Place["platform"];

/** A GitHub operation core needs, provided by src/github when a token is configured. */
export interface GithubGateway {
  createIssue(repo: string, title: string, body: string): Promise<{ number: number; url: string; title: string; nodeId?: string }>;
  /** One issue or pull request as GitHub has it now (a UserError when it does not exist). */
  getItem?(repo: string, number: number): Promise<GhItem>;
  /** What a pull request's webhook lacks: its commit messages, commit authors and reviewers. */
  pullDetails?(repo: string, number: number): Promise<PullExtras>;
}

/** Counters core bumps; src/server/metrics implements them with prom-client. */
export interface MetricsSink {
  commandHandled(command: string, platform: string, outcome: "ok" | "user_error" | "error"): void;
  /** An inbound delivery (a GitHub webhook, a Slack event) by source and event name. */
  webhookReceived(source: string, event: string): void;
  /** A digest run: posted, empty (nothing to say), or already claimed by another run. */
  digestRun(outcome: "posted" | "empty" | "already"): void;
}

/** What every core service and command gets: the database, the clock, the config. */
export interface Services {
  /** The primary: every write, and every read that decides a write. */
  db: Db;
  /** A read replica (DATABASE_READ_URL), only ever chosen through src/core/reads.ts. */
  replica?: Db;
  clock: Clock;
  config: FlywheelConfig;
  log: Logger;
  github?: GithubGateway;
  metrics?: MetricsSink;
  /** Base URL of this bot's public pages (roadmap links), when known. */
  publicUrl?: string;
}

/** Who is speaking, resolved to one Person and the Community they speak for. */
export interface Actor {
  personId: number;
  displayName: string;
  role: RoleName;
  communityId: number | null;
  communitySlug: string | null;
  platform: PlatformName;
  externalId: string;
}
