import type { IncomingMessage, ServerResponse } from "node:http";
import { dispatch } from "../command-kit/dispatch";
import { acceptLanguage } from "../i18n/locale";
import type { Translator } from "../i18n/translate";
import type { HttpServer } from "../server/http";
import type { Web } from "./context";
import { sessionSpeaker, webPlace } from "./signin/speaker";

/** What each form on a request's page runs: the same command as in chat, options from its fields. */
const ACTIONS = {
  upvote: (n: number) => ({ command: "upvote", options: { number: n } }),
  unvote: (n: number) => ({ command: "unvote", options: { number: n } }),
  follow: (n: number) => ({ command: "follow", options: { number: n } }),
  unfollow: (n: number) => ({ command: "follow", options: { number: n, stop: true } }),
  feedback: (n: number, f: URLSearchParams) => ({ command: "feedback", options: { number: n, text: f.get("text") ?? "" } }),
  pledge: (n: number, f: URLSearchParams) => ({
    command: "pledge",
    options: { number: n, amount: f.get("amount") ?? "", ...(f.get("note")?.trim() ? { note: f.get("note") } : {}) },
  }),
} as const;
type ActionName = keyof typeof ACTIONS;

/** Forms are small: a feedback of 2,000 characters, percent-encoded, fits many times over. */
const FORM_LIMIT = 32 * 1024;

export interface ActionPages {
  refused(req: IncomingMessage, res: ServerResponse, status: number, text: (t: Translator) => string): Promise<void>;
  redirect(res: ServerResponse, location: string, cookies?: string[]): void;
}

/**
 * POST /roadmap/<n>/<action>: a signed-in person's vote, unvote, follow, feedback or pledge, through the
 * one command dispatch (same validation, errors and notifications as chat). Refused, with nothing
 * changed: no session (signed out, expired), a missing or wrong form token, another site's Origin,
 * too many actions. The outcome is shown once on the request's page (post, redirect, get).
 */
export function mountActions(http: HttpServer, web: Web, pages: ActionPages): void {
  const { services, sessions } = web;
  http.route("POST", "/roadmap/*", async (req, res, url, readBody) => {
    const m = /^\/roadmap\/(\d{1,10})\/(upvote|unvote|follow|unfollow|feedback|pledge)$/.exec(url.pathname);
    const n = m ? Number(m[1]) : NaN;
    if (!m || !Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) return pages.refused(req, res, 404, (t) => t.t("pages.error.noSuchPage"));
    const body = await readBody({ limit: FORM_LIMIT });
    if (!body) return;
    const form = new URLSearchParams(body.bytes.toString("utf8"));
    const session = await sessions.read(req);
    if (!session) return pages.refused(req, res, 401, (t) => t.t("web.signin.expired"));
    if (!web.sameOrigin(req) || !form.get("csrf") || form.get("csrf") !== session.csrf) return pages.refused(req, res, 403, (t) => t.t("web.action.forged"));
    const wait = Math.max(web.perPerson.take(`person:${session.personId}`), web.perAddress.take(`address:${web.address(req)}`));
    if (wait) return pages.refused(req, res, 429, (t) => t.t("web.rateLimited", { seconds: wait }));
    const accounts = await services.db.account.findMany({ where: { personId: session.personId }, select: { platform: true, externalId: true, workspace: true }, orderBy: { id: "asc" } });
    const { command, options } = ACTIONS[m[2] as ActionName](n, form);
    const reply = await dispatch(services, {
      command,
      options,
      speaker: sessionSpeaker(session, acceptLanguage(req.headers["accept-language"])[0]),
      place: webPlace(session, accounts),
    });
    await sessions.setFlash(session.id, reply.text, Boolean(reply.error));
    pages.redirect(res, `/roadmap/${n}`);
  });
}
