// Issue 7, end to end: a ticket opened on Discord, triaged in a Slack thread and answered back.
// ONE app (startApp) runs the real Bolt app (HTTP mode, signed requests) and the real discord.js
// client (gateway + REST), each against its local stand-in; the outbox worker delivers to both.
import type { types } from "@slack/bolt";
import { ApplicationCommandOptionType, ComponentType } from "discord.js";
import { startApp, type App } from "../src/app";
import { loadEnv } from "../src/config/env";
import { parseConfig } from "../src/config/file";
import { ManualClock } from "../src/core/clock";
import { createLogger } from "../src/log";
import { DB_TARGETS, freshDatabase, TEST_CONFIG_YAML } from "./helpers/db";
import { ALPHA, ana, GUILDS } from "./helpers/discord";
import { BOT_TOKEN as SLACK_BOT_TOKEN, buttonClick, eventCallback, postEvent, postInteraction, SIGNING_SECRET, type Who } from "./helpers/slack";
import { APP_ID, BOT_TOKEN as DISCORD_BOT_TOKEN, DiscordStandIn } from "./standins/discord";
import { SlackStandin } from "./standins/slack";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Staff in the shared Slack support space (the test config names U0STAFF staff). */
const SAM: Who = { user: "U0STAFF", name: "sam", team: "T0STAFF", channel: "C0SUPPORT" };

/** Resolves once find() returns something, checking every 20 ms (jest's timeout bounds the wait). */
async function until<T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const v = await find();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The Block Kit buttons of a Slack message, as the stand-in recorded them. */
function slackButtons(blocks: unknown): types.Button[] {
  return ((blocks ?? []) as types.KnownBlock[]).flatMap((b) => {
    if (b.type === "actions") return b.elements.filter((e): e is types.Button => e.type === "button");
    if (b.type === "section" && b.accessory?.type === "button") return [b.accessory];
    return [];
  });
}

/** Everything a Slack message shows, for text assertions (text fallback and block texts). */
const slackText = (args: Record<string, unknown>) => JSON.stringify([args.text, args.blocks]);

/** What a Discord message the bot posted shows (content and embeds). */
const discordText = (body: any) => JSON.stringify([body?.content, body?.embeds]);

