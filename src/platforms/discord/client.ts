import { Client, GatewayIntentBits, Partials, REST, type RESTOptions, Status } from "discord.js";
import type { PlatformStatus } from "../platform";
import type { Env } from "../../config/env";
import { NO_MENTIONS } from "./render";

/**
 * A rate limit longer than this is not waited out inside discord.js for outbox routes: the
 * delivery becomes RetryLater and the worker comes back after Retry-After, so one slow channel
 * never holds a worker slot (its claim lease is a minute). Shorter waits discord.js handles itself.
 */
export const INLINE_RATE_LIMIT_MS = 5_000;

/** Interaction answers must go out within Discord's deadlines: never given up on, whatever the wait. */
const isInteractionRoute = (route: string): boolean => route.startsWith("/interactions") || route.startsWith("/webhooks");

/** REST options shared by the bot and `flywheel discord register`: DISCORD_API_URL, rate limit policy. */
export function restOptions(env: Pick<Env, "DISCORD_API_URL">): Partial<RESTOptions> {
  return {
    ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL.replace(/\/+$/, "") } : {}),
    rejectOnRateLimit: (info) => !isInteractionRoute(info.route) && info.retryAfter > INLINE_RATE_LIMIT_MS,
  };
}

export function discordRest(env: Pick<Env, "DISCORD_API_URL" | "DISCORD_TOKEN">): REST {
  const rest = new REST(restOptions(env));
  if (env.DISCORD_TOKEN) rest.setToken(env.DISCORD_TOKEN);
  return rest;
}

/**
 * The gateway intents, each for a reason:
 * - Guilds: guild, channel and thread caches (GUILD_CREATE, THREAD_CREATE), so replies know
 *   which thread an interaction came from. Interactions themselves need no intent.
 * - Only when something subscribes to thread messages (the support relay):
 *   GuildMessages (MESSAGE_CREATE in guild threads), DirectMessages (DMs to the bot), and the
 *   privileged MessageContent (the text of those messages; enable it in the Developer Portal).
 */
export function discordIntents(wantMessages: boolean): GatewayIntentBits[] {
  return wantMessages
    ? [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.MessageContent]
    : [GatewayIntentBits.Guilds];
}

export function createDiscordClient(env: Pick<Env, "DISCORD_API_URL">, opts: { wantMessages: boolean }): Client {
  return new Client({
    intents: discordIntents(opts.wantMessages),
    // DM channels are never cached up front; without this partial discord.js drops DMs.
    partials: opts.wantMessages ? [Partials.Channel] : [],
    rest: restOptions(env),
    // Discord refuses a single connection for a bot in 2,500 guilds or more and recommends a shard
    // count in GET /gateway/bot (https://discord.com/developers/docs/events/gateway#sharding).
    // "auto" runs that many shards, all in this process: the gateway leader's.
    shards: "auto",
    // Applied by discord.js to everything it sends (interaction replies, follow-ups).
    allowedMentions: { ...NO_MENTIONS, repliedUser: false },
  });
}

/** The connection state /healthz shows, from the shards (the manager stays "ready" while a shard resumes). */
export function clientStatus(client: Client): PlatformStatus {
  const shards = [...client.ws.shards.values()];
  if (!shards.length) return client.ws.status === Status.Idle ? "disconnected" : "connecting";
  if (shards.every((s) => s.status === Status.Ready)) return "connected";
  if (shards.some((s) => s.status === Status.Disconnected)) return "disconnected";
  return "connecting";
}
