// Issue 21 on Discord: support in private. A ticket opened in the member's DM with the bot (or
// with the 'private' choice in a channel) keeps its conversation in that DM, through the real
// discord.js client against the stand-in, which answers like Discord does (50024 for a thread in
// a DM, 50007 for a DM the member does not accept).
import { ApplicationCommandOptionType, type APIMessage, ComponentType } from "discord.js";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, staff, STAFF_SPACE, SUPPORT_ON_DISCORD_YAML, drainOutbox } from "./helpers/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */
const textOf = (m: { content?: string; embeds?: { title?: string; description?: string }[] }) => JSON.stringify([m.content, m.embeds?.map((e) => [e.title, e.description])]);
const buttonsOf = (m: APIMessage) => (m.components as any[]).flatMap((row) => row.components).filter((c) => c.type === ComponentType.Button);
const summary = (value: string) => ({ name: "summary", type: ApplicationCommandOptionType.String as const, value });
const ticketOpt = (action: string, id: number) => [
  { name: "action", type: ApplicationCommandOptionType.String as const, value: action },
  { name: "number", type: ApplicationCommandOptionType.Integer as const, value: id },
];

describe.each(DB_TARGETS)("private support tickets on Discord, on %s", (target) => {
  let t: DiscordTestApp;
  let dmChannel: string;
  const anaDm = () => t.d.inDm(ana.user);
  const staffHere = { ...staff, guildId: STAFF_SPACE.guild, channelId: STAFF_SPACE.channel };

  beforeAll(async () => {
    t = await discordTestApp(target, { yaml: SUPPORT_ON_DISCORD_YAML });
    // Ana is known as a member of alpha from its server before she writes to the bot privately.
    await t.d.answer(t.d.slash(ana, "help"));
    dmChannel = t.d.dmChannelOf(ana.user).id;
  });
  afterAll(() => t.close());

  const drain = () => drainOutbox(t);
  /** Delivers the outbox until find() returns something (the relay runs when the gateway message arrives). */
  async function deliverUntil<T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
    for (;;) {
      await drain();
      const v = await find();
      if (v !== undefined && v !== false) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const ticketRow = (id: number) => t.app.services.db.supportTicket.findUniqueOrThrow({ where: { id } });
  const inDm = () => t.d.messagesIn(dmChannel);
  const staffCardOf = (id: number) => t.d.messagesIn(STAFF_SPACE.channel).find((m) => String(m.embeds[0]?.title).includes(`#${id} `));
  const openInDm = async (text: string) => {
    const opened = await t.d.answer(t.d.slash(anaDm(), "support", [summary(text)]));
    const id = Number(/#(\d+)/.exec(textOf(opened.data))?.[1]);
    return { opened, id };
  };
  /** Staff answer in the thread on the ticket's card (opening it the first time). */
  const staffThreads = new Map<number, string>();
  const staffSays = async (id: number, text: string) => {
    const card = await deliverUntil(() => staffCardOf(id));
    if (!staffThreads.has(id)) staffThreads.set(id, t.d.openThread(staff, STAFF_SPACE.channel, card.id, `Ticket #${id}`));
    t.d.say({ ...staff, guildId: STAFF_SPACE.guild, channelId: staffThreads.get(id)! }, text);
  };

  test("the whole round trip in a DM: open, staff reply, member reply, resolve, rate, reopen", async () => {
    const before = t.d.messagesIn(ALPHA.channel).length;
    const { opened, id } = await openInDm("Invoices show the wrong VAT");
    expect(opened.private).toBe(true);
    // The answer says truthfully where replies come: this DM, not a thread.
    expect(textOf(opened.data)).toContain(`Opened private support ticket #${id}`);
    expect(textOf(opened.data)).toContain("Staff answers will arrive here, in this direct message");
    expect(textOf(opened.data)).not.toContain("thread");
    const row = await ticketRow(id);
    expect(row.private).toBe(true);
    expect(row.memberPlace).toEqual({ platform: "discord", user: ana.user.id });

    // The staff card says it is private; nothing reaches alpha's public channel, nothing is posted in the DM yet.
    const card = await deliverUntil(() => staffCardOf(id));
    expect(String(card.embeds[0].title)).toContain(`🔒 #${id}`);
    expect(textOf(card)).toContain("stays in the member's DM on Discord");
    expect(t.d.messagesIn(ALPHA.channel)).toHaveLength(before);
    expect(inDm()).toHaveLength(0);

    // Staff answer in the card's thread: the member gets a DM marked with who answered, no thread anywhere in the DM.
    await staffSays(id, "Which country is the customer in?");
    const answer = await deliverUntil(() => inDm().find((m) => textOf(m).includes("Which country")));
    expect(textOf(answer)).toContain(`stella (staff) on ticket #${id}: Which country is the customer in?`);
    expect(t.d.calls.filter((c) => c.path.startsWith(`/channels/${dmChannel}/messages/`) && c.path.endsWith("/threads"))).toHaveLength(0);

    // The member writes in the DM: it reaches the staff thread and is stored once.
    const staffThread = staffThreads.get(id)!;
    t.d.dm(ana.user, "Austria, reverse charge applies");
    const relayed = await deliverUntil(() => t.d.messagesIn(staffThread).find((m) => textOf(m).includes("Austria")));
    expect(textOf(relayed)).toContain("ana (Alpha University): Austria, reverse charge applies");
    expect((await t.app.services.db.ticketMessage.findMany({ where: { ticketId: id, side: "member" } })).map((m) => m.body)).toEqual([
      "Invoices show the wrong VAT",
      "Austria, reverse charge applies",
    ]);

    // Staff resolve from the card: the DM asks for a rating and offers a way back.
    await t.d.answer(t.d.click(staffHere, `fw:ticket resolve ${id}`));
    const ask = await deliverUntil(() => inDm().find((m) => textOf(m).includes(`resolved ticket #${id}`)));
    const ids = buttonsOf(ask).map((b) => b.custom_id);
    expect(ids).toEqual(expect.arrayContaining([`fw:ticket rate ${id} helpful`, `fw:ticket reopen ${id}`]));

    // The member rates and reopens from the DM; staff see both in their thread.
    const rated = await t.d.answer(t.d.click(anaDm(), `fw:ticket rate ${id} helpful`));
    expect(textOf(rated.data)).toContain(`Your rating of ticket #${id} is recorded`);
    expect((await ticketRow(id)).rating).toBe("helpful");
    const reopened = await t.d.answer(t.d.click(anaDm(), `fw:ticket reopen ${id}`));
    expect(textOf(reopened.data)).toContain(`ana reopened #${id}`);
    expect((await ticketRow(id)).status).toBe("open");
    await deliverUntil(() => t.d.messagesIn(staffThread).find((m) => textOf(m).includes(`ana (the member) reopened #${id}`)));

    // And closes it again herself from the DM, with /ticket close.
    const closed = await t.d.answer(t.d.slash(anaDm(), "ticket", ticketOpt("close", id)));
    expect(textOf(closed.data)).toContain(`ana closed #${id}`);
    expect((await ticketRow(id)).status).toBe("resolved");
    await deliverUntil(() => t.d.messagesIn(staffThread).find((m) => textOf(m).includes(`closed #${id} as solved`)));

    // Every DM the bot sent pinged no one, and no outbox row failed.
    for (const c of t.d.calls.filter((x) => x.method === "POST" && x.path === `/channels/${dmChannel}/messages`)) expect(c.body.allowed_mentions).toEqual({ parse: [] });
    expect(await t.app.services.db.outboxMessage.count({ where: { status: "dead" } })).toBe(0);
  });

  test("a member may not close or reopen someone else's ticket, nor a public one: the staff refusal, nothing changes", async () => {
    const { id } = await openInDm("Export to CSV times out");
    const mallory = t.d.inDm({ ...ana.user, id: "210000000000000077", username: "mallory" });
    const refused = await t.d.answer(t.d.slash(mallory, "ticket", ticketOpt("close", id)));
    expect(refused.private).toBe(true);
    expect(textOf(refused.data)).toContain("only Flywheel staff");
    expect((await ticketRow(id)).status).toBe("open");
  });

  test("'private' from a channel: nothing in the channel, the conversation in the member's DM", async () => {
    const before = t.d.messagesIn(ALPHA.channel).length;
    const opened = await t.d.answer(
      t.d.slash(ana, "support", [summary("Payroll export leaks salaries"), { name: "private", type: ApplicationCommandOptionType.Boolean as const, value: true }]),
    );
    const id = Number(/#(\d+)/.exec(textOf(opened.data))?.[1]);
    expect(textOf(opened.data)).toContain("nothing about it is posted in this channel");
    expect(textOf(opened.data)).toContain("a direct message from the Flywheel bot");
    await staffSays(id, "Thanks, looking now");
    await deliverUntil(() => inDm().find((m) => textOf(m).includes("Thanks, looking now")));
    expect(t.d.messagesIn(ALPHA.channel)).toHaveLength(before);
    expect(textOf(staffCardOf(id)!)).toContain("🔒");
  });

  test("two open tickets: the member's DM goes to the one last written in, or the one chosen with /ticket use", async () => {
    await t.app.services.db.supportTicket.updateMany({ data: { status: "resolved", resolvedAt: new Date(0) } });
    const first = (await openInDm("SSO login loops")).id;
    t.clock.advance(1000);
    const second = (await openInDm("Webhooks arrive twice")).id;
    await deliverUntil(() => staffCardOf(second));
    await staffSays(first, "Which identity provider?");
    await staffSays(second, "Which endpoint?");
    await deliverUntil(() => inDm().find((m) => textOf(m).includes(`on ticket #${second}: Which endpoint`)));
    await deliverUntil(() => inDm().find((m) => textOf(m).includes(`on ticket #${first}: Which identity provider`)));

    // The latest opened is the latest written in: a plain DM goes there.
    t.d.dm(ana.user, "The /hooks/billing endpoint");
    await deliverUntil(() => t.d.messagesIn(staffThreads.get(second)!).find((m) => textOf(m).includes("/hooks/billing")));

    // She picks the first ticket: her next DM goes to it, and keeps going there.
    t.clock.advance(1000);
    const chose = await t.d.answer(t.d.slash(anaDm(), "ticket", ticketOpt("use", first)));
    expect(textOf(chose.data)).toContain(`Your next messages in our DM go to ticket #${first}`);
    t.clock.advance(1000);
    t.d.dm(ana.user, "Okta, with SAML");
    await deliverUntil(() => t.d.messagesIn(staffThreads.get(first)!).find((m) => textOf(m).includes("Okta, with SAML")));
    t.clock.advance(1000);
    t.d.dm(ana.user, "It started on Monday");
    await deliverUntil(() => t.d.messagesIn(staffThreads.get(first)!).find((m) => textOf(m).includes("started on Monday")));
    expect(t.d.messagesIn(staffThreads.get(second)!).filter((m) => textOf(m).includes("Okta") || textOf(m).includes("Monday"))).toHaveLength(0);
    const bodies = async (id: number) => (await t.app.services.db.ticketMessage.findMany({ where: { ticketId: id, side: "member" }, orderBy: { id: "asc" } })).map((m) => m.body);
    expect(await bodies(first)).toEqual(["SSO login loops", "Okta, with SAML", "It started on Monday"]);
    expect(await bodies(second)).toEqual(["Webhooks arrive twice", "The /hooks/billing endpoint"]);
  });

  test("a DM the member does not accept (50007): the row ends dead with the reason, staff are told once on the card", async () => {
    await t.app.services.db.supportTicket.updateMany({ data: { status: "resolved", resolvedAt: new Date(0) } });
    const { id } = await openInDm("Cannot invite guests");
    t.d.refusesDms.add(ana.user.id);
    try {
      await staffSays(id, "Is the guest domain allowed?");
      const staffThread = staffThreads.get(id)!;
      const notice = await deliverUntil(() => t.d.messagesIn(staffThread).find((m) => textOf(m).includes("can't reach ana")));
      expect(textOf(notice)).toContain("50007");
      const dead = await t.app.services.db.outboxMessage.findMany({ where: { status: "dead", idempotencyKey: { startsWith: `ticket:${id}:` } } });
      expect(dead).toHaveLength(1);
      expect(dead[0].attempts).toBe(1);
      expect(dead[0].lastError).toContain("code 50007");
      expect((await ticketRow(id)).memberUnreachable).toContain("50007");
      // The card shows it.
      await deliverUntil(() => textOf(staffCardOf(id)!).includes("Member unreachable"));

      // A second answer dies too, without a second notice, and no generic dead-letter alert is posted.
      await staffSays(id, "Also, which plan are you on?");
      await deliverUntil(async () => (await t.app.services.db.outboxMessage.count({ where: { status: "dead", idempotencyKey: { startsWith: `ticket:${id}:` } } })) === 2);
      await drain();
      expect(t.d.messagesIn(staffThread).filter((m) => textOf(m).includes("can't reach ana"))).toHaveLength(1);
      expect(t.d.messagesIn(STAFF_SPACE.channel).filter((m) => textOf(m).includes("could not be delivered"))).toHaveLength(0);
      expect(await t.app.services.db.outboxMessage.count({ where: { status: "pending" } })).toBe(0);
    } finally {
      t.d.refusesDms.delete(ana.user.id);
    }
    // She writes to the bot again: reachable, the flag clears.
    t.d.dm(ana.user, "I turned DMs back on");
    await deliverUntil(async () => (await ticketRow(id)).memberUnreachable === null);
  });

  test("a ticket stored against a DM channel before this fix: Discord refuses a thread there (50024), the answer goes in the DM itself", async () => {
    const { id } = await openInDm("Legacy DM ticket");
    await deliverUntil(() => staffCardOf(id));
    // As the old code stored it: the DM channel as if it were a server channel, with a root post there.
    const root = await t.app.services.db.outboxMessage.create({
      data: { idempotencyKey: `legacy-root-${id}`, platform: "discord", workspace: "", channel: dmChannel, payload: { text: `Support ticket #${id}` }, nextAttemptAt: new Date(0) },
    });
    await t.app.services.db.supportTicket.update({ where: { id }, data: { private: false, memberPlace: { platform: "discord", channel: dmChannel, rootOutboxId: root.id } } });
    await drain();
    await staffSays(id, "Answer for a legacy ticket");
    await deliverUntil(() => inDm().find((m) => textOf(m).includes("Answer for a legacy ticket")));
    const refusedThread = t.d.calls.find((c) => c.path === `/channels/${dmChannel}/messages/${(inDm().find((m) => textOf(m).includes(`Support ticket #${id}`)) ?? { id: "" }).id}/threads`);
    expect(refusedThread?.status).toBe(400);
    expect(await t.app.services.db.outboxMessage.count({ where: { status: "dead", idempotencyKey: { startsWith: `ticket:${id}:` } } })).toBe(0);
  });
});
