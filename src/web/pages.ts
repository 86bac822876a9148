import type { CommunityPageData, CommunityRequestRef } from "../core/roadmap/community";
import type { PublicCommunity, PublicRequest, PublicRequestDetail, RoadmapGroup, RoadmapPage } from "../core/roadmap/roadmap";
import { RECENTLY_SHIPPED_DAYS } from "../core/roadmap/roadmap";
import { LISTABLE_STATUSES, statusLabel } from "../core/requests/requests";
import type { Translator } from "../i18n/translate";
import { type Chrome, html, type Html, layout, message, safeHref, type ShareMeta, timeTag } from "./html";
import { roadmapHref, type PageFilters } from "./query";
import { breadthBar, votesChart } from "./svg";

/**
 * The roadmap's pages, as strings of HTML, in the reader's language (t). Data comes from
 * src/core/roadmap (already public); titles, details and names are shown as they were written.
 */

const NAMES_IN_LIST = 6;

const statusPill = (t: Translator, status: PublicRequest["status"]) => html`<span class="status status-${status}">${statusLabel(t, status)}</span>`;

const money = (t: Translator, amount: number, unit: string) => t.t("pages.money", { amount, unit });

function communityList(t: Translator, list: PublicCommunity[], max = Infinity): string {
  const names = list.map((c) => c.name);
  if (names.length <= max) return names.join(", ");
  return t.t("pages.namesAndMore", { names: names.slice(0, max).join(", "), count: names.length - max });
}

const external = (href: string, text: string) => html`<a href="${href}" rel="noopener noreferrer nofollow">${text}</a>`;

function githubLinks(t: Translator, r: PublicRequest): Html | "" {
  const links = r.github.map((g) => {
    const href = safeHref(g.url);
    const label = `${g.repo}#${g.number}`;
    return html`${href ? external(href, label) : label} <span class="muted">(${t.t("pages.githubState", { state: g.state })})</span>`;
  });
  return links.length ? html`<p class="links">${message(t, "pages.githubLinks", { links: html`${links.map((l, i) => html`${i ? ", " : ""}${l}`)}` })}</p>` : "";
}

const creditKinds = (t: Translator, kinds: string[]) => kinds.map((kind) => t.t("pages.creditKind", { kind })).join(", ");

function credits(t: Translator, r: PublicRequest): Html | "" {
  if (!r.credits.length) return "";
  const items = r.credits.map((c, i) => {
    const who = c.githubLogin ? external(`https://github.com/${c.githubLogin}`, c.name) : html`${c.name}`;
    return html`${i ? ", " : ""}${who} <span class="muted">(${creditKinds(t, c.kinds)})</span>`;
  });
  return html`<p class="credits">${message(t, "pages.credited", { names: html`${items}` })}</p>`;
}

const breadthLabel = (t: Translator, r: PublicRequest) => t.t("pages.breadthLabel", { weighted: r.breadth.weighted, share: r.breadth.share });

/** One request in a list: number, title, status, breadth, votes, pledges, links, credits. */
export function requestItem(t: Translator, r: PublicRequest): Html {
  const href = `/roadmap/${r.number}`;
  const pledges = r.pledges.count
    ? t.t("pages.pledgesWithMoney", { count: r.pledges.count, money: money(t, r.pledges.total, r.pledges.unit) })
    : t.t("pages.pledges", { count: r.pledges.count });
  return html`<li class="req" id="r${r.number}" data-number="${r.number}" data-status="${r.status}">
<div class="req-head"><a class="num" href="${href}">#${r.number}</a><a class="title" href="${href}">${r.title}</a>${statusPill(t, r.status)}</div>
<div class="meta">${r.status === "open" ? breadthBar(r.breadth.share, breadthLabel(t, r)) : ""}<span class="breadth">${t.t("pages.communities", { count: r.breadth.communities })}</span><span>${t.t("pages.votes", { count: r.votes })}</span><span>${pledges}</span>${r.shippedAt ? html`<span>${message(t, "pages.shippedOn", { date: timeTag(r.shippedAt) })}</span>` : ""}</div>
${r.breadth.wantedBy.length ? html`<p class="who">${t.t("pages.wantedBy", { names: communityList(t, r.breadth.wantedBy, NAMES_IN_LIST) })}</p>` : ""}
${githubLinks(t, r)}
${r.status === "shipped" ? credits(t, r) : ""}
</li>`;
}

