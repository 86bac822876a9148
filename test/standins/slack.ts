import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQs } from "node:querystring";
import { WebSocketServer, type WebSocket } from "ws";

/** One Web API call as the stand-in saw it: nested JSON (blocks, view, metadata) already parsed. */
export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  /** A person's message (see post); the bot's own have none. */
  user?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** How the next call to a method fails: a status (429 with Retry-After, 500), optionally after posting. */
export interface Failure {
  status: number;
  retryAfter?: number;
  /** Post the message anyway, then fail: Slack's answer was lost on the way back. */
  commit?: boolean;
  /** Answer 200 with {ok:false, error}. */
  error?: string;
}

const JSON_ARGS = new Set(["blocks", "view", "metadata", "attachments", "unfurls"]);

/**
 * A local stand-in for Slack's Web API (POST /api/<method>), the response_url endpoint
 * (POST /response/<id>) and Socket Mode (apps.connections.open -> a ws server that says hello,
 * sends envelopes and collects acks). It records everything it is sent.
 */
export class SlackStandin extends EventEmitter {
  readonly calls: ApiCall[] = [];
  readonly responses: { id: string; body: Record<string, unknown> }[] = [];
  readonly messages: StoredMessage[] = [];
  readonly botUserId = "U0BOT";
  readonly botId = "B0BOT";
  /** The workspace's people as users.info tells of them, by user id. */
  /** response_url ids Slack no longer accepts. */
  readonly expiredResponseUrls = new Set<string>();
  readonly people = new Map<string, { name: string; real_name?: string; display_name?: string; locale?: string }>();
  /**
   * People the bot cannot DM, with the error Slack gives: conversations.open answers
   * user_not_found / user_disabled (https://api.slack.com/methods/conversations.open#errors) and
   * chat.postMessage to them cannot_dm_bot (https://api.slack.com/methods/chat.postMessage#errors).
   */
  readonly unreachable = new Map<string, "cannot_dm_bot" | "user_not_found" | "user_disabled">();
  /** Channels the bot is not in: reading their history answers not_in_channel (https://api.slack.com/methods/conversations.history#errors). */
  readonly unreadable = new Set<string>();
  private failures = new Map<string, Failure[]>();
  private server: Server;
  private wss?: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private acks = new Map<string, (payload: unknown) => void>();
  private seq = 0;
  port = 0;

