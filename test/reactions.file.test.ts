import { ComponentType } from "discord.js";
import type { types } from "@slack/bolt";
import { DB_TARGETS, TEST_CONFIG_YAML } from "./helpers/db";
import { ANA, eventCallback, postEvent, type SlackHarness, startSlackHarness, STAFF } from "./helpers/slack";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, staff, stray, until, drainOutbox } from "./helpers/discord";
import { headline } from "../src/core/reactions";
import { slackManifest } from "../src/platforms/slack/manifest";
import { BOT_ID, user } from "./standins/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Another member of alpha, who reacts to ana's messages. */
const bo = { user: user("210000000000000021", "bo"), guildId: ALPHA.guild, channelId: ALPHA.channel };

/**
 * A reaction files a message, on Discord: the real discord.js client receives
 * MESSAGE_REACTION_ADD from the stand-in gateway, reads the message over REST, and core files it
 * for the message's author. Answers go through the outbox (a thread on the message, a DM to the
 * person who reacted).
 */
describe.each(DB_TARGETS)("a reaction files a Discord message on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target);
  });
  afterAll(() => t.close());

  const drain = () => drainOutbox(t);
  const handled = (messageId: string, by: string) => t.logs.filter((l) => l.msg === "discord filing reaction handled" && l.message === messageId && l.by === by);
  /** Reacts and waits until the bot has handled that reaction (a log line per reaction). */
  const react = async (who: typeof bo, messageId: string, emoji: string) => {
    const before = handled(messageId, who.user.id).length;
    t.d.react(who, messageId, emoji);
    await until(() => handled(messageId, who.user.id).length > before);
    return handled(messageId, who.user.id).at(-1)!.outcome;
  };
  /** The DMs the bot sent a person, as text. */
  const dmsTo = (who: typeof bo) => {
    const dm = t.d.dmChannelOf(who.user).id;
    return t.d.messagesIn(dm).map((m) => String(m.embeds[0]?.description ?? ""));
  };

  test("💡 files the message as a request for its author, answers in its thread and tells who reacted", async () => {
    const msg = t.d.post(ana, "Dark mode for the dashboard\nOur night shift would love it @everyone");
    expect(await react(bo, msg, "💡")).toBe("filed");

    const r = await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Dark mode for the dashboard" }, include: { author: { include: { accounts: true } }, community: true } });
    expect(r.author.accounts.map((a) => a.externalId)).toEqual([ana.user.id]);
    expect(r.community.slug).toBe("alpha");
    // People's words are kept as they wrote them; the link goes back to the message.
    expect(r.body).toBe("Our night shift would love it @everyone");
    expect(r.sourceUrl).toBe(`https://discord.com/channels/${ALPHA.guild}/${ALPHA.channel}/${msg}`);
    expect(r.origin).toEqual({ platform: "discord", workspace: ALPHA.guild, channel: ALPHA.channel, thread: msg });

    await drain();
    // The answer opens a thread on the filed message and carries the request's buttons.
    expect(t.d.calls.some((c) => c.method === "POST" && c.path === `/channels/${ALPHA.channel}/messages/${msg}/threads`)).toBe(true);
    const answer = t.d.messagesIn(msg).find((m) => String(m.embeds[0]?.description).includes(`#${r.id}`))!;
    expect(answer.embeds[0].description).toContain("for ana (thanks to bo)");
    const buttons = (answer.components as any[]).flatMap((row) => row.components).filter((c) => c.type === ComponentType.Button);
    expect(buttons.map((b) => b.custom_id)).toContain(`fw:upvote ${r.id}`);
    expect(dmsTo(bo)).toContainEqual(expect.stringContaining(`Filed ana's message as feature request #${r.id}`));
  });

  test("reacting again, or a second person reacting, does not file twice", async () => {
    const msg = t.d.post(ana, "Export votes as CSV");
    expect(await react(bo, msg, "💡")).toBe("filed");
    expect(await react(bo, msg, "💡")).toBe("already");
    expect(await react(staff, msg, "💡")).toBe("already");
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Export votes as CSV" } })).toBe(1);
    const r = await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Export votes as CSV" } });
    await drain();
    expect(dmsTo(staff)).toContainEqual(expect.stringContaining(`already feature request #${r.id}`));
    // The same message can still be filed as the other kind: the key is per kind.
    expect(await react(bo, msg, "🎫")).toBe("filed");
  });

  test("🎫 opens a support ticket for the author, with a link back to the message", async () => {
    const msg = t.d.post(ana, "The build cache is corrupted on every branch since Monday");
    expect(await react(bo, msg, "🎫")).toBe("filed");
    const ticket = await t.app.services.db.supportTicket.findFirstOrThrow({ where: { summary: "The build cache is corrupted on every branch since Monday" }, include: { requester: { include: { accounts: true } } } });
    expect(ticket.requester.accounts.map((a) => a.externalId)).toEqual([ana.user.id]);
    expect(ticket.details).toContain(`https://discord.com/channels/${ALPHA.guild}/${ALPHA.channel}/${msg}`);
    await drain();
    // The ticket's member thread is the message's own thread.
    expect(t.d.messagesIn(msg).some((m) => m.embeds[0]?.title === `Support ticket #${ticket.id}`)).toBe(true);
    expect(dmsTo(bo)).toContainEqual(expect.stringContaining(`as support ticket #${ticket.id}`));
  });

  test("a message the bot cannot read: nothing is filed and the person who reacted is told why", async () => {
    const msg = t.d.post({ ...ana, channelId: ALPHA.random }, "Please add SSO for the wiki", { unseen: true });
    t.d.unreadable.add(ALPHA.random);
    expect(await react({ ...bo, channelId: ALPHA.random }, msg, "💡")).toBe("unreadable");
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Please add SSO for the wiki" } })).toBe(0);
    expect(await t.app.services.db.reactionFiling.count({ where: { messageId: msg } })).toBe(0);
    await drain();
    expect(dmsTo(bo)).toContainEqual(expect.stringContaining("I couldn't read that message"));
  });

  test("a message with no text, a bot's message and other emoji are not filed", async () => {
    const empty = t.d.post(ana, "");
    expect(await react(bo, empty, "💡")).toBe("unfit");
    const fromBot = t.d.post({ ...ana, user: { ...user(BOT_ID, "flywheel"), bot: true } }, "Roadmap update: #1 is now planned", { unseen: true });
    expect(await react(bo, fromBot, "💡")).toBe("unfit");
    // A message sent before the bot started is read over REST (a partial message), then filed.
    const old = t.d.post(ana, "Weekly digest in Portuguese", { unseen: true });
    expect(await react(bo, old, "💡")).toBe("filed");
    expect(t.d.calls.some((c) => c.method === "GET" && c.path === `/channels/${ALPHA.channel}/messages/${old}`)).toBe(true);
    const chatter = t.d.post(ana, "Nice work everyone");
    t.d.react(bo, chatter, "👍");
    // A reaction the bot acts on is logged; a 👍 is not. The 💡 after it proves it was seen and passed over.
    expect(await react(bo, chatter, "💡")).toBe("filed");
    expect(handled(chatter, bo.user.id)).toHaveLength(1);
  });

  test("a guild that is no community's is ignored, with a log line", async () => {
    const msg = t.d.post(stray, "Make it purple");
    expect(await react(stray, msg, "💡")).toBe("ignored");
    expect(t.logs.some((l) => String(l.msg).includes("outside any community's place"))).toBe(true);
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Make it purple" } })).toBe(0);
  });
});

