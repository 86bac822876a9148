import type { PublicCommunity, PublicRequest, PublicRequestDetail, RoadmapGroup, RoadmapPage } from "../core/roadmap/roadmap";
import { LISTABLE_STATUSES, STATUS_LABEL } from "../core/requests/requests";
import { plural } from "../core/text";
import { formatNumber, html, type Html, layout, safeHref, timeTag } from "./html";
import { roadmapHref, type PageFilters } from "./query";
import { breadthBar, votesChart } from "./svg";

/** The roadmap's pages, as strings of HTML. Data comes from src/core/roadmap (already public). */

const NAMES_IN_LIST = 6;

const statusPill = (status: PublicRequest["status"]) => html`<span class="status status-${status}">${STATUS_LABEL[status]}</span>`;

const capitalize = (s: string) => `${s[0].toUpperCase()}${s.slice(1)}`;

const money = (amount: number, unit: string) => `${unit} ${formatNumber(amount)}`;

function communityList(list: PublicCommunity[], max = Infinity): string {
  const names = list.map((c) => c.name);
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

const external = (href: string, text: string) => html`<a href="${href}" rel="noopener noreferrer nofollow">${text}</a>`;

function githubLinks(r: PublicRequest): Html | "" {
  const links = r.github.map((g) => {
    const href = safeHref(g.url);
    const label = `${g.repo}#${g.number}`;
    return html`${href ? external(href, label) : label} <span class="muted">(${g.state})</span>`;
  });
  return links.length ? html`<p class="links">GitHub: ${links.map((l, i) => html`${i ? ", " : ""}${l}`)}</p>` : "";
}

function credits(r: PublicRequest): Html | "" {
  if (!r.credits.length) return "";
  const items = r.credits.map((c, i) => {
    const who = c.githubLogin ? external(`https://github.com/${c.githubLogin}`, c.name) : html`${c.name}`;
    return html`${i ? ", " : ""}${who} <span class="muted">(${c.kinds.join(", ")})</span>`;
  });
  return html`<p class="credits">Credited: ${items}</p>`;
}

const breadthLabel = (r: PublicRequest) =>
  `Weighted breadth ${formatNumber(r.breadth.weighted)}: ${Math.round(r.breadth.share * 100)}% of all member communities' weight`;

/** One request in a list: number, title, status, breadth, votes, pledges, links, credits. */
export function requestItem(r: PublicRequest): Html {
  const href = `/roadmap/${r.number}`;
  const pledged = r.pledges.count ? ` (${money(r.pledges.total, r.pledges.unit)})` : "";
  return html`<li class="req" id="r${r.number}" data-number="${r.number}" data-status="${r.status}">
<div class="req-head"><a class="num" href="${href}">#${r.number}</a><a class="title" href="${href}">${r.title}</a>${statusPill(r.status)}</div>
<div class="meta">${r.status === "open" ? breadthBar(r.breadth.share, breadthLabel(r)) : ""}<span class="breadth">${plural(r.breadth.communities, "community", "communities")}</span><span>${plural(r.votes, "vote")}</span><span>${plural(r.pledges.count, "pledge")}${pledged}</span>${r.shippedAt ? html`<span>shipped ${timeTag(r.shippedAt)}</span>` : ""}</div>
${r.breadth.wantedBy.length ? html`<p class="who">Wanted by ${communityList(r.breadth.wantedBy, NAMES_IN_LIST)}</p>` : ""}
${githubLinks(r)}
${r.status === "shipped" ? credits(r) : ""}
</li>`;
}

export interface FilterChoices {
  communities: { slug: string; name: string }[];
}

/** The filter form: plain GET, so it works without JavaScript and the URL can be shared. */
function filterForm(f: Omit<PageFilters, "page">, choices: FilterChoices): Html {
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ""}>${label}</option>`;
  return html`<form class="filters" method="get" action="/roadmap" role="search">
<label class="search">Search<input type="search" name="q" value="${f.q ?? ""}" maxlength="200" placeholder="Words in the title or details"></label>
<label>Community<select name="community">${option("", "All communities", !f.community)}${choices.communities.map((c) => option(c.slug, c.name, c.slug === f.community))}</select></label>
<label>Status<select name="status">${option("", "Overview", !f.status)}${LISTABLE_STATUSES.map((s) => option(s, capitalize(STATUS_LABEL[s]), s === f.status))}</select></label>
<button type="submit">Show</button>
${f.q || f.community || f.status ? html`<a class="reset" href="/roadmap">Clear</a>` : ""}
</form>`;
}

function describeFilters(f: Omit<PageFilters, "page">, choices: FilterChoices): string {
  const parts: string[] = [];
  if (f.community) parts.push(`wanted by ${choices.communities.find((c) => c.slug === f.community)?.name ?? f.community}`);
  if (f.q) parts.push(`matching “${f.q}”`);
  return parts.join(", ");
}

const EMPTY: Record<RoadmapGroup["key"], string> = {
  planned: "Nothing planned yet.",
  in_progress: "Nothing in progress right now.",
  shipped_recently: "Nothing shipped recently.",
  open: "No open requests. File one from your community's chat with /request.",
};

/** /roadmap with no status: the four groups, each with a link to its full, paged list. */
export function overviewPage(groups: RoadmapGroup[], f: Omit<PageFilters, "page">, choices: FilterChoices): string {
  const scope = describeFilters(f, choices);
  const sections = groups.map((g) => {
    const more = g.total > g.rows.length ? html`<a class="more" href="${roadmapHref({ ...f, status: g.status })}">All ${formatNumber(g.total)} →</a>` : "";
    return html`<section class="group" id="${g.key}" aria-labelledby="h-${g.key}">
<h2 id="h-${g.key}"><span>${g.title} <span class="muted">(${formatNumber(g.total)})</span></span>${more}</h2>
${g.rows.length ? html`<ol class="requests">${g.rows.map(requestItem)}</ol>` : html`<p class="muted">${scope ? "No matches." : EMPTY[g.key]}</p>`}
</section>`;
  });
  return layout({
    title: "Roadmap",
    feed: true,
    body: html`<h1>Roadmap</h1>
<p class="muted">What is planned, in progress and shipped, and what member communities want most${scope ? html` — ${scope}` : ""}.</p>
${filterForm(f, choices)}
${sections}`,
  });
}

/** /roadmap?status=…: one status, paged with links. */
export function listPage(p: RoadmapPage, f: PageFilters, choices: FilterChoices): string {
  const status = f.status!;
  const scope = describeFilters(f, choices);
  const order = status === "shipped" ? "newest first" : "most wanted first";
  const first = (p.page - 1) * p.pageSize + 1;
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const heading = `${capitalize(STATUS_LABEL[status])} requests`;
  const count = p.rows.length
    ? html`${formatNumber(first)}–${formatNumber(first + p.rows.length - 1)} of ${formatNumber(p.total)}, ${order}`
    : html`${formatNumber(p.total)} in all`;
  const pager = html`<nav class="pager" aria-label="Pages">
<span>${p.page > 1 ? html`<a rel="prev" href="${roadmapHref({ ...f, page: Math.min(p.page - 1, pages) })}">← Previous</a>` : ""}</span>
<span class="muted">Page ${formatNumber(p.page)} of ${formatNumber(pages)}</span>
<span>${p.hasMore ? html`<a rel="next" href="${roadmapHref({ ...f, page: p.page + 1 })}">Next →</a>` : ""}</span>
</nav>`;
  let list: Html;
  if (p.rows.length) list = html`<ol class="requests" start="${first}">${p.rows.map(requestItem)}</ol>`;
  else if (p.page > 1 && p.total > 0)
    list = html`<p class="notice">There is no page ${formatNumber(p.page)}: the last is ${formatNumber(pages)}. <a href="${roadmapHref({ ...f, page: 1 })}">Back to the first page</a>.</p>`;
  else list = html`<p class="muted">No ${STATUS_LABEL[status]} requests${scope ? html` ${scope}` : ""}.</p>`;
  return layout({
    title: `${heading} — Roadmap`,
    feed: true,
    body: html`<h1>${heading}</h1>
<p class="muted">${count}${scope ? html` — ${scope}` : ""}. <a href="${roadmapHref({ community: f.community, q: f.q })}">Overview</a></p>
${filterForm(f, choices)}
${list}
${p.total > p.pageSize ? pager : ""}`,
  });
}

const SOURCE_LABEL: Record<string, string> = { command: "by staff", github: "from GitHub", merge: "by a merge" };

/** /roadmap/<number>: one request, its breadth, money, links, credits, votes over time and history. */
export function detailPage(d: PublicRequestDetail, now: Date): string {
  const fact = (term: string, value: Html | string | false | null) => (value === false || value === null ? "" : html`<dt>${term}</dt><dd>${value}</dd>`);
  const pledges = d.pledgesBy.length
    ? html`${plural(d.pledges.count, "pledge")}, ${money(d.pledges.total, d.pledges.unit)} in all: ${d.pledgesBy.map((p, i) => html`${i ? "; " : ""}${p.community.name} ${money(p.amount, d.pledges.unit)}`)}`
    : "none yet";
  const history = [
    html`<li>${timeTag(d.createdAt)} filed by ${d.requestedBy.name}</li>`,
    ...d.history.map((c) => {
      const link = c.link ? safeHref(c.link) : null;
      return html`<li>${timeTag(c.at)} ${STATUS_LABEL[c.from]} → <strong>${STATUS_LABEL[c.to]}</strong> ${SOURCE_LABEL[c.source] ?? ""}${c.reason ? html`: ${c.reason}` : ""}${link ? html` (${external(link, "source")})` : ""}</li>`;
    }),
  ];
  const votesTable = d.votesOverTime.length
    ? html`<details><summary>Votes by day</summary><table class="data"><thead><tr><th>Day</th><th>Votes so far</th></tr></thead><tbody>${d.votesOverTime.map((p) => html`<tr><td>${p.day}</td><td>${formatNumber(p.votes)}</td></tr>`)}</tbody></table></details>`
    : "";
  return layout({
    title: `#${d.number} ${d.title} — Roadmap`,
    body: html`<p><a href="/roadmap">← Roadmap</a></p>
<h1><span class="muted">#${d.number}</span> <span class="title">${d.title}</span> ${statusPill(d.status)}</h1>
${d.mergedInto ? html`<p class="notice">Merged into <a href="/roadmap/${d.mergedInto}">#${d.mergedInto}</a>: votes and news continue there.</p>` : ""}
${d.body ? html`<div class="body">${d.body}</div>` : ""}
<dl class="facts">
${fact("Status", STATUS_LABEL[d.status])}
${fact("Requested by", d.requestedBy.name)}
${fact("Wanted by", html`${plural(d.breadth.communities, "community", "communities")}${d.breadth.wantedBy.length ? html`: ${communityList(d.breadth.wantedBy)}` : ""}`)}
${fact("Weighted breadth", html`${breadthBar(d.breadth.share, breadthLabel(d))} ${formatNumber(d.breadth.weighted)}`)}
${fact("Votes", formatNumber(d.votes))}
${fact("Pledges", pledges)}
${fact("GitHub", d.github.length ? githubLinks(d) : false)}
${fact("Shipped", d.shippedAt ? timeTag(d.shippedAt) : false)}
${fact("Credited", d.credits.length ? credits(d) : false)}
${fact("Merged here", d.mergedFrom.length ? html`${d.mergedFrom.map((n, i) => html`${i ? ", " : ""}<a href="/roadmap/${n}">#${n}</a>`)}` : false)}
</dl>
<h2>Votes over time</h2>
${votesChart(d.votesOverTime, now)}
${votesTable}
<h2>History</h2>
<ol class="history">${history}</ol>
<p class="muted">As JSON: <a href="/api/requests/${d.number}">/api/requests/${d.number}</a></p>`,
  });
}

/** 404 and 400 pages: same layout and headers, a plain explanation, a way back. */
export function messagePage(title: string, message: string): string {
  return layout({
    title: `${title} — Roadmap`,
    body: html`<h1>${title}</h1>
<p>${message}</p>
<p><a href="/roadmap">Back to the roadmap</a></p>`,
  });
}