export interface FilterChoices {
  communities: { slug: string; name: string }[];
}

/** The filter form: plain GET, so it works without JavaScript and the URL can be shared. */
function filterForm(t: Translator, f: Omit<PageFilters, "page">, choices: FilterChoices): Html {
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;
  return html`<form class="filters" method="get" action="/roadmap" role="search">
<label class="search">${t.t("pages.filter.search")}<input type="search" name="q" value="${f.q ?? ""}" maxlength="200" placeholder="${t.t("pages.filter.searchPlaceholder")}"></label>
<label>${t.t("pages.filter.community")}<select name="community">${option("", t.t("pages.filter.allCommunities"), !f.community)}${choices.communities.map((c) => option(c.slug, c.name, c.slug === f.community))}</select></label>
${f.view === "board"
    ? html`<input type="hidden" name="view" value="board">`
    : html`<label>${t.t("pages.filter.status")}<select name="status">${option("", t.t("pages.filter.overview"), !f.status)}${LISTABLE_STATUSES.map((s) => option(s, t.t("pages.statusTitle", { status: s }), s === f.status))}</select></label>`}
<button type="submit">${t.t("pages.filter.show")}</button>
${f.q || f.community || f.status ? html`<a class="reset" href="${f.view === "board" ? "/roadmap?view=board" : "/roadmap"}">${t.t("pages.filter.clear")}</a>` : ""}
</form>`;
}

function describeFilters(t: Translator, f: Omit<PageFilters, "page">, choices: FilterChoices): string {
  const name = f.community ? (choices.communities.find((c) => c.slug === f.community)?.name ?? f.community) : undefined;
  if (name && f.q) return t.t("pages.scope.both", { name, search: f.q });
  if (name) return t.t("pages.scope.wantedBy", { name });
  return f.q ? t.t("pages.scope.matching", { search: f.q }) : "";
}

const pageTitle = (t: Translator, page: string) => t.t("pages.pageTitle", { page });

/** /roadmap with no status: the four groups, each with a link to its full, paged list. */
export function overviewPage(t: Translator, groups: RoadmapGroup[], f: Omit<PageFilters, "page">, choices: FilterChoices, chrome?: Chrome, share?: ShareMeta): string {
  const scope = describeFilters(t, f, choices);
  const sections = groups.map((g) => {
    const more = g.total > g.rows.length ? html`<a class="more" href="${roadmapHref({ ...f, status: g.status })}">${t.t("pages.allCount", { count: g.total })}</a>` : "";
    const title = t.t("pages.group", { group: g.key, days: RECENTLY_SHIPPED_DAYS });
    return html`<section class="group" id="${g.key}" aria-labelledby="h-${g.key}">
<h2 id="h-${g.key}"><span>${title} <span class="muted">(${t.number(g.total)})</span></span>${more}</h2>
${g.rows.length ? html`<ol class="requests">${g.rows.map((r) => requestItem(t, r))}</ol>` : html`<p class="muted">${scope ? t.t("pages.noMatches") : t.t("pages.groupEmpty", { group: g.key, command: "/request" })}</p>`}
</section>`;
  });
  return layout({
    t,
    chrome,
    share,
    title: t.t("pages.roadmap"),
    feed: true,
    body: html`<h1>${t.t("pages.roadmap")}</h1>
<p class="muted">${scope ? t.t("pages.overview.introScoped", { scope }) : t.t("pages.overview.intro")}${f.community ? html` <a href="/roadmap/c/${f.community}">${t.t("web.community.pageLink")}</a>` : ""}</p>
${filterForm(t, f, choices)}
${sections}`,
  });
}

