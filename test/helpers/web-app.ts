import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { startApp, type App } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { createLogger } from "../../src/log";
import { startOAuthStandin, type OAuthStandin } from "../standins/oauth";
import { freshDatabase } from "./db";

/** The three sign-in stand-ins and the bot wired to them, on 127.0.0.1. */
export interface WebRig {
  app: App;
  clock: ManualClock;
  base: string;
  slack: { url: string; as(user: string): Promise<void> };
  discord: OAuthStandin;
  github: OAuthStandin;
  close(): Promise<void>;
}

export const SLACK_USERS = {
  U0ANA: { name: "Ana Alpha", team: "T0ALPHA" },
  U0NOBODY: { name: "Nell Nowhere", team: "T0ELSEWHERE" },
  U0STAFF: { name: "Stella Staff", team: "T0STAFF" },
};

/** A free port now, so the OIDC stand-in can be told the bot's redirect URI before the bot starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** oidc-provider is an ES module with Koa inside: it runs as its own process (see the file). */
async function startSlackOidc(redirectUri: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, "..", "standins", "slack-oidc.mjs"), JSON.stringify({ clientId: "slack-client", clientSecret: "slack-secret", redirectUri, users: SLACK_USERS, as: "U0ANA" })], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`the Slack OIDC stand-in exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function startWebRig(target: string, yaml: string): Promise<WebRig> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const slack = await startSlackOidc(`${base}/signin/slack/callback`);
  const discord = await startOAuthStandin({
    kind: "discord",
    clientId: "discord-client",
    clientSecret: "discord-secret",
    users: {
      dana: { id: "300000000000000001", username: "dana", global_name: "Dana Discord", locale: "es-ES", guilds: ["999", "100000000000000001"] },
      // In gamma's guild: a private community.
      gia: { id: "300000000000000002", username: "gia", global_name: "Gia", guilds: ["100000000000000003"] },
    },
    as: "dana",
  });
  const github = await startOAuthStandin({ kind: "github", clientId: "github-client", clientSecret: "github-secret", users: { gus: { id: 7, login: "GusHub", name: "Gus Hub" } }, as: "gus" });
  const fresh = target === "pglite" ? null : await freshDatabase(target);
  const clock = new ManualClock();
  const env = loadEnv({
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SESSION_SECRET: "test-session-secret-0123456789abcdef",
    SLACK_CLIENT_ID: "slack-client",
    SLACK_CLIENT_SECRET: "slack-secret",
    SLACK_OIDC_ISSUER: slack.url,
    DISCORD_CLIENT_ID: "discord-client",
    DISCORD_CLIENT_SECRET: "discord-secret",
    DISCORD_OAUTH_URL: discord.url,
    GITHUB_CLIENT_ID: "github-client",
    GITHUB_CLIENT_SECRET: "github-secret",
    GITHUB_OAUTH_URL: github.url,
    GITHUB_API_URL: github.url,
  });
  const stopStandins = async () => {
    slack.child.kill("SIGTERM");
    await Promise.all([discord.close(), github.close()]);
  };
  let app: App;
  try {
    app = await startApp({ env, config: parseConfig(yaml), clock, log: createLogger("silent"), databaseUrl: fresh ? fresh.url : "memory:", platforms: false, worker: { autostart: false } });
  } catch (e) {
    await stopStandins();
    await fresh?.drop();
    throw e;
  }
  return {
    app,
    clock,
    base,
    slack: {
      url: slack.url,
      async as(user) {
        await fetch(`${slack.url}/_as?user=${encodeURIComponent(user)}`, { method: "POST" });
      },
    },
    discord,
    github,
    async close() {
      await app.stop();
      await stopStandins();
      await fresh?.drop();
    },
  };
}
