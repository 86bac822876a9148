import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIActionRowComponent,
  type APIChannel,
  type APIChatInputApplicationCommandInteraction,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageButtonInteractionData,
  type APIMessageComponentInteraction,
  type APIMessageStringSelectInteractionData,
  type APIModalSubmitInteraction,
  type APIUser,
  type APIEmbed,
  type APIComponentInMessageActionRow,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  type GatewayGuildCreateDispatchData,
  GatewayDispatchEvents,
  GatewayOpcodes,
  type GatewayReadyDispatchData,
  type GatewayMessageCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageType,
  type APIThreadChannel,
  type APITextChannel,
  type APIDMChannel,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
} from "discord.js";
import { WebSocket, WebSocketServer } from "ws";

/**
 * A local Discord: the REST API discord.js calls (on /api/v10) and a gateway (ws) that speaks
 * the real protocol: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats, RESUME with replay of
 * missed dispatches. Everything the bot sends is recorded for the tests to assert on.
 */

export interface RecordedCall {
  method: string;
  /** Path after /api/v10, decoded (e.g. /webhooks/1/tok/messages/@original). */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body, if any. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  authorization?: string;
  status: number;
}

/** What the person saw in the end (see DiscordStandIn.answer). */
export interface Answer {
  deferred: boolean;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  private: boolean;
}

const isEphemeral = (data: { flags?: number } | undefined): boolean => ((data?.flags ?? 0) & 64) === 64;

