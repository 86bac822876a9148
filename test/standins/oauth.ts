import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Discord's and GitHub's OAuth2 on 127.0.0.1: the authorize page (the person approves at once),
 * the token endpoint and the user endpoints, each as its docs describe. Codes are one-time and
 * bound to the client, redirect_uri and PKCE challenge (RFC 7636 §4.6): a replayed code, a wrong
 * verifier or a wrong secret is refused the way the real provider refuses it.
 *   Discord: https://discord.com/developers/docs/topics/oauth2#authorization-code-grant
 *            https://discord.com/developers/docs/resources/user#get-current-user
 *   GitHub:  https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 *            https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors
 *            https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 */

export interface OAuthStandin {
  url: string;
  /** Who approves the next sign-in (a key of users). */
  as(user: string): void;
  /** Token requests seen, and how they ended (for asserting a replay was refused here). */
  tokenRequests: { ok: boolean; error?: string }[];
  close(): Promise<void>;
}

interface Grant {
  user: string;
  redirectUri: string;
  challenge: string;
  used: boolean;
}

const s256 = (v: string) => createHash("sha256").update(v).digest("base64url");

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startOAuthStandin(o: {
  kind: "discord" | "github";
  clientId: string;
  clientSecret: string;
  /** Discord: { id, username, global_name, guilds }; GitHub: { id, login, name }. */
  users: Record<string, Record<string, unknown>>;
  as: string;
}): Promise<OAuthStandin> {
  const paths =
    o.kind === "discord"
      ? { authorize: "/oauth2/authorize", token: "/api/oauth2/token", me: "/api/users/@me", guilds: "/api/users/@me/guilds" }
      : { authorize: "/login/oauth/authorize", token: "/login/oauth/access_token", me: "/user", guilds: null };
  let current = o.as;
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, string>();
  const tokenRequests: OAuthStandin["tokenRequests"] = [];

  const refuse = (res: ServerResponse, error: string, description: string) => {
    tokenRequests.push({ ok: false, error });
    // GitHub answers a bad code with 200 and an error body; Discord (RFC 6749 §5.2) with 400.
    json(res, o.kind === "github" ? 200 : 400, { error, error_description: description });
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "GET" && url.pathname === paths.authorize) {
        const p = url.searchParams;
        if (p.get("client_id") !== o.clientId || p.get("code_challenge_method") !== "S256" || !p.get("code_challenge") || !p.get("redirect_uri")) {
          res.writeHead(400).end("bad authorization request");
          return;
        }
        const code = randomBytes(16).toString("hex");
        grants.set(code, { user: current, redirectUri: p.get("redirect_uri")!, challenge: p.get("code_challenge")!, used: false });
        const back = new URL(p.get("redirect_uri")!);
        back.searchParams.set("code", code);
        if (p.get("state")) back.searchParams.set("state", p.get("state")!);
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      if (req.method === "POST" && url.pathname === paths.token) {
        const f = await form(req);
        if (f.get("client_id") !== o.clientId || f.get("client_secret") !== o.clientSecret) return refuse(res, o.kind === "github" ? "incorrect_client_credentials" : "invalid_client", "client");
        const g = grants.get(f.get("code") ?? "");
        if (!g || g.used) return refuse(res, o.kind === "github" ? "bad_verification_code" : "invalid_grant", "code unknown or used");
        g.used = true;
        if (f.get("redirect_uri") !== g.redirectUri) return refuse(res, o.kind === "github" ? "redirect_uri_mismatch" : "invalid_grant", "redirect_uri");
        if (s256(f.get("code_verifier") ?? "") !== g.challenge) return refuse(res, o.kind === "github" ? "bad_verification_code" : "invalid_grant", "code_verifier");
        const token = randomBytes(16).toString("hex");
        tokens.set(token, g.user);
        tokenRequests.push({ ok: true });
        json(res, 200, o.kind === "discord" ? { access_token: token, token_type: "Bearer", expires_in: 604800, refresh_token: "r", scope: "identify guilds" } : { access_token: token, token_type: "bearer", scope: "" });
        return;
      }
      const auth = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? "");
      const who = auth ? tokens.get(auth[1]) : undefined;
      if (req.method === "GET" && (url.pathname === paths.me || url.pathname === paths.guilds)) {
        if (!who) return json(res, 401, { message: "401: Unauthorized" });
        const u = o.users[who];
        if (url.pathname === paths.guilds) return json(res, 200, ((u.guilds as string[]) ?? []).map((id) => ({ id, name: `Guild ${id}` })));
        const { guilds: _guilds, ...me } = u;
        return json(res, 200, me);
      }
      res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    as: (u) => {
      current = u;
    },
    tokenRequests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
