import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "../core/context";
import { isUserError, type UserError } from "../core/errors";
import { requestPreview } from "../core/roadmap/preview";
import { filterableCommunities, getPublicRequest, listRoadmap, roadmapOverview, statusFeed } from "../core/roadmap/roadmap";
import { acceptLanguage, resolveLocale } from "../i18n/locale";
import { translator, type Translator } from "../i18n/translate";
import type { Handler, HttpServer } from "../server/http";
import { atomFeed, requestDetailJson, requestListJson } from "./api";
import { ROADMAP_CSS } from "./css";
import { detailPage, listPage, messagePage, overviewPage } from "./pages";
import { parseApiQuery, parsePageQuery } from "./query";
import { baseUrl, sendBody } from "./respond";

const HTML = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
// The words depend on Accept-Language: caches must keep one copy per language (RFC 9110 §12.5.5).
const VARY = { vary: "Accept-Language" };
const API_HEADERS = { "access-control-allow-origin": "*", ...VARY };

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
export function mountRoadmap(http: HttpServer, services: Services): void {
  /** The reader's language: the browser's Accept-Language, else the organization's. */
  const readerOf = (req: IncomingMessage): Translator => translator(resolveLocale([...acceptLanguage(req.headers["accept-language"]), services.config.locale]));
  const errorText = (t: Translator, e: UserError) => (e.localized ? t.t(e.localized.key, e.localized.values) : e.message);

  /** Bad filters get a 400 page that says what to fix; anything else a 500 page, logged. */
  const page =
    (fn: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>): Handler =>
    async (req, res, url) => {
      try {
        await fn(req, res, url);
      } catch (e) {
        const t = readerOf(req);
        if (isUserError(e)) return sendBody(req, res, messagePage(t, t.t("pages.error.cannotShow"), errorText(t, e)), { status: 400, type: HTML, headers: VARY });
        services.log.error({ err: e, path: url.pathname }, "roadmap page failed");
        sendBody(req, res, messagePage(t, t.t("pages.error.wentWrong"), t.t("pages.error.tryAgain")), { status: 500, type: HTML, headers: VARY });
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
  const notFoundPage = (req: IncomingMessage, res: ServerResponse, t: Translator, what: string) =>
    sendBody(req, res, messagePage(t, t.t("pages.error.notFound"), what), { status: 404, type: HTML, headers: VARY });

  http.route(
    "GET",
    "/roadmap",
    page(async (req, res, url) => {
      const t = readerOf(req);
      const f = parsePageQuery(url);
      const choices = { communities: await filterableCommunities(services) };
      const share = { url: `${baseUrl(services.publicUrl, req)}${url.pathname}${url.search}` };
      const body = f.status
        ? listPage(t, await listRoadmap(services, { statuses: [f.status], community: f.community, search: f.q, page: f.page }, t), f, choices, share)
        : overviewPage(t, await roadmapOverview(services, { community: f.community, search: f.q }, t), f, choices, share);
      sendBody(req, res, body, { type: HTML, headers: VARY });
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
      const n = numberFrom(url.pathname, "/roadmap");
      const t = readerOf(req);
      const d = n === null ? null : await getPublicRequest(services, n, t);
      if (!d) return notFoundPage(req, res, t, n === null ? t.t("pages.error.noSuchPage") : t.t("pages.error.noSuchRequest", { number: n }));
      const preview = requestPreview(t, d, baseUrl(services.publicUrl, req));
      sendBody(req, res, detailPage(t, d, services.clock.now(), { url: preview.url, title: preview.title, description: preview.description }), { type: HTML, headers: VARY });
    }),
  );

  http.route("GET", "/roadmap.css", (req, res) => sendBody(req, res, ROADMAP_CSS, { type: "text/css; charset=utf-8", cacheControl: "public, max-age=3600" }));

  http.route(
    "GET",
    "/roadmap.atom",
    page(async (req, res) => {
      const t = readerOf(req);
      const feed = atomFeed(t, await statusFeed(services, undefined, t), baseUrl(services.publicUrl, req), services.clock.now());
      sendBody(req, res, feed, { type: "application/atom+xml; charset=utf-8", headers: VARY });
    }),
  );

  http.route(
    "GET",
    "/api/requests",
    api(async (req, res, url) => {
      const f = parseApiQuery(url);
      const p = await listRoadmap(services, { statuses: f.statuses, community: f.community, search: f.q, page: f.page, pageSize: f.pageSize });
      sendBody(req, res, JSON.stringify(requestListJson(p, f, baseUrl(services.publicUrl, req))), { type: JSON_TYPE, headers: API_HEADERS });
    }),
  );

  http.route(
    "GET",
    "/api/requests/*",
    api(async (req, res, url) => {
      const n = numberFrom(url.pathname, "/api/requests");
      const d = n === null ? null : await getPublicRequest(services, n);
      if (!d) {
        const t = readerOf(req);
        const error = n === null ? t.t("pages.error.wholeNumbers", { example: "/api/requests/12" }) : t.t("pages.error.noSuchRequest", { number: n });
        return sendBody(req, res, JSON.stringify({ error }), { status: 404, type: JSON_TYPE, headers: API_HEADERS });
      }
      sendBody(req, res, JSON.stringify(requestDetailJson(d, baseUrl(services.publicUrl, req))), { type: JSON_TYPE, headers: API_HEADERS });
    }),
  );
}
