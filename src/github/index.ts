import type { GithubGateway } from "../core/context";
import type { PlatformContext, StartedPlatform } from "../platforms/platform";
import { createOctokit } from "./client";
import { octokitGateway } from "./gateway";
import { githubWebhookRoute } from "./webhooks";

export interface GithubPlatform extends StartedPlatform {
  /** Issues and pull requests for core (services.github), when GITHUB_TOKEN is set. */
  gateway?: GithubGateway;
}

/**
 * GitHub for a running app: with GITHUB_TOKEN, a gateway through which core creates and reads
 * issues (Octokit, on GITHUB_API_URL for Enterprise); with GITHUB_WEBHOOK_SECRET, the route
 * POST /github/webhooks that receives events on the one HTTP server.
 */
export function startGithub({ env, services }: PlatformContext): GithubPlatform {
  const gateway = env.GITHUB_TOKEN ? octokitGateway(createOctokit({ token: env.GITHUB_TOKEN, baseUrl: env.GITHUB_API_URL, log: services.log })) : undefined;
  services.log.info({ api: Boolean(env.GITHUB_TOKEN), webhooks: Boolean(env.GITHUB_WEBHOOK_SECRET) }, "GitHub is set up");
  return {
    name: "github",
    gateway,
    routes: env.GITHUB_WEBHOOK_SECRET ? [githubWebhookRoute(services, env.GITHUB_WEBHOOK_SECRET)] : [],
    status: () => "connected",
  };
}
