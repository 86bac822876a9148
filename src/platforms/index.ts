import type { GithubGateway } from "../core/context";
import type { PlatformContext, StartedPlatform } from "./platform";

export interface Platforms {
  started: StartedPlatform[];
  /** What core uses to reach GitHub (services.github), when GITHUB_TOKEN is set. */
  github?: GithubGateway;
}

/**
 * Starts every platform whose variables are set and hands back what each adds; the app mounts it.
 * When one fails to start, the ones already started are stopped again before the error goes on.
 */
export async function startPlatforms(ctx: PlatformContext): Promise<Platforms> {
  const { env } = ctx;
  const result: Platforms = { started: [] };
  try {
    if (env.GITHUB_TOKEN || env.GITHUB_WEBHOOK_SECRET) {
      const github = (await import("../github")).startGithub(ctx);
      result.started.push(github);
      result.github = github.gateway;
    }
    // Loaded only when used: Bolt and its dependencies are ~20 MB of a bot's memory (bench/: idle RSS).
    if (env.SLACK_BOT_TOKEN || env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET) {
      const slack = await (await import("./slack")).startSlack(ctx);
      if (slack) result.started.push(slack);
    }
    if (env.DISCORD_TOKEN && env.DISCORD_APPLICATION_ID) result.started.push(await (await import("./discord")).startDiscord(ctx));
  } catch (e) {
    for (const p of result.started.reverse()) await p.stop?.().catch(() => {});
    throw e;
  }
  return result;
}
