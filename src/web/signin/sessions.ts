import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { PlatformName, Services } from "../../core/context";
import { clearCookie, type CookieOptions, readCookies, setCookie, sign, unsign } from "./cookies";

export const SESSION_COOKIE = "fw_session";
/** A session nobody used for this long is refused (and swept): the "30 days idle". */
export const SESSION_IDLE_MS = 30 * 86_400_000;
const COOKIE_MAX_AGE_S = 400 * 86_400;
/** lastSeenAt is written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** The signed-in browser, as a page or an action needs it. */
export interface WebSession {
  id: string;
  personId: number;
  displayName: string;
  /** The account signed in with: actions speak as it, the same account as in chat. */
  platform: PlatformName;
  externalId: string;
  workspace: string;
  csrf: string;
  flash: { text: string; error: boolean } | null;
}

const digest = (token: string) => createHash("sha256").update(token).digest("hex");
const token = () => randomBytes(32).toString("base64url");

/** Server-side session rows behind a signed, HttpOnly, SameSite=Lax cookie. */
export class Sessions {
  readonly cookie: CookieOptions;

  constructor(
    private services: Services,
    private secret: string,
    secure: boolean,
  ) {
    this.cookie = { secure };
  }

  /** A new session for a person who just signed in: the Set-Cookie header to send. */
  async create(who: { personId: number; platform: PlatformName; externalId: string; workspace?: string }): Promise<string> {
    const raw = token();
    const now = this.services.clock.now();
    await this.services.db.webSession.create({
      data: { id: digest(raw), personId: who.personId, platform: who.platform, externalId: who.externalId, workspace: who.workspace ?? "", csrf: token(), createdAt: now, lastSeenAt: now },
    });
    // The row decides when a session ends (30 days idle, revoked), not the cookie: it lives as long
    // as browsers allow (400 days, RFC 6265bis), so an active session is never dropped at day 30.
    return setCookie(SESSION_COOKIE, sign(this.secret, raw), { ...this.cookie, maxAgeSeconds: COOKIE_MAX_AGE_S });
  }

  /** The request's session, or null: no cookie, a forged one, revoked, or idle past 30 days. */
  async read(req: IncomingMessage): Promise<WebSession | null> {
    const raw = unsign(this.secret, readCookies(req).get(SESSION_COOKIE));
    if (!raw) return null;
    const row = await this.services.db.webSession.findUnique({ where: { id: digest(raw) }, include: { person: { select: { displayName: true } } } });
    const now = this.services.clock.now();
    if (!row || row.revokedAt || now.getTime() - row.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.services.db.webSession.update({ where: { id: row.id }, data: { lastSeenAt: now } });
    return {
      id: row.id,
      personId: row.personId,
      displayName: row.person.displayName,
      platform: row.platform,
      externalId: row.externalId,
      workspace: row.workspace,
      csrf: row.csrf,
      flash: row.flash === null ? null : { text: row.flash, error: row.flashError },
    };
  }

  /** The outcome of a form, shown once on the page the browser is sent to next. */
  setFlash(id: string, text: string, error: boolean): Promise<unknown> {
    return this.services.db.webSession.update({ where: { id }, data: { flash: text, flashError: error } });
  }

  clearFlash(id: string): Promise<unknown> {
    return this.services.db.webSession.updateMany({ where: { id, flash: { not: null } }, data: { flash: null, flashError: false } });
  }

  revoke(id: string): Promise<unknown> {
    return this.services.db.webSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: this.services.clock.now() } });
  }

  /** Sign out everywhere: every browser of this person. */
  revokeAll(personId: number): Promise<unknown> {
    return this.services.db.webSession.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: this.services.clock.now() } });
  }

  clear(): string {
    return clearCookie(SESSION_COOKIE, this.cookie);
  }
}
