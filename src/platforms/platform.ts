import type { Env } from "../config/env";
import type { Services } from "../core/context";
import type { ThreadMessages } from "../core/inbound";
import type { Deliverer } from "../delivery/deliverer";
import type { Leadership } from "../jobs/leader";
import type { Route } from "../server/http";

export type PlatformStatus = "connected" | "connecting" | "disconnected";

/** What a platform gets to start: settings, the core services, and the thread-message port. */
export interface PlatformContext {
  env: Env;
  services: Services;
  threads: ThreadMessages;
  /**
   * Elects which replica holds a connection only one may hold (the Discord gateway): an advisory
   * lock on PostgreSQL, always this process on the embedded database.
   */
  elect(role: "discord-gateway"): Leadership;
}

/**
 * What a started platform adds to the app, handed back rather than written into it, so a
 * platform never reaches into the app and the app decides when each part goes live.
 */
export interface StartedPlatform {
  name: string;
  /** Endpoints on the one HTTP server (Slack's events, GitHub's webhooks). */
  routes?: Route[];
  /** How the outbox worker sends this platform's messages. */
  deliverer?: Deliverer;
  /** Shown on /healthz. */
  status(): PlatformStatus;
  /** Run when the app stops, before the database closes. */
  stop?(): Promise<void>;
}
