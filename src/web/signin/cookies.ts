import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Cookies as the browser sent them (RFC 6265 §5.4); the first of a repeated name wins. */
export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 1) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

/** value.signature: a cookie the server wrote, that a client cannot forge without the secret. */
export const sign = (secret: string, value: string): string => `${value}.${createHmac("sha256", secret).update(value).digest("base64url")}`;

export function unsign(secret: string, signed: string | undefined): string | null {
  if (!signed) return null;
  const i = signed.lastIndexOf(".");
  if (i < 1) return null;
  const value = signed.slice(0, i);
  const want = Buffer.from(sign(secret, value).slice(i + 1));
  const got = Buffer.from(signed.slice(i + 1));
  return want.length === got.length && timingSafeEqual(want, got) ? value : null;
}

export interface CookieOptions {
  /** Secure when the public URL is https: the browser then never sends it over plain HTTP. */
  secure: boolean;
  maxAgeSeconds?: number;
}

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), whole site. */
export function setCookie(name: string, value: string, o: CookieOptions): string {
  const parts = [`${name}=${value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (o.maxAgeSeconds !== undefined) parts.push(`Max-Age=${o.maxAgeSeconds}`);
  if (o.secure) parts.push("Secure");
  return parts.join("; ");
}

export const clearCookie = (name: string, o: CookieOptions): string => setCookie(name, "", { ...o, maxAgeSeconds: 0 });
