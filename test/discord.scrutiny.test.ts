import { ApplicationCommandOptionType, InteractionResponseType } from "discord.js";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, gil, staff, STAFF_SPACE, SUPPORT_ON_DISCORD_YAML, drainOutbox } from "./helpers/discord";
import type { Answer, RecordedCall } from "./standins/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */
const textOf = (a: Answer): string => [a.data.content, ...(a.data.embeds ?? []).map((e: any) => `${e.title ?? ""} ${e.description ?? ""}`)].join(" ");

/** The message a REST call sends, if it sends one: interaction callbacks carry it in data. */
const messageOf = (c: RecordedCall): Record<string, unknown> | undefined => {
  if (c.method !== "POST" && c.method !== "PATCH") return undefined;
  const m = c.path.endsWith("/callback") ? c.body?.data : c.body;
  return m && typeof m === "object" && ("content" in m || "embeds" in m) ? (m as Record<string, unknown>) : undefined;
};

/**
 * Discord held to the same rules as Slack, through discord.js and the stand-in: a member's click
 * on a staff button or a forged staff form changes nothing; no send ever lets user text ping;
 * malformed or oversized interaction data gets one clear answer, never a crash.
 */
describe.each(DB_TARGETS)("Discord under scrutiny on %s", (target) => {
  let t: DiscordTestApp;
  let request: number;
  let ticket: number;
  beforeAll(async () => {
    t = await discordTestApp(target, { yaml: SUPPORT_ON_DISCORD_YAML });
    const filed = await t.d.answer(
      t.d.slash(ana, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Ping @everyone and <@&100000000000000001> about exports" }]),
    );
    request = Number(/#(\d+)/.exec(textOf(filed))![1]);
    await t.d.answer(t.d.slash(ana, "support", [{ name: "summary", type: ApplicationCommandOptionType.String, value: "Help @here <@210000000000000003> quota errors" }]));
    ticket = (await t.app.services.db.supportTicket.findFirstOrThrow({ orderBy: { id: "desc" } })).id;
    await drain();
  });
  afterAll(() => t.close());

  const drain = () => drainOutbox(t);

  /** Everything a member could have changed. */
  const snapshot = async () => {
    const db = t.app.services.db;
    return {
      ticket: await db.supportTicket.findUniqueOrThrow({ where: { id: ticket }, select: { status: true, assigneeId: true, priority: true } }),
      request: await db.featureRequest.findUniqueOrThrow({ where: { id: request }, select: { status: true, title: true, body: true } }),
      requests: await db.featureRequest.count(),
      statusChanges: await db.statusChange.count(),
      ticketMessages: await db.ticketMessage.count(),
      outbox: await db.outboxMessage.count(),
      roles: await db.person.count({ where: { role: { not: "member" } } }),
    };
  };

  test("a member pressing staff buttons is refused in one private line, and nothing changes", async () => {
    const before = await snapshot();
    const staffButtons = [
      `fw:ticket claim ${ticket}`,
      `fw:ticket priority ${ticket} urgent`,
      `fw:ticket waiting ${ticket}`,
      `fw:ticket resolve ${ticket}`,
      `fw:ticket escalate ${ticket}`,
      `fw:ticket assign ${ticket} ana`,
      `fw:set-status ${request} planned`,
      `fw:set-status ${request} declined Not now`,
      `fw:edit ${request} title Hijacked`,
      `fw:steward ana alpha`,
      `fw:digest send alpha`,
    ];
    for (const who of [ana, gil]) {
      for (const customId of staffButtons) {
        const a = await t.d.answer(t.d.click(who, customId));
        expect(a.private).toBe(true);
        expect(textOf(a)).toMatch(/staff|steward|only/i);
        expect(textOf(a)).not.toMatch(/Something went wrong/);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  test("a member submitting a staff form (a forged modal) changes nothing", async () => {
    const before = await snapshot();
    const forms: [string, Record<string, string>][] = [
      [`fwm:set-status?number=${request}`, { status: "planned", reason: "because" }],
      [`fwm:ticket?action=resolve&number=${ticket}`, { value: "done" }],
      [`fwm:ticket?action=priority&number=${ticket}`, { value: "urgent" }],
      [`fwm:edit?number=${request}&field=title`, { value: "Hijacked title" }],
      ["fwm:steward", { person: "ana", community: "alpha" }],
    ];
    for (const [customId, fields] of forms) {
      const a = await t.d.answer(t.d.submitModal(ana, customId, fields));
      expect(a.private).toBe(true);
      expect(textOf(a)).toMatch(/staff|steward|only/i);
    }
    expect(await snapshot()).toEqual(before);
  });

  test("malformed custom_ids and oversized or mistyped values are answered with a clear line, never a crash", async () => {
    const before = await snapshot();
    const clicks = ["fw:", "fw:   ", "not-ours", `fw:${"x".repeat(100)}`, "fw:\u0000\u0000", "fw:upvote 99999999999999999999999", "fw:upvote abc", "fw:upvote -1", 'fw:upvote "unterminated', "fws:"];
    for (const customId of clicks) {
      const a = await t.d.answer(t.d.click(ana, customId));
      expect({ customId, private: a.private, text: textOf(a) }).toEqual({ customId, private: true, text: expect.stringMatching(/\w/) });
      expect(textOf(a)).not.toMatch(/Something went wrong/);
    }
    const select = await t.d.answer(t.d.click(ana, "fws:", { values: [] }));
    expect(select.private).toBe(true);
    const modals: [string, Record<string, string>][] = [
      ["fwm:", {}],
      ["fwm:nosuchcommand", { title: "x" }],
      ["fwm:request?%zz=%zz&title=", { title: "ab" }],
      ["fwm:request", { title: "t".repeat(5000), details: "d".repeat(50_000) }],
      ["fwm:request", { unexpected: "field" }],
    ];
    for (const [customId, fields] of modals) {
      const a = await t.d.answer(t.d.submitModal(ana, customId, fields));
      expect({ customId, private: a.private, text: textOf(a) }).toEqual({ customId, private: true, text: expect.stringMatching(/\w/) });
      expect(textOf(a)).not.toMatch(/Something went wrong/);
    }
    const slashes: NonNullable<Parameters<typeof t.d.slash>[2]>[] = [
      [{ name: "title", type: ApplicationCommandOptionType.String, value: "t".repeat(6000) }],
      [{ name: "title", type: ApplicationCommandOptionType.String, value: "Fine title" }, { name: "details", type: ApplicationCommandOptionType.String, value: "d".repeat(100_000) }],
      [{ name: "title", type: ApplicationCommandOptionType.Integer, value: 1e300 }],
      [{ name: "nonsense", type: ApplicationCommandOptionType.String, value: "x" }],
    ];
    for (const options of slashes) {
      const a = await t.d.answer(t.d.slash(ana, "request", options));
      expect({ options: options.map((o) => o.name), private: a.private }).toEqual({ options: options.map((o) => o.name), private: true });
      expect(textOf(a)).not.toMatch(/Something went wrong/);
    }
    const upvote = await t.d.answer(t.d.slash(ana, "upvote", [{ name: "number", type: ApplicationCommandOptionType.Integer, value: 2 ** 60 }]));
    expect(upvote.private).toBe(true);
    expect(textOf(upvote)).not.toMatch(/Something went wrong/);
    const unknown = await t.d.answer(t.d.slash(ana, "no-such-command"));
    expect(textOf(unknown)).toMatch(/don't know/);
    expect(await snapshot()).toEqual(before);
  });

  test("every message sent — answers, edits, follow-ups, channel and thread posts — has allowed_mentions with parse: []", async () => {
    // Staff work the ticket so the bot edits cards and posts in threads too.
    const staffRoot = t.d.messagesIn(STAFF_SPACE.channel).find((m) => String(m.embeds[0]?.title).includes(`#${ticket}`))!;
    const staffThread = t.d.openThread(staff, STAFF_SPACE.channel, staffRoot.id, `Ticket #${ticket}`);
    t.d.say({ ...staff, guildId: STAFF_SPACE.guild, channelId: staffThread }, "On it @everyone <@&100000000000000001>");
    await t.d.answer(t.d.click({ ...staff, guildId: STAFF_SPACE.guild, channelId: STAFF_SPACE.channel }, `fw:ticket claim ${ticket}`));
    for (let i = 0; i < 50 && !t.d.calls.some((c) => c.method === "POST" && c.path.endsWith("/threads")); i++) {
      await drain();
      await new Promise((r) => setTimeout(r, 20));
    }
    await drain();
    const sends = t.d.calls.filter((c) => messageOf(c));
    const kinds = new Set(sends.map((c) => (c.path.endsWith("/callback") ? "callback" : c.path.startsWith("/webhooks/") ? `webhook ${c.method}` : `channel ${c.method}`)));
    expect([...kinds]).toEqual(expect.arrayContaining(["callback", "channel POST"]));
    expect(t.d.calls.some((c) => c.method === "POST" && c.path === `/channels/${ALPHA.channel}/messages`)).toBe(true);
    for (const c of sends) expect({ path: c.path, allowed: messageOf(c)!.allowed_mentions }).toEqual({ path: c.path, allowed: { parse: [] } });
    // And the one kind of answer that is not a message (a modal) never carries user text to ping with.
    expect(t.d.calls.filter((c) => c.path.endsWith("/callback") && c.body?.type === InteractionResponseType.Modal).every((c) => !messageOf(c))).toBe(true);
  });
});
