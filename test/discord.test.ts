import { ApplicationCommandOptionType, ButtonStyle, ComponentType, GatewayIntentBits, GatewayOpcodes, InteractionResponseType } from "discord.js";
import { enqueue } from "../src/core/outbox";
import type { Place } from "../src/core/reply";
import { as } from "./helpers/actors";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, GAMMA, gil, staff, stray, waitForLog } from "./helpers/discord";
import { type Answer, BOT_TOKEN } from "./standins/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */
const embedOf = (a: Answer) => a.data.embeds[0];
const buttonsOf = (a: Answer) => (a.data.components as any[]).flatMap((row) => row.components).filter((x: any) => x.type === ComponentType.Button);
const selectsOf = (a: Answer) => (a.data.components as any[]).flatMap((row) => row.components).filter((x: any) => x.type === ComponentType.StringSelect);
const isPrivate = (a: Answer) => a.private;
const requestIdIn = (text: string) => Number(/#(\d+)/.exec(text)![1]);

describe.each(DB_TARGETS)("Discord commands through discord.js on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target);
  });
  afterAll(() => t.close());

  test("logs in with the intents it needs, READY and GUILD_CREATE, heartbeats acknowledged, /healthz connected", async () => {
    const identify = await t.d.waitForFrame((f) => f.op === GatewayOpcodes.Identify);
    // Guilds alone; the message intents only because the support relay subscribes to thread messages.
    const messages = GatewayIntentBits.GuildMessages | GatewayIntentBits.GuildMessageReactions | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent;
    expect(identify.d.intents).toBe(GatewayIntentBits.Guilds | (t.app.threads.followed ? messages : 0));
    expect(identify.d.token).toBe(BOT_TOKEN);
    const gateway = await t.d.waitFor((c) => c.path === "/gateway/bot");
    expect(gateway.authorization).toBe(`Bot ${BOT_TOKEN}`);
    await t.d.waitForFrame((f) => f.op === GatewayOpcodes.Heartbeat);
    const health = (await (await fetch(`http://127.0.0.1:${t.app.port}/healthz`)).json()) as { platforms: Record<string, string> };
    expect(health.platforms.discord).toBe("connected");
    // The token never shows in what the app logged.
    expect(JSON.stringify(t.logs)).not.toContain(BOT_TOKEN.split(".")[2]);
  });

  test("/request with options files it and answers with a public card: embed plus Upvote / Unvote / Details", async () => {
    const id = t.d.slash(ana, "request", [
      { name: "title", type: ApplicationCommandOptionType.String, value: "Faster image builds" },
      { name: "details", type: ApplicationCommandOptionType.String, value: "CI takes 20 minutes" },
    ]);
    const cb = await t.d.answer(id);
    // Interaction callbacks carry no bot token, as with Discord.
    expect((await t.d.callback(id)).authorization).toBeUndefined();
    const embed = embedOf(cb);
    expect(embed.description).toMatch(/^Filed #\d+ Faster image builds/);
    expect(isPrivate(cb)).toBe(false);
    const n = requestIdIn(embed.title);
    expect(embed.title).toBe(`#${n} Faster image builds`);
    expect(embed.description).toContain(`Filed #${n} Faster image builds`);
    expect(embed.description).toContain("CI takes 20 minutes");
    expect(buttonsOf(cb).map((b: any) => [b.label, b.custom_id, b.style])).toEqual([
      ["Upvote", `fw:upvote ${n}`, ButtonStyle.Primary],
      ["Unvote", `fw:unvote ${n}`, ButtonStyle.Secondary],
      ["Details", `fw:request-show ${n}`, ButtonStyle.Secondary],
    ]);
    expect(cb.data.allowed_mentions).toEqual({ parse: [] });
    // Identity: the Discord user in alpha's guild became a Person of community alpha.
    const account = await t.app.services.db.account.findUniqueOrThrow({ where: { platform_externalId: { platform: "discord", externalId: ana.user.id } }, include: { person: { include: { community: true } } } });
    expect(account.person.community?.slug).toBe("alpha");
    const r = await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: n } });
    expect(r.body).toBe("CI takes 20 minutes");
    expect(r.origin).toMatchObject({ platform: "discord", workspace: ALPHA.guild, channel: ALPHA.channel });
  });

  test("a button click runs its command line as the clicker: gamma's member upvotes, privately", async () => {
    const n = (await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Faster image builds" } })).id;
    const id = t.d.click(gil, `fw:upvote ${n}`);
    const cb = await t.d.answer(id);
    expect(isPrivate(cb)).toBe(true);
    expect(embedOf(cb).description).toBe(`Your vote for #${n} is counted for gamma.`);
    expect(await t.app.services.db.vote.count({ where: { requestId: n } })).toBe(2);
  });

  test("/request with no options opens a modal; submitting it files the request", async () => {
    const open = t.d.slash(ana, "request");
    const cb = await t.d.callback(open);
    expect(cb.body.type).toBe(InteractionResponseType.Modal);
    expect(cb.body.data.custom_id).toBe("fwm:request");
    const inputs = (cb.body.data.components as any[]).map((l) => [l.type, l.label, l.component.custom_id, l.component.required, l.component.max_length]);
    expect(inputs).toEqual([
      [ComponentType.Label, "Title", "title", true, 120],
      [ComponentType.Label, "Details", "details", false, 4000],
    ]);
    const submit = t.d.submitModal(ana, "fwm:request", { title: "Dark mode for the dashboard", details: "" });
    const done = await t.d.answer(submit);
    expect(isPrivate(done)).toBe(false);
    expect(embedOf(done).title).toMatch(/^#\d+ Dark mode for the dashboard$/);
    const r = await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Dark mode for the dashboard" } });
    expect(r.body).toBe("");
  });

  test("a request filed inside a thread remembers the thread; a notification about it is posted in that thread", async () => {
    const inThread = { ...ana, channelId: ALPHA.botThread };
    const cb = await t.d.answer(t.d.slash(inThread, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Audit log export" }]));
    const n = requestIdIn(embedOf(cb).title);
    const r = await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: n } });
    expect(r.origin).toEqual({ platform: "discord", workspace: ALPHA.guild, channel: ALPHA.channel, thread: ALPHA.botThread });
    const row = await enqueue(t.app.services.db, { key: `shipped:${n}`, place: r.origin as unknown as Place, reply: { text: `#${n} Audit log export shipped` } });
    t.clock.set(new Date());
    await t.app.worker.drain();
    expect(t.d.messagesIn(ALPHA.botThread).map((m) => m.embeds[0].description)).toEqual([`#${n} Audit log export shipped`]);
    expect((await t.app.services.db.outboxMessage.findUniqueOrThrow({ where: { id: row } })).status).toBe("delivered");
  });

  test("request numbers autocomplete from open requests by title or number", async () => {
    const n = (await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Faster image builds" } })).id;
    const byTitle = await t.d.callback(t.d.autocomplete(ana, "upvote", "number", "image"));
    expect(byTitle.body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(byTitle.body.data.choices).toEqual([{ name: `#${n} Faster image builds`, value: n }]);
    const byNumber = await t.d.callback(t.d.autocomplete(ana, "upvote", "number", `#${n}`));
    expect(byNumber.body.data.choices[0]).toEqual({ name: `#${n} Faster image builds`, value: n });
    const none = await t.d.callback(t.d.autocomplete(ana, "upvote", "number", "zebra crossings"));
    expect(none.body.data.choices).toEqual([]);
  });

  test("community autocomplete never reveals a private community to others", async () => {
    const fromAlpha = await t.d.callback(t.d.autocomplete(ana, "requests", "community", "", ApplicationCommandOptionType.String));
    expect(fromAlpha.body.data.choices.map((c: any) => c.value)).toEqual(["alpha", "beta"]);
    const fromGamma = await t.d.callback(t.d.autocomplete(gil, "requests", "community", "ga", ApplicationCommandOptionType.String));
    expect(fromGamma.body.data.choices).toEqual([{ name: "gamma — Gamma Institute", value: "gamma" }]);
  });

  test("/requests lists privately; repeated actions become one select menu per action, More pages on", async () => {
    const carol = as(t.app.services, "carol", "alpha");
    for (let i = 1; i <= 10; i++) expect((await carol(`/request Widget number ${i} for the lab --force`)).error).toBeFalsy();
    const open = await t.app.services.db.featureRequest.count({ where: { status: "open" } });
    expect(open).toBeGreaterThan(10);
    const cb = await t.d.answer(t.d.slash(ana, "requests"));
    expect(isPrivate(cb)).toBe(true);
    expect(embedOf(cb).description).toMatch(new RegExp(`^Open requests \\(1–10 of ${open}\\):`));
    const selects = selectsOf(cb);
    expect(selects.map((s: any) => s.placeholder)).toEqual(["Upvote…", "Unvote…", "Details…"]);
    expect(selects[0].options).toHaveLength(10);
    expect(selects[0].options[0]).toEqual({ label: expect.stringMatching(/^#\d+ Faster image builds — 2 communities/), value: expect.stringMatching(/^upvote \d+$/) });
    expect(buttonsOf(cb).map((b: any) => [b.label, b.custom_id])).toEqual([["More", "fw:requests open --page 2"]]);
    expect(cb.data.components.length).toBeLessThanOrEqual(5);

    // Choosing "upvote N" in the Upvote… menu votes, like the button would.
    const widget = (await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Widget number 3 for the lab" } })).id;
    const chose = await t.d.answer(t.d.click(gil, selects[0].custom_id, { values: [`upvote ${widget}`], ephemeral: true }));
    expect(embedOf(chose).description).toBe(`Your vote for #${widget} is counted for gamma.`);

    const more = await t.d.answer(t.d.click(ana, "fw:requests open --page 2", { ephemeral: true }));
    expect(embedOf(more).description).toMatch(new RegExp(`^Open requests \\(11–${open} of ${open}\\):`));
  });

  test("errors are private and red; nothing is changed", async () => {
    const before = await t.app.services.db.vote.count();
    const missing = await t.d.answer(t.d.slash(ana, "upvote", [{ name: "number", type: ApplicationCommandOptionType.Integer, value: 999999 }]));
    expect(isPrivate(missing)).toBe(true);
    expect(embedOf(missing)).toMatchObject({ color: 0xed4245, description: "There is no request #999999. Try /requests to see them." });
    const unknown = await t.d.answer(t.d.slash(ana, "nonsense"));
    expect(isPrivate(unknown)).toBe(true);
    expect(embedOf(unknown).description).toContain("I don't know the command /nonsense");
    const foreign = await t.d.answer(t.d.click(ana, "someone-elses-button"));
    expect(isPrivate(foreign)).toBe(true);
    expect(embedOf(foreign).description).toContain("That button isn't one I know");
    const badForm = await t.d.answer(t.d.submitModal(ana, "fwm:", { title: "x" }));
    expect(embedOf(badForm).description).toContain("That form isn't one I know");
    const shortTitle = await t.d.answer(t.d.submitModal(ana, "fwm:request", { title: "ab" }));
    expect(embedOf(shortTitle).description).toContain("The title needs at least 3 characters.");
    // A guild no community is configured for: the person is told why.
    const lost = await t.d.answer(t.d.slash(stray, "upvote", [{ name: "number", type: ApplicationCommandOptionType.Integer, value: 1 }]));
    expect(isPrivate(lost)).toBe(true);
    expect(embedOf(lost).description).toContain("isn't linked to a member community");
    expect(await t.app.services.db.vote.count()).toBe(before);
  });

  test("user text never pings: allowed_mentions is empty and @everyone is defused", async () => {
    const cb = await t.d.answer(
      t.d.slash(ana, "request", [
        { name: "title", type: ApplicationCommandOptionType.String, value: "@everyone ping <@&123456789012345678> now" },
        { name: "details", type: ApplicationCommandOptionType.String, value: "hello @here and <@210000000000000003>" },
      ]),
    );
    expect(cb.data.allowed_mentions).toEqual({ parse: [] });
    expect(cb.data.content ?? "").toBe("");
    const embed = embedOf(cb);
    expect(embed.title).not.toMatch(/@everyone/);
    expect(embed.title).toContain("@\u200beveryone");
    expect(embed.description).toContain("@\u200bhere");
  });

  test("malformed interactions are answered with an error and never crash the bot", async () => {
    const base = t.d.interactionBase(ana);
    t.d.dispatch("INTERACTION_CREATE", { ...base, type: 2 }); // a command with no data
    t.d.dispatch("INTERACTION_CREATE", { ...t.d.interactionBase(ana), type: 3, data: { custom_id: "fw:help" } }); // no message, no component type
    t.d.dispatch("INTERACTION_CREATE", { ...t.d.interactionBase(ana), type: 5, data: { custom_id: "fwm:request" } }); // modal without fields
    t.d.dispatch("INTERACTION_CREATE", { type: 2, data: {} }); // not even an id to answer
    const wrongType = t.d.slash(ana, "upvote", [{ name: "number", type: ApplicationCommandOptionType.String, value: "twelve" }]);
    const first = await t.d.answer(base.id);
    expect(isPrivate(first)).toBe(true);
    expect(embedOf(first).description).toContain("I couldn't read that request");
    expect(embedOf(await t.d.answer(wrongType)).description).toContain("Give a request number, like 12 or #12.");
    // Still alive and answering.
    const help = await t.d.answer(t.d.slash(ana, "help"));
    expect(embedOf(help).description).toContain("/upvote");
  });

  test("a replayed interaction (same id) is answered once and applied once", async () => {
    const id = t.d.slash(gil, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Replay-safe exports" }]);
    await t.d.answer(id);
    t.d.replay(id);
    await waitForLog(t.logs, (l) => l.msg === "discord interaction seen before; ignored" && l.interaction === id);
    expect(t.d.calls.filter((c) => c.path.startsWith(`/interactions/${id}/`))).toHaveLength(1);
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Replay-safe exports" } })).toBe(1);
  });

  test("staff actions are refused to members; staff (by Discord id in the config) can, and voters hear about it in Discord", async () => {
    const n = (await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Faster image builds" } })).id;
    const asMember = await t.d.answer(t.d.slash(ana, "set-status", [
      { name: "number", type: ApplicationCommandOptionType.Integer, value: n },
      { name: "status", type: ApplicationCommandOptionType.String, value: "shipped" },
    ]));
    expect(isPrivate(asMember)).toBe(true);
    expect(embedOf(asMember).description).toBe("Sorry, only Flywheel staff can do that. Nothing was changed.");
    expect((await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: n } })).status).toBe("open");
    // A member crafting the button line is refused the same way.
    const crafted = await t.d.answer(t.d.click(ana, `fw:set-status ${n} shipped`));
    expect(embedOf(crafted).description).toContain("only Flywheel staff");

    const asStaff = await t.d.answer(t.d.slash(staff, "set-status", [
      { name: "number", type: ApplicationCommandOptionType.Integer, value: n },
      { name: "status", type: ApplicationCommandOptionType.String, value: "planned" },
      { name: "reason", type: ApplicationCommandOptionType.String, value: "On the Q1 roadmap @everyone" },
    ]));
    expect(embedOf(asStaff).description).toContain(`#${n} is now planned`);
    expect((await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: n } })).status).toBe("planned");
    // The requester (alpha's channel) and the gamma voter (gamma's channel) are told there.
    t.clock.set(new Date());
    await t.app.worker.drain();
    for (const channelId of [ALPHA.channel, GAMMA.channel]) {
      const told = t.d.messagesIn(channelId).filter((m) => m.embeds[0]?.description?.includes(`#${n}`));
      expect(told.length).toBeGreaterThanOrEqual(1);
    }
    const notices = t.d.calls.filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path));
    expect(notices.every((c) => c.body.allowed_mentions?.parse?.length === 0 && !c.body.allowed_mentions.roles)).toBe(true);
    expect(JSON.stringify(notices.map((c) => c.body.embeds))).not.toMatch(/@everyone/);
  });

  test("a dropped gateway connection resumes the session and replays what was missed", async () => {
    const identifiesBefore = t.d.identifies;
    const resumesBefore = t.d.resumes;
    const session = t.d.sessionId;
    const since = t.d.received.length;
    t.d.dropConnection();
    // Sent while the bot is away: delivered when it resumes.
    const id = t.d.slash(ana, "help");
    const resume = await t.d.waitForFrame((f) => f.op === GatewayOpcodes.Resume, since);
    expect(resume.d.session_id).toBe(session);
    expect(resume.d.token).toBe(BOT_TOKEN);
    const cb = await t.d.answer(id);
    expect(embedOf(cb).description).toContain("Flywheel commands");
    expect(t.d.identifies).toBe(identifiesBefore);
    expect(t.d.resumes).toBeGreaterThan(resumesBefore);
  });
});
