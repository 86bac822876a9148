import { type Client, Events } from "discord.js";
import type { App } from "../../app";
import { publishThreadMessage } from "../../app";
import { clientStatus, createDiscordClient } from "./client";
import { discordDeliverer } from "./deliverer";
import { guardInteractions } from "./gatekeeper";
import { handleInteraction } from "./interactions";
import { threadMessageOf } from "./messages";
import { registerCommands } from "./register";

export interface DiscordOptions {
  /** Defer interactions still working after this long (default 1.5 s of Discord's 3). */
  deferAfterMs?: number;
}

export interface DiscordPlatform {
  client: Client;
}

/**
 * Logs in to the Discord gateway (DISCORD_TOKEN + DISCORD_APPLICATION_ID) and wires it into the
 * app: interactions to the command dispatcher, the outbox deliverer, thread messages to their
 * subscribers, /healthz status and a stop hook. Resolves once the gateway session is ready.
 */
export async function startDiscord(app: App, opts: DiscordOptions = {}): Promise<DiscordPlatform> {
  const { env } = app;
  const token = env.DISCORD_TOKEN;
  const applicationId = env.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) throw new Error("Discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID");
  const log = app.services.log.child({ platform: "discord" });

  // The message intents (one of them privileged) are asked for only when someone listens.
  const wantMessages = app.threadHandlers.length > 0;
  const client = createDiscordClient(env, { wantMessages });
  client.rest.setToken(token);

  const inflight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  };
  const ctx = { services: app.services, log, deferAfterMs: opts.deferAfterMs ?? 1500 };

  // Without an 'error' listener, a gateway or REST error event would crash the process.
  client.on(Events.Error, (e) => log.error({ err: e }, "discord client error"));
  client.on(Events.Warn, (m) => log.warn(m));
  client.on(Events.Debug, (m) => log.debug(m));
  client.on(Events.ShardDisconnect, (ev, shard) => log.warn({ shard, code: ev.code }, "discord gateway disconnected"));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, "discord gateway resumed"));
  client.on(Events.ShardReconnecting, (shard) => log.info({ shard }, "discord gateway reconnecting"));
  guardInteractions(client, log);
  client.on(Events.InteractionCreate, (i) => track(handleInteraction(ctx, i)));
  if (wantMessages) {
    client.on(Events.MessageCreate, (m) => {
      const botId = client.user?.id;
      const message = botId ? threadMessageOf(m, botId) : undefined;
      if (message) track(publishThreadMessage(app, message));
    });
  }

  if (env.DISCORD_REGISTER_ON_START) {
    try {
      const done = await registerCommands(client.rest, applicationId, env.DISCORD_GUILD_ID);
      log.info({ commands: done.length, guild: env.DISCORD_GUILD_ID ?? "global" }, "discord commands registered");
    } catch (e) {
      log.error({ err: e }, "registering discord commands failed; the bot runs with the commands registered before");
    }
  }

  app.deliverers.push(discordDeliverer(client.rest));
  app.platforms.set("discord", () => clientStatus(client));
  app.stopHooks.push(async () => {
    await client.destroy();
    await Promise.allSettled([...inflight]);
  });

  try {
    await client.login(token);
  } catch (e) {
    await client.destroy().catch(() => {});
    throw new Error(`Discord login failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  log.info({ user: client.user?.tag, intents: client.options.intents.toArray() }, "discord connected");
  return { client };
}
