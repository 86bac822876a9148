import type { App } from "../app";

/**
 * Starts every platform whose variables are set. Each platform module registers its own HTTP
 * routes, deliverer, status and stop hook on the app.
 */
export async function startPlatforms(app: App): Promise<void> {
  // Slack, Discord and GitHub mount here as they land.
  if (app.env.DISCORD_TOKEN && app.env.DISCORD_APPLICATION_ID) await (await import("./discord")).startDiscord(app);
}
