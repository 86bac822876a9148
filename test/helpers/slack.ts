import { createHmac, randomBytes } from "node:crypto";
import type { BlockAction, ButtonAction, MessageShortcut, SlashCommand, ViewSubmitAction, types } from "@slack/bolt";
import { startApp, type App } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { SlackStandin } from "../standins/slack";
import { freshDatabase, TEST_CONFIG_YAML } from "./db";
import { recordingLogger } from "./logs";

export const SIGNING_SECRET = "test-signing-secret-0123456789";
export const BOT_TOKEN = "xoxb-test-bot-token-123456";

/** Two communities sharing one Slack workspace, told apart by channel. */
export const SLACK_TEST_CONFIG_YAML = TEST_CONFIG_YAML.replace(
  "staff:",
  `  - { slug: delta, name: Delta Labs, tier: general, slack: { team: T0SHARED, channel: C0DELTA } }
  - { slug: epsilon, name: Epsilon Group, tier: general, slack: { team: T0SHARED, channel: C0EPS } }
staff:`,
);

export interface SlackHarness {
  app: App;
  standin: SlackStandin;
  clock: ManualClock;
  url: string;
  /** Every log line the app wrote, parsed (info and up). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A real Flywheel (HTTP server, Bolt, outbox) on a fresh database, talking to a local Slack stand-in.
 * channelPaceMs is SLACK_CHANNEL_PACE_MS: 0 unless a test asks, since the harness clock only moves
 * when a test moves it and a channel's second message would otherwise wait for that; null leaves
 * the variable unset (the bot's default).
 */
export async function startSlackHarness(target: string, opts: { socket?: boolean; platforms?: boolean; channelPaceMs?: number | null; env?: Record<string, string>; yaml?: string } = {}): Promise<SlackHarness> {
  const standin = await new SlackStandin().start();
  if (opts.socket) standin.enableSocketMode();
  const db = target === "pglite" ? { url: "memory:", drop: async () => {} } : await freshDatabase(target);
  const clock = new ManualClock(new Date());
  // SLACK_TEST_LOG=debug also prints Bolt's and the Socket Mode client's own logs when a test puzzles you.
  const { log, logs } = recordingLogger(process.env.SLACK_TEST_LOG ?? "info", process.env.SLACK_TEST_LOG ? process.stdout : undefined);
  const app = await startApp({
    env: loadEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      ...(opts.socket ? { SLACK_APP_TOKEN: "xapp-test-app-token-123" } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
      SLACK_API_URL: standin.apiUrl,
      ...(opts.channelPaceMs === null ? {} : { SLACK_CHANNEL_PACE_MS: String(opts.channelPaceMs ?? 0) }),
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ...opts.env,
    }),
    log,
    databaseUrl: db.url,
    config: parseConfig(opts.yaml ?? SLACK_TEST_CONFIG_YAML),
    clock,
    worker: { autostart: false, random: () => 1 },
    platforms: opts.platforms,
  });
  return {
    app,
    standin,
    clock,
    url: `http://127.0.0.1:${app.port}/slack/events`,
    logs,
    async close() {
      await app.stop();
      await standin.close();
      await db.drop();
    },
  };
}

export function signature(body: string, ts: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
}

export interface PostOptions {
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  retryNum?: number;
  signatureOverride?: string;
}

export interface SlackResponse {
  status: number;
  text: string;
  json?: Record<string, unknown>;
}

async function post(url: string, body: string, contentType: string, o: PostOptions): Promise<SlackResponse> {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": o.signatureOverride ?? signature(body, ts, o.secret),
      ...(o.retryNum !== undefined ? { "x-slack-retry-num": String(o.retryNum), "x-slack-retry-reason": "http_timeout" } : {}),
    },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A signed slash command (form-encoded, as Slack sends it). */
export const postCommand = (url: string, c: SlashCommand, o: PostOptions = {}) =>
  post(url, new URLSearchParams(Object.entries(c).map(([k, v]) => [k, String(v)])).toString(), "application/x-www-form-urlencoded", o);

