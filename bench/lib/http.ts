import { createHmac } from "node:crypto";
import { type Agent, request } from "node:http";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** performance.now() when the whole answer had arrived. */
  end: number;
}

/** One HTTP request to the bot or a floor on 127.0.0.1; resolves with the whole answer. */
export function httpRequest(agent: Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent, headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), end: performance.now() }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", reject);
    req.end(body);
  });
}

/** The headers Slack signs a request with (v0 HMAC-SHA256 of version:timestamp:body), taken when sent. */
export function slackSignature(secret: string, body: string): Record<string, string> {
  const ts = String(Math.floor(Date.now() / 1000));
  return { "x-slack-request-timestamp": ts, "x-slack-signature": `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}` };
}

/** What one open-loop slice measured: latencies from each job's scheduled time, and its failures. */
export interface Slice {
  sent: number;
  latencies: number[];
  errors: number;
  firstError?: string;
}

/**
 * Open loop: job i starts at its scheduled time (rate per second, for `seconds`) whatever the
 * earlier ones are doing, and returns its latency counted from that time (so a stall is not
 * hidden), or throws to count an error.
 */
export async function openLoop(rate: number, seconds: number, job: (i: number, at: number) => Promise<number>): Promise<Slice> {
  const n = Math.max(1, Math.round(rate * seconds));
  const out: Slice = { sent: n, latencies: [], errors: 0 };
  const start = performance.now() + 20;
  const running: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + (i * 1000) / rate;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(
      job(i, at).then(
        (ms) => void out.latencies.push(ms),
        (e: unknown) => {
          out.errors++;
          out.firstError ??= e instanceof Error ? e.message : String(e);
        },
      ),
    );
  }
  await Promise.all(running);
  return out;
}

/**
 * Waits (polling every 20 ms) until `done` holds or `timeoutMs` passes; arrivals are timed where
 * they land (the stand-in), not by this poll. Resolves whether it held.
 */
export async function settle(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
