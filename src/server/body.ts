import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export const KiB = 1024;
export const MiB = 1024 * KiB;

/**
 * Bytes buffered across every request body in flight. Bodies are held until their request is
 * answered, and a forged one cannot be told from a real one before its last byte (its signature
 * covers all of it), so only a shared ceiling keeps forged traffic at any rate from growing memory.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly total: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.total) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  get inUse(): number {
    return this.used;
  }
}

export interface BodyRules {
  /** The most bytes this endpoint ever needs; one byte more is refused with 413. */
  limit: number;
  /** HMAC-SHA256 computed as the bytes arrive, over prefix + body (no second pass over the body). */
  hmac?: { key: string; prefix?: string };
}

export interface Body {
  bytes: Buffer;
  /** The HMAC digest when rules.hmac was given. */
  hmac?: Buffer;
}

/** How long a client should wait when the budget is spent: bodies in flight are answered within seconds. */
export const RETRY_AFTER_SECONDS = 5;

function refuse(req: IncomingMessage, res: ServerResponse, status: 413 | 503, error: string): void {
  // Stop reading: the rest of the body is never pulled off the socket, and the connection closes.
  req.pause();
  if (res.headersSent) return void req.socket.destroy();
  const text = JSON.stringify({ error });
  const headers: Record<string, string | number> = { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), connection: "close" };
  if (status === 503) headers["retry-after"] = RETRY_AFTER_SECONDS;
  res.writeHead(status, headers);
  res.end(text);
}

/**
 * Reads one request body under its endpoint's limit and the shared budget. Answers the refusal
 * itself (413 past the limit, 503 + Retry-After when the budget is spent) and resolves undefined;
 * the bytes stay counted against the budget until the response is done.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, budget: BodyBudget, rules: BodyRules): Promise<Body | undefined> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > rules.limit) {
    refuse(req, res, 413, "payload too large");
    return Promise.resolve(undefined);
  }
  let held = 0;
  res.once("close", () => budget.give(held));
  const hmac = rules.hmac ? createHmac("sha256", rules.hmac.key).update(rules.hmac.prefix ?? "") : undefined;
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const stop = (status: 413 | 503, error: string) => {
      req.off("data", onData);
      chunks.length = 0;
      refuse(req, res, status, error);
      resolve(undefined);
    };
    const onData = (chunk: Buffer) => {
      if (held + chunk.length > rules.limit) return stop(413, "payload too large");
      if (!budget.take(chunk.length)) return stop(503, "busy: too many request bodies in flight; retry shortly");
      held += chunk.length;
      hmac?.update(chunk);
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      const bytes = Buffer.concat(chunks, held);
      chunks.length = 0; // the joined copy is the only one kept
      resolve({ bytes, hmac: hmac?.digest() });
    });
    // A client that goes away mid-body gets no answer; its bytes are released with the response.
    req.once("close", () => {
      if (!req.complete) resolve(undefined);
    });
    req.once("error", () => resolve(undefined));
  });
}
