import { type Client, Events } from "discord.js";
import type { Logger } from "pino";
import { clientStatus, createDiscordClient, discordRest } from "./client";
import { discordDeliverer } from "./deliverer";
import { guardInteractions } from "./gatekeeper";
import { handleInteraction, type InteractionContext } from "./interactions";
import { followedChannels, threadMessageOf } from "./messages";
import { onReaction } from "./reactions";
import { onForumPost } from "./forum-posts";
import { registerCommands } from "./register";
import type { PlatformContext, StartedPlatform } from "../platform";

export interface DiscordOptions {
  /** Defer interactions still working after this long (default 1.5 s of Discord's 3). */
  deferAfterMs?: number;
}

export interface DiscordPlatform extends StartedPlatform {
  /** The gateway client (replaced once if Discord refuses the message intents). */
  readonly client: Client;
}

/** What Discord answers (close code 4014) when the bot asks for a privileged intent it was not granted. */
const isDisallowedIntents = (e: unknown): boolean => e instanceof Error && /disallowed intents/i.test(e.message);

/**
 * Logs in to the Discord gateway (DISCORD_TOKEN + DISCORD_APPLICATION_ID): interactions go to the
 * command dispatcher, thread messages to the thread-message port. Resolves once the gateway
 * session is ready, with the outbox deliverer, /healthz status and stop.
 */
export async function startDiscord(app: PlatformContext, opts: DiscordOptions = {}): Promise<DiscordPlatform> {
  const { env } = app;
  const token = env.DISCORD_TOKEN;
  const applicationId = env.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) throw new Error("Discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  const log = app.services.log.child({ platform: "discord" });

  // REST for the outbox and registration lives apart from the gateway client, so it outlives
  // a client that is replaced and keeps its own rate-limit policy (see restOptions).
  const rest = discordRest(env);
  if (env.DISCORD_REGISTER_ON_START) {
    try {
      const done = await registerCommands(rest, applicationId, env.DISCORD_GUILD_ID);
      log.info({ commands: done.length, guild: env.DISCORD_GUILD_ID ?? "global" }, "discord commands registered");
    } catch (e) {
      log.error({ err: e }, "registering discord commands failed; the bot runs with the commands registered before");
    }
  }

  const inflight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const ctx: InteractionContext = { services: app.services, log, deferAfterMs: opts.deferAfterMs ?? 1500 };

  // The message intents (MessageContent is privileged) are asked for only when someone listens.
  const wantMessages = app.threads.followed;
  let client: Client;
  try {
    client = await connect(app, ctx, log, token, wantMessages, track);
  } catch (e) {
    if (!(wantMessages && isDisallowedIntents(e))) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      throw new Error(`Discord login failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    log.warn(
      "Discord refused the message intents. Turn on \"Message Content Intent\" for the bot in the Developer Portal; until then, replies in support threads and DMs do not reach Flywheel (commands work).",
    );
    client = await connect(app, ctx, log, token, false, track);
  }

  log.info({ user: client.user?.tag, intents: client.options.intents.toArray() }, "discord connected");
  return {
    name: "discord",
    deliverer: discordDeliverer(rest, { botId: () => client.user?.id }),
    status: () => clientStatus(client),
    async stop() {
      // No new work, let the running answers finish, then hang up.
      client.removeAllListeners(Events.InteractionCreate);
      client.removeAllListeners(Events.ThreadCreate);
      client.removeAllListeners(Events.MessageCreate);
      client.removeAllListeners(Events.MessageReactionAdd);
      await Promise.allSettled([...inflight]);
      await client.destroy();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
    get client() {
      return client;
    },
  };
}

/** One gateway client with every listener attached, logged in; destroyed again if login fails. */
async function connect(app: PlatformContext, ctx: InteractionContext, log: Logger, token: string, wantMessages: boolean, track: (p: Promise<void>) => void): Promise<Client> {
  const client = createDiscordClient(app.env, { wantMessages });
  // Without an 'error' listener, a gateway or REST error event would crash the process.
  client.on(Events.Error, (e) => log.error({ err: e }, "discord client error"));
  client.on(Events.Warn, (m) => log.warn(m));
  client.on(Events.Debug, (m) => log.debug(m));
  client.on(Events.ShardDisconnect, (ev, shard) => log.warn({ shard, code: ev.code }, "discord gateway disconnected"));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, "discord gateway resumed"));
  guardInteractions(client, log);
  client.on(Events.InteractionCreate, (i) => track(handleInteraction(ctx, i)));
  client.on(Events.ThreadCreate, (thread, newly) =>
    track(onForumPost(app.services, log, thread, newly).catch((e: unknown) => log.error({ err: e, thread: thread.id }, "filing a discord forum post failed"))),
  );
  if (wantMessages) {
    const followed = followedChannels(app.services.config);
    client.on(Events.MessageCreate, (m) => {
      const botId = client.user?.id;
      const message = botId ? threadMessageOf(m, botId, followed) : undefined;
      if (message) track(app.threads.publish(message));
    });
    client.on(Events.MessageReactionAdd, (reaction, user) =>
      track(onReaction(app.services, log, reaction, user).catch((e: unknown) => log.error({ err: e }, "filing by a discord reaction failed"))),
    );
  }
  try {
    await client.login(token);
    return client;
  } catch (e) {
    await client.destroy().catch(() => {});
    throw e;
  }
}
