import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQs } from "node:querystring";

/** One chat.postMessage the stand-in accepted. */
export interface Posted {
  channel: string;
  ts: string;
  key?: string;
  at: number;
}

/**
 * A local stand-in for the parts of Slack's Web API the bot calls (POST /api/<method>) and for
 * response_url (POST /response/<id>). chat.postMessage enforces Slack's documented limit of one
 * message per second per channel: a faster post is answered 429 with Retry-After (whole seconds,
 * as Slack sends it) and not posted.
 */
export class SlackStandin {
  readonly posted: Posted[] = [];
  readonly rejected: { channel: string; at: number }[] = [];
  responses = 0;
  /**
   * Every views.publish and chat.unfurl call, in arrival order: its arguments and when it arrived
   * (performance.now()). Only these two are kept: other parts post far more and never read them.
   */
  readonly calls: { method: "views.publish" | "chat.unfurl"; args: Record<string, unknown>; at: number }[] = [];
  /** Each response_url post by its id: when it arrived (performance.now()) and its text. */
  readonly answers = new Map<string, { at: number; text: string }>();
  /** Answer users.info with a profile (name, en-US) instead of a bare ok; off unless a part asks. */
  profiles = false;
  private lastPost = new Map<string, number>();
  private seq = 0;
  private server: Server;
  port = 0;

  constructor(private perChannelMs = 1000) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = req.url ?? "";
    if (url.startsWith("/response/")) {
      this.responses++;
      let text = "";
      try {
        text = String((JSON.parse(raw) as { text?: unknown }).text ?? "");
      } catch {
        text = raw;
      }
      this.answers.set(url.slice("/response/".length), { at: performance.now(), text });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const method = url.replace(/^\/api\//, "").split("?")[0];
    const args = (req.headers["content-type"] ?? "").includes("json") ? (JSON.parse(raw || "{}") as Record<string, unknown>) : (parseQs(raw) as Record<string, unknown>);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    switch (method) {
      case "auth.test":
        return json(200, { ok: true, url: "https://bench.slack.test/", team: "Bench", user: "flywheel", team_id: "T000001", user_id: "U0BOT", bot_id: "B0BOT" });
      case "chat.postMessage": {
        const channel = String(args.channel ?? "");
        const now = Date.now();
        const last = this.lastPost.get(channel);
        if (last !== undefined && now - last < this.perChannelMs) {
          this.rejected.push({ channel, at: now });
          return json(429, { ok: false, error: "ratelimited" }, { "retry-after": String(Math.max(1, Math.ceil((this.perChannelMs - (now - last)) / 1000))) });
        }
        this.lastPost.set(channel, now);
        const ts = `${Math.floor(now / 1000)}.${String(++this.seq).padStart(6, "0")}`;
        let key: string | undefined;
        try {
          const metadata = typeof args.metadata === "string" ? (JSON.parse(args.metadata) as { event_payload?: { key?: string } }) : (args.metadata as { event_payload?: { key?: string } } | undefined);
          key = metadata?.event_payload?.key;
        } catch {
          key = undefined;
        }
        this.posted.push({ channel, ts, key, at: now });
        return json(200, { ok: true, channel, ts, message: { ts, text: args.text } });
      }
      case "conversations.history":
      case "conversations.replies": {
        const channel = String(args.channel ?? "");
        const messages = this.posted
          .filter((p) => p.channel === channel)
          .map((p) => ({ ts: p.ts, metadata: p.key ? { event_type: "flywheel_outbox", event_payload: { key: p.key } } : undefined }));
        return json(200, { ok: true, messages, has_more: false });
      }
      case "views.publish":
      case "chat.unfurl": {
        // Web API form posts carry objects as JSON strings; Bolt's client sends these as such.
        const decoded = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "string" && /^[[{]/.test(v) ? safeJson(v) : v]));
        this.calls.push({ method, args: decoded, at: performance.now() });
        return json(200, { ok: true, ...(method === "views.publish" ? { view: { id: `V${++this.seq}` } } : {}) });
      }
      case "users.info": {
        if (!this.profiles) return json(200, { ok: true });
        const id = String(args.user ?? "");
        return json(200, { ok: true, user: { id, name: id.toLowerCase(), real_name: `Member ${id}`, locale: "en-US", profile: { display_name: `Member ${id}`, real_name: `Member ${id}` } } });
      }
      case "conversations.open":
        return json(200, { ok: true, channel: { id: `D${String(args.users ?? "").slice(1, 10)}` } });
      default:
        return json(200, { ok: true });
    }
  }
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}
