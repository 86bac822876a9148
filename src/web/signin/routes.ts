import type { IncomingMessage, ServerResponse } from "node:http";
import { resolveActor } from "../../core/people/identity";
import { createLinkCode, redeemLinkCode } from "../../core/people/link";
import { isUserError } from "../../core/errors";
import { acceptLanguage } from "../../i18n/locale";
import type { BodyReader, HttpServer } from "../../server/http";
import type { Translator } from "../../i18n/translate";
import type { Web } from "../context";
import { baseUrl } from "../respond";
import { clearCookie, readCookies, setCookie, sign, unsign } from "./cookies";
import { newFlowSecrets, PROVIDER_NAMES, type ProviderIdentity, type ProviderName } from "./providers";
import { sessionSpeaker, speakerOf } from "./speaker";

const SIGNIN_COOKIE = "fw_signin";
/** How long the provider's page may take: a callback later than this is refused. */
export const SIGNIN_TTL_MS = 10 * 60_000;

/** Only a path on this site: "/roadmap/12" yes, "//evil.example" or "https://…" no (an open redirect otherwise). */
export function safeReturnTo(v: string | null | undefined): string {
  return v && /^\/(?![/\\])[\x21-\x7e]*$/.test(v) && v.length <= 200 ? v : "/roadmap";
}

const providerFrom = (path: string, suffix = ""): ProviderName | null => {
  const m = new RegExp(`^/signin/([a-z]+)${suffix}$`).exec(path);
  return m && (PROVIDER_NAMES as readonly string[]).includes(m[1]) ? (m[1] as ProviderName) : null;
};

export interface SigninPages {
  /** A page that says why a sign-in was refused (and that nothing changed). */
  refused(req: IncomingMessage, res: ServerResponse, status: number, text: (t: Translator) => string): Promise<void>;
  redirect(res: ServerResponse, location: string, cookies?: string[]): void;
}

/**
 * /signin/<provider> starts a flow (state, PKCE verifier and nonce kept server-side, the state
 * also in a signed cookie so only this browser can finish it); /signin/<provider>/callback
 * finishes it once. /signout and /signout/everywhere end sessions (POST, with the form's token).
 */
