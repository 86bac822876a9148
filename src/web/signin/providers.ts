import type * as Oidc from "openid-client";
import type { Env } from "../../config/env";

/**
 * The three ways to sign in on the roadmap, through openid-client (OpenID Certified) rather than
 * hand-written OAuth: state and PKCE (S256) on every flow, only the identity scopes. Base URLs
 * come from the environment, so a GitHub Enterprise host or a test stand-in takes the real ones' place.
 */

export type ProviderName = "slack" | "discord" | "github";
export const PROVIDER_NAMES: readonly ProviderName[] = ["slack", "discord", "github"];

/** Who the provider says signed in, as chat knows them (the same account ids). */
export interface ProviderIdentity {
  platform: ProviderName;
  /** Slack user id, Discord user id, GitHub login (lower case, as src/core/github/identity keeps it). */
  externalId: string;
  displayName: string;
  /** Slack team id: their community, as in chat. */
  workspace?: string;
  /** Discord guilds they are in: a configured one is their community, as in chat. */
  guilds?: string[];
  /** The language the provider knows for them (Slack's and Discord's locale). */
  locale?: string;
  handle?: string;
}

/** What a flow keeps between the redirect to the provider and its callback. */
export interface FlowSecrets {
  state: string;
  verifier: string;
  nonce: string;
}

export interface Provider {
  name: ProviderName;
  /** The provider's page to send the browser to. */
  authorizationUrl(redirectUri: string, s: FlowSecrets): Promise<URL>;
  /** Trades the callback's code for the identity; throws when the provider refuses (a replayed code, a wrong verifier). */
  finish(callbackUrl: URL, s: FlowSecrets): Promise<ProviderIdentity>;
}

/**
 * openid-client loads on the first sign-in, not with the bot: a bot with no client ids set never
 * needs it (bench/ footprint: idle memory and start-up).
 */
let oidcModule: typeof Oidc | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const oidc = (): typeof Oidc => (oidcModule ??= require("openid-client") as typeof Oidc);

/** Plain http is only for stand-ins on loopback; the real providers are https. */
const insecureOk = (u: URL) => u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname);

/** One discovery per process; a failed one is retried by the next sign-in. */
function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= make().catch((e: unknown) => {
    p = undefined;
    throw e;
  }));
}

async function pkce(s: FlowSecrets) {
  return { code_challenge: await oidc().calculatePKCECodeChallenge(s.verifier), code_challenge_method: "S256", state: s.state };
}

/** An OAuth2 server described by hand (Discord and GitHub publish no discovery document). */
function oauthConfig(base: URL, paths: { authorize: string; token: string }, clientId: string, secret: string): Oidc.Configuration {
  const config = new (oidc().Configuration)(
    { issuer: base.origin, authorization_endpoint: new URL(paths.authorize, base).href, token_endpoint: new URL(paths.token, base).href },
    clientId,
    undefined,
    oidc().ClientSecretPost(secret),
  );
  if (insecureOk(base)) oidc().allowInsecureRequests(config);
  return config;
}

async function getJson(config: Oidc.Configuration, accessToken: string, url: URL): Promise<unknown> {
  const res = await oidc().fetchProtectedResource(config, accessToken, url, "GET", undefined, new Headers({ accept: "application/json", "user-agent": "flywheel-bot" }));
  if (!res.ok) throw new Error(`${url.pathname} answered ${res.status}`);
  return res.json();
}

/**
 * Sign in with Slack: OpenID Connect, scopes openid + profile, ID token checked (signature,
 * issuer, audience, nonce) by openid-client.
 * https://docs.slack.dev/authentication/sign-in-with-slack/
 */
function slack(env: Env, id: string, secret: string): Provider {
  const issuer = new URL(env.SLACK_OIDC_ISSUER);
  const config = lazily(() => oidc().discovery(issuer, id, undefined, oidc().ClientSecretPost(secret), { execute: insecureOk(issuer) ? [oidc().allowInsecureRequests] : [] }));
  return {
    name: "slack",
    async authorizationUrl(redirectUri, s) {
      return oidc().buildAuthorizationUrl(await config(), { redirect_uri: redirectUri, scope: "openid profile", nonce: s.nonce, ...(await pkce(s)) });
    },
    async finish(callbackUrl, s) {
      const tokens = await oidc().authorizationCodeGrant(await config(), callbackUrl, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce, idTokenExpected: true });
      const c = tokens.claims()!;
      const user = String(c["https://slack.com/user_id"] ?? c.sub);
      return {
        platform: "slack",
        externalId: user,
        displayName: typeof c.name === "string" && c.name ? c.name : user,
        workspace: typeof c["https://slack.com/team_id"] === "string" ? c["https://slack.com/team_id"] : undefined,
        locale: typeof c.locale === "string" ? c.locale : undefined,
      };
    },
  };
}

