import type { Translator } from "../i18n/translate";
import type { Reader } from "./context";
import { html, type Html } from "./html";
import type { ProviderName } from "./signin/providers";

/**
 * The signed-in parts of the roadmap's pages: the header's account corner, a request's forms
 * and /account. Plain HTML forms (POST, a hidden per-session token): nothing needs JavaScript.
 */

const csrfField = (r: Reader) => html`<input type="hidden" name="csrf" value="${r.session?.csrf ?? ""}">`;

const signInLinks = (t: Translator, providers: ProviderName[], returnTo: string) =>
  html`${providers.map((p, i) => html`${i ? " " : ""}<a class="signin-link" href="/signin/${p}?return=${encodeURIComponent(returnTo)}">${t.t("web.signin.with", { provider: p })}</a>`)}`;

/** The header's right side: sign-in links, or the person's name, /account and sign-out. */
export function accountCorner(t: Translator, r: Reader, providers: ProviderName[], returnTo: string): Html | undefined {
  if (!providers.length) return undefined;
  if (!r.session) return html` <span class="account">${signInLinks(t, providers, returnTo)}</span>`;
  return html` <span class="account"><a href="/account">${r.session.displayName}</a> <form class="inline" method="post" action="/signout">${csrfField(r)}<button type="submit" class="link">${t.t("web.signout")}</button></form></span>`;
}

/** A signed-in person outside every member community reads, and is told how to join. */
export const noCommunityNotice = (t: Translator, r: Reader): Html | undefined =>
  r.session && !r.community && r.role !== "staff" ? html`${t.t("web.noCommunity", { account: "/account" })} <a href="/account">${t.t("web.account.title")}</a>` : undefined;

export interface RequestState {
  number: number;
  voted: boolean;
  following: boolean;
  /** Where changes will be told: a DM on this platform, or nowhere (GitHub only). */
  toldOn: "slack" | "discord" | null;
  pledgeUnit: string;
}

/** A request's forms: upvote or unvote, feedback, and for stewards a pledge for their community. */
export function requestActions(t: Translator, r: Reader, providers: ProviderName[], s: RequestState): Html {
  if (!r.session) {
    return providers.length
      ? html`<section class="act" aria-labelledby="h-act"><h2 id="h-act">${t.t("web.actions.title")}</h2><p>${t.t("web.actions.signInFirst")} ${signInLinks(t, providers, `/roadmap/${s.number}`)}</p></section>`
      : html``;
  }
  const action = (name: string) => `/roadmap/${s.number}/${name}`;
  const vote = s.voted
    ? html`<p class="voted">${t.t("web.actions.voted")}</p><form method="post" action="${action("unvote")}">${csrfField(r)}<button type="submit" class="secondary">${t.t("web.actions.unvote")}</button></form>`
    : html`<form method="post" action="${action("upvote")}">${csrfField(r)}<button type="submit">${t.t("web.actions.upvote")}</button></form>`;
  const pledge =
    r.role === "steward" || r.role === "staff"
      ? html`<form class="fields" method="post" action="${action("pledge")}">${csrfField(r)}
<label>${t.t("web.actions.pledgeAmount", { unit: s.pledgeUnit })}<input name="amount" inputmode="decimal" required></label>
<label>${t.t("web.actions.pledgeNote")}<input name="note" maxlength="500"></label>
<button type="submit">${r.community ? t.t("web.actions.pledgeFor", { community: r.community.shownName }) : t.t("web.actions.pledge")}</button></form>`
      : "";
  // A voter is told already; anyone else may follow without voting.
  const follow = s.voted
    ? ""
    : s.following
      ? html`<form method="post" action="${action("unfollow")}">${csrfField(r)}<button type="submit" class="secondary">${t.t("web.actions.unfollow")}</button></form>`
      : html`<form method="post" action="${action("follow")}">${csrfField(r)}<button type="submit" class="secondary">${t.t("web.actions.follow")}</button></form>`;
  return html`<section class="act" aria-labelledby="h-act"><h2 id="h-act">${t.t("web.actions.title")}</h2>
<div class="vote">${vote}${follow}</div>
<form class="fields" method="post" action="${action("feedback")}">${csrfField(r)}
<label>${t.t("web.actions.feedbackLabel")}<textarea name="text" rows="3" maxlength="2000" required></textarea></label>
<button type="submit">${t.t("web.actions.feedback")}</button></form>
${pledge}
<p class="muted">${s.toldOn ? t.t("web.actions.toldBy", { platform: s.toldOn }) : t.t("web.actions.notTold", { account: "/account" })}</p>
</section>`;
}

export interface AccountView {
  accounts: { platform: string; name: string }[];
  sessions: number;
}

/** /account: who you are here, the platforms linked to you, linking another, signing out everywhere. */
export function accountBody(t: Translator, r: Reader, providers: ProviderName[], v: AccountView): Html {
  const linked = new Set(v.accounts.map((a) => a.platform));
  const more = providers.filter((p) => !linked.has(p));
  return html`<h1>${t.t("web.account.title")}</h1>
<dl class="facts">
<dt>${t.t("web.account.name")}</dt><dd>${r.session!.displayName}</dd>
<dt>${t.t("web.account.community")}</dt><dd>${r.community ? r.community.shownName : t.t("web.account.noCommunity")}</dd>
</dl>
<h2>${t.t("web.account.linked")}</h2>
<ul class="accounts">${v.accounts.map((a) => html`<li>${t.t("web.platform", { platform: a.platform })}: ${a.name}</li>`)}</ul>
${more.length ? html`<h2>${t.t("web.account.linkAnother")}</h2><p>${t.t("web.account.linkWhy")}</p><p>${more.map((p, i) => html`${i ? " " : ""}<a class="signin-link" href="/signin/${p}?link=1">${t.t("web.account.linkWith", { provider: p })}</a>`)}</p>` : ""}
<h2>${t.t("web.account.sessions")}</h2>
<p>${t.t("web.account.sessionCount", { count: v.sessions })}</p>
<form method="post" action="/signout/everywhere">${csrfField(r)}<button type="submit" class="secondary">${t.t("web.signoutEverywhere")}</button></form>`;
}
