import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./html";

/** A strong validator from the exact bytes sent: equal bodies, equal tags, on every replica. */
export const etagOf = (body: string): string => `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;

/** If-None-Match: a list of tags (weak ones compare by value, per RFC 9110 §13.1.2) or "*". */
export function matchesEtag(header: string | string[] | undefined, etag: string): boolean {
  if (!header) return false;
  const value = Array.isArray(header) ? header.join(",") : header;
  if (value.trim() === "*") return true;
  return value.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

export interface SendOptions {
  status?: number;
  type: string;
  /** "public, no-cache" by default: cache, but ask each time (cheap with the ETag). */
  cacheControl?: string;
  headers?: Record<string, string>;
}

/** Sends a text body with its ETag, or 304 with no body when the client already has it. */
export function sendBody(req: IncomingMessage, res: ServerResponse, body: string, o: SendOptions): void {
  const status = o.status ?? 200;
  const etag = etagOf(body);
  const common = { ...SECURITY_HEADERS, "cache-control": o.cacheControl ?? "public, no-cache", ...o.headers };
  if (status === 200 && matchesEtag(req.headers["if-none-match"], etag)) {
    res.writeHead(304, { ...common, etag });
    res.end();
    return;
  }
  const headers: Record<string, string | number> = { ...common, "content-type": o.type, "content-length": Buffer.byteLength(body) };
  // Errors are not cached or validated: the next try should ask again.
  if (status === 200) headers.etag = etag;
  else headers["cache-control"] = "no-store";
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * The absolute base for links in the API and the feed: PUBLIC_URL when set; else the Host the
 * client used, if it looks like a host name (a forged Host header cannot inject markup or paths).
 */
export function baseUrl(publicUrl: string | undefined, req: IncomingMessage): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  const host = req.headers.host ?? "";
  return /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host) ? `http://${host}` : "http://localhost";
}