export function mountSignin(http: HttpServer, web: Web, pages: SigninPages): void {
  const { services, sessions } = web;
  const { db, clock } = services;
  const cookie = sessions.cookie;

  http.route("GET", "/signin/*", async (req, res, url) => {
    const callback = providerFrom(url.pathname, "/callback");
    if (callback) return finish(req, res, url, callback);
    const name = providerFrom(url.pathname);
    const provider = name ? web.providers.get(name) : undefined;
    if (!provider) return pages.refused(req, res, 404, (t) => t.t("web.signin.unknownProvider"));
    // Each start writes a row: an address starting sign-ins in a loop is held to the actions' limit.
    const wait = web.perAddress.take(`address:${web.address(req)}`);
    if (wait) return pages.refused(req, res, 429, (t) => t.t("web.rateLimited", { seconds: wait }));
    const current = await sessions.read(req);
    // Linking another platform (the web /link) is for a signed-in person, asked from /account.
    const linking = url.searchParams.get("link") === "1" && current ? current.id : null;
    const secrets = newFlowSecrets();
    let target: URL;
    try {
      target = await provider.authorizationUrl(redirectUri(req, provider.name), secrets);
    } catch (e) {
      // Slack's discovery document could not be read: say so, rather than a bare 500.
      services.log.warn({ provider: provider.name, err: e instanceof Error ? e.message : String(e) }, "web sign-in could not start");
      return pages.refused(req, res, 502, (t) => t.t("web.signin.unavailable", { provider: provider.name }));
    }
    await db.webSignin.create({
      data: { state: secrets.state, provider: provider.name, verifier: secrets.verifier, nonce: secrets.nonce, linkSessionId: linking, returnTo: safeReturnTo(url.searchParams.get("return")), createdAt: clock.now() },
    });
    pages.redirect(res, target.href, [setCookie(SIGNIN_COOKIE, sign(cookieSecretOf(web), secrets.state), { ...cookie, maxAgeSeconds: SIGNIN_TTL_MS / 1000 })]);
  });

  const redirectUri = (req: IncomingMessage, name: ProviderName) => `${baseUrl(services.publicUrl, req)}/signin/${name}/callback`;

  async function finish(req: IncomingMessage, res: ServerResponse, url: URL, name: ProviderName): Promise<void> {
    const provider = web.providers.get(name);
    if (!provider) return pages.refused(req, res, 404, (t) => t.t("web.signin.unknownProvider"));
    const state = url.searchParams.get("state") ?? "";
    const mine = unsign(cookieSecretOf(web), readCookies(req).get(SIGNIN_COOKIE));
    const clear = clearCookie(SIGNIN_COOKIE, cookie);
    // A state this browser did not start, an unknown one, or one already used: refused, nothing changes.
    const now = clock.now();
    const claimed =
      state && mine === state
        ? await db.webSignin.updateMany({ where: { state, provider: name, usedAt: null, createdAt: { gt: new Date(now.getTime() - SIGNIN_TTL_MS) } }, data: { usedAt: now } })
        : { count: 0 };
    if (claimed.count !== 1) {
      res.setHeader("set-cookie", clear);
      return pages.refused(req, res, 400, (t) => t.t("web.signin.badState"));
    }
    const flow = await db.webSignin.findUniqueOrThrow({ where: { state } });
    if (url.searchParams.has("error")) {
      res.setHeader("set-cookie", clear);
      return pages.refused(req, res, 400, (t) => t.t("web.signin.denied", { provider: name }));
    }
    let identity;
    try {
      // The URL the provider sent the browser to, as openid-client checks it (state, iss, code).
      const callbackUrl = new URL(`${redirectUri(req, name)}${url.search}`);
      identity = await provider.finish(callbackUrl, { state, verifier: flow.verifier, nonce: flow.nonce });
    } catch (e) {
      services.log.warn({ provider: name, err: e instanceof Error ? e.message : String(e) }, "web sign-in refused by the provider");
      res.setHeader("set-cookie", clear);
      return pages.refused(req, res, 400, (t) => t.t("web.signin.providerRefused", { provider: name }));
    }
    const locale = acceptLanguage(req.headers["accept-language"])[0];
    const speaker = speakerOf(services.config, identity, locale);
    if (flow.linkSessionId) {
      const current = await sessions.read(req);
      if (!current || current.id !== flow.linkSessionId) {
        res.setHeader("set-cookie", clear);
        return pages.refused(req, res, 400, (t) => t.t("web.signin.expired"));
      }
      // The web /link: the same two steps as in chat, the code made and redeemed at once.
      try {
        const keeper = await resolveActor(services, sessionSpeaker(current, locale));
        const joining = await resolveActor(services, speaker);
        const { code } = await createLinkCode(services, keeper);
        const r = await redeemLinkCode(services, joining, code);
        await keepHandle(identity);
        const t = (await web.reader(req)).t;
        await sessions.setFlash(current.id, t.t("web.account.linkedNow", { provider: name, votes: r.votesMerged }), false);
      } catch (e) {
        if (!isUserError(e)) throw e;
        const t = (await web.reader(req)).t;
        await sessions.setFlash(current.id, e.localized ? t.t(e.localized.key, e.localized.values) : e.message, true);
      }
      return pages.redirect(res, "/account", [clear]);
    }
    const actor = await resolveActor(services, speaker);
    await keepHandle(identity);
    const session = await sessions.create({ personId: actor.personId, platform: identity.platform, externalId: identity.externalId, workspace: speaker.workspace });
    pages.redirect(res, flow.returnTo, [clear, session]);
  }

  /** The name people know them by (a GitHub login's own capitals, a Discord username), for /account. */
  async function keepHandle(identity: ProviderIdentity): Promise<void> {
    if (identity.handle) await db.account.updateMany({ where: { platform: identity.platform, externalId: identity.externalId, handle: null }, data: { handle: identity.handle } });
  }

  http.route("POST", "/signout", (req, res, url, readBody) => signOut(req, res, url, readBody, false));
  http.route("POST", "/signout/everywhere", (req, res, url, readBody) => signOut(req, res, url, readBody, true));

  async function signOut(req: IncomingMessage, res: ServerResponse, _url: URL, readBody: BodyReader, everywhere: boolean): Promise<void> {
    const body = await readBody({ limit: 4096 });
    if (!body) return;
    const form = new URLSearchParams(body.bytes.toString("utf8"));
    const current = await sessions.read(req);
    if (!current) return pages.redirect(res, "/roadmap", [sessions.clear()]);
    if (!web.sameOrigin(req) || form.get("csrf") !== current.csrf) return pages.refused(req, res, 403, (t) => t.t("web.action.forged"));
    if (everywhere) await sessions.revokeAll(current.personId);
    else await sessions.revoke(current.id);
    pages.redirect(res, "/roadmap", [sessions.clear()]);
  }
}

const cookieSecretOf = (web: Web): string => web.signinSecret;
