import type { IncomingMessage, ServerResponse } from "node:http";
import type { Services } from "../core/context";
import { isUserError } from "../core/errors";
import { filterableCommunities, getPublicRequest, listRoadmap, roadmapOverview, statusFeed } from "../core/roadmap/roadmap";
import type { Handler, HttpServer } from "../server/http";
import { atomFeed, requestDetailJson, requestListJson } from "./api";
import { ROADMAP_CSS } from "./css";
import { detailPage, listPage, messagePage, overviewPage } from "./pages";
import { parseApiQuery, parsePageQuery } from "./query";
import { baseUrl, sendBody } from "./respond";

const HTML = "text/html; charset=utf-8";
const JSON_TYPE = "application/json; charset=utf-8";
const API_HEADERS = { "access-control-allow-origin": "*" };

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

  /** Bad filters get a 400 page that says what to fix; anything else a 500 page, logged. */
  const page =
    (fn: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>): Handler =>
    async (req, res, url) => {
      try {
        await fn(req, res, url);
      } catch (e) {
        if (isUserError(e)) return sendBody(req, res, messagePage("Cannot show that", e.message), { status: 400, type: HTML });
        services.log.error({ err: e, path: url.pathname }, "roadmap page failed");
        sendBody(req, res, messagePage("Something went wrong", "The roadmap could not be shown. Please try again in a moment."), { status: 500, type: HTML });
      }
    };
  const api =
    (fn: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>): Handler =>
    async (req, res, url) => {
      try {
        await fn(req, res, url);
      } catch (e) {
        if (isUserError(e)) return sendBody(req, res, JSON.stringify({ error: e.message }), { status: 400, type: JSON_TYPE, headers: API_HEADERS });
        services.log.error({ err: e, path: url.pathname }, "roadmap API failed");
        sendBody(req, res, JSON.stringify({ error: "internal error" }), { status: 500, type: JSON_TYPE, headers: API_HEADERS });
      }
    };
  const notFoundPage = (req: IncomingMessage, res: ServerResponse, what: string) =>
    sendBody(req, res, messagePage("Not found", what), { status: 404, type: HTML });

  http.route(
    "GET",
    "/roadmap",
    page(async (req, res, url) => {
      const f = parsePageQuery(url);
      const choices = { communities: await filterableCommunities(services) };
      const body = f.status
        ? listPage(await listRoadmap(services, { statuses: [f.status], community: f.community, search: f.q, page: f.page }), f, choices)
        : overviewPage(await roadmapOverview(services, { community: f.community, search: f.q }), f, choices);
      sendBody(req, res, body, { type: HTML });
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
      const d = n === null ? null : await getPublicRequest(services, n);
      if (!d) return notFoundPage(req, res, n === null ? "There is no such page on the roadmap." : `There is no request #${n}.`);
      sendBody(req, res, detailPage(d, services.clock.now()), { type: HTML });
    }),
  );

  http.route("GET", "/roadmap.css", (req, res) => sendBody(req, res, ROADMAP_CSS, { type: "text/css; charset=utf-8", cacheControl: "public, max-age=3600" }));

  http.route(
    "GET",
    "/roadmap.atom",
    page(async (req, res) => {
      const feed = atomFeed(await statusFeed(services), baseUrl(services.publicUrl, req), services.clock.now());
      sendBody(req, res, feed, { type: "application/atom+xml; charset=utf-8" });
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
        const error = n === null ? "Request numbers are whole numbers, like /api/requests/12." : `There is no request #${n}.`;
        return sendBody(req, res, JSON.stringify({ error }), { status: 404, type: JSON_TYPE, headers: API_HEADERS });
      }
      sendBody(req, res, JSON.stringify(requestDetailJson(d, baseUrl(services.publicUrl, req))), { type: JSON_TYPE, headers: API_HEADERS });
    }),
  );
}