export interface GatewayFrame {
  op: number;
  d: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ChannelFixture {
  id: string;
  name: string;
  /** A thread: its parent channel and owner. */
  parentId?: string;
  ownerId?: string;
}

export interface GuildFixture {
  id: string;
  name: string;
  channels: ChannelFixture[];
}

export interface ScriptedResponse {
  /** Handle the request as usual first, then answer this instead (a response lost after the work was done). */
  afterHandling?: boolean;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StandInOptions {
  heartbeatInterval?: number;
  token?: string;
  /** Intents the application was granted; IDENTIFY asking for more is closed with 4014, as Discord does. */
  allowedIntents?: number;
}

/**
 * The application's Ed25519 key pair, as the Developer Portal has it: Discord signs with the private
 * key; the bot gets the public key as 64 hex characters (DISCORD_PUBLIC_KEY).
 */
export interface InteractionKeys {
  privateKey: KeyObject;
  publicKeyHex: string;
}

export function interactionKeys(): InteractionKeys {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  // The raw key is the last 32 bytes of its SPKI DER form.
  const der = publicKey.export({ format: "der", type: "spki" });
  return { privateKey, publicKeyHex: der.subarray(der.length - 32).toString("hex") };
}

/** Headers Discord signs an interaction POST with: Ed25519 over timestamp + raw body. */
export function signInteraction(keys: InteractionKeys, body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
  const signature = sign(null, Buffer.from(timestamp + body), keys.privateKey).toString("hex");
  return { "content-type": "application/json", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

export const BOT_ID = "300000000000000001";
export const APP_ID = "300000000000000002";
export const BOT_TOKEN = "MzAwMDAwMDAwMDAwMDAwMDAx.GsTnDn.ZmFrZS1ib3QtdG9rZW4tZm9yLXRlc3RzLW9ubHk";

let nextId = 500_000_000_000_000_000n;
export const snowflake = (): string => String(nextId++);

const botUser: APIUser = { id: BOT_ID, username: "flywheel", discriminator: "0000", global_name: "Flywheel", avatar: null, bot: true };

export const user = (id: string, username: string): APIUser => ({ id, username, discriminator: "0", global_name: null, avatar: null });

export class DiscordStandIn {
  readonly calls: RecordedCall[] = [];
  readonly received: GatewayFrame[] = [];
  readonly channels = new Map<string, APIChannel>();
  readonly messages = new Map<string, APIMessage>();
  heartbeats = 0;
  sessionId = "";
  identifies = 0;
  resumes = 0;
  /** The most gateway connections open at once (one bot should hold one). */
  mostConnections = 0;

  private http!: Server;
  private wss!: WebSocketServer;
  private socket?: WebSocket;
  private seq = 0;
  private log: { s: number; t: string; d: unknown }[] = [];
  private scripted: { match: (c: { method: string; path: string }) => boolean; response: ScriptedResponse }[] = [];
  private nonces = new Map<string, string>();
  /** Users the bot may not DM (they left every shared server or turned DMs off): sending answers 50007. */
  readonly refusesDms = new Set<string>();
  private interactions = new Map<string, unknown>();
  private events = new EventEmitter();
  restPort = 0;
  gatewayPort = 0;
  /** Set by deliverOverHttp: interactions are POSTed here instead of dispatched on the gateway. */
  private interactionsEndpoint?: { url: () => string; keys: InteractionKeys };

  constructor(
    readonly guilds: GuildFixture[],
    private opts: StandInOptions = {},
  ) {
    this.events.setMaxListeners(100);
    for (const g of guilds) for (const c of g.channels) this.channels.set(c.id, channelJson(g.id, c));
  }

  static async start(guilds: GuildFixture[], opts: StandInOptions = {}): Promise<DiscordStandIn> {
    const s = new DiscordStandIn(guilds, opts);
    await s.listen();
    return s;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.restPort}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.gatewayPort}`;
  }

  private async listen(): Promise<void> {
    this.http = createServer((req, res) => void this.onRequest(req, res));
    await new Promise<void>((r) => this.http.listen(0, "127.0.0.1", () => r()));
    this.restPort = (this.http.address() as AddressInfo).port;
    this.wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((r) => this.wss.once("listening", () => r()));
    this.gatewayPort = (this.wss.address() as AddressInfo).port;
    this.wss.on("connection", (ws) => this.onConnection(ws));
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  /** The next request matching gets this response instead (one-shot, in order). */
  failNext(match: (c: { method: string; path: string }) => boolean, response: ScriptedResponse): void {
    this.scripted.push({ match, response });
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  waitFor(match: (c: RecordedCall) => boolean): Promise<RecordedCall> {
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (c: RecordedCall) => {
        if (!match(c)) return;
        this.events.off("call", on);
        resolve(c);
      };
      this.events.on("call", on);
    });
  }

  /** Resolves when the gateway has seen a frame matching (past ones from index `since` on, or future). */
  waitForFrame(match: (f: GatewayFrame) => boolean, since = 0): Promise<GatewayFrame> {
    const found = this.received.slice(since).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (f: GatewayFrame) => {
        if (!match(f)) return;
        this.events.off("frame", on);
        resolve(f);
      };
      this.events.on("frame", on);
    });
  }

  /**
   * The message a person finally sees for an interaction, whether it was answered at once
   * (callback type 4) or deferred first (type 5, then the original edited, or deleted and
   * replaced by a follow-up). Tests assert on the answer, not on how fast the bot was.
   */
  async answer(interactionId: string): Promise<Answer> {
    const cb = await this.callback(interactionId);
    if (cb.body?.type === InteractionResponseType.ChannelMessageWithSource) return { deferred: false, data: cb.body.data, private: isEphemeral(cb.body.data) };
    if (cb.body?.type !== InteractionResponseType.DeferredChannelMessageWithSource) throw new Error(`interaction ${interactionId} was answered with type ${cb.body?.type}, not a message`);
    const token = cb.path.split("/")[3];
    const final = await this.waitFor((c) => (c.method === "PATCH" && c.path === `/webhooks/${APP_ID}/${token}/messages/@original`) || (c.method === "POST" && c.path === `/webhooks/${APP_ID}/${token}`));
    return { deferred: true, data: final.body, private: final.method === "PATCH" ? isEphemeral(cb.body.data) : isEphemeral(final.body) };
  }

  /** The interaction callback for one interaction id. */
  callback(interactionId: string): Promise<RecordedCall> {
    return this.waitFor((c) => c.method === "POST" && c.path.startsWith(`/interactions/${interactionId}/`) && c.path.endsWith("/callback"));
  }

  // ---- gateway ----

  private onConnection(ws: WebSocket): void {
    this.socket = ws;
    this.mostConnections = Math.max(this.mostConnections, this.wss.clients.size);
    ws.on("message", (raw) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(String(raw)) as GatewayFrame;
      } catch {
        ws.close(4002, "Error while decoding payload.");
        return;
      }
      this.received.push(frame);
      this.onFrame(ws, frame);
      this.events.emit("frame", frame);
    });
    ws.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.opts.heartbeatInterval ?? 41_250 } }));
  }

  private onFrame(ws: WebSocket, frame: GatewayFrame): void {
    switch (frame.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats++;
        ws.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
        return;
      case GatewayOpcodes.Identify: {
        if (frame.d?.token !== (this.opts.token ?? BOT_TOKEN)) {
          ws.close(4004, "Authentication failed.");
          return;
        }
        if (this.opts.allowedIntents !== undefined && (Number(frame.d.intents) & ~this.opts.allowedIntents) !== 0) {
          ws.close(4014, "Disallowed intent(s).");
          return;
        }
        this.identifies++;
        this.sessionId = `session-${this.identifies}`;
        this.seq = 0;
        this.log = [];
        const ready: GatewayReadyDispatchData = {
          v: 10,
          user: botUser,
          guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: this.sessionId,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: APP_ID, flags: 0 as ApplicationFlags, flags_new: "0" },
        };
        this.dispatch(GatewayDispatchEvents.Ready, ready);
        for (const g of this.guilds) this.dispatch(GatewayDispatchEvents.GuildCreate, this.guildJson(g));
        return;
      }
      case GatewayOpcodes.Resume: {
        if (frame.d?.session_id !== this.sessionId || frame.d?.token !== (this.opts.token ?? BOT_TOKEN)) {
          ws.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
          return;
        }
        this.resumes++;
        // Replay what the bot missed while it was away, then say RESUMED.
        for (const e of this.log.filter((x) => x.s > Number(frame.d.seq))) ws.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t: e.t, s: e.s, d: e.d }));
        this.dispatch(GatewayDispatchEvents.Resumed, {});
        return;
      }
      default:
        return;
    }
  }

  /**
   * From now on, interactions go to the application's Interactions Endpoint URL, signed, the way
   * Discord sends them once one is set (and no longer over the gateway). The HTTP response is the
   * interaction's first answer: it is recorded as the callback it stands for, so answer() and
   * callback() read the same either way.
   * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint
   */
  deliverOverHttp(url: () => string, keys: InteractionKeys): void {
    this.interactionsEndpoint = { url, keys };
  }

  /** POSTs one interaction to the endpoint; its answer is recorded as the callback. */
  async postInteraction(d: { id: string; token: string }): Promise<Response> {
    const endpoint = this.interactionsEndpoint!;
    const body = JSON.stringify(d);
    const res = await fetch(endpoint.url(), { method: "POST", headers: signInteraction(endpoint.keys, body), body });
    const text = await res.text();
    const call: RecordedCall = {
      method: "POST",
      path: `/interactions/${d.id}/${d.token}/callback`,
      query: new URLSearchParams(),
      body: text ? JSON.parse(text) : undefined,
      status: res.status,
    };
    this.calls.push(call);
    this.events.emit("call", call);
    return res;
  }

  /** Sends a dispatch (or keeps it for replay on RESUME while the bot is disconnected). */
  dispatch(t: string, d: unknown): void {
    if (t === GatewayDispatchEvents.InteractionCreate && typeof (d as { id?: unknown })?.id === "string") this.interactions.set((d as { id: string }).id, d);
    if (t === GatewayDispatchEvents.InteractionCreate && this.interactionsEndpoint) {
      void this.postInteraction(d as { id: string; token: string }).catch((e: unknown) => this.events.emit("post-error", e));
      return;
    }
    const s = ++this.seq;
    this.log.push({ s, t, d });
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s, d }));
  }

  /** The payload of an interaction sent before. */
  payloadOf(interactionId: string): { id: string; token: string } {
    return this.interactions.get(interactionId) as { id: string; token: string };
  }

  /** Delivers the same interaction again (as a second replica or a replayed event would see it). */
  replay(interactionId: string): void {
    this.dispatch(GatewayDispatchEvents.InteractionCreate, this.interactions.get(interactionId));
  }

  /** Cuts the connection without a close frame, like a network drop. */
  dropConnection(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  private guildJson(g: GuildFixture): GatewayGuildCreateDispatchData {
    const channels = g.channels.filter((c) => !c.parentId).map((c) => this.channels.get(c.id)) as APITextChannel[];
    const threads = g.channels.filter((c) => c.parentId).map((c) => this.channels.get(c.id)) as APIThreadChannel[];
    const me: APIGuildMember = { user: botUser, roles: [], joined_at: "2026-01-01T00:00:00.000Z", deaf: false, mute: false, flags: 0 as GuildMemberFlags };
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: "200000000000000001",
      region: "",
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [
        {
          id: g.id,
          name: "@everyone",
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          position: 0,
          permissions: "1024",
          managed: false,
          mentionable: false,
          flags: 0 as RoleFlags,
          icon: null,
          unicode_emoji: null,
        },
      ],
      emojis: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: GuildPremiumTier.None,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      nsfw_level: GuildNSFWLevel.Default,
      stickers: [],
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
      joined_at: "2026-01-01T00:00:00.000Z",
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [me],
      channels,
      threads,
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- REST ----

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const method = req.method ?? "GET";
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ""));
    const call: RecordedCall = { method, path, query: url.searchParams, body, authorization: req.headers.authorization, status: 0 };
    const send = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      this.calls.push(call);
      const text = json === undefined ? "" : JSON.stringify(json);
      res.writeHead(status, { ...(text ? { "content-type": "application/json" } : {}), ...headers });
      res.end(text);
      this.events.emit("call", call);
    };
    const i = this.scripted.findIndex((s) => s.match({ method, path }));
    const scripted = i === -1 ? undefined : this.scripted.splice(i, 1)[0].response;
    if (scripted && !scripted.afterHandling) return send(scripted.status, scripted.body, scripted.headers);
    const interactionRoute = path.startsWith("/interactions/") || path.startsWith("/webhooks/");
    if (!interactionRoute && req.headers.authorization !== `Bot ${this.opts.token ?? BOT_TOKEN}`) return send(401, { message: "401: Unauthorized", code: 0 });
    const route = this.route(method, path, body, url.searchParams);
    if (scripted) return send(scripted.status, scripted.body, scripted.headers);
    return send(route.status, route.body);
  }

  /** Messages the bot has in a channel (or thread), oldest first. */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  private route(method: string, path: string, body: any, query: URLSearchParams): { status: number; body?: unknown } { // eslint-disable-line @typescript-eslint/no-explicit-any
    let m: RegExpExecArray | null;
    const notFound = (code: number, message: string) => ({ status: 404, body: { message, code } });
    if (method === "GET" && path === "/gateway/bot")
      return {
        status: 200,
        body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } },
      };
    if (method === "POST" && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return { status: 204 };
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path))) {
      if (method === "DELETE") return { status: 204 };
      if (method === "PATCH" || method === "GET") return { status: 200, body: this.messageJson(snowflake(), "0", body ?? {}) };
    }
    if (method === "POST" && (m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path))) return { status: 200, body: this.messageJson(snowflake(), "0", body ?? {}) };
    if (method === "PUT" && (m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      const list = (body as { name: string }[]).map((c) => ({ ...c, id: snowflake(), application_id: m![1], guild_id: m![2], version: snowflake(), default_member_permissions: null }));
      return { status: 200, body: list };
    }
    if (method === "POST" && path === "/users/@me/channels") {
      const recipient = String(body?.recipient_id ?? "");
      const existing = [...this.channels.values()].find((c) => c.type === ChannelType.DM && (c as APIDMChannel).recipients?.[0]?.id === recipient);
      if (existing) return { status: 200, body: existing };
      const dm: APIDMChannel = { id: snowflake(), type: ChannelType.DM, name: null, last_message_id: null, recipients: [user(recipient, `user${recipient.slice(-4)}`)], flags: 0 as ChannelFlags };
      this.channels.set(dm.id, dm);
      return { status: 200, body: dm };
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === "POST") {
      const channel = this.channels.get(m[1]);
      if (!channel) return notFound(10003, "Unknown Channel");
      // Discord answers 403 / 50007 "Cannot send messages to this user" when the recipient shares no
      // server with the bot or blocks DMs (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
      if (channel.type === ChannelType.DM && this.refusesDms.has((channel as APIDMChannel).recipients?.[0]?.id ?? ""))
        return { status: 403, body: { message: "Cannot send messages to this user", code: 50007 } };
      if (body?.enforce_nonce && body.nonce !== undefined) {
        const seen = this.nonces.get(`${m[1]}:${body.nonce}`);
        if (seen) return { status: 200, body: this.messages.get(seen) };
      }
      const msg = this.messageJson(snowflake(), m[1], body);
      this.messages.set(msg.id, msg);
      if (body?.nonce !== undefined) this.nonces.set(`${m[1]}:${body.nonce}`, msg.id);
      return { status: 200, body: msg };
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const msg = this.messages.get(m[2]);
      if (!msg || msg.channel_id !== m[1]) return notFound(10008, "Unknown Message");
      if (method === "GET") return { status: 200, body: msg };
      if (method === "PATCH") {
        const edited = { ...msg, ...body, edited_timestamp: new Date().toISOString() } as APIMessage;
        this.messages.set(msg.id, edited);
        return { status: 200, body: edited };
      }
    }
    if (method === "POST" && (m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path))) {
      const parent = this.channels.get(m[1]);
      const msg = this.messages.get(m[2]);
      if (!parent || !msg || msg.channel_id !== m[1]) return notFound(10008, "Unknown Message");
      // Threads exist only in guild channels: in a DM (channel type 1) Discord answers 400 / 50024
      // "Cannot execute action on this channel type" (same status-code table as above).
      if (parent.type === ChannelType.DM) return { status: 400, body: { message: "Cannot execute action on this channel type", code: 50024 } };
      if (this.channels.has(m[2])) return { status: 400, body: { message: "A thread has already been created for this message", code: 160004 } };
      const guildId = (parent as APITextChannel).guild_id ?? "";
      const thread = channelJson(guildId, { id: m[2], name: String(body?.name ?? "thread"), parentId: m[1], ownerId: BOT_ID });
      this.channels.set(thread.id, thread);
      this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true });
      return { status: 201, body: thread };
    }
    void query;
    return notFound(0, "404: Not Found");
  }

  /** A thread the bot owns, or any channel, added after start (as THREAD_CREATE would). */
  addChannel(guildId: string, c: ChannelFixture): APIChannel {
    const json = channelJson(guildId, c);
    this.channels.set(c.id, json);
    return json;
  }

  private messageJson(id: string, channelId: string, body: { content?: string; embeds?: APIEmbed[]; components?: APIActionRowComponent<APIComponentInMessageActionRow>[]; flags?: number; nonce?: string }): APIMessage {
    return {
      id,
      channel_id: channelId,
      author: botUser,
      content: body.content ?? "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      type: MessageType.Default,
      flags: body.flags ?? 0,
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
    };
  }

  // ---- what users do ----

  /** A member's slash command, as INTERACTION_CREATE. Returns the interaction id. */
  slash(
    who: { user: APIUser; guildId: string; channelId: string; locale?: Locale },
    name: string,
    options: APIApplicationCommandInteractionDataBasicOption[] = [],
  ): string {
    const base = this.interactionBase(who);
    const interaction: APIChatInputApplicationCommandInteraction = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: { id: snowflake(), name, type: ApplicationCommandType.ChatInput, options, ...(who.guildId ? { guild_id: who.guildId } : {}) },
    };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    return interaction.id;
  }

  autocomplete(who: { user: APIUser; guildId: string; channelId: string; locale?: Locale }, name: string, focused: string, value: string, type = ApplicationCommandOptionType.Integer): string {
    const base = this.interactionBase(who);
    const interaction: APIApplicationCommandAutocompleteInteraction = {
      ...base,
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        id: snowflake(),
        name,
        type: ApplicationCommandType.ChatInput,
        options: [{ name: focused, type, value, focused: true } as APIApplicationCommandInteractionDataBasicOption],
        guild_id: who.guildId,
      },
    };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    return interaction.id;
  }

  /** A click on a button (or a choice in a select menu) of a message the bot sent. */
  click(who: { user: APIUser; guildId: string; channelId: string; locale?: Locale }, customId: string, opts: { values?: string[]; ephemeral?: boolean } = {}): string {
    const base = this.interactionBase(who);
    const message = this.messageJson(snowflake(), who.channelId, { flags: opts.ephemeral ? 64 : 0 });
    const data: APIMessageButtonInteractionData | APIMessageStringSelectInteractionData = opts.values
      ? { custom_id: customId, component_type: ComponentType.StringSelect, values: opts.values }
      : { custom_id: customId, component_type: ComponentType.Button };
    const interaction: APIMessageComponentInteraction = { ...base, type: InteractionType.MessageComponent, message, data };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    return interaction.id;
  }

  submitModal(who: { user: APIUser; guildId: string; channelId: string; locale?: Locale }, customId: string, fields: Record<string, string>): string {
    const base = this.interactionBase(who);
    const interaction: APIModalSubmitInteraction = {
      ...base,
      type: InteractionType.ModalSubmit,
      data: {
        custom_id: customId,
        components: Object.entries(fields).map(([id, value]) => ({
          type: ComponentType.Label,
          id: 1,
          component: { type: ComponentType.TextInput, id: 2, custom_id: id, value },
        })),
      },
    };
    this.dispatch(GatewayDispatchEvents.InteractionCreate, interaction);
    return interaction.id;
  }

  /** A person opens a thread on a message (THREAD_CREATE); the thread's id is the message's. */
  openThread(who: { user: APIUser; guildId: string }, channelId: string, messageId: string, name: string): string {
    const thread = channelJson(who.guildId, { id: messageId, name, parentId: channelId, ownerId: who.user.id });
    this.channels.set(thread.id, thread);
    this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...thread, newly_created: true });
    return thread.id;
  }

  /** Someone writes a plain message in a guild channel or thread (MESSAGE_CREATE). Returns its id. */
  say(who: { user: APIUser; guildId: string; channelId: string; locale?: Locale }, content: string): string {
    const msg: GatewayMessageCreateDispatchData = {
      ...this.messageJson(snowflake(), who.channelId, { content }),
      author: who.user,
      guild_id: who.guildId,
      channel_type: (this.channels.get(who.channelId)?.type ?? ChannelType.GuildText) as GatewayMessageCreateDispatchData["channel_type"],
      member: { roles: [], joined_at: "2026-01-01T00:00:00.000Z", deaf: false, mute: false, flags: 0 as GuildMemberFlags },
      mentions: [],
    };
    this.dispatch(GatewayDispatchEvents.MessageCreate, msg);
    return msg.id;
  }

  /** The bot's DM channel with a person (made on first use, as POST /users/@me/channels would). */
  dmChannelOf(person: APIUser): APIDMChannel {
    const existing = [...this.channels.values()].find((c): c is APIDMChannel => c.type === ChannelType.DM && (c as APIDMChannel).recipients?.[0]?.id === person.id);
    if (existing) return existing;
    const channel: APIDMChannel = { id: snowflake(), type: ChannelType.DM, name: null, last_message_id: null, recipients: [person], flags: 0 as ChannelFlags };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Who acts in their DM with the bot: interactions from there carry no guild (see interactionBase). */
  inDm(person: APIUser): { user: APIUser; guildId: string; channelId: string } {
    return { user: person, guildId: "", channelId: this.dmChannelOf(person).id };
  }

  /** Someone writes to the bot in a DM (MESSAGE_CREATE without a guild). Returns its id. */
  dm(from: APIUser, content: string): string {
    const channel = this.dmChannelOf(from);
    const msg: GatewayMessageCreateDispatchData = { ...this.messageJson(snowflake(), channel.id, { content }), author: from, mentions: [], channel_type: ChannelType.DM };
    this.dispatch(GatewayDispatchEvents.MessageCreate, msg);
    return msg.id;
  }

  /**
   * Fields every interaction shares. From a DM (guildId ""), Discord sends `user` instead of
   * `member`, no guild, and context 1 (BOT_DM)
   * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object).
   */
  interactionBase(who: { user: APIUser; guildId: string; channelId: string; locale?: Locale }) {
    const channel = this.channels.get(who.channelId);
    if (!who.guildId)
      return {
        id: snowflake(),
        application_id: APP_ID,
        token: `interaction-token-${snowflake()}`,
        version: 1 as const,
        channel: { id: who.channelId, type: ChannelType.DM as const, recipients: [who.user], last_message_id: null, flags: 0 as ChannelFlags },
        channel_id: who.channelId,
        user: who.user,
        locale: who.locale ?? Locale.EnglishUS,
        app_permissions: "2048",
        entitlements: [],
        authorizing_integration_owners: {},
        context: InteractionContextType.BotDM,
        attachment_size_limit: 10_000_000,
      };
    const member: APIInteractionGuildMember = {
      user: who.user,
      roles: [],
      joined_at: "2026-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      permissions: "1024",
      nick: null,
    };
    return {
      id: snowflake(),
      application_id: APP_ID,
      token: `interaction-token-${snowflake()}`,
      version: 1 as const,
      guild_id: who.guildId,
      guild: { id: who.guildId, features: [], locale: Locale.EnglishUS },
      // The partial channel Discord sends: a thread names its parent.
      channel: (channel && "parent_id" in channel && channel.parent_id
        ? { id: who.channelId, type: channel.type, guild_id: who.guildId, parent_id: channel.parent_id }
        : { id: who.channelId, type: channel?.type ?? ChannelType.GuildText, guild_id: who.guildId }) as Partial<APIChannel> & Pick<APIChannel, "id" | "type">,
      channel_id: who.channelId,
      member,
      locale: who.locale ?? Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      app_permissions: "2048",
      entitlements: [],
      authorizing_integration_owners: {},
      context: InteractionContextType.Guild,
      attachment_size_limit: 10_000_000,
    };
  }
}

function channelJson(guildId: string, c: ChannelFixture): APIChannel {
  if (c.parentId) {
    const thread: APIThreadChannel = {
      id: c.id,
      type: ChannelType.PublicThread,
      guild_id: guildId,
      name: c.name,
      parent_id: c.parentId,
      owner_id: c.ownerId ?? BOT_ID,
      last_message_id: null,
      thread_metadata: { archived: false, auto_archive_duration: 10080, archive_timestamp: "2026-01-01T00:00:00.000Z", locked: false },
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0 as ChannelFlags,
      total_message_sent: 0,
      applied_tags: [],
    };
    return thread;
  }
  const text: APITextChannel = {
    id: c.id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name: c.name,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 10080,
    flags: 0 as ChannelFlags,
  };
  return text;
}