/** The board's columns, left to right: what is wanted, then what is being done about it. */
const BOARD_ORDER = ["open", "planned", "in_progress", "shipped_recently"] as const;

/** /roadmap?view=board: the same groups as columns by status, cards with their breadth bars. */
export function boardPage(t: Translator, groups: RoadmapGroup[], f: Omit<PageFilters, "page">, choices: FilterChoices, chrome?: Chrome, share?: ShareMeta): string {
  const scope = describeFilters(t, f, choices);
  const columns = BOARD_ORDER.map((key) => groups.find((g) => g.key === key)).filter((g): g is RoadmapGroup => g !== undefined).map((g) => {
    const title = t.t("pages.group", { group: g.key, days: RECENTLY_SHIPPED_DAYS });
    const more = g.total > g.rows.length ? html`<a class="more" href="${roadmapHref({ community: f.community, q: f.q, status: g.status })}">${t.t("pages.allCount", { count: g.total })}</a>` : "";
    return html`<section class="column" id="${g.key}" aria-labelledby="h-${g.key}">
<h2 id="h-${g.key}"><span>${title} <span class="muted">(${t.number(g.total)})</span></span>${more}</h2>
${g.rows.length ? html`<ol class="requests">${g.rows.map((r) => requestItem(t, r))}</ol>` : html`<p class="muted">${scope ? t.t("pages.noMatches") : t.t("web.board.empty")}</p>`}
</section>`;
  });
  return layout({
    t,
    chrome,
    share,
    title: pageTitle(t, t.t("web.board.title")),
    feed: true,
    wide: true,
    body: html`<h1>${t.t("web.board.title")}</h1>
<p class="muted">${message(t, "web.board.intro", { list: html`<a href="${roadmapHref({ community: f.community, q: f.q })}">${t.t("web.board.listView")}</a>` })}</p>
${filterForm(t, { ...f, view: "board" }, choices)}
<div class="board">${columns}</div>`,
  });
}

/** /roadmap?status=…: one status, paged with links. */
export function listPage(t: Translator, p: RoadmapPage, f: PageFilters, choices: FilterChoices, chrome?: Chrome, share?: ShareMeta): string {
  const status = f.status!;
  const scope = describeFilters(t, f, choices);
  const first = (p.page - 1) * p.pageSize + 1;
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const heading = t.t("pages.list.heading", { status });
  const count = p.rows.length
    ? t.t("pages.list.range", { first, last: first + p.rows.length - 1, total: p.total, order: status === "shipped" ? "newest" : "wanted" })
    : t.t("pages.list.inAll", { total: p.total });
  const overview = html`<a href="${roadmapHref({ community: f.community, q: f.q })}">${t.t("pages.filter.overview")}</a>`;
  const pager = html`<nav class="pager" aria-label="${t.t("pages.list.pages")}">
<span>${p.page > 1 ? html`<a rel="prev" href="${roadmapHref({ ...f, page: Math.min(p.page - 1, pages) })}">${t.t("pages.list.previous")}</a>` : ""}</span>
<span class="muted">${t.t("pages.list.pageOf", { page: p.page, pages })}</span>
<span>${p.hasMore ? html`<a rel="next" href="${roadmapHref({ ...f, page: p.page + 1 })}">${t.t("pages.list.next")}</a>` : ""}</span>
</nav>`;
  let list: Html;
  if (p.rows.length) list = html`<ol class="requests" start="${first}">${p.rows.map((r) => requestItem(t, r))}</ol>`;
  else if (p.page > 1 && p.total > 0)
    list = html`<p class="notice">${message(t, "pages.list.noSuchPage", { page: p.page, last: pages, back: html`<a href="${roadmapHref({ ...f, page: 1 })}">${t.t("pages.list.backToFirst")}</a>` })}</p>`;
  else list = html`<p class="muted">${scope ? t.t("pages.list.noneScoped", { status, scope }) : t.t("pages.list.none", { status })}</p>`;
  return layout({
    t,
    chrome,
    share,
    title: pageTitle(t, heading),
    feed: true,
    body: html`<h1>${heading}</h1>
<p class="muted">${scope ? message(t, "pages.list.summaryScoped", { count, scope, overview }) : message(t, "pages.list.summary", { count, overview })}</p>
${filterForm(t, f, choices)}
${list}
${p.total > p.pageSize ? pager : ""}`,
  });
}

