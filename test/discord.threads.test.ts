import { ApplicationCommandOptionType, GatewayIntentBits, GatewayOpcodes, InteractionResponseType, MessageFlags } from "discord.js";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, gil, until } from "./helpers/discord";
import { APP_ID, user, type RecordedCall } from "./standins/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */
const tokenOf = (c: RecordedCall) => c.path.split("/")[3];

describe.each(DB_TARGETS)("Discord with a thread subscriber, slow answers and registration on start on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    // deferAfterMs 0: every answer takes the deferred path, as slow work would.
    t = await discordTestApp(target, {
      direct: { deferAfterMs: 0 },
      subscribe: true,
      env: { DISCORD_REGISTER_ON_START: "true", DISCORD_GUILD_ID: ALPHA.guild },
    });
  });
  afterAll(() => t.close());

  test("registers the commands on start when DISCORD_REGISTER_ON_START is set", async () => {
    const put = await t.d.waitFor((c) => c.method === "PUT" && c.path === `/applications/${APP_ID}/guilds/${ALPHA.guild}/commands`);
    expect(put.body.map((c: any) => c.name)).toEqual(expect.arrayContaining(["help", "request", "requests", "upvote"]));
  });

  test("asks for the message intents only because something subscribes to thread messages", async () => {
    const identify = await t.d.waitForFrame((f) => f.op === GatewayOpcodes.Identify);
    expect(identify.d.intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildMessageReactions | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent);
  });

  test("slow work is deferred first, then the answer is edited in", async () => {
    const id = t.d.slash(ana, "help");
    const deferred = await t.d.callback(id);
    expect(deferred.body).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } });
    const edit = await t.d.waitFor((c) => c.method === "PATCH" && c.path === `/webhooks/${APP_ID}/${tokenOf(deferred)}/messages/@original`);
    expect(edit.body.embeds[0].description).toContain("Flywheel commands");
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
  });

  test("a deferred answer meant for everyone replaces the private placeholder with a public follow-up", async () => {
    const id = t.d.slash(ana, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Nightly database snapshots" }]);
    const deferred = await t.d.callback(id);
    expect(deferred.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const token = tokenOf(deferred);
    const followUp = await t.d.waitFor((c) => c.method === "POST" && c.path === `/webhooks/${APP_ID}/${token}`);
    expect(t.d.calls.some((c) => c.method === "DELETE" && c.path === `/webhooks/${APP_ID}/${token}/messages/@original`)).toBe(true);
    expect((followUp.body.flags ?? 0) & MessageFlags.Ephemeral).toBe(0);
    expect(followUp.body.embeds[0].title).toMatch(/^#\d+ Nightly database snapshots$/);
    expect(followUp.body.allowed_mentions).toEqual({ parse: [] });
  });

  test("a modal still opens at once: it cannot be deferred", async () => {
    const cb = await t.d.callback(t.d.slash(ana, "request"));
    expect(cb.body.type).toBe(InteractionResponseType.Modal);
  });

  test("plain messages in followed threads and DMs reach the subscribers; other chatter does not", async () => {
    const before = t.published.length;
    t.d.say(ana, "chatter in the channel itself");
    t.d.say({ ...ana, channelId: ALPHA.randomThread }, "a thread in a channel Flywheel does not post in");
    const byPerson = t.d.say({ ...ana, channelId: ALPHA.otherThread }, "Replying in a thread I opened on the bot's post");
    const inThread = t.d.say({ ...gil, guildId: ALPHA.guild, channelId: ALPHA.botThread }, "Still slow after the fix @everyone");
    const fromDm = t.d.dm(user("210000000000000007", "dora"), "Can someone look at my ticket?");
    // The gateway delivers in order: once the last three arrived, the first two were already passed over.
    // Subscribers finish in any order (the support relay reads the database first).
    await until(() => t.published.length >= before + 3);
    const got = t.published.slice(before);
    expect(got).toHaveLength(3);
    expect([...got].sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual([
      {
        speaker: { platform: "discord", externalId: ana.user.id, displayName: "ana", workspace: ALPHA.guild, channel: ALPHA.otherThread },
        place: { platform: "discord", workspace: ALPHA.guild, channel: ALPHA.channel, thread: ALPHA.otherThread },
        text: "Replying in a thread I opened on the bot's post",
        externalId: byPerson,
        fromBot: false,
      },
      {
        speaker: { platform: "discord", externalId: gil.user.id, displayName: "gil", workspace: ALPHA.guild, channel: ALPHA.botThread },
        place: { platform: "discord", workspace: ALPHA.guild, channel: ALPHA.channel, thread: ALPHA.botThread },
        text: "Still slow after the fix @everyone",
        externalId: inThread,
        fromBot: false,
      },
      {
        speaker: { platform: "discord", externalId: "210000000000000007", displayName: "dora", workspace: undefined, channel: expect.any(String) },
        place: { platform: "discord", user: "210000000000000007" },
        text: "Can someone look at my ticket?",
        externalId: fromDm,
        fromBot: false,
      },
    ]);
  });
});

describe.each(DB_TARGETS)("Discord without the Message Content intent granted on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target, { direct: {}, subscribe: true, standIn: { allowedIntents: GatewayIntentBits.Guilds } });
  });
  afterAll(() => t.close());

  test("Discord closes with 4014; the bot says what to enable and runs on Guilds alone, answering commands", async () => {
    const intents = t.d.received.filter((f) => f.op === GatewayOpcodes.Identify).map((f) => f.d.intents);
    expect(intents).toEqual([GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildMessageReactions | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent, GatewayIntentBits.Guilds]);
    expect(t.logs.some((l) => String(l.msg).includes("Message Content Intent"))).toBe(true);
    const cb = await t.d.answer(t.d.slash(ana, "help"));
    expect(cb.data.embeds[0].description).toContain("/upvote");
    const health = (await (await fetch(`http://127.0.0.1:${t.app.port}/healthz`)).json()) as { platforms: Record<string, string> };
    expect(health.platforms.discord).toBe("connected");
  });
});
