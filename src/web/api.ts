import { statusLabel } from "../core/requests/requests";
import type { FeedEntry, PublicRequest, PublicRequestDetail, RoadmapPage } from "../core/roadmap/roadmap";
import type { Translator } from "../i18n/translate";
import { escapeXml } from "./html";
import type { ApiFilters } from "./query";

/**
 * The JSON API's and the Atom feed's shapes. The README's "Public roadmap" section documents
 * them; test/roadmap-schemas.ts holds the zod schemas the tests validate them against.
 */

export function requestJson(r: PublicRequest, base: string) {
  return {
    number: r.number,
    title: r.title,
    status: r.status,
    url: `${base}/roadmap/${r.number}`,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    shippedAt: r.shippedAt?.toISOString() ?? null,
    mergedInto: r.mergedInto,
    breadth: {
      communities: r.breadth.communities,
      weighted: r.breadth.weighted,
      share: Math.round(r.breadth.share * 10_000) / 10_000,
      wantedBy: r.breadth.wantedBy,
    },
    votes: r.votes,
    pledges: r.pledges,
    github: r.github,
    credits: r.credits,
  };
}

export function requestDetailJson(d: PublicRequestDetail, base: string) {
  return {
    ...requestJson(d, base),
    body: d.body,
    requestedBy: d.requestedBy,
    mergedFrom: d.mergedFrom,
    history: d.history.map((h) => ({ ...h, at: h.at.toISOString() })),
    votesOverTime: d.votesOverTime,
    pledgesBy: d.pledgesBy,
  };
}

/** A page of requests plus the links to walk the rest. */
export function requestListJson(p: RoadmapPage, f: ApiFilters, base: string) {
  const link = (page: number) => {
    const q = new URLSearchParams();
    if (f.statuses.length) q.set("status", f.statuses.join(","));
    if (f.community) q.set("community", f.community);
    if (f.q) q.set("q", f.q);
    q.set("page", String(page));
    if (f.pageSize !== 25) q.set("pageSize", String(f.pageSize));
    return `${base}/api/requests?${q.toString()}`;
  };
  return {
    requests: p.rows.map((r) => requestJson(r, base)),
    page: p.page,
    pageSize: p.pageSize,
    total: p.total,
    hasMore: p.hasMore,
    next: p.hasMore ? link(p.page + 1) : null,
    prev: p.page > 1 ? link(p.page - 1) : null,
  };
}

/**
 * An Atom 1.0 feed (RFC 4287) of status changes, newest first. Entry ids are permanent URLs of
 * the change, so readers never show one twice.
 */
export function atomFeed(t: Translator, entries: FeedEntry[], base: string, now: Date): string {
  const updated = (entries[0]?.at ?? now).toISOString();
  const items = entries.map((e) => {
    const names = { number: e.number, title: e.title, from: statusLabel(t, e.from), to: statusLabel(t, e.to) };
    const reason = e.reason?.trim();
    let summary = t.t("pages.feed.summary", names);
    if (reason) summary = t.t("pages.feed.reason", { summary, reason: /[.!?]$/.test(reason) ? reason : `${reason}.` });
    if (e.wantedBy.length) summary = t.t("pages.feed.wantedBy", { summary, names: t.list(e.wantedBy.map((c) => c.name)) });
    return `  <entry>
    <id>${escapeXml(`${base}/roadmap/${e.number}#change-${e.id}`)}</id>
    <title type="text">${escapeXml(t.t("pages.feed.entryTitle", names))}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(`${base}/roadmap/${e.number}`)}"/>
${e.link ? `    <link rel="related" href="${escapeXml(e.link)}"/>\n` : ""}    <updated>${e.at.toISOString()}</updated>
    <category term="${e.to}" label="${escapeXml(names.to)}"/>
    <summary type="text">${escapeXml(summary)}</summary>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(t.locale)}">
  <id>${escapeXml(`${base}/roadmap`)}</id>
  <title type="text">${escapeXml(t.t("pages.feedTitle"))}</title>
  <updated>${updated}</updated>
  <author><name>Flywheel</name></author>
  <link rel="self" type="application/atom+xml" href="${escapeXml(`${base}/roadmap.atom`)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(`${base}/roadmap`)}"/>
${items.join("\n")}
</feed>
`;
}