/** A signed interactive payload (payload=<json>, form-encoded). */
export const postInteraction = (url: string, payload: object, o: PostOptions = {}) =>
  post(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded", o);

/** A signed Events API callback (JSON). */
export const postEvent = (url: string, body: object, o: PostOptions = {}) => post(url, JSON.stringify(body), "application/json", o);

/** A raw signed body, for malformed-payload tests. */
export const postRaw = (url: string, body: string, contentType: string, o: PostOptions = {}) => post(url, body, contentType, o);

export const triggerId = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString("hex")}`;

export interface Who {
  user: string;
  name?: string;
  team: string;
  channel: string;
}

export const ANA: Who = { user: "U0ANA", name: "ana", team: "T0ALPHA", channel: "C0ALPHA" };
export const BOB: Who = { user: "U0BOB", name: "bob", team: "T0BETA", channel: "C0BETA" };
export const STAFF: Who = { user: "U0STAFF", name: "sam", team: "T0ALPHA", channel: "C0ALPHA" };

export function slashCommand(who: Who, command: string, text: string, responseUrl: string): SlashCommand {
  return {
    token: "verification-token-unused",
    command,
    text,
    response_url: responseUrl,
    trigger_id: triggerId(),
    user_id: who.user,
    user_name: who.name ?? who.user,
    team_id: who.team,
    team_domain: who.team.toLowerCase(),
    channel_id: who.channel,
    channel_name: "general",
    api_app_id: "A0FLY",
  } satisfies SlashCommand;
}

export function buttonClick(who: Who, value: string, responseUrl: string, message?: { ts: string; thread_ts?: string }): BlockAction<ButtonAction> {
  return {
    type: "block_actions",
    actions: [{ type: "button", action_id: "fw:0", block_id: "b1", action_ts: `${Date.now() / 1000}`, text: { type: "plain_text", text: "Upvote" }, value }],
    team: { id: who.team, domain: who.team.toLowerCase() },
    user: { id: who.user, username: who.name ?? who.user, team_id: who.team },
    channel: { id: who.channel, name: "general" },
    message: { type: "message", ts: message?.ts ?? "1700000000.000100", ...(message?.thread_ts ? { thread_ts: message.thread_ts } : {}) },
    token: "verification-token-unused",
    response_url: responseUrl,
    trigger_id: triggerId(),
    api_app_id: "A0FLY",
    container: { type: "message", message_ts: message?.ts ?? "1700000000.000100", channel_id: who.channel, is_ephemeral: false },
  } satisfies BlockAction<ButtonAction>;
}

/** The view Slack hands back on submit: our own view (as views.open got it) with the typed values. */
export function viewSubmission(who: Who, view: types.ModalView, values: Record<string, string | null>): ViewSubmitAction {
  const blocks = view.blocks as types.KnownBlock[];
  return {
    type: "view_submission",
    team: { id: who.team, domain: who.team.toLowerCase() },
    user: { id: who.user, name: who.name ?? who.user, team_id: who.team },
    view: {
      id: "V0MODAL",
      callback_id: view.callback_id ?? "",
      team_id: who.team,
      app_id: "A0FLY",
      bot_id: "B0BOT",
      title: { type: "plain_text", text: view.title.text },
      type: "modal",
      blocks,
      close: null,
      submit: null,
      state: {
        values: Object.fromEntries(
          blocks.filter((b) => b.type === "input").map((b) => [b.block_id!, { value: { type: "plain_text_input", value: values[b.block_id!] ?? null } }]),
        ),
      },
      hash: randomBytes(6).toString("hex"),
      private_metadata: view.private_metadata ?? "",
      root_view_id: "V0MODAL",
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
    },
    api_app_id: "A0FLY",
    token: "verification-token-unused",
    trigger_id: triggerId(),
  } satisfies ViewSubmitAction;
}

export function messageShortcut(who: Who, message: { ts: string; text: string; user: string; thread_ts?: string }, responseUrl: string): MessageShortcut {
  return {
    type: "message_action",
    callback_id: "fw_request_from_message",
    trigger_id: triggerId(),
    message_ts: message.ts,
    response_url: responseUrl,
    message: { type: "message", ...message },
    user: { id: who.user, name: who.name ?? who.user, team_id: who.team },
    channel: { id: who.channel, name: "general" },
    team: { id: who.team, domain: "alpha-uni" },
    token: "verification-token-unused",
    action_ts: `${Date.now() / 1000}`,
  } satisfies MessageShortcut;
}

let eventSeq = 0;
/** An Events API envelope around one event. */
export function eventCallback(team: string, event: Record<string, unknown>, eventId = `Ev${Date.now()}${++eventSeq}`) {
  return {
    token: "verification-token-unused",
    team_id: team,
    api_app_id: "A0FLY",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
  };
}
