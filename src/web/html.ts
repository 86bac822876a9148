import type { FlywheelConfig } from "../config/file";
import type { MessageKey } from "../i18n/catalog";
import type { MessageValues, Translator } from "../i18n/translate";

/**
 * Server-side HTML for the public pages. Every interpolated value is escaped unless it is
 * already an `Html` fragment built here, so user text (titles, details, reasons) can only ever
 * render as text: forgetting to escape is not possible by construction.
 */

/** A fragment of markup that is safe to insert as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Organization = NonNullable<FlywheelConfig["organization"]>;

type Interpolated = Html | string | number | null | undefined | false | readonly Interpolated[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for an element body or a quoted attribute value. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

function render(v: Interpolated): string {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${title}</p>\`` escapes `title`; nested `html` fragments pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Html(out);
}

/**
 * A catalog message with markup in it (a link, a <time>): each Html value stands in the message as
 * a private-use placeholder, the formatted text is escaped as a whole, then the placeholders
 * become the markup. Translators see one sentence; the markup stays out of the catalogs.
 */
export function message(t: Translator, key: MessageKey, values: Record<string, Html | MessageValues[string]> = {}): Html {
  const plain: MessageValues = {};
  const markup: Html[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (v instanceof Html) {
      plain[name] = `\uE000${markup.length}\uE001`;
      markup.push(v);
    } else plain[name] = v;
  }
  return new Html(escapeHtml(t.t(key, plain)).replace(/\uE000(\d+)\uE001/g, (_, i: string) => markup[Number(i)].value));
}

/** Markup produced by trusted code (the SVG builders), never from user text. */
export const trusted = (markup: string): Html => new Html(markup);

/** Only http(s) URLs become links: a stored `javascript:` URL would otherwise run on click. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.toString() : null;
  } catch {
    return null;
  }
}

/** Escapes text for XML (the Atom feed); also drops characters XML 1.0 forbids. */
export const escapeXml = (s: string): string =>
  // eslint-disable-next-line no-control-regex
  escapeHtml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ""));

/**
 * The page's security headers. No script is ever allowed: the pages are plain server-rendered
 * HTML with one same-origin stylesheet; charts are inline SVG using attributes, not styles.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The same policy, also allowing images from the organization's logo's origin (the only
 * third-party thing a page loads). form-action 'self' still applies: sign-in goes through our own
 * /signin/<provider>, which redirects (a redirect after a navigation is not a form submission).
 */
export function contentSecurityPolicy(logoUrl?: string): string {
  const href = safeHref(logoUrl);
  if (!href) return CONTENT_SECURITY_POLICY;
  return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", `img-src 'self' data: ${new URL(href).origin}`);
}

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

/** What heads every page: the organization, and the reader's sign-in state and last outcome. */
export interface Chrome {
  org?: Organization;
  /** The header's right side for this reader: sign-in links, or their name and sign-out. */
  account?: Html;
  /** The outcome of the form they just sent (shown once). */
  flash?: { text: string; error: boolean } | null;
  /** A line under the header (a signed-in person with no community is told how to join). */
  notice?: Html;
  /** Sign-in is set up: the footer invites to vote here rather than saying "read-only". */
  signIn?: boolean;
}

export interface LayoutOptions {
  /** The reader's language: the page's words and its <html lang>. */
  t: Translator;
  title: string;
  /** Link to the Atom feed in <head>, so feed readers find it. */
  feed?: boolean;
  body: Html;
  chrome?: Chrome;
  /** The board's columns need the room a list does not. */
  wide?: boolean;
  /** How a link to the page previews where it is pasted (Discord, Slack without the app, other tools). */
  share?: ShareMeta;
}

export interface ShareMeta {
  /** The page's absolute URL. */
  url: string;
  /** Defaults to the page's <title>. */
  title?: string;
  /** Defaults to what the roadmap is. */
  description?: string;
}

/**
 * Open Graph (https://ogp.me: og:title, og:type, og:url, og:description) and Twitter card
 * (https://developer.x.com/en/docs/x-for-websites/cards/overview/markup: twitter:card "summary",
 * twitter:title, twitter:description) meta. Attribute values are escaped like any text.
 */
function shareMeta(t: Translator, title: string, s: ShareMeta | undefined): Html {
  const heading = s?.title ?? title;
  const description = s?.description ?? t.t("preview.roadmapDescription");
  return html`<meta name="description" content="${description}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="${t.t("pages.roadmap")}">
<meta property="og:title" content="${heading}">
<meta property="og:description" content="${description}">
${s ? html`<meta property="og:url" content="${s.url}">` : ""}
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="${heading}">
<meta name="twitter:description" content="${description}">`;
}

/** The page shell: phone-friendly viewport, the stylesheet, a header and a footer. */
export function layout(o: LayoutOptions): string {
  const { t } = o;
  const org = o.chrome?.org;
  return html`<!doctype html>
<html lang="${t.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${shareMeta(t, o.title, o.share)}
<link rel="stylesheet" href="/roadmap.css">
<link rel="icon" href="data:,">
${o.feed ? html`<link rel="alternate" type="application/atom+xml" title="${t.t("pages.feedTitle")}" href="/roadmap.atom">` : ""}
</head>
<body>
<header class="site">${home(t, org)}<nav><a href="/roadmap?view=board">${t.t("web.nav.board")}</a> <a href="/roadmap.atom">${t.t("pages.nav.feed")}</a> <a href="/api/requests">${t.t("pages.nav.json")}</a>${o.chrome?.account ?? ""}</nav></header>
${org && (org.intro || org.links.length) ? html`<div class="org">${org.intro ? html`<p class="intro">${org.intro}</p>` : ""}${org.links.length ? html`<p class="org-links">${org.links.map((l) => html`<a href="${safeHref(l.url) ?? "#"}" rel="noopener noreferrer">${l.label}</a> `)}</p>` : ""}</div>` : ""}
<main${o.wide ? html` class="wide"` : ""}>
${o.chrome?.notice ? html`<p class="notice">${o.chrome.notice}</p>` : ""}
${o.chrome?.flash ? html`<p class="flash${o.chrome.flash.error ? " flash-error" : ""}" role="status">${o.chrome.flash.text}</p>` : ""}
${o.body}
</main>
<footer class="site">${o.chrome?.signIn ? t.t("web.footer") : t.t("pages.footer")}</footer>
</body>
</html>
`.value;
}

/** The organization's logo and name, or "Roadmap" when flywheel.yml names none. */
function home(t: Translator, org: Organization | undefined): Html {
  if (!org) return html`<a class="home" href="/roadmap">${t.t("pages.roadmap")}</a>`;
  const logo = safeHref(org.logoUrl);
  return html`<a class="home" href="/roadmap">${logo ? html`<img class="logo" src="${logo}" alt="" width="32" height="32"> ` : ""}${message(t, "web.header.title", { name: org.name })}</a>`;
}

/** 2026-11-23 in UTC: dates on a public page must not depend on the server's time zone. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

export const timeTag = (d: Date): Html => html`<time datetime="${d.toISOString()}">${isoDay(d)}</time>`;
