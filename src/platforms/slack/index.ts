import { webApi } from "@slack/bolt";
import { ConfigError } from "../../config/env";
import type { PlatformContext, PlatformStatus, StartedPlatform } from "../platform";
import { Background, within } from "./budget";
import { boltLogger, cachedIdentity, createBolt, slackEventsRoute } from "./bolt";
import { registerSlashCommands } from "./commands";
import { SlackDeliverer } from "./deliverer";
import { registerEvents } from "./events";
import { SLACK_EVENTS_PATH } from "./ids";
import { registerInteractions } from "./interactions";
import { registerReactions } from "./reactions";
import { SlackNames } from "./names";
import { registerUnfurls } from "./unfurl";
import { homeView, registerHome } from "./home";
import type { SlackRuntime } from "./runtime";

export interface SlackOptions {
  /** How long a listener works before acking "working on it" (Slack allows 3 s in all). */
  ackBudgetMs?: number;
  /** Web API retries for in-band calls (views.open, ephemeral answers); the outbox retries on its own. */
  retries?: number;
}

/**
 * Starts Slack when SLACK_BOT_TOKEN is set: HTTP mode on POST /slack/events of the app's one HTTP
 * server (SLACK_SIGNING_SECRET), or Socket Mode (SLACK_APP_TOKEN). Returns its route (HTTP mode),
 * outbox deliverer, /healthz status and stop; undefined when no Slack variable is set.
 */
export async function startSlack(app: PlatformContext, opts: SlackOptions = {}): Promise<StartedPlatform | undefined> {
  const { env } = app;
  const token = env.SLACK_BOT_TOKEN;
  if (!token) {
    if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) throw new ConfigError("SLACK_BOT_TOKEN: needed with SLACK_APP_TOKEN / SLACK_SIGNING_SECRET (the xoxb- bot token)");
    return undefined;
  }
  if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET)
    throw new ConfigError("SLACK_SIGNING_SECRET: needed with SLACK_BOT_TOKEN for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)");

  const log = app.services.log.child({ platform: "slack" });
  const slackApiUrl = env.SLACK_API_URL ? env.SLACK_API_URL.replace(/\/?$/, "/") : undefined;
  const base = { ...(slackApiUrl ? { slackApiUrl } : {}), timeout: 20_000 };
  const clientOptions: webApi.WebClientOptions = { ...base, retryConfig: { retries: opts.retries ?? 2, factor: 2, minTimeout: 300, maxTimeout: 1500 } };
  // The outbox worker owns retries and backoff: its client fails fast and hands 429s back.
  const outboxClient = new webApi.WebClient(token, { ...base, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: boltLogger(log) });
  const identity = cachedIdentity(outboxClient, token);

  const { bolt, http, socket } = createBolt({ botToken: token, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN, clientOptions, identity, log });
  const rt: SlackRuntime = { app, log, background: new Background(log), ackBudgetMs: opts.ackBudgetMs ?? 2000, names: new SlackNames(outboxClient, log) };
  registerSlashCommands(bolt, rt);
  registerInteractions(bolt, rt);
  registerEvents(bolt, rt);
  registerReactions(bolt, rt);
  registerUnfurls(bolt, rt);
  const home = homeView(rt);
  registerHome(bolt, rt, home);
  bolt.error(async (e) => {
    log.error({ err: e }, "slack listener failed");
  });

  const deliverer = new SlackDeliverer(outboxClient, app.services.db, log, { channelPaceMs: env.SLACK_CHANNEL_PACE_MS, home });

  let state: PlatformStatus = "connecting";
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  if (http) {
    // Check the token in the background: start-up never waits on Slack; /healthz tells.
    const check = (delay: number) => {
      identity().then(
        () => {
          state = "connected";
        },
        (e: unknown) => {
          state = "disconnected";
          log.warn({ err: e }, "slack auth.test failed; retrying");
          if (!stopped) retry = setTimeout(() => check(Math.min(delay * 2, 60_000)), delay).unref();
        },
      );
    };
    check(1000);
  }
  if (socket) {
    socket.client.on("connected", () => (state = "connected"));
    socket.client.on("reconnecting", () => (state = "connecting"));
    socket.client.on("disconnected", () => (state = "disconnected"));
    const connect = (delay: number) => {
      bolt.start().then(
        () => undefined,
        (e: unknown) => {
          state = "disconnected";
          log.warn({ err: e }, "slack socket mode could not connect; retrying");
          if (!stopped) retry = setTimeout(() => connect(Math.min(delay * 2, 60_000)), delay).unref();
        },
      );
    };
    connect(1000);
  }

  log.info({ mode: socket ? "socket" : "http" }, "slack started");
  return {
    name: "slack",
    routes: http ? [{ method: "POST", path: SLACK_EVENTS_PATH, handler: slackEventsRoute(http.requestListener, log) }] : [],
    deliverer,
    status: () => state,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      // Bolt's receiver.stop() does not wait for the close handshake; the client's disconnect does.
      if (socket) await within(socket.client.disconnect(), 5000);
      // Answers still in flight finish (each Slack call is bounded) before the database closes.
      await within(rt.background.drain(), 30_000);
      state = "disconnected";
    },
  };
}
