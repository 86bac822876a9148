import { type Client, Events, type Interaction } from "discord.js";
import type { Env } from "../../config/env";
import type { Logger } from "pino";
import { clientStatus, createDiscordClient, discordRest } from "./client";
import { discordDeliverer } from "./deliverer";
import { guardInteractions } from "./gatekeeper";
import { DISCORD_INTERACTIONS_PATH, httpInteractions } from "./http";
import { handleInteraction, type InteractionContext } from "./interactions";
import { followedChannels, threadMessageOf } from "./messages";
import { registerCommands } from "./register";
import { discordPublicKey } from "./verify";
import type { PlatformContext, StartedPlatform } from "../platform";

export interface DiscordOptions {
  /** Defer interactions still working after this long (default 1.5 s of Discord's 3). */
  deferAfterMs?: number;
}

export interface DiscordPlatform extends StartedPlatform {
  /** The gateway client while this replica holds the gateway (replaced once if Discord refuses the message intents). */
  readonly client: Client | undefined;
}

/** What Discord answers (close code 4014) when the bot asks for a privileged intent it was not granted. */
const isDisallowedIntents = (e: unknown): boolean => e instanceof Error && /disallowed intents/i.test(e.message);

/**
 * Whether this deployment keeps a gateway connection. Interactions need none when Discord posts
 * them to DISCORD_PUBLIC_KEY's endpoint; reactions, forum posts and thread messages only come over
 * the gateway, so DISCORD_GATEWAY=on keeps it beside the endpoint.
 */
export const wantsGateway = (env: Pick<Env, "DISCORD_GATEWAY" | "DISCORD_PUBLIC_KEY">): boolean =>
  env.DISCORD_GATEWAY ? env.DISCORD_GATEWAY === "on" : !env.DISCORD_PUBLIC_KEY;

/**
 * Discord (DISCORD_TOKEN + DISCORD_APPLICATION_ID): interactions go to the command dispatcher,
 * from the gateway or from POST /discord/interactions (DISCORD_PUBLIC_KEY), thread messages to
 * the thread-message port. The gateway connection is held by one replica at a time (elected by
 * an advisory lock on PostgreSQL): two would handle every event twice. When this replica is
 * elected at start, it resolves once the gateway session is ready.
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
  const releaseRest = () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  };
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
    return p;
  };
  const ctx: InteractionContext = { services: app.services, log, deferAfterMs: opts.deferAfterMs ?? 1500 };
  const onInteraction = (i: Interaction) => track(handleInteraction(ctx, i));

  const http = env.DISCORD_PUBLIC_KEY ? httpInteractions(env, discordPublicKey(env.DISCORD_PUBLIC_KEY), onInteraction, log) : undefined;
  const gateway = wantsGateway(env) ? new GatewayHolder(app, log, token, onInteraction, track) : undefined;
  const leadership = gateway ? app.elect("discord-gateway") : undefined;
  if (gateway && leadership) {
    leadership.start({ elected: () => gateway.open(), demoted: () => gateway.close() });
    await leadership.decided();
    if (gateway.failure) {
      await leadership.stop();
      http?.stop();
      releaseRest();
      throw new Error(`Discord login failed: ${gateway.failure.message}`);
    }
  }
  log.info({ gateway: gateway ? (leadership?.isLeader ? "held here" : "standby") : "off", http: Boolean(http) }, "discord started");

  return {
    name: "discord",
    routes: http ? [{ method: "POST", path: DISCORD_INTERACTIONS_PATH, handler: http.route }] : [],
    deliverer: discordDeliverer(rest),
    // Without the gateway here, what this replica serves (HTTP interactions, the outbox) is plain REST: nothing to be down.
    status: () => (gateway?.client ? clientStatus(gateway.client) : gateway && !http && leadership?.isLeader ? "connecting" : "connected"),
    async stop() {
      // No new work, let the running answers finish, then hang up.
      http?.stop();
      gateway?.quiet();
      await Promise.allSettled([...inflight]);
      await leadership?.stop();
      releaseRest();
    },
    get client() {
      return gateway?.client;
    },
  };
}

/**
 * The gateway connection of the replica elected to hold it: opened when elected, closed when it
 * stops being the leader (its lock session died, or the app stops).
 */
class GatewayHolder {
  client?: Client;
  /** Why the last login failed, if it did. */
  failure?: Error;

  constructor(
    private readonly app: PlatformContext,
    private readonly log: Logger,
    private readonly token: string,
    private readonly onInteraction: (i: Interaction) => Promise<void>,
    private readonly track: (p: Promise<void>) => Promise<void>,
  ) {}

  async open(): Promise<void> {
    this.failure = undefined;
    // The message intents (MessageContent is privileged) are asked for only when someone listens.
    const wantMessages = this.app.threads.followed;
    try {
      try {
        this.client = await connect(this.app, this.log, this.token, wantMessages, this.onInteraction, this.track);
      } catch (e) {
        if (!(wantMessages && isDisallowedIntents(e))) throw e;
        this.log.warn(
          "Discord refused the message intents. Turn on \"Message Content Intent\" for the bot in the Developer Portal; until then, replies in support threads and DMs do not reach Flywheel (commands work).",
        );
        this.client = await connect(this.app, this.log, this.token, false, this.onInteraction, this.track);
      }
      this.log.info({ user: this.client.user?.tag, intents: this.client.options.intents.toArray() }, "discord connected");
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(String(e));
      this.log.error({ err: e }, "discord gateway login failed");
    }
  }

  /** Takes no new interactions or messages (the connection stays until close). */
  quiet(): void {
    this.client?.removeAllListeners(Events.InteractionCreate);
    this.client?.removeAllListeners(Events.MessageCreate);
  }

  async close(): Promise<void> {
    this.quiet();
    const client = this.client;
    this.client = undefined;
    await client?.destroy();
  }
}

/** One gateway client with every listener attached, logged in; destroyed again if login fails. */
async function connect(
  app: PlatformContext,
  log: Logger,
  token: string,
  wantMessages: boolean,
  onInteraction: (i: Interaction) => Promise<void>,
  track: (p: Promise<void>) => Promise<void>,
): Promise<Client> {
  const client = createDiscordClient(app.env, { wantMessages });
  // Without an 'error' listener, a gateway or REST error event would crash the process.
  client.on(Events.Error, (e) => log.error({ err: e }, "discord client error"));
  client.on(Events.Warn, (m) => log.warn(m));
  client.on(Events.Debug, (m) => log.debug(m));
  client.on(Events.ShardDisconnect, (ev, shard) => log.warn({ shard, code: ev.code }, "discord gateway disconnected"));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, "discord gateway resumed"));
  guardInteractions(client, log);
  client.on(Events.InteractionCreate, (i) => void onInteraction(i));
  if (wantMessages) {
    const followed = followedChannels(app.services.config);
    client.on(Events.MessageCreate, (m) => {
      const botId = client.user?.id;
      const message = botId ? threadMessageOf(m, botId, followed) : undefined;
      if (message) void track(app.threads.publish(message));
    });
  }
  try {
    await client.login(token);
    return client;
  } catch (e) {
    await client.destroy().catch(() => {});
    throw e;
  }
}
