import type { Clock } from "../../core/clock";

/**
 * A fixed window per key (a person, an address): at most `limit` actions per `windowMs`. Kept in
 * memory: a replica counts its own traffic, which still bounds a flood per replica.
 */
export class RateLimit {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private clock: Clock,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one action; the seconds to wait when over the limit, else 0. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.forgetOld(now);
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    if (w.count >= this.limit) return Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    w.count++;
    return 0;
  }

  private forgetOld(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/**
 * The client's address for the per-address limit. With `hops` proxies of our own in front (a load
 * balancer), each appends the address it saw to X-Forwarded-For, so the client is the hops-th
 * entry from the right; anything further left was written by the client and is not believed.
 * Without proxies (hops 0) the header is ignored: anyone can send it.
 */
export function clientAddress(socket: string | undefined, forwardedFor: string | string[] | undefined, hops: number): string {
  if (hops <= 0) return socket ?? "unknown";
  const list = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map((s) => s.trim()).filter(Boolean);
  return list.length >= hops ? list[list.length - hops] : (list[0] ?? socket ?? "unknown");
}
