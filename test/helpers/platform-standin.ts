import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Deliverer, PermanentFailure, RetryLater } from "../../src/delivery/deliverer";
import type { Place } from "../../src/core/reply";

/** A message the stand-in accepted. */
export interface Received {
  id: string;
  key: string;
  platform: string;
  workspace: string;
  channel: string;
  thread?: string;
  text: string;
  title?: string;
}

/** What the stand-in does with one POST: answer it, or hold it open (a platform that hangs). */
export type Behaviour = (n: number, body: Omit<Received, "id">) => { status: 200 } | { status: 429; retryAfter: number } | { status: number } | "hold";

/**
 * A chat platform on 127.0.0.1 that speaks plain JSON: POST /messages posts (recorded only when
 * answered 200), GET /messages?key= finds one by key (what a deliverer does for a delivery in
 * doubt, like searching Slack message metadata). The behaviour decides 429s, 5xx and hangs.
 */
export class PlatformStandIn {
  readonly received: Received[] = [];
  /** Every POST, answered or not. */
  attempts = 0;
  behaviour: Behaviour = () => ({ status: 200 });
  private server: Server;
  private held: ServerResponse[] = [];
  private onPost: ((r: Omit<Received, "id">) => void)[] = [];
  url = "";

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves at the next POST (answered or held). */
  nextPost(): Promise<Omit<Received, "id">> {
    return new Promise((resolve) => this.onPost.push(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "GET" && url.pathname === "/messages") {
      const found = this.received.find((m) => m.key === url.searchParams.get("key"));
      res.writeHead(found ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(found ?? { error: "not found" }));
      return;
    }
    if (req.method !== "POST" || url.pathname !== "/messages") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Omit<Received, "id">;
    const n = ++this.attempts;
    for (const cb of this.onPost.splice(0)) cb(body);
    const answer = this.behaviour(n, body);
    if (answer === "hold") {
      this.held.push(res);
      return;
    }
    if (answer.status === 429) {
      res.writeHead(429, { "retry-after": String((answer as { retryAfter: number }).retryAfter), "content-type": "application/json" }).end('{"error":"rate_limited"}');
      return;
    }
    if (answer.status !== 200) {
      res.writeHead(answer.status, { "content-type": "application/json" }).end('{"error":"failed"}');
      return;
    }
    const rec: Received = { id: `m${this.received.length + 1}`, ...body };
    this.received.push(rec);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, id: rec.id }));
  }

  /** Messages per key: a key seen twice is a duplicate post. */
  countsByKey(): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.received) m.set(r.key, (m.get(r.key) ?? 0) + 1);
    return m;
  }

  async close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A real Deliverer over HTTP to the stand-in, mapping answers the way the platform deliverers do:
 * 429 -> RetryLater(Retry-After), 5xx and network errors -> retry, other 4xx -> PermanentFailure.
 * For a delivery in doubt it first asks whether the message is already there.
 */
export function standInDeliverer(platform: Place["platform"], baseUrl: string): Deliverer {
  return {
    platform,
    async deliver(d) {
      if (d.inDoubt) {
        const found = await fetch(`${baseUrl}/messages?key=${encodeURIComponent(d.key)}`);
        if (found.ok) return { externalId: ((await found.json()) as Received).id };
      }
      const res = await fetch(`${baseUrl}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          key: d.key,
          platform,
          workspace: d.place.workspace ?? "",
          channel: d.place.channel ?? `@${d.place.user}`,
          thread: d.place.thread,
          text: d.reply.text,
          title: d.reply.title,
        }),
      });
      if (res.status === 429) throw new RetryLater(Number(res.headers.get("retry-after") ?? "1") * 1000);
      if (res.status >= 500) throw new Error(`stand-in answered HTTP ${res.status}`);
      if (!res.ok) throw new PermanentFailure(`stand-in refused the message (HTTP ${res.status})`);
      return { externalId: ((await res.json()) as { id: string }).id };
    },
  };
}

/** A small seeded PRNG (mulberry32): "half the time" failures that are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Polls until the check passes (events from another process or timer), failing after a while. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
