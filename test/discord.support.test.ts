import { ApplicationCommandOptionType, ComponentType } from "discord.js";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, staff, STAFF_SPACE, SUPPORT_ON_DISCORD_YAML, drainOutbox } from "./helpers/discord";

/* eslint-disable @typescript-eslint/no-explicit-any */
const descriptions = (t: DiscordTestApp, channelId: string) => t.d.messagesIn(channelId).map((m) => String(m.embeds[0]?.description ?? ""));

/**
 * A support ticket that lives entirely on Discord: a member's community guild and the staff
 * guild. Commands, the outbox deliverer (threads opened on the ticket posts), thread messages fed
 * to the support relay, and the staff card's buttons, all through discord.js.
 */
describe.each(DB_TARGETS)("a support ticket over Discord, member guild to staff guild, on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target, { yaml: SUPPORT_ON_DISCORD_YAML });
  });
  afterAll(() => t.close());

  const drain = () => drainOutbox(t);
  /** Delivers the outbox until cond holds (the relay runs when the gateway message arrives). */
  const deliverUntil = async (cond: () => boolean) => {
    for (;;) {
      await drain();
      if (cond()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  test("open, relay both ways through threads, and staff-only buttons", async () => {
    const opened = await t.d.answer(t.d.slash(ana, "support", [{ name: "summary", type: ApplicationCommandOptionType.String, value: "Builds fail with a quota error" }]));
    const ticket = await t.app.services.db.supportTicket.findFirstOrThrow({ where: { summary: "Builds fail with a quota error" } });
    expect(opened.data.embeds[0].description).toContain(`#${ticket.id}`);
    await drain();

    // The member's channel gets the ticket post; the staff channel the staff card with its buttons.
    const memberRoot = t.d.messagesIn(ALPHA.channel).find((m) => m.embeds[0]?.title === `Support ticket #${ticket.id}`)!;
    const staffRoot = t.d.messagesIn(STAFF_SPACE.channel).find((m) => String(m.embeds[0]?.title).includes(`#${ticket.id}`))!;
    expect(memberRoot).toBeDefined();
    expect(staffRoot).toBeDefined();
    const buttons = (staffRoot.components as any[]).flatMap((row) => row.components).filter((c) => c.type === ComponentType.Button);
    expect(buttons.map((b) => b.custom_id)).toEqual(expect.arrayContaining([`fw:ticket claim ${ticket.id}`, `fw:ticket resolve ${ticket.id}`]));

    // Staff open a thread on the card and answer there: the answer reaches the member's thread.
    const staffThread = t.d.openThread(staff, STAFF_SPACE.channel, staffRoot.id, `Ticket #${ticket.id}`);
    t.d.say({ ...staff, guildId: STAFF_SPACE.guild, channelId: staffThread }, "Try clearing the build cache");
    await deliverUntil(() => descriptions(t, memberRoot.id).some((d) => d.includes("Try clearing the build cache")));
    expect(t.d.calls.some((c) => c.method === "POST" && c.path === `/channels/${ALPHA.channel}/messages/${memberRoot.id}/threads`)).toBe(true);

    // The member answers in the thread the bot opened: it reaches the staff thread.
    t.d.say({ ...ana, channelId: memberRoot.id }, "That fixed it, thanks");
    await deliverUntil(() => descriptions(t, staffThread).some((d) => d.includes("That fixed it, thanks")));
    const kept = await t.app.services.db.ticketMessage.findMany({ where: { ticketId: ticket.id }, orderBy: { id: "asc" } });
    expect(kept.map((m) => [m.side, m.body])).toEqual(
      expect.arrayContaining([
        ["staff", "Try clearing the build cache"],
        ["member", "That fixed it, thanks"],
      ]),
    );

    // The staff card's Resolve button: refused to the member, done for staff.
    const refused = await t.d.answer(t.d.click(ana, `fw:ticket resolve ${ticket.id}`));
    expect(refused.private).toBe(true);
    expect((await t.app.services.db.supportTicket.findUniqueOrThrow({ where: { id: ticket.id } })).status).not.toBe("resolved");
    await t.d.answer(t.d.click({ ...staff, guildId: STAFF_SPACE.guild, channelId: staffThread }, `fw:ticket resolve ${ticket.id}`));
    expect((await t.app.services.db.supportTicket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("resolved");
    // Every message the bot posted on the way pinged no one.
    const posted = t.d.calls.filter((c) => c.method === "POST" && /^\/channels\/\d+\/messages$/.test(c.path));
    expect(posted.length).toBeGreaterThanOrEqual(4);
    for (const c of posted) expect(c.body.allowed_mentions).toEqual({ parse: [] });
  });
});
