// A real OpenID Connect provider (oidc-provider, OpenID Certified) standing in for "Sign in with
// Slack" on 127.0.0.1: discovery, authorization with PKCE (required), signed ID tokens, one-time
// codes (a replayed code is refused, per RFC 6749 §4.1.2). The person approves at once (no login
// form): GET /interaction/:uid signs in the current test user, set with POST /_as.
// Claims as Slack sends them: https://docs.slack.dev/authentication/sign-in-with-slack/#response
// Run as a child process (an ES module with Koa inside; jest's CommonJS runtime cannot load it):
//   node test/standins/slack-oidc.mjs '{"clientId":"…","clientSecret":"…","redirectUri":"…","users":{…},"as":"U1"}'
// It prints "listening <port>" when ready.
import { createServer } from "node:http";
import Provider from "oidc-provider";

const cfg = JSON.parse(process.argv[2]);
let current = cfg.as;

const server = createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: cfg.clientId,
      client_secret: cfg.clientSecret,
      redirect_uris: [cfg.redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  pkce: { required: () => true },
  // Slack puts the profile claims in the ID token itself.
  conformIdTokenClaims: false,
  claims: { openid: ["sub"], profile: ["name", "locale", "https://slack.com/user_id", "https://slack.com/team_id"] },
  scopes: ["openid", "profile"],
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const u = cfg.users[id];
    if (!u) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, name: u.name, locale: u.locale ?? "en-US", "https://slack.com/user_id": id, "https://slack.com/team_id": u.team };
      },
    };
  },
});
// Tokens over plain http on loopback only.
provider.proxy = false;

provider.use(async (ctx, next) => {
  if (ctx.method === "POST" && ctx.path === "/_as") {
    current = ctx.query.user;
    ctx.body = { as: current };
    return;
  }
  const m = /^\/interaction\/([^/]+)$/.exec(ctx.path);
  if (ctx.method === "GET" && m) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const grant = new provider.Grant({ accountId: current, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    const to = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: current }, consent: { grantId } }, { mergeWithLastSubmission: false });
    ctx.redirect(to);
    return;
  }
  await next();
});

server.on("request", provider.callback());
process.stdout.write(`listening ${server.address().port}\n`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
