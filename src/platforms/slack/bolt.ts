import { App as BoltApp, HTTPReceiver, LogLevel, SocketModeReceiver, webApi, type Authorize, type Logger as BoltLogger } from "@slack/bolt";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { scrubSecrets } from "../../log";
import { MiB } from "../../server/body";
import { type Handler, sendJson } from "../../server/http";

type WebClientOptions = webApi.WebClientOptions;

/** Bolt and its clients log through our pino logger (which redacts tokens). */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  // Library messages are strings (pino only scrubs objects): scrub token shapes here.
  const text = (msg: unknown[]) => scrubSecrets(msg.map((m) => (m instanceof Error ? m.message : typeof m === "string" ? m : JSON.stringify(m))).join(" "));
  return {
    debug: (...m: unknown[]) => log.debug(text(m)),
    info: (...m: unknown[]) => log.info(text(m)),
    warn: (...m: unknown[]) => log.warn(text(m)),
    error: (...m: unknown[]) => log.error(text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** The bot's identity (auth.test), fetched once and cached; a failure is retried on the next call. */
export function cachedIdentity(client: webApi.WebClient, token: string): () => Promise<{ botId?: string; botUserId?: string; teamId?: string }> {
  let found: Promise<{ botId?: string; botUserId?: string; teamId?: string }> | undefined;
  return () => {
    found ??= client.auth.test({ token }).then(
      (r) => ({ botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id }),
      (e: unknown) => {
        found = undefined;
        throw e;
      },
    );
    return found;
  };
}

export interface BoltSetup {
  botToken: string;
  /** HTTP mode: Slack signs every request with it; Bolt verifies. */
  signingSecret?: string;
  /** Socket Mode when set. */
  appToken?: string;
  clientOptions: WebClientOptions;
  identity: () => Promise<{ botId?: string; botUserId?: string }>;
  log: Logger;
}

/**
 * The Bolt app, with an HTTPReceiver whose request listener we mount on our own HTTP server
 * (POST /slack/events), or a SocketModeReceiver. authorize returns the one bot token and the
 * cached identity, so start-up never waits on Slack and an outage only delays events.
 */
export function createBolt(s: BoltSetup): { bolt: BoltApp; http?: HTTPReceiver; socket?: SocketModeReceiver } {
  const logger = boltLogger(s.log);
  const authorize: Authorize<boolean> = async () => ({ botToken: s.botToken, ...(await s.identity()) });
  if (s.appToken) {
    const socket = new SocketModeReceiver({
      appToken: s.appToken,
      logger,
      // Only clientOptions reach the Socket Mode client (apps.connections.open goes to SLACK_API_URL too).
      installerOptions: { clientOptions: { slackApiUrl: s.clientOptions.slackApiUrl } },
    });
    return { bolt: new BoltApp({ receiver: socket, authorize, logger, clientOptions: s.clientOptions, socketMode: true }), socket };
  }
  const http = new HTTPReceiver({
    signingSecret: s.signingSecret!,
    logger,
    // The HTTP answer waits for the listener, which itself never waits past the ack budget:
    // fast work is answered in the ack, the rest later on response_url / chat.postMessage.
    processBeforeResponse: true,
    bodyLimit: SLACK_BODY_LIMIT,
  });
  return { bolt: new BoltApp({ receiver: http, authorize, logger, clientOptions: s.clientOptions }), http };
}

/** Slack's payloads are small; a body past this is not Slack's. */
export const SLACK_BODY_LIMIT = 1 * MiB;

/**
 * Slack: "verify that the request timestamp is within five minutes of the local time" — an
 * absolute difference, so a request dated in the future is as stale as an old one (replays).
 * https://api.slack.com/authentication/verifying-requests-from-slack
 * Bolt only refuses the past ones; this refuses both before the body is even read.
 */
export const SLACK_TIMESTAMP_WINDOW_S = 5 * 60;

export function slackTimestampFresh(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== "string" || !/^\d{1,12}$/.test(header.trim())) return false;
  return Math.abs(nowMs / 1000 - Number(header)) <= SLACK_TIMESTAMP_WINDOW_S;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * POST /slack/events: the timestamp is checked first, the body read by the server's bounded
 * reader, then Bolt verifies the signature over those bytes (it uses req.rawBody when set).
 * Slack's ssl_check pings carry no timestamp: Bolt answers those, unsigned as Slack sends them.
 */
export function slackEventsRoute(listener: Listener, log: Logger): Handler {
  return async (req, res, _url, readBody) => {
    const ts = req.headers["x-slack-request-timestamp"];
    if (ts !== undefined && !slackTimestampFresh(ts, Date.now())) {
      log.warn("slack request with a timestamp more than five minutes from now refused");
      sendJson(res, 401, { error: "stale or future request timestamp" });
      return;
    }
    const body = await readBody({ limit: SLACK_BODY_LIMIT });
    if (!body) return;
    Object.assign(req, { rawBody: body.bytes });
    listener(req, res);
  };
}
