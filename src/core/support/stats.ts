// Support measured: time to the first human staff response, time to resolution and re-opens,
// as median and 90th percentile per community and overall.
import type { Services } from "../context";
import { UserError } from "../errors";
import { communityShownTo, type Viewer } from "../people/visibility";
import type { Translator } from "../../i18n/translate";

export interface Distribution {
  /** How many tickets the figures are over. */
  count: number;
  medianMs: number;
  p90Ms: number;
}

export interface StatsRow {
  slug: string;
  /** The community as the viewer may read it. */
  name: string;
  opened: number;
  resolved: number;
  /** Tickets not resolved yet (open or waiting on the member). */
  unresolved: number;
  reopens: number;
  helpful: number;
  notHelpful: number;
  firstResponse?: Distribution;
  resolution?: Distribution;
}

export interface StatsReport {
  since?: Date;
  rows: StatsRow[];
  /** Over every row; unnamed: the reader names it ("Overall") in their language. */
  overall: StatsRow;
}

/** The p-quantile of ascending values, interpolating between neighbours (like numpy's default). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function distribution(values: number[]): Distribution | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianMs: percentile(sorted, 0.5), p90Ms: percentile(sorted, 0.9) };
}

type TicketTimes = { createdAt: Date; firstResponseAt: Date | null; resolvedAt: Date | null; status: string; reopenCount: number; rating: string | null };

function summarize(slug: string, name: string, tickets: TicketTimes[]): StatsRow {
  const responded = tickets.filter((t) => t.firstResponseAt).map((t) => t.firstResponseAt!.getTime() - t.createdAt.getTime());
  const resolved = tickets.filter((t) => t.status === "resolved" && t.resolvedAt).map((t) => t.resolvedAt!.getTime() - t.createdAt.getTime());
  return {
    slug,
    name,
    opened: tickets.length,
    resolved: resolved.length,
    unresolved: tickets.filter((t) => t.status !== "resolved").length,
    reopens: tickets.reduce((n, t) => n + t.reopenCount, 0),
    helpful: tickets.filter((t) => t.rating === "helpful").length,
    notHelpful: tickets.filter((t) => t.rating === "not-helpful").length,
    firstResponse: distribution(responded),
    resolution: distribution(resolved),
  };
}

/**
 * Figures over the tickets opened since `since` (all when absent), one row per community that
 * has any, busiest first, plus the overall row (over every community, or the one asked for).
 * Rows name communities as the viewer may read them.
 */
export async function supportStats(services: Services, opts: { viewer: Viewer; communitySlug?: string; since?: Date; t: Translator }): Promise<StatsReport> {
  let communityId: number | undefined;
  if (opts.communitySlug) {
    const c = await services.db.community.findUnique({ where: { slug: opts.communitySlug } });
    if (!c) throw new UserError({ key: "support.stats.noCommunity", values: { slug: opts.communitySlug } });
    communityId = c.id;
  }
  const tickets = await services.db.supportTicket.findMany({
    where: { ...(communityId ? { communityId } : {}), ...(opts.since ? { createdAt: { gte: opts.since } } : {}) },
    select: { createdAt: true, firstResponseAt: true, resolvedAt: true, status: true, reopenCount: true, rating: true, community: { select: { id: true, slug: true, name: true, private: true, tier: true } } },
  });
  const byCommunity = new Map<number, { slug: string; name: string; tickets: TicketTimes[] }>();
  for (const t of tickets) {
    const g = byCommunity.get(t.community.id) ?? { slug: t.community.slug, name: communityShownTo(t.community, opts.viewer, opts.t), tickets: [] };
    g.tickets.push(t);
    byCommunity.set(t.community.id, g);
  }
  const rows = [...byCommunity.values()].map((g) => summarize(g.slug, g.name, g.tickets)).sort((a, b) => b.opened - a.opened || a.slug.localeCompare(b.slug));
  return { since: opts.since, rows, overall: summarize("all", "", tickets) };
}

/** "30d", "12h", "4w", "2026-11-01" or "all" as a start date (undefined for all). */
export function parseSince(text: string, now: Date): Date | undefined {
  const s = text.trim().toLowerCase();
  if (s === "all") return undefined;
  const rel = /^(\d{1,4})([hdw])$/.exec(s);
  if (rel) {
    const unit = { h: 3600_000, d: 86400_000, w: 7 * 86400_000 }[rel[2] as "h" | "d" | "w"];
    return new Date(now.getTime() - Number(rel[1]) * unit);
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    const d = new Date(`${s}T00:00:00Z`);
    if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)) return d;
  }
  throw new UserError({ key: "support.stats.badSince", values: { text, date: "2026-11-01", spans: "30d, 12h", span: "4w", all: "all" } });
}

export const looksLikeSince = (s: string): boolean => /^(all|\d{1,4}[hdw]|\d{4}-\d{2}-\d{2})$/i.test(s.trim());