describe.each(DB_TARGETS)("who may file by reaction is configurable, on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target, { yaml: `${TEST_CONFIG_YAML}\nreactions:\n  who: staff\n  request: { emoji: "🚀" }\n` });
  });
  afterAll(() => t.close());

  const outcomes = (messageId: string) => t.logs.filter((l) => l.msg === "discord filing reaction handled" && l.message === messageId).map((l) => l.outcome);

  test("with who: staff a member is refused and staff file; the configured emoji replaces 💡", async () => {
    const msg = t.d.post(ana, "Audit log for pledges");
    t.d.react(bo, msg, "💡");
    t.d.react(bo, msg, "🚀");
    t.d.react(staff, msg, "🚀");
    await until(() => outcomes(msg).length >= 2);
    expect(outcomes(msg)).toEqual(["refused", "filed"]);
    const r = await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Audit log for pledges" }, include: { author: { include: { accounts: true } } } });
    expect(r.author.accounts[0].externalId).toBe(ana.user.id);
  });
});

/**
 * The same on Slack: the real Bolt app receives signed `reaction_added` events
 * (https://api.slack.com/events/reaction_added), reads the message back with
 * conversations.history / conversations.replies and links it with chat.getPermalink.
 */
describe.each(DB_TARGETS)("a reaction files a Slack message on %s", (target) => {
  let h: SlackHarness;
  const CAT = { user: "U0CAT", name: "cat" };
  beforeAll(async () => {
    h = await startSlackHarness(target);
    h.standin.people.set(ANA.user, { name: "ana" });
    h.standin.people.set(CAT.user, { name: "cat" });
  });
  afterAll(() => h.close());

  const handled = (ts: string) => h.logs.filter((l) => l.msg === "slack filing reaction handled" && l.message === ts);
  /** Sends reaction_added as Slack does and waits until the bot handled it. */
  const react = async (who: string, channel: string, ts: string, reaction: string, team = ANA.team) => {
    const before = handled(ts).length;
    const event = { type: "reaction_added", user: who, reaction, item_user: ANA.user, item: { type: "message", channel, ts }, event_ts: `${Date.now() / 1000}` } satisfies types.ReactionAddedEvent;
    expect((await postEvent(h.url, eventCallback(team, event))).status).toBe(200);
    await until(() => handled(ts).length > before);
    return handled(ts).at(-1)!.outcome;
  };
  const drain = () => {
    h.clock.set(new Date(Math.max(Date.now(), h.clock.now().getTime())));
    return h.app.worker.drain();
  };
  const posted = (channel: string) => h.standin.callsOf("chat.postMessage").filter((c) => c.args.channel === channel).map((c) => ({ thread: c.args.thread_ts, text: String(c.args.text) }));

  test(":bulb: files a message as a request for its author, answers in its thread, DMs who reacted", async () => {
    const ts = h.standin.post({ channel: ANA.channel, user: ANA.user, text: "Mirror the roadmap to Mastodon\nour members left X" });
    expect(await react(CAT.user, ANA.channel, ts, "bulb")).toBe("filed");
    const r = await h.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Mirror the roadmap to Mastodon" }, include: { author: { include: { accounts: true } }, community: true } });
    expect(r.author.accounts.map((a) => a.externalId)).toEqual([ANA.user]);
    expect(r.community.slug).toBe("alpha");
    expect(r.body).toBe("our members left X");
    expect(r.sourceUrl).toBe(`https://standin.slack.com/archives/${ANA.channel}/p${ts.replace(".", "")}`);
    await drain();
    expect(posted(ANA.channel)).toContainEqual({ thread: ts, text: expect.stringContaining(`Filed as feature request #${r.id} for ana (thanks to cat)`) });
    expect(posted(`D${CAT.user}`)).toContainEqual({ thread: undefined, text: expect.stringContaining(`Filed ana's message as feature request #${r.id}`) });
  });

  test("a reply in a thread is read from the thread and answered there; reacting twice files once", async () => {
    const root = h.standin.post({ channel: ANA.channel, user: CAT.user, text: "Builds are slow" });
    const reply = h.standin.post({ channel: ANA.channel, user: ANA.user, text: "Nightly builds time out after an hour", thread_ts: root });
    expect(await react(CAT.user, ANA.channel, reply, "ticket::skin-tone-3")).toBe("filed");
    expect(await react(STAFF.user, ANA.channel, reply, "ticket")).toBe("already");
    expect(h.standin.callsOf("conversations.replies").some((c) => c.args.ts === reply)).toBe(true);
    const tickets = await h.app.services.db.supportTicket.findMany({ where: { summary: "Nightly builds time out after an hour" } });
    expect(tickets).toHaveLength(1);
    expect(tickets[0].memberPlace).toMatchObject({ platform: "slack", channel: ANA.channel, thread: root });
  });

  test("a channel the bot is not in: nothing filed, the person is told; other emoji and unknown teams are ignored", async () => {
    const hidden = "C0HIDDEN";
    h.standin.unreadable.add(hidden);
    expect(await react(CAT.user, hidden, "1764400000.000001", "bulb")).toBe("unreadable");
    expect(await h.app.services.db.reactionFiling.count()).toBe(2);
    await drain();
    expect(posted(`D${CAT.user}`)).toContainEqual({ thread: undefined, text: expect.stringContaining("I couldn't read that message") });

    const stranger = h.standin.post({ channel: "C0NOWHERE", user: "U0STRAY", text: "Make it purple" });
    expect(await react("U0STRAY", "C0NOWHERE", stranger, "bulb", "T0NOWHERE")).toBe("ignored");
    const thumbs = h.standin.post({ channel: ANA.channel, user: ANA.user, text: "Nice work" });
    const before = h.standin.calls.length;
    await postEvent(h.url, eventCallback(ANA.team, { type: "reaction_added", user: CAT.user, reaction: "+1", item_user: ANA.user, item: { type: "message", channel: ANA.channel, ts: thumbs }, event_ts: "1" }));
    // The event was acknowledged without reading anything: 👍 files nothing.
    expect(h.standin.calls.slice(before).some((c) => c.method.startsWith("conversations."))).toBe(false);
    expect(handled(thumbs)).toHaveLength(0);
  });
});

test("the Slack manifest subscribes to reaction_added with the scopes Slack lists for it and for reading the message", () => {
  const m = slackManifest({ socketMode: true });
  // https://api.slack.com/events/reaction_added: scope reactions:read. Reading the message back:
  // https://api.slack.com/methods/conversations.history (channels:history, groups:history).
  expect(m.settings.event_subscriptions.bot_events).toContain("reaction_added");
  expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["reactions:read", "channels:history", "groups:history"]));
});

test("a long first line becomes a title cut at a word, the whole text kept as details; a tiny first line joins the rest", () => {
  const long = `${"word ".repeat(30)}end`;
  const { head, rest } = headline(`${long}\nsecond line`, 120);
  expect(head.length).toBeLessThanOrEqual(120);
  expect(head).toMatch(/word…$/);
  expect(rest).toBe(`${long}\nsecond line`);
  expect(headline("Hi\nplease add dark mode", 120)).toEqual({ head: "Hi please add dark mode", rest: "" });
  expect(headline("Dark mode\nfor night shifts", 120)).toEqual({ head: "Dark mode", rest: "for night shifts" });
});
