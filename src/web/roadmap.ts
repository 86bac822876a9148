import type { IncomingMessage, ServerResponse } from "node:http";
import type { Env } from "../config/env";
import type { Services } from "../core/context";
import { isUserError, type UserError } from "../core/errors";
import { forPublicReads, readsFor } from "../core/reads";
import { communityRoadmap } from "../core/roadmap/community";
import { requestPreview } from "../core/roadmap/preview";
import { filterableCommunities, getPublicRequest, listRoadmap, roadmapOverview, statusFeed } from "../core/roadmap/roadmap";
import { acceptLanguage, resolveLocale } from "../i18n/locale";
import { translator, type Translator } from "../i18n/translate";
import type { Handler, HttpServer } from "../server/http";
import { atomFeed, requestDetailJson, requestListJson } from "./api";
import { mountActions } from "./actions";
import { Web, type Reader } from "./context";
import { accentCss, ROADMAP_CSS } from "./css";
import { type Chrome, contentSecurityPolicy, layout } from "./html";
import { boardPage, communityPage, detailPage, listPage, messagePage, overviewPage } from "./pages";
import { mountSignin } from "./signin/routes";
import { accountBody, accountCorner, noCommunityNotice, requestActions } from "./views";
import { parseApiQuery, parsePageQuery } from "./query";
import { baseUrl, sendBody } from "./respond";
import { SESSION_IDLE_MS } from "./signin/sessions";

const HTML = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
// The words depend on Accept-Language: caches must keep one copy per language (RFC 9110 §12.5.5).
const VARY = { vary: "Accept-Language" };
const API_HEADERS = { "access-control-allow-origin": "*", ...VARY };
// A signed-in page is that person's: never kept by a shared cache.
const PRIVATE = { vary: "Accept-Language, Cookie", "cache-control": "private, no-store" };

/** /roadmap/12 (or /roadmap/12/): the number, else null (a 404, like an unknown number). */
function numberFrom(path: string, prefix: string): number | null {
  const m = new RegExp(`^${prefix}/(\\d{1,10})/?$`).exec(path);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= 2_147_483_647 ? n : null;
}

/**
 * Mounts the public, read-only roadmap on the one HTTP server: the page, one page per request,
 * its stylesheet, the Atom feed and the JSON API. Nothing here needs a login; nothing here writes.
 */
