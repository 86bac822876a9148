import { ApplicationCommandOptionType, ComponentType } from "discord.js";
import type { APIGuildForumChannel, APIThreadChannel } from "discord.js";
import { changeStatus } from "../src/core/requests/lifecycle";
import { DB_TARGETS, TEST_CONFIG_YAML } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, GAMMA, gil, staff, until, drainOutbox } from "./helpers/discord";
import { discordRest } from "../src/platforms/discord/client";
import { discordDeliverer } from "../src/platforms/discord/deliverer";
import { BOT_ID, BOT_TOKEN, user } from "./standins/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Alpha's forum channel is its request board; so is Gamma's, which speaks Spanish. */
const FORUM_YAML = TEST_CONFIG_YAML.replace(
  `discord: { guild: "${ALPHA.guild}", channel: "${ALPHA.channel}" }`,
  `discord: { guild: "${ALPHA.guild}", channel: "${ALPHA.channel}", forum: "${ALPHA.forum}" }`,
).replace(
  `private: true, discord: { guild: "${GAMMA.guild}", channel: "${GAMMA.channel}" }`,
  `private: true, locale: es, discord: { guild: "${GAMMA.guild}", channel: "${GAMMA.channel}", forum: "${GAMMA.forum}" }`,
);
const bo = { user: user("210000000000000021", "bo"), guildId: ALPHA.guild, channelId: ALPHA.channel };

const buttonsOf = (m: { components?: any[] }) => (m.components ?? []).flatMap((row: any) => row.components).filter((c: any) => c.type === ComponentType.Button);

/**
 * A community's Discord forum as its request board, through the real discord.js client against
 * the stand-in: THREAD_CREATE of a post in a GUILD_FORUM channel files it; its tags follow the
 * request's status from any source (REST edits of the forum's available_tags and the post's
 * applied_tags); replies are feedback; /request-show opens a post for a request filed elsewhere.
 */
