import type { App } from "../app";

/**
 * Starts every platform whose variables are set. Each platform module registers its own HTTP
 * routes, deliverer, status and stop hook on the app.
 */
export async function startPlatforms(app: App): Promise<void> {
  // Slack, Discord and GitHub mount here as they land.
  if (app.env.GITHUB_TOKEN || app.env.GITHUB_WEBHOOK_SECRET) await (await import("../github")).startGithub(app);
  // Loaded only when used: Bolt and its dependencies are ~20 MB of a bot's memory (bench/: idle RSS).
  if (app.env.SLACK_BOT_TOKEN || app.env.SLACK_APP_TOKEN || app.env.SLACK_SIGNING_SECRET) await (await import("./slack")).startSlack(app);
  if (app.env.DISCORD_TOKEN && app.env.DISCORD_APPLICATION_ID) await (await import("./discord")).startDiscord(app);
}