export function mountRoadmap(http: HttpServer, services: Services, env: Env): void {
  /** The reader's language: the browser's Accept-Language, else the organization's. */
  const readerOf = (req: IncomingMessage): Translator => translator(resolveLocale([...acceptLanguage(req.headers["accept-language"]), services.config.locale]));
  const web = new Web(services, env);
  // Anonymous readers read the replica (DATABASE_READ_URL) when there is one; a signed-in person
  // reads the primary for a few seconds after they changed something (core/reads: one rule).
  const anonymous = forPublicReads(services);
  const readsOf = (r: Reader): Promise<Services> => (r.session ? readsFor(services, r.session.personId) : Promise.resolve(anonymous));
  const providers = [...web.providers.keys()];
  const org = services.config.organization;
  const csp = { "content-security-policy": contentSecurityPolicy(org?.logoUrl) };

  /** The page's frame for this reader; the flash is shown once, so reading it clears it. */
  const chromeFor = async (r: Reader, returnTo: string): Promise<Chrome> => {
    if (r.session?.flash) await web.sessions.clearFlash(r.session.id);
    return { org, account: accountCorner(r.t, r, providers, returnTo), flash: r.session?.flash, notice: noCommunityNotice(r.t, r), signIn: web.signInEnabled };
  };
  const headersFor = (r: Reader) => ({ ...csp, ...(r.session ? PRIVATE : VARY) });
  const sendPage = (req: IncomingMessage, res: ServerResponse, r: Reader, body: string, status = 200) =>
    sendBody(req, res, body, { status, type: HTML, headers: headersFor(r), ...(r.session ? { cacheControl: "private, no-store" } : {}) });
  const refused = async (req: IncomingMessage, res: ServerResponse, status: number, text: (t: Translator) => string) => {
    const r = await web.reader(req);
    const title = status === 404 ? r.t.t("pages.error.notFound") : r.t.t("web.refused.title");
    await sendPage(req, res, r, messagePage(r.t, title, text(r.t), await chromeFor(r, "/roadmap")), status);
  };
  const redirect = (res: ServerResponse, location: string, cookies: string[] = []) => {
    const prior = res.getHeader("set-cookie");
    const all = [...(Array.isArray(prior) ? prior : typeof prior === "string" ? [prior] : []), ...cookies];
    res.writeHead(303, { location, "cache-control": "no-store", ...(all.length ? { "set-cookie": all } : {}) });
    res.end();
  };
  mountSignin(http, web, { refused, redirect });
  mountActions(http, web, { refused, redirect });
  const errorText = (t: Translator, e: UserError) => (e.localized ? t.t(e.localized.key, e.localized.values) : e.message);

  /** Bad filters get a 400 page that says what to fix; anything else a 500 page, logged. */
  const page =
    (fn: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>): Handler =>
    async (req, res, url) => {
      try {
        await fn(req, res, url);
      } catch (e) {
        const t = readerOf(req);
        if (isUserError(e)) return sendBody(req, res, messagePage(t, t.t("pages.error.cannotShow"), errorText(t, e), { org, signIn: web.signInEnabled }), { status: 400, type: HTML, headers: { ...csp, ...VARY } });
        services.log.error({ err: e, path: url.pathname }, "roadmap page failed");
        sendBody(req, res, messagePage(t, t.t("pages.error.wentWrong"), t.t("pages.error.tryAgain"), { org, signIn: web.signInEnabled }), { status: 500, type: HTML, headers: { ...csp, ...VARY } });
      }
    };
  const api =
    (fn: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>): Handler =>
    async (req, res, url) => {
      try {
        await fn(req, res, url);
      } catch (e) {
        const t = readerOf(req);
        if (isUserError(e)) return sendBody(req, res, JSON.stringify({ error: errorText(t, e) }), { status: 400, type: JSON_TYPE, headers: API_HEADERS });
        services.log.error({ err: e, path: url.pathname }, "roadmap API failed");
        sendBody(req, res, JSON.stringify({ error: t.t("pages.error.internal") }), { status: 500, type: JSON_TYPE, headers: API_HEADERS });
      }
    };
  const notFoundPage = async (req: IncomingMessage, res: ServerResponse, r: Reader, what: string) =>
    sendPage(req, res, r, messagePage(r.t, r.t.t("pages.error.notFound"), what, await chromeFor(r, "/roadmap")), 404);

  http.route(
    "GET",
    "/roadmap",
    page(async (req, res, url) => {
      const f = parsePageQuery(url);
      const r = await web.reader(req);
      const { t } = r;
      const reads = await readsOf(r);
      const choices = { communities: await filterableCommunities(reads) };
      const chrome = await chromeFor(r, `${url.pathname}${url.search}`);
      const share = { url: `${baseUrl(services.publicUrl, req)}${url.pathname}${url.search}` };
      const body = f.view === "board"
        ? boardPage(t, await roadmapOverview(reads, { community: f.community, search: f.q }, t, r.viewer), f, choices, chrome, share)
        : f.status
          ? listPage(t, await listRoadmap(reads, { statuses: [f.status], community: f.community, search: f.q, page: f.page }, t, r.viewer), f, choices, chrome, share)
          : overviewPage(t, await roadmapOverview(reads, { community: f.community, search: f.q }, t, r.viewer), f, choices, chrome, share);
      sendPage(req, res, r, body);
    }),
  );

  http.route(
    "GET",
    "/roadmap/*",
    page(async (req, res, url) => {
      if (url.pathname === "/roadmap/") {
        res.writeHead(301, { location: `/roadmap${url.search}` });
        res.end();
        return;
      }
      const slug = /^\/roadmap\/c\/([a-z0-9][a-z0-9-]{0,39})\/?$/.exec(url.pathname)?.[1];
      if (slug !== undefined || url.pathname.startsWith("/roadmap/c/")) {
        const r = await web.reader(req);
        const c = slug ? await communityRoadmap(await readsOf(r), slug) : null;
        // A private community answers exactly like an unknown one.
        if (!c) return notFoundPage(req, res, r, r.t.t("web.community.noSuch"));
        return sendPage(req, res, r, communityPage(r.t, c, services.config.pledgeUnit, await chromeFor(r, url.pathname)));
      }
      const n = numberFrom(url.pathname, "/roadmap");
      const r = await web.reader(req);
      const d = n === null ? null : await getPublicRequest(await readsOf(r), n, r.t, r.viewer);
      const { t } = r;
      if (!d) return notFoundPage(req, res, r, n === null ? t.t("pages.error.noSuchPage") : t.t("pages.error.noSuchRequest", { number: n }));
      const actions = d.mergedInto ? undefined : requestActions(t, r, providers, await requestState(r, d.number));
      // A link pasted elsewhere previews like the page reads to anyone: the public view, whoever is signed in.
      const preview = requestPreview(t, r.viewer === "public" ? d : ((await getPublicRequest(await readsOf(r), d.number, t)) ?? d), baseUrl(services.publicUrl, req));
      const share = { url: preview.url, title: preview.title, description: preview.description };
      sendPage(req, res, r, detailPage(t, d, services.clock.now(), await chromeFor(r, url.pathname), actions, share));
    }),
  );

  /** What the forms on a request's page need to know about this reader. */
  const requestState = async (r: Reader, number: number) => {
    if (!r.session) return { number, voted: false, following: false, toldOn: null, pledgeUnit: services.config.pledgeUnit };
    const who = { requestId_personId: { requestId: number, personId: r.session.personId } };
    const [vote, follow, accounts] = await Promise.all([
      services.db.vote.findUnique({ where: who, select: { id: true } }),
      services.db.follow.findUnique({ where: who, select: { personId: true } }),
      services.db.account.findMany({ where: { personId: r.session.personId }, select: { platform: true } }),
    ]);
    const chat = [r.session.platform, ...accounts.map((a) => a.platform)].find((p) => p === "slack" || p === "discord");
    return { number, voted: vote !== null, following: follow !== null, toldOn: chat ?? null, pledgeUnit: services.config.pledgeUnit };
  };

  http.route(
    "GET",
    "/account",
    page(async (req, res) => {
      const r = await web.reader(req);
      if (!r.session) return refused(req, res, 401, (t) => t.t("web.signin.expired"));
      const [accounts, sessions] = await Promise.all([
        services.db.account.findMany({ where: { personId: r.session.personId }, orderBy: { id: "asc" } }),
        services.db.webSession.count({ where: { personId: r.session.personId, revokedAt: null, lastSeenAt: { gt: new Date(services.clock.now().getTime() - SESSION_IDLE_MS) } } }),
      ]);
      const view = { accounts: accounts.map((a) => ({ platform: a.platform, name: a.handle ?? a.externalId })), sessions };
      const chrome = await chromeFor(r, "/account");
      sendPage(req, res, r, layout({ t: r.t, chrome, title: r.t.t("pages.pageTitle", { page: r.t.t("web.account.title") }), body: accountBody(r.t, r, providers, view) }));
    }),
  );

  const css = ROADMAP_CSS + accentCss(org?.accent);
  http.route("GET", "/roadmap.css", (req, res) => sendBody(req, res, css, { type: "text/css; charset=utf-8", cacheControl: "public, max-age=3600" }));

  http.route(
    "GET",
    "/roadmap.atom",
    page(async (req, res) => {
      const t = readerOf(req);
      const feed = atomFeed(t, await statusFeed(anonymous, undefined, t), baseUrl(services.publicUrl, req), services.clock.now());
      sendBody(req, res, feed, { type: "application/atom+xml; charset=utf-8", headers: VARY });
    }),
  );

  http.route(
    "GET",
    "/api/requests",
    api(async (req, res, url) => {
      const f = parseApiQuery(url);
      const p = await listRoadmap(anonymous, { statuses: f.statuses, community: f.community, search: f.q, page: f.page, pageSize: f.pageSize });
      sendBody(req, res, JSON.stringify(requestListJson(p, f, baseUrl(services.publicUrl, req))), { type: JSON_TYPE, headers: API_HEADERS });
    }),
  );

  http.route(
    "GET",
    "/api/requests/*",
    api(async (req, res, url) => {
      const n = numberFrom(url.pathname, "/api/requests");
      const d = n === null ? null : await getPublicRequest(anonymous, n);
      if (!d) {
        const t = readerOf(req);
        const error = n === null ? t.t("pages.error.wholeNumbers", { example: "/api/requests/12" }) : t.t("pages.error.noSuchRequest", { number: n });
        return sendBody(req, res, JSON.stringify({ error }), { status: 404, type: JSON_TYPE, headers: API_HEADERS });
      }
      sendBody(req, res, JSON.stringify(requestDetailJson(d, baseUrl(services.publicUrl, req))), { type: JSON_TYPE, headers: API_HEADERS });
    }),
  );
}