describe.each(DB_TARGETS)("Discord forum channels as request boards on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target, { yaml: FORUM_YAML });
  });
  afterAll(() => t.close());

  const drain = () => drainOutbox(t);
  const outcomeOf = async (thread: string) => {
    await until(() => t.logs.some((l) => l.msg === "discord forum post handled" && l.thread === thread));
    return t.logs.find((l) => l.msg === "discord forum post handled" && l.thread === thread)!.outcome;
  };
  const forum = () => t.d.channels.get(ALPHA.forum) as APIGuildForumChannel;
  /** The names of the tags applied to a post. */
  const tagsOf = (thread: string) => {
    const names = new Map(forum().available_tags.map((x) => [x.id, x.name]));
    return ((t.d.channels.get(thread) as APIThreadChannel).applied_tags ?? []).map((id) => names.get(id));
  };
  const requestOf = (thread: string) => t.app.services.db.forumPost.findUniqueOrThrow({ where: { thread } });

  test("a new post becomes the author's request: answered in the post with an Upvote button, tagged Open", async () => {
    const post = t.d.forumPost(ana, ALPHA.forum, "Offline mode for the mobile app", "We teach in places without a network @everyone");
    expect(await outcomeOf(post)).toBe("filed");
    const { requestId } = await requestOf(post);
    const r = await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: requestId! }, include: { author: { include: { accounts: true } }, community: true } });
    expect([r.title, r.body, r.community.slug]).toEqual(["Offline mode for the mobile app", "We teach in places without a network @everyone", "alpha"]);
    expect(r.author.accounts[0].externalId).toBe(ana.user.id);
    expect(r.origin).toEqual({ platform: "discord", workspace: ALPHA.guild, channel: ALPHA.forum, thread: post });

    await drain();
    const answer = t.d.messagesIn(post).find((m) => m.author.bot)!;
    expect(answer.embeds[0].description).toContain(`Filed as feature request #${r.id} for ana`);
    expect(buttonsOf(answer).map((b: any) => b.custom_id)).toContain(`fw:upvote ${r.id}`);
    // The tag did not exist: the forum's tags were edited to add it, as a moderated tag.
    expect(forum().available_tags.map((x) => [x.name, x.moderated])).toEqual([["open", true]]);
    expect(tagsOf(post)).toEqual(["open"]);
  });

  test("the post's tag follows the status from any source, keeping the tags people chose", async () => {
    const post = t.d.forumPost(ana, ALPHA.forum, "Calendar export for deadlines", "An ics feed per course");
    expect(await outcomeOf(post)).toBe("filed");
    await drain();
    const { requestId } = await requestOf(post);
    // A tag of the community's own, chosen by the author, stays whatever the status does.
    const mine = { id: "700000000000000001", name: "mobile", moderated: false, emoji_id: null, emoji_name: null };
    t.d.channels.set(ALPHA.forum, { ...forum(), available_tags: [...forum().available_tags, mine] });
    t.d.channels.set(post, { ...(t.d.channels.get(post) as APIThreadChannel), applied_tags: [...((t.d.channels.get(post) as APIThreadChannel).applied_tags ?? []), mine.id] });

    // A staff command on Discord...
    const set = await t.d.answer(t.d.slash(staff, "set-status", [
      { name: "number", type: ApplicationCommandOptionType.Integer, value: requestId! },
      { name: "status", type: ApplicationCommandOptionType.String, value: "planned" },
    ]));
    expect(set.data.embeds[0].description).toContain("planned");
    await drain();
    expect(tagsOf(post)).toEqual(["mobile", "planned"]);
    // ...and a GitHub event alike: the same function moves every status.
    await changeStatus(t.app.services, { requestId: requestId!, to: "in_progress", source: "github", sourceRef: "https://github.com/o/r/pull/1" });
    await drain();
    expect(tagsOf(post)).toEqual(["mobile", "in progress"]);
    expect(forum().available_tags.map((x) => x.name)).toEqual(expect.arrayContaining(["open", "planned", "in progress", "mobile"]));
    // The follower news reaches the post too (it is where the request was filed).
    expect(t.d.messagesIn(post).some((m) => String(m.embeds[0]?.description).includes("in progress"))).toBe(true);
  });

  test("a post like an open request is answered with it; only its author's File anyway files it", async () => {
    const before = await t.app.services.db.featureRequest.count();
    const post = t.d.forumPost(bo, ALPHA.forum, "Offline mode for mobile", "Same as the other one but for tablets");
    expect(await outcomeOf(post)).toBe("similar");
    expect(await t.app.services.db.featureRequest.count()).toBe(before);
    await drain();
    const answer = t.d.messagesIn(post).find((m) => m.author.bot)!;
    expect(answer.embeds[0].description).toContain("Offline mode for the mobile app");
    const ids = buttonsOf(answer).map((b: any) => b.custom_id);
    expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/^fw:upvote \d+$/), `fw:forum file ${post}`]));

    const notAuthor = await t.d.answer(t.d.click({ ...ana, channelId: post }, `fw:forum file ${post}`));
    expect(notAuthor.private).toBe(true);
    expect(notAuthor.data.embeds[0].description).toContain("Only the post's author");
    expect(await t.app.services.db.featureRequest.count()).toBe(before);

    const filed = await t.d.answer(t.d.click({ ...bo, channelId: post }, `fw:forum file ${post}`));
    const { requestId } = await requestOf(post);
    expect(filed.data.embeds[0].description).toContain(`Filed your post as feature request #${requestId}`);
    expect(await t.app.services.db.featureRequest.count()).toBe(before + 1);
    const again = await t.d.answer(t.d.click({ ...bo, channelId: post }, `fw:forum file ${post}`));
    expect(again.data.embeds[0].description).toContain(`already feature request #${requestId}`);
    await drain();
    expect(tagsOf(post)).toEqual(["open"]);
  });

  test("replies in a filed post are feedback; the first message, bots and pending posts are not", async () => {
    const post = t.d.forumPost(ana, ALPHA.forum, "Grade book integration", "Sync marks to our LMS");
    expect(await outcomeOf(post)).toBe("filed");
    const { requestId } = await requestOf(post);
    t.d.say({ ...bo, channelId: post }, "We need this for exams too");
    t.d.say({ ...bo, channelId: post }, "   ");
    await until(() => t.logs.some((l) => l.msg === "forum reply recorded as feedback" && l.thread === post));
    const feedback = await t.app.services.db.feedback.findMany({ where: { requestId: requestId! }, include: { person: { include: { accounts: true } } } });
    expect(feedback.map((f) => [f.body, f.person.accounts[0].externalId])).toEqual([["We need this for exams too", bo.user.id]]);
    const shown = await t.d.answer(t.d.slash(ana, "request-show", [{ name: "number", type: ApplicationCommandOptionType.Integer, value: requestId! }]));
    expect(shown.data.embeds[0].description).toContain("We need this for exams too");
  });

  test("an empty body files with the title alone; a title too short is answered; no crash", async () => {
    const empty = t.d.forumPost(ana, ALPHA.forum, "Dyslexia friendly font", "");
    expect(await outcomeOf(empty)).toBe("filed");
    expect(t.logs.some((l) => l.thread === empty && String(l.msg).includes("filed with its title alone"))).toBe(true);
    const unread = t.d.forumPost(ana, ALPHA.forum, "Bulk invite by CSV", "lost", { unreadable: true });
    expect(await outcomeOf(unread)).toBe("filed");
    const r = await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Bulk invite by CSV" } });
    expect(r.body).toBe("");
    const short = t.d.forumPost(ana, ALPHA.forum, "Hi", "just saying hello");
    expect(await outcomeOf(short)).toBe("refused");
    await drain();
    expect(t.d.messagesIn(short).some((m) => String(m.embeds[0]?.description).includes("needs 3 to 120 characters"))).toBe(true);
  });

  test("a request filed elsewhere opens as a forum post from /request-show's Discuss in forum", async () => {
    const filed = await t.d.answer(t.d.slash(ana, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Single sign on with Shibboleth" }]));
    const id = Number(/#(\d+)/.exec(filed.data.embeds[0].title)![1]);
    const shown = await t.d.answer(t.d.slash(bo, "request-show", [{ name: "number", type: ApplicationCommandOptionType.Integer, value: id }]));
    const discuss = buttonsOf(shown.data).find((b: any) => b.label === "Discuss in forum");
    expect(discuss.custom_id).toBe(`fw:forum open ${id}`);

    const opening = await t.d.answer(t.d.click(bo, discuss.custom_id, { ephemeral: true }));
    expect(opening.data.embeds[0].description).toContain(`Opening request #${id}`);
    await drain();
    const created = await t.d.waitFor((c) => c.method === "POST" && c.path === `/channels/${ALPHA.forum}/threads`);
    expect(created.body.name).toBe(`#${id} Single sign on with Shibboleth`);
    expect(buttonsOf(created.body.message).map((b: any) => b.custom_id)).toContain(`fw:upvote ${id}`);
    const thread = [...t.d.channels.values()].find((c) => (c as APIThreadChannel).name === `#${id} Single sign on with Shibboleth`)!.id;
    expect(tagsOf(thread)).toEqual(["open"]);
    // The bot's own post is not filed a second time.
    await until(() => t.d.messagesIn(thread).length > 0);
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Single sign on with Shibboleth" } })).toBe(1);

    // Replies there are feedback; the status tag follows it too.
    t.d.say({ ...ana, channelId: thread }, "Our IdP is Shibboleth 3");
    await until(() => t.logs.some((l) => l.msg === "forum reply recorded as feedback" && l.thread === thread));
    await changeStatus(t.app.services, { requestId: id, to: "shipped", source: "command" });
    await drain();
    expect(tagsOf(thread)).toEqual(["shipped"]);

    // Asked again, the post is named instead of opened twice; the button is no longer offered.
    const again = await t.d.answer(t.d.click(bo, `fw:forum open ${id}`, { ephemeral: true }));
    expect(again.data.embeds[0].description).toContain(`https://discord.com/channels/${ALPHA.guild}/${thread}`);
    const reshown = await t.d.answer(t.d.slash(bo, "request-show", [{ name: "number", type: ApplicationCommandOptionType.Integer, value: id }]));
    expect(buttonsOf(reshown.data).some((b: any) => b.label === "Discuss in forum")).toBe(false);
  });

  test("a forum post opened again after an attempt that may have reached Discord is found, not posted twice", async () => {
    const rest = discordRest({ DISCORD_API_URL: t.d.apiUrl, DISCORD_TOKEN: BOT_TOKEN });
    const deliverer = discordDeliverer(rest, { botId: () => BOT_ID });
    const delivery = {
      id: 1,
      key: "forum:open:test",
      place: { platform: "discord" as const, workspace: ALPHA.guild, channel: ALPHA.forum },
      reply: { text: "Discussion", title: "#99 Retried post", topic: { title: "#99 Retried post", status: "open", statuses: ["open", "planned"] } },
      attempt: 1,
    };
    const first = await deliverer.deliver(delivery);
    const again = await deliverer.deliver({ ...delivery, attempt: 2, inDoubt: true });
    expect(again).toEqual(first);
    expect(t.d.calls.filter((c) => c.method === "POST" && c.path === `/channels/${ALPHA.forum}/threads` && c.body.name === "#99 Retried post")).toHaveLength(1);
    expect(t.d.calls.some((c) => c.method === "GET" && c.path === `/guilds/${ALPHA.guild}/threads/active`)).toBe(true);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });

  test("a forum in a Spanish-speaking community answers and tags in Spanish; the post's words stay as written", async () => {
    expect(FORUM_YAML).toContain(`forum: "${GAMMA.forum}"`);
    const post = t.d.forumPost(gil, GAMMA.forum, "Subtítulos automáticos en las grabaciones", "Para estudiantes sordos");
    expect(await outcomeOf(post)).toBe("filed");
    const { requestId } = await requestOf(post);
    await drain();
    const answer = t.d.messagesIn(post).find((m) => m.author.bot)!;
    expect(answer.embeds[0].description).toContain(`Registrada como solicitud de función #${requestId} a nombre de gil`);
    expect(answer.embeds[0].title).toBe(`#${requestId} Subtítulos automáticos en las grabaciones`);
    const names = new Map((t.d.channels.get(GAMMA.forum) as APIGuildForumChannel).available_tags.map((x) => [x.id, x.name]));
    expect(((t.d.channels.get(post) as APIThreadChannel).applied_tags ?? []).map((id) => names.get(id))).toEqual(["abierta"]);
    await changeStatus(t.app.services, { requestId: requestId!, to: "in_progress", source: "command" });
    await drain();
    const after = new Map((t.d.channels.get(GAMMA.forum) as APIGuildForumChannel).available_tags.map((x) => [x.id, x.name]));
    expect(((t.d.channels.get(post) as APIThreadChannel).applied_tags ?? []).map((id) => after.get(id))).toEqual(["en curso"]);
  });
});
