import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Env } from "../config/env";
import type { Services } from "../core/context";
import { isConfiguredStaff } from "../core/people/identity";
import { personLocale } from "../core/people/locale";
import { communityShownTo, type Viewer, viewerOf } from "../core/people/visibility";
import { acceptLanguage } from "../i18n/locale";
import { translator, type Translator } from "../i18n/translate";
import { baseUrl } from "./respond";
import { configuredProviders, type Provider, type ProviderName } from "./signin/providers";
import { clientAddress, RateLimit } from "./signin/rate-limit";
import { sessionSecret } from "./signin/secret";
import { Sessions, type WebSession } from "./signin/sessions";

/** Who reads a page: nobody signed in, or a session with the person's role and community. */
export interface Reader {
  t: Translator;
  session: WebSession | null;
  role: "member" | "steward" | "staff" | null;
  /** Their community as they may read it (their own private one by name). */
  community: { id: number; slug: string; shownName: string } | null;
  /** How people/visibility sees them: their own private community is named to them. */
  viewer: Viewer;
}

/** Everything the roadmap's pages and forms share: sessions, providers, limits, the reader. */
export class Web {
  readonly sessions: Sessions;
  readonly providers: Map<ProviderName, Provider>;
  /** Actions per signed-in person, and per address whoever signs in from it. */
  readonly perPerson: RateLimit;
  readonly perAddress: RateLimit;
  /** Signs the sign-in-in-progress cookie: the session key, under its own purpose. */
  readonly signinSecret: string;
  private readonly proxyHops: number;

  constructor(
    readonly services: Services,
    env: Env,
  ) {
    this.providers = configuredProviders(env);
    this.proxyHops = env.WEB_PROXY_HOPS;
    const secure = (env.PUBLIC_URL ?? "").startsWith("https:");
    const secret = sessionSecret(env);
    this.sessions = new Sessions(services, secret, secure);
    this.signinSecret = createHmac("sha256", secret).update("fw_signin").digest("base64url");
    this.perPerson = new RateLimit(services.clock, 20, 60_000);
    this.perAddress = new RateLimit(services.clock, 60, 60_000);
  }

  get signInEnabled(): boolean {
    return this.providers.size > 0;
  }

  /**
   * The reader and their language: the browser's Accept-Language, then their community's, then
   * the organization's (README "Languages").
   */
  async reader(req: IncomingMessage): Promise<Reader> {
    const own = acceptLanguage(req.headers["accept-language"]);
    const session = this.signInEnabled ? await this.sessions.read(req) : null;
    if (!session) return { t: translator(personLocale(this.services.config, { own })), session: null, role: null, community: null, viewer: "public" };
    const person = await this.services.db.person.findUnique({ where: { id: session.personId }, select: { role: true, community: true, accounts: { select: { platform: true, externalId: true } } } });
    const staff = person?.accounts.some((a) => isConfiguredStaff(this.services.config, a.platform, a.externalId)) ?? false;
    const role = staff ? "staff" : person?.role === "steward" ? "steward" : "member";
    const c = person?.community && person.community.active ? person.community : null;
    const t = translator(personLocale(this.services.config, { own, communitySlug: c?.slug }));
    return {
      t,
      session,
      role,
      community: c ? { id: c.id, slug: c.slug, shownName: communityShownTo(c, viewerOf({ communityId: c.id, role }), t) } : null,
      viewer: viewerOf({ communityId: c?.id ?? null, role }),
    };
  }

  /** This site's origin as browsers name it: PUBLIC_URL's, else the Host the request used. */
  origin(req: IncomingMessage): string {
    return new URL(baseUrl(this.services.publicUrl, req)).origin;
  }

  /**
   * A state-changing POST must come from our own pages: an Origin (or, without one, a Referer)
   * naming another site is refused, on top of the per-session token and SameSite=Lax.
   */
  sameOrigin(req: IncomingMessage): boolean {
    const mine = this.origin(req);
    const origin = req.headers.origin;
    if (origin) return origin === mine;
    const referer = req.headers.referer;
    if (!referer) return true;
    try {
      return new URL(referer).origin === mine;
    } catch {
      return false;
    }
  }

  /** The client's address: the socket's, or behind WEB_PROXY_HOPS proxies what they forwarded. */
  address(req: IncomingMessage): string {
    return clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], this.proxyHops);
  }
}
