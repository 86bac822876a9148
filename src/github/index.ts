import type { App } from "../app";
import { createOctokit } from "./client";
import { octokitGateway } from "./gateway";
import { mountGithubWebhooks } from "./webhooks";

/**
 * GitHub for a running app: with GITHUB_TOKEN, core can create and read issues (Octokit, on
 * GITHUB_API_URL for Enterprise); with GITHUB_WEBHOOK_SECRET, POST /github/webhooks receives
 * events on the one HTTP server.
 */
export async function startGithub(app: App): Promise<void> {
  const { env, services } = app;
  if (env.GITHUB_TOKEN) {
    services.github = octokitGateway(createOctokit({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL, log: services.log }));
  }
  if (env.GITHUB_WEBHOOK_SECRET) mountGithubWebhooks(app, env.GITHUB_WEBHOOK_SECRET);
  app.platforms.set("github", () => "connected");
  services.log.info({ api: Boolean(env.GITHUB_TOKEN), webhooks: Boolean(env.GITHUB_WEBHOOK_SECRET) }, "GitHub is set up");
}