/**
 * Discord OAuth2 (authorization code + PKCE), scopes identify and guilds: the guilds say which
 * configured community a member new to Flywheel belongs to, as the guild does in chat.
 * https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
 */
function discord(env: Env, id: string, secret: string): Provider {
  const base = new URL(env.DISCORD_OAUTH_URL);
  const config = oauthConfig(base, { authorize: "/oauth2/authorize", token: "/api/oauth2/token" }, id, secret);
  return {
    name: "discord",
    async authorizationUrl(redirectUri, s) {
      return oidc().buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: "identify guilds", response_type: "code", prompt: "none", ...(await pkce(s)) });
    },
    async finish(callbackUrl, s) {
      const tokens = await oidc().authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: s.verifier, expectedState: s.state });
      // https://discord.com/developers/docs/resources/user#get-current-user
      const me = (await getJson(config, tokens.access_token, new URL("/api/users/@me", base))) as { id?: unknown; username?: unknown; global_name?: unknown; locale?: unknown };
      if (typeof me.id !== "string") throw new Error("Discord sent no user id");
      // https://discord.com/developers/docs/resources/user#get-current-user-guilds
      const guilds = (await getJson(config, tokens.access_token, new URL("/api/users/@me/guilds", base))) as { id?: unknown }[];
      const name = typeof me.global_name === "string" && me.global_name ? me.global_name : typeof me.username === "string" ? me.username : me.id;
      return {
        platform: "discord",
        externalId: me.id,
        displayName: name,
        guilds: Array.isArray(guilds) ? guilds.map((g) => g.id).filter((g): g is string => typeof g === "string") : [],
        locale: typeof me.locale === "string" ? me.locale : undefined,
        handle: typeof me.username === "string" ? me.username : undefined,
      };
    },
  };
}

/**
 * GitHub OAuth app (authorization code + PKCE), no scope: the public profile is all it needs.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 */
function github(env: Env, id: string, secret: string): Provider {
  const base = new URL(env.GITHUB_OAUTH_URL);
  const api = new URL(env.GITHUB_API_URL ?? "https://api.github.com");
  const config = oauthConfig(base, { authorize: "/login/oauth/authorize", token: "/login/oauth/access_token" }, id, secret);
  if (insecureOk(api)) oidc().allowInsecureRequests(config);
  return {
    name: "github",
    async authorizationUrl(redirectUri, s) {
      return oidc().buildAuthorizationUrl(config, { redirect_uri: redirectUri, scope: "", allow_signup: "false", ...(await pkce(s)) });
    },
    async finish(callbackUrl, s) {
      const tokens = await oidc().authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: s.verifier, expectedState: s.state });
      // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
      const me = (await getJson(config, tokens.access_token, new URL(`${api.pathname.replace(/\/$/, "")}/user`, api))) as { login?: unknown; name?: unknown };
      if (typeof me.login !== "string") throw new Error("GitHub sent no login");
      return { platform: "github", externalId: me.login.toLowerCase(), displayName: typeof me.name === "string" && me.name ? me.name : me.login, handle: me.login };
    },
  };
}

/** The providers whose client id and secret are set, in the order the page offers them. */
export function configuredProviders(env: Env): Map<ProviderName, Provider> {
  const out = new Map<ProviderName, Provider>();
  if (env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET) out.set("slack", slack(env, env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET));
  if (env.DISCORD_CLIENT_ID && env.DISCORD_CLIENT_SECRET) out.set("discord", discord(env, env.DISCORD_CLIENT_ID, env.DISCORD_CLIENT_SECRET));
  if (env.GITHUB_CLIENT_ID && env.GITHUB_CLIENT_SECRET) out.set("github", github(env, env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET));
  return out;
}

export const newFlowSecrets = (): FlowSecrets => ({ state: oidc().randomState(), verifier: oidc().randomPKCECodeVerifier(), nonce: oidc().randomNonce() });