function historyLine(t: Translator, c: PublicRequestDetail["history"][number]): Html {
  const link = c.link ? safeHref(c.link) : null;
  let line = message(t, "pages.detail.change", { date: timeTag(c.at), from: statusLabel(t, c.from), to: html`<strong>${statusLabel(t, c.to)}</strong>`, source: c.source });
  if (c.reason) line = message(t, "pages.detail.reason", { change: line, reason: c.reason });
  if (link) line = message(t, "pages.detail.withSource", { change: line, source: external(link, t.t("pages.detail.source")) });
  return html`<li>${line}</li>`;
}

/** /roadmap/<number>: one request, its breadth, money, links, credits, votes over time and history. */
export function detailPage(t: Translator, d: PublicRequestDetail, now: Date, chrome?: Chrome, actions?: Html, share?: ShareMeta): string {
  const fact = (term: string, value: Html | string | false | null) => (value === false || value === null ? "" : html`<dt>${term}</dt><dd>${value}</dd>`);
  const pledges = d.pledgesBy.length
    ? t.t("pages.detail.pledges", {
        count: d.pledges.count,
        total: money(t, d.pledges.total, d.pledges.unit),
        list: d.pledgesBy.map((p) => t.t("pages.detail.pledgeBy", { name: p.community.name, money: money(t, p.amount, d.pledges.unit) })).join("; "),
      })
    : t.t("pages.detail.noPledges");
  const history = [html`<li>${message(t, "pages.detail.filed", { date: timeTag(d.createdAt), name: d.requestedBy.name })}</li>`, ...d.history.map((c) => historyLine(t, c))];
  const votesTable = d.votesOverTime.length
    ? html`<details><summary>${t.t("pages.detail.votesByDay")}</summary><table class="data"><thead><tr><th>${t.t("pages.detail.day")}</th><th>${t.t("pages.detail.votesSoFar")}</th></tr></thead><tbody>${d.votesOverTime.map((p) => html`<tr><td>${p.day}</td><td>${t.number(p.votes)}</td></tr>`)}</tbody></table></details>`
    : "";
  const communities = t.t("pages.communities", { count: d.breadth.communities });
  const json = `/api/requests/${d.number}`;
  return layout({
    t,
    chrome,
    share,
    title: pageTitle(t, `#${d.number} ${d.title}`),
    body: html`<p><a href="/roadmap">${t.t("pages.detail.backToRoadmap")}</a></p>
<h1><span class="muted">#${d.number}</span> <span class="title">${d.title}</span> ${statusPill(t, d.status)}</h1>
${d.mergedInto ? html`<p class="notice">${message(t, "pages.detail.mergedInto", { link: html`<a href="/roadmap/${d.mergedInto}">#${d.mergedInto}</a>` })}</p>` : ""}
${d.body ? html`<div class="body">${d.body}</div>` : ""}
<dl class="facts">
${fact(t.t("pages.fact.status"), statusLabel(t, d.status))}
${fact(t.t("pages.fact.requestedBy"), d.requestedBy.name)}
${fact(t.t("pages.fact.wantedBy"), d.breadth.wantedBy.length ? t.t("pages.fact.wantedByList", { communities, names: communityList(t, d.breadth.wantedBy) }) : communities)}
${fact(t.t("pages.fact.breadth"), html`${breadthBar(d.breadth.share, breadthLabel(t, d))} ${t.number(d.breadth.weighted)}`)}
${fact(t.t("pages.fact.votes"), t.number(d.votes))}
${fact(t.t("pages.fact.pledges"), pledges)}
${fact(t.t("pages.fact.github"), d.github.length ? githubLinks(t, d) : false)}
${fact(t.t("pages.fact.shipped"), d.shippedAt ? timeTag(d.shippedAt) : false)}
${fact(t.t("pages.fact.credited"), d.credits.length ? credits(t, d) : false)}
${fact(t.t("pages.fact.mergedHere"), d.mergedFrom.length ? html`${d.mergedFrom.map((n, i) => html`${i ? ", " : ""}<a href="/roadmap/${n}">#${n}</a>`)}` : false)}
</dl>
${actions ?? ""}
<h2>${t.t("pages.detail.votesOverTime")}</h2>
${votesChart(d.votesOverTime, now, t)}
${votesTable}
<h2>${t.t("pages.detail.history")}</h2>
<ol class="history">${history}</ol>
<p class="muted">${message(t, "pages.detail.asJson", { link: html`<a href="${json}">${json}</a>` })}</p>`,
  });
}

