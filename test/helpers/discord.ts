import { type App, startApp } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { type DiscordOptions, startDiscord } from "../../src/platforms/discord";
import type { ThreadMessage } from "../../src/core/inbound";
import { APP_ID, BOT_ID, BOT_TOKEN, DiscordStandIn, type GuildFixture, type StandInOptions, user } from "../standins/discord";
import { freshDatabase, TEST_CONFIG_YAML } from "./db";
import { recordingLogger } from "./logs";

export { until, waitForLog } from "./logs";

/** The test config's Discord places, plus a guild no community is configured for. */
export const ALPHA = {
  guild: "100000000000000001",
  channel: "100000000000000002",
  /** Threads under alpha's configured channel: one the bot opened, one a person opened. */
  botThread: "100000000000000010",
  otherThread: "100000000000000011",
  /** A channel Flywheel does not post in, with a thread of its own. */
  random: "100000000000000012",
  randomThread: "100000000000000013",
  /** A forum channel: alpha's request board in FORUM_YAML. */
  forum: "100000000000000014",
};
export const GAMMA = { guild: "100000000000000003", channel: "100000000000000004", forum: "100000000000000015" };
export const STRANGER = { guild: "100000000000000005", channel: "100000000000000006" };
/** A staff guild, the support space in SUPPORT_ON_DISCORD_YAML. */
export const STAFF_SPACE = { guild: "100000000000000007", channel: "100000000000000008" };

/** The test config with the shared support space on Discord instead of Slack. */
export const SUPPORT_ON_DISCORD_YAML = TEST_CONFIG_YAML.replace(
  "support:\n  slack: { team: T0STAFF, channel: C0SUPPORT }",
  `support:\n  discord: { guild: "${STAFF_SPACE.guild}", channel: "${STAFF_SPACE.channel}" }`,
);

export const GUILDS: GuildFixture[] = [
  {
    id: ALPHA.guild,
    name: "Alpha University",
    channels: [
      { id: ALPHA.channel, name: "feature-requests" },
      { id: ALPHA.botThread, name: "Support: slow builds", parentId: ALPHA.channel, ownerId: BOT_ID },
      { id: ALPHA.otherThread, name: "Question about #1", parentId: ALPHA.channel, ownerId: "210000000000000001" },
      { id: ALPHA.random, name: "random" },
      { id: ALPHA.randomThread, name: "chatter", parentId: ALPHA.random, ownerId: "210000000000000001" },
      { id: ALPHA.forum, name: "ideas", forum: true },
    ],
  },
  { id: GAMMA.guild, name: "Gamma Institute", channels: [{ id: GAMMA.channel, name: "requests" }, { id: GAMMA.forum, name: "ideas", forum: true }] },
  { id: STRANGER.guild, name: "Somewhere else", channels: [{ id: STRANGER.channel, name: "general" }] },
  { id: STAFF_SPACE.guild, name: "Flywheel staff", channels: [{ id: STAFF_SPACE.channel, name: "support" }] },
];

/** People: member ids are made up; the staff id is the one TEST_CONFIG_YAML names. */
export const ana = { user: user("210000000000000001", "ana"), guildId: ALPHA.guild, channelId: ALPHA.channel };
export const gil = { user: user("210000000000000003", "gil"), guildId: GAMMA.guild, channelId: GAMMA.channel };
export const stray = { user: user("210000000000000005", "stray"), guildId: STRANGER.guild, channelId: STRANGER.channel };
export const staff = { user: user("200000000000000009", "stella"), guildId: ALPHA.guild, channelId: ALPHA.channel };

export interface DiscordTestApp {
  d: DiscordStandIn;
  app: App;
  clock: ManualClock;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Thread messages published to subscribers (when started with subscribe: true). */
  published: ThreadMessage[];
  close(): Promise<void>;
}

/**
 * The real app (startApp: database, migrations, config, outbox worker) with Discord logged in to
 * a local stand-in. The worker does not run by itself: tests drain it. With `direct`, Discord
 * starts through startDiscord with options (after a thread subscriber is added when asked),
 * otherwise through startPlatforms as in production.
 */
export async function discordTestApp(
  target: string,
  opts: { env?: Record<string, string>; direct?: DiscordOptions; subscribe?: boolean; standIn?: StandInOptions; yaml?: string } = {},
): Promise<DiscordTestApp> {
  const d = await DiscordStandIn.start(GUILDS, { heartbeatInterval: 3000, ...opts.standIn });
  const db = target === "pglite" ? { url: "memory:", drop: async () => {} } : await freshDatabase(target).then(async (f) => ({ url: f.url, drop: f.drop }));
  const { log, logs } = recordingLogger("info");
  const env = loadEnv({
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_API_URL: d.apiUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    ...opts.env,
  });
  const clock = new ManualClock(new Date());
  const published: ThreadMessage[] = [];
  let app: App;
  try {
    app = await startApp({
      env,
      databaseUrl: db.url,
      config: parseConfig(opts.yaml ?? TEST_CONFIG_YAML),
      clock,
      log,
      worker: { autostart: false, baseDelayMs: 1000 },
      platforms: !opts.direct,
    });
    if (opts.direct) {
      if (opts.subscribe) app.threads.subscribe(async (m) => void published.push(m));
      app.attach(await startDiscord(app, opts.direct));
    }
  } catch (e) {
    await d.stop();
    await db.drop();
    throw e;
  }
  return {
    d,
    app,
    clock,
    logs,
    published,
    async close() {
      await app.stop();
      await d.stop();
      await db.drop();
    },
  };
}


/** Delivers every due outbox row. Rows are stamped by the database clock; the worker's manual clock never runs behind it. */
export function drainOutbox(t: DiscordTestApp): Promise<unknown> {
  t.clock.set(new Date(Math.max(Date.now(), t.clock.now().getTime())));
  return t.app.worker.drain();
}