describe.each(DB_TARGETS)("a support ticket from Discord, triaged in Slack, through one app, on %s", (target) => {
  let slack: SlackStandin;
  let discord: DiscordStandIn;
  let app: App;
  let clock: ManualClock;
  let slackUrl: string;
  let dropDb: () => Promise<void> = async () => {};

  beforeAll(async () => {
    slack = await new SlackStandin().start();
    discord = await DiscordStandIn.start(GUILDS, { heartbeatInterval: 3000 });
    let databaseUrl = "memory:";
    if (target !== "pglite") {
      const fresh = await freshDatabase(target);
      databaseUrl = fresh.url;
      dropDb = fresh.drop;
    }
    clock = new ManualClock();
    app = await startApp({
      env: loadEnv({
        SLACK_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        // The clock moves only when the test moves it: unpaced, a channel's second post goes at once.
        SLACK_CHANNEL_PACE_MS: "0",
        DISCORD_TOKEN: DISCORD_BOT_TOKEN,
        DISCORD_APPLICATION_ID: APP_ID,
        DISCORD_API_URL: discord.apiUrl,
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
      }),
      log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
      databaseUrl,
      config: parseConfig(TEST_CONFIG_YAML),
      clock,
      worker: { autostart: false, random: () => 1 },
      scheduler: false,
    });
    slackUrl = `http://127.0.0.1:${app.port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await discord?.stop();
    await slack?.close();
    await dropDb();
  });

  /** Runs the outbox worker until find() holds: inbound handlers finish after their HTTP ack or gateway frame. */
  async function deliverUntil<T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
    for (;;) {
      await app.worker.drain();
      const v = await find();
      if (v !== undefined && v !== false) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const ticketRow = (id: number) => app.services.db.supportTicket.findUniqueOrThrow({ where: { id } });
  /** Messages Discord accepted in a channel or thread (a post to a thread not opened yet answers 404 first). */
  const channelPosts = (channelId: string) => discord.calls.filter((c) => c.method === "POST" && c.path === `/channels/${channelId}/messages` && c.status === 200);

  test("opened by a Discord member, claimed, answered and resolved by staff in Slack, rated on Discord", async () => {
    // 1. The member runs /support in alpha's Discord channel; the answer names the ticket.
    const opened = await discord.answer(
      discord.slash(ana, "support", [
        { name: "summary", type: ApplicationCommandOptionType.String, value: "Builds fail" },
        { name: "details", type: ApplicationCommandOptionType.String, value: "quota error" },
      ]),
    );
    const id = Number(/#(\d+)/.exec(discordText(opened.data))?.[1]);
    expect(id).toBeGreaterThan(0);
    expect(discordText(opened.data)).toContain(`Opened support ticket #${id}: Builds fail`);
    expect(opened.private).toBe(true);
    const ticket = await ticketRow(id);
    expect(ticket).toMatchObject({ summary: "Builds fail", details: "quota error", status: "open", firstResponseAt: null });

    // 2. The worker delivers: the staff card in Slack's support channel, the member's post on Discord.
    const card = await deliverUntil(() => slack.callsOf("chat.postMessage").find((c) => c.args.channel === "C0SUPPORT" && !c.args.thread_ts));
    expect(card.token).toBe(SLACK_BOT_TOKEN);
    expect(slackText(card.args)).toContain(`#${id}`);
    expect(slackText(card.args)).toContain("Alpha University");
    expect(slackButtons(card.args.blocks).map((b) => b.value)).toEqual(expect.arrayContaining([`ticket claim ${id}`, `ticket resolve ${id}`]));
    const cardTs = slack.messages.find((m) => m.channel === "C0SUPPORT" && !m.thread_ts)!.ts;
    const memberPost = await deliverUntil(() => discord.messagesIn(ALPHA.channel).find((m) => m.embeds[0]?.title === `Support ticket #${id}`));
    expect(discordText(memberPost)).toContain(`Support ticket #${id} from ana: Builds fail`);
    // The member's thread opens on that post when the first answer comes; its id is the post's.
    const memberThread = memberPost.id;

    // 3. Staff click the card's Claim button in Slack: the card is edited in place.
    const claim = slackButtons(card.args.blocks).find((b) => b.value === `ticket claim ${id}`)!;
    const click = buttonClick(SAM, claim.value!, slack.responseUrl("claim"), { ts: cardTs });
    click.actions[0] = { ...click.actions[0], action_id: claim.action_id!, value: claim.value!, text: claim.text };
    expect((await postInteraction(slackUrl, click)).status).toBe(200);
    const claimed = await deliverUntil(() => slack.callsOf("chat.update").find((c) => c.args.ts === cardTs && slackText(c.args).includes("Assignee: sam")));
    expect(claimed.args.channel).toBe("C0SUPPORT");
    expect(slack.callsOf("chat.postMessage").filter((c) => c.args.channel === "C0SUPPORT" && !c.args.thread_ts)).toHaveLength(1);
    expect((await ticketRow(id)).firstResponseAt).toBeNull();

    // 4. Staff answer in the card's Slack thread, 25 minutes in: the member gets it in their Discord thread.
    clock.advance(25 * 60_000);
    const answeredAt = clock.now();
    const staffSays = (ts: string, text: string, eventId: string) =>
      postEvent(
        slackUrl,
        eventCallback(
          "T0STAFF",
          { type: "message", channel: "C0SUPPORT", user: SAM.user, text, ts, thread_ts: cardTs, channel_type: "channel", event_ts: ts, team: "T0STAFF" },
          eventId,
        ),
      );
    expect((await staffSays("1764400100.000100", "Hi, raise the quota in settings <!everyone>", "EvStaff1")).status).toBe(200);
    const relayed = await deliverUntil(() => channelPosts(memberThread)[0]);
    expect(discord.calls.some((c) => c.method === "POST" && c.path === `/channels/${ALPHA.channel}/messages/${memberPost.id}/threads`)).toBe(true);
    expect(discordText(relayed.body)).toContain("sam (staff): Hi, raise the quota in settings @\u200beveryone");
    expect(relayed.body.allowed_mentions).toEqual({ parse: [] });
    // An internal note stays in Slack: stored, never relayed.
    await staffSays("1764400200.000100", "!note quota raised by hand", "EvStaff2");
    const note = await until(() => app.services.db.ticketMessage.findFirst({ where: { ticketId: id, internal: true, side: "staff" } }).then((m) => m ?? undefined));
    expect(note).toMatchObject({ side: "staff", platform: "slack", body: "quota raised by hand" });

    // 5. The member replies in their Discord thread: staff get it in the card's Slack thread, with who said it.
    clock.advance(5 * 60_000);
    discord.say({ ...ana, channelId: memberThread }, "Raised it, builds pass now");
    const toStaff = await deliverUntil(() => slack.callsOf("chat.postMessage").find((c) => c.args.thread_ts === cardTs && slackText(c.args).includes("Raised it")));
    expect(toStaff.args.channel).toBe("C0SUPPORT");
    expect(toStaff.args.text).toBe("ana (Alpha University): Raised it, builds pass now");
    // The note was never relayed: the member's thread holds the one staff answer.
    expect(channelPosts(memberThread).map((c) => discordText(c.body))).toHaveLength(1);

    // 6. A member may not act as staff: /ticket resolve from Discord is refused, nothing changes.
    const refused = await discord.answer(
      discord.slash({ ...ana, channelId: memberThread }, "ticket", [
        { name: "action", type: ApplicationCommandOptionType.String, value: "resolve" },
        { name: "number", type: ApplicationCommandOptionType.Integer, value: id },
      ]),
    );
    expect(refused.private).toBe(true);
    expect(discordText(refused.data)).toContain("only Flywheel staff");
    expect((await ticketRow(id)).status).toBe("open");

    // Staff resolve from the card's Resolve button in Slack.
    clock.advance(10 * 60_000);
    const resolvedAt = clock.now();
    const resolve = slackButtons(card.args.blocks).find((b) => b.value === `ticket resolve ${id}`)!;
    const resolveClick = buttonClick(SAM, resolve.value!, slack.responseUrl("resolve"), { ts: cardTs });
    resolveClick.actions[0] = { ...resolveClick.actions[0], action_id: resolve.action_id!, value: resolve.value!, text: resolve.text };
    expect((await postInteraction(slackUrl, resolveClick)).status).toBe(200);
    const final = await deliverUntil(() => slack.callsOf("chat.update").find((c) => c.args.ts === cardTs && slackText(c.args).includes("resolved")));
    expect(slackText(final.args)).toContain("First staff response: after 25m");
    expect(slackButtons(final.args.blocks).map((b) => b.value)).toContain(`ticket reopen ${id}`);

    // The member is asked for a rating in their Discord thread, with one-click buttons.
    const ask = await deliverUntil(() => channelPosts(memberThread).find((c) => discordText(c.body).includes(`resolved ticket #${id}`)));
    const ratingButtons = (ask.body.components as any[]).flatMap((row) => row.components).filter((c) => c.type === ComponentType.Button);
    const helpful = ratingButtons.find((b) => String(b.custom_id).includes(`ticket rate ${id} helpful`));
    expect(helpful).toBeDefined();
    expect(ask.body.allowed_mentions).toEqual({ parse: [] });

    const stored = await ticketRow(id);
    expect(stored).toMatchObject({ status: "resolved", resolvedAt });
    expect(stored.firstResponseAt).toEqual(answeredAt);

    // The member clicks "Helpful" on Discord; staff see the rating in the Slack thread.
    const rated = await discord.answer(discord.click({ ...ana, channelId: memberThread }, helpful.custom_id));
    expect(discordText(rated.data)).toContain(`Your rating of ticket #${id} is recorded`);
    const seen = await deliverUntil(() => slack.callsOf("chat.postMessage").find((c) => c.args.thread_ts === cardTs && slackText(c.args).includes("helpful")));
    expect(seen.args.text).toBe(`ana rated #${id}: 👍 helpful.`);
    expect((await ticketRow(id)).rating).toBe("helpful");

    const messages = await app.services.db.ticketMessage.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    expect(messages.map((m) => [m.side, m.internal, m.platform])).toEqual([
      ["member", false, "discord"], // the ticket's details
      ["bot", true, "slack"], // claimed from the card
      ["staff", false, "slack"], // the answer
      ["staff", true, "slack"], // the !note
      ["member", false, "discord"], // the member's reply
      ["bot", true, "slack"], // resolved from the card
      ["bot", true, "discord"], // the member's rating
    ]);
    expect(await app.services.db.outboxMessage.count({ where: { status: { not: "delivered" } } })).toBe(0);
  });
});