/** /roadmap/c/<slug>: one public community's asks, wants, pledges and what it received. */
export function communityPage(t: Translator, c: CommunityPageData, unit: string, chrome?: Chrome): string {
  const item = (r: CommunityRequestRef, extra: Html | string = "") =>
    html`<li><a href="/roadmap/${r.number}">#${r.number} ${r.title}</a> ${statusPill(t, r.status)}${extra}</li>`;
  const list = (heading: string, id: string, rows: Html[]) =>
    html`<section aria-labelledby="h-${id}"><h2 id="h-${id}">${heading} <span class="muted">(${t.number(rows.length)})</span></h2>${rows.length ? html`<ul class="refs">${rows}</ul>` : html`<p class="muted">${t.t("web.community.none")}</p>`}</section>`;
  return layout({
    t,
    chrome,
    title: pageTitle(t, c.name),
    body: html`<p><a href="/roadmap">${t.t("pages.detail.backToRoadmap")}</a></p>
<h1>${c.name}</h1>
<p class="muted">${message(t, "web.community.intro", { tier: t.t("web.community.tier", { tier: c.tier }), wanted: html`<a href="${roadmapHref({ community: c.slug })}">${t.t("web.community.filtered")}</a>` })}</p>
${list(t.t("web.community.asked"), "asked", c.asked.map((r) => item(r)))}
${list(t.t("web.community.wanted"), "wanted", c.wanted.map((r) => item(r)))}
${list(t.t("web.community.pledged"), "pledged", c.pledged.map((r) => item(r, html` <span class="muted">${money(t, r.amount, unit)}</span>`)))}
${list(t.t("web.community.received"), "received", c.received.map((r) => item(r)))}
${list(
  t.t("web.community.credits"),
  "credits",
  c.credits.map((x) => html`<li>${timeTag(x.at)} ${t.t("pages.creditKind", { kind: x.kind })}${x.number !== null ? html` · <a href="/roadmap/${x.number}">#${x.number} ${x.title ?? ""}</a>` : ""}</li>`),
)}`,
  });
}

/** 404 and 400 pages: same layout and headers, a plain explanation, a way back. */
export function messagePage(t: Translator, title: string, text: string, chrome?: Chrome, share?: ShareMeta): string {
  return layout({
    t,
    chrome,
    share,
    title: pageTitle(t, title),
    body: html`<h1>${title}</h1>
<p>${text}</p>
<p><a href="/roadmap">${t.t("pages.backToRoadmap")}</a></p>`,
  });
}