  constructor() {
    super();
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The next calls to method fail as described, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once a recorded call / response satisfies the predicate (no polling, no sleeps). */
  waitFor<T>(find: () => T | undefined): Promise<T> {
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => {
      const check = () => {
        const v = find();
        if (v !== undefined) {
          this.off("record", check);
          resolve(v);
        }
      };
      this.on("record", check);
    });
  }

  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith("/response/")) {
      // Slack answers 404 for a response_url that expired (30 minutes) or was used 5 times.
      if (this.expiredResponseUrls.has(url.pathname.slice("/response/".length))) return send(404, { ok: false, error: "expired_url" });
      this.responses.push({ id: url.pathname.slice("/response/".length), body: JSON.parse(raw) as Record<string, unknown> });
      send(200, { ok: true });
      this.emit("record");
      return;
    }
    const method = url.pathname.replace(/^\/api\//, "");
    const args: Record<string, unknown> = {};
    const parsed = String(req.headers["content-type"] ?? "").includes("json") ? (JSON.parse(raw || "{}") as Record<string, unknown>) : parseQs(raw);
    for (const [k, v] of Object.entries(parsed)) args[k] = JSON_ARGS.has(k) && typeof v === "string" ? JSON.parse(v) : v;
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "") || (typeof args.token === "string" ? args.token : undefined);
    delete args.token;
    this.calls.push({ method, args, token });

    const failure = this.failures.get(method)?.shift();
    let result: Record<string, unknown>;
    try {
      result = this.answer(method, args, failure?.commit === true || !failure);
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
    }
    this.emit("record");
    if (failure?.error) return send(200, { ok: false, error: failure.error });
    if (failure) return send(failure.status, { ok: false, error: "failure" }, failure.retryAfter !== undefined ? { "retry-after": String(failure.retryAfter) } : {});
    send(200, result);
  }

  private answer(method: string, a: Record<string, unknown>, commit: boolean): Record<string, unknown> {
    switch (method) {
      case "auth.test":
        return { ok: true, user_id: this.botUserId, bot_id: this.botId, team_id: "T0ALPHA", user: "flywheel" };
      case "chat.postMessage": {
        // A DM (its IM id is "D" + the user, see conversations.open) to someone who cannot get one.
        const refused = this.unreachable.get(String(a.channel).replace(/^D/, ""));
        if (refused) throw new Error(refused === "cannot_dm_bot" ? refused : "channel_not_found");
        const ts = this.nextTs();
        const m: StoredMessage = {
          ts,
          channel: String(a.channel),
          thread_ts: a.thread_ts ? String(a.thread_ts) : undefined,
          text: a.text as string | undefined,
          blocks: a.blocks as unknown[] | undefined,
          metadata: a.metadata as StoredMessage["metadata"],
        };
        if (commit) this.messages.push(m);
        return { ok: true, channel: m.channel, ts, message: { ...m, type: "message", bot_id: this.botId } };
      }
      case "chat.update":
        return { ok: true, channel: a.channel, ts: a.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "views.open":
        return { ok: true, view: { id: `V${this.seq++}` } };
      // https://docs.slack.dev/reference/methods/views.publish: a home view for user_id; a Home tab
      // view may hold up to 100 blocks (https://docs.slack.dev/surfaces/app-home).
      case "views.publish": {
        const view = a.view as { type?: string; blocks?: unknown[] } | undefined;
        if (!a.user_id) throw new Error("invalid_arguments");
        // Someone who left the workspace, or whose account is gone.
        const gone = this.unreachable.get(String(a.user_id));
        if (gone && gone !== "cannot_dm_bot") throw new Error(gone);
        if (view?.type !== "home" || !Array.isArray(view.blocks) || view.blocks.length > 100) throw new Error("invalid_arguments");
        return { ok: true, view: { id: `VH${this.seq++}`, type: "home", blocks: view.blocks } };
      }
      // https://docs.slack.dev/reference/methods/chat.unfurl: channel + ts, or unfurl_id + source, and unfurls.
      case "chat.unfurl": {
        const unfurls = typeof a.unfurls === "string" ? (JSON.parse(a.unfurls) as Record<string, unknown>) : a.unfurls;
        if (!unfurls || typeof unfurls !== "object") throw new Error("invalid_arguments");
        if (!((a.channel && a.ts) || (a.unfurl_id && a.source))) throw new Error("invalid_arguments");
        return { ok: true };
      }
      case "conversations.open": {
        const refused = this.unreachable.get(String(a.users));
        // Slack opens an IM with someone who blocks the app; it is posting that fails (cannot_dm_bot).
        if (refused && refused !== "cannot_dm_bot") throw new Error(refused);
        return { ok: true, channel: { id: `D${String(a.users)}` } };
      }
      case "conversations.history":
      case "conversations.replies": {
        if (this.unreadable.has(String(a.channel))) throw new Error("not_in_channel");
        const inThread = method === "conversations.replies";
        // In a thread, ts may name the parent or any reply: the whole thread comes back.
        const root = inThread ? (this.messages.find((m) => m.channel === a.channel && m.ts === a.ts)?.thread_ts ?? a.ts) : undefined;
        const list = this.messages.filter(
          (m) =>
            m.channel === a.channel &&
            (inThread ? m.thread_ts === root || m.ts === root : !m.thread_ts || m.thread_ts === m.ts) &&
            (!a.oldest || Number(m.ts) >= Number(a.oldest)) &&
            (!a.latest || Number(m.ts) <= Number(a.latest)),
        );
        return { ok: true, messages: list.map((m) => ({ type: "message", ...m })), has_more: false, response_metadata: { next_cursor: "" } };
      }
      case "chat.getPermalink":
        // https://api.slack.com/methods/chat.getPermalink: a workspace URL to the message.
        return { ok: true, channel: a.channel, permalink: `https://standin.slack.com/archives/${String(a.channel)}/p${String(a.message_ts).replace(".", "")}` };
      case "users.info": {
        const p = this.people.get(String(a.user));
        if (!p) throw new Error("user_not_found");
        // The locale only when asked for (https://api.slack.com/methods/users.info: include_locale).
        const locale = String(a.include_locale) === "true" && p.locale ? { locale: p.locale } : {};
        return { ok: true, user: { id: a.user, name: p.name, real_name: p.real_name, ...locale, profile: { display_name: p.display_name ?? "", real_name: p.real_name ?? "" } } };
      }
      case "apps.connections.open":
        return { ok: true, url: `ws://127.0.0.1:${this.port}/socket` };
      default:
        throw new Error("unknown_method");
    }
  }

  /** A person's message in a channel (or a reply in a thread), as conversations.history will return it. Returns its ts. */
  post(m: { channel: string; user: string; text: string; thread_ts?: string; bot?: boolean }): string {
    const ts = this.nextTs();
    this.messages.push({ ts, channel: m.channel, user: m.bot ? undefined : m.user, text: m.text, thread_ts: m.thread_ts, ...(m.bot ? { bot_id: m.user, subtype: "bot_message" } : {}) });
    return ts;
  }

  /** Accepts Socket Mode connections on ws://127.0.0.1:<port>/socket and says hello. */
  enableSocketMode(): void {
    this.wss = new WebSocketServer({ server: this.server, path: "/socket" });
    this.wss.on("connection", (ws) => {
      this.sockets.add(ws);
      ws.on("close", () => this.sockets.delete(ws));
      ws.on("message", (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        if (msg.envelope_id) this.acks.get(msg.envelope_id)?.(msg.payload ?? null);
      });
      ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "standin" }, connection_info: { app_id: "A0FLY" } }));
      // Slack pings every few seconds; a client that hears nothing for 30 s reconnects.
      const ping = setInterval(() => ws.ping(), 5000).unref();
      ws.on("close", () => clearInterval(ping));
      this.emit("socket");
    });
  }

  /** Resolves when a Socket Mode client is connected. */
  waitForSocket(): Promise<void> {
    return this.sockets.size ? Promise.resolve() : new Promise((resolve) => this.once("socket", () => resolve()));
  }

  /** Sends one envelope to the connected client; resolves with the ack's payload (null when none). */
  sendEnvelope(type: "slash_commands" | "events_api" | "interactive", payload: unknown, retryAttempt = 0): Promise<unknown> {
    const id = `env-${++this.seq}`;
    const acked = new Promise<unknown>((resolve) => this.acks.set(id, resolve));
    for (const ws of this.sockets) ws.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== "events_api", retry_attempt: retryAttempt, retry_reason: "" }));
    return acked;
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
