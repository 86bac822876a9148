// A ticket opened on one platform, triaged in the shared thread on the other, answered back:
// through startApp (relay subscribed like in production), with Slack and Discord places.
import { dispatch, dispatchLine } from "../src/command-kit/dispatch";
import type { Speaker } from "../src/core/people/identity";
import type { ThreadMessage } from "../src/core/inbound";
import type { Place } from "../src/core/reply";
import { DB_TARGETS } from "./helpers/db";
import { startSupportApp, type SupportApp } from "./helpers/support-app";

const ALPHA_GUILD = "100000000000000001";
const ALPHA_CHANNEL = "100000000000000002";

const dana: Speaker = { platform: "discord", externalId: "300000000000000001", displayName: "Dana", workspace: ALPHA_GUILD, channel: ALPHA_CHANNEL };
// A slash command's place can name the user too; the ticket still threads in the channel.
const danaPlace: Place = { platform: "discord", workspace: ALPHA_GUILD, channel: ALPHA_CHANNEL, user: dana.externalId };
const sam: Speaker = { platform: "slack", externalId: "U0STAFF", displayName: "Sam", workspace: "T0STAFF", channel: "C0SUPPORT" };
const supportPlace: Place = { platform: "slack", workspace: "T0STAFF", channel: "C0SUPPORT" };

let n = 0;
const msg = (speaker: Speaker, place: Place, text: string, extra: Partial<ThreadMessage> = {}): ThreadMessage => ({
  speaker,
  place,
  text,
  externalId: `m${++n}`,
  ...extra,
});

describe.each(DB_TARGETS)("support relay, Discord member and Slack staff thread, on %s", (target) => {
  let s: SupportApp;
  beforeAll(async () => {
    s = await startSupportApp(target);
  });
  afterAll(() => s.close());

  test("open on Discord, triage in the Slack thread, answer back both ways", async () => {
    const services = s.app.services;
    const opened = await dispatch(services, {
      command: "support",
      options: { summary: "Builds fail with a quota error", details: "Since Monday, on every branch" },
      speaker: dana,
      place: danaPlace,
    });
    expect(opened.error).toBeFalsy();
    const id = Number(/#(\d+)/.exec(opened.text)![1]);
    expect(opened.text).toContain(`ticket #${id}`);
    await s.drain();

    // The member's thread root is a channel message on Discord, which opened a thread.
    const memberRoot = s.discord.posted.find((p) => p.key === `ticket:${id}:member-root`)!;
    expect(memberRoot.place).toMatchObject({ platform: "discord", channel: ALPHA_CHANNEL });
    expect(memberRoot.place.user).toBeUndefined();
    expect(memberRoot.reply.text).toContain(`#${id} from Dana`);
    const memberThread = memberRoot.opened!;
    // The staff card starts a thread in the Slack support channel.
    const card = s.slack.posted.find((p) => p.key === `ticket:${id}:staff-root`)!;
    expect(card.place).toMatchObject({ platform: "slack", workspace: "T0STAFF", channel: "C0SUPPORT" });
    expect(card.reply.text).toContain("Alpha University");
    const buttons = card.reply.sections!.flatMap((x) => x.buttons ?? []).map((b) => b.command);
    expect(buttons).toEqual(expect.arrayContaining([`ticket claim ${id}`, `ticket waiting ${id}`, `ticket resolve ${id}`, `ticket escalate ${id}`, `ticket priority ${id} high`]));

    // Staff answers in the Slack thread, 25 minutes later: the member gets it in their Discord thread.
    s.clock.advance(25 * 60_000);
    const answeredAt = s.clock.now();
    await s.app.threads.publish(msg(sam, { ...supportPlace, thread: card.externalId }, "Hi Dana, raise the quota in settings @everyone"));
    await s.drain();
    const toMember = s.discord.inThread(memberThread);
    expect(toMember.map((p) => p.reply.text)).toEqual(["Sam (staff): Hi Dana, raise the quota in settings @\u200beveryone"]);
    expect(toMember[0].place).toMatchObject({ platform: "discord", channel: ALPHA_CHANNEL });

    // Our own relayed copy echoes back as a bot message: neither relayed nor a response.
    s.clock.advance(60_000);
    await s.app.threads.publish(msg(sam, { ...danaPlace, user: undefined, thread: memberThread }, toMember[0].reply.text, { fromBot: true }));
    // The member replies in their thread (the platform redelivers it once): staff get it once.
    const reply = msg(dana, { platform: "discord", workspace: ALPHA_GUILD, channel: ALPHA_CHANNEL, thread: memberThread }, "That worked, thanks!");
    await s.app.threads.publish(reply);
    await s.app.threads.publish({ ...reply });
    // An internal note in the staff thread stays there.
    await s.app.threads.publish(msg(sam, { ...supportPlace, thread: card.externalId }, "!note quota raised by hand, follow up with infra"));
    await s.drain();
    expect(s.slack.inThread(card.externalId).map((p) => p.reply.text)).toEqual(["Dana (Alpha University): That worked, thanks!"]);
    expect(s.discord.inThread(memberThread)).toHaveLength(1);

    const t = await services.db.supportTicket.findUniqueOrThrow({ where: { id }, include: { messages: { orderBy: { id: "asc" } } } });
    expect(t.firstResponseAt).toEqual(answeredAt);
    expect(t.messages.map((m) => [m.side, m.internal, m.platform])).toEqual([
      ["member", false, "discord"],
      ["staff", false, "slack"],
      ["member", false, "discord"],
      ["staff", true, "slack"],
    ]);
    expect(t.messages[3].body).toBe("quota raised by hand, follow up with infra");

    // A member clicking a staff button is refused; staff clicking it updates the card in place.
    const refused = await dispatchLine(services, `ticket resolve ${id}`, dana, danaPlace);
    expect(refused).toMatchObject({ error: true });
    expect(refused.text).toContain("only Flywheel staff");
    expect(await dispatchLine(services, `ticket claim ${id}`, sam, supportPlace)).toMatchObject({ text: `Done: Sam claimed #${id}.` });
    expect(await dispatchLine(services, `ticket resolve ${id}`, sam, supportPlace)).toMatchObject({ text: `Done: Sam resolved #${id}.` });
    await s.drain();
    const edits = s.slack.edits(card.externalId);
    expect(edits.length).toBeGreaterThanOrEqual(3); // first response, claim, resolve
    const latest = edits[edits.length - 1].reply;
    expect(latest.text).toContain("resolved");
    expect(latest.text).toContain("Assignee: Sam");
    expect(latest.text).toContain("First staff response: after 25m");
    expect(latest.sections!.flatMap((x) => x.buttons ?? []).map((b) => b.command)).toEqual([`ticket reopen ${id}`, ...["low", "high", "urgent"].map((p) => `ticket priority ${id} ${p}`)]);

    // The member is asked for a one-click rating in their thread, and clicks it.
    const resolved = s.discord.inThread(memberThread).at(-1)!;
    expect(resolved.reply.text).toContain(`Sam resolved ticket #${id}`);
    const helpful = resolved.reply.buttons!.find((b) => b.label.includes("Helpful"))!;
    expect(await dispatchLine(services, helpful.command, dana, danaPlace)).toMatchObject({ text: `Thank you! Your rating of ticket #${id} is recorded.` });
    await s.drain();
    expect(s.slack.inThread(card.externalId).at(-1)!.reply.text).toBe(`Dana rated #${id}: 👍 helpful.`);
    expect(await services.db.supportTicket.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "resolved", rating: "helpful", resolvedAt: s.clock.now() });
    expect(await services.db.outboxMessage.count({ where: { status: { not: "delivered" } } })).toBe(0);
  });
});

describe.each(DB_TARGETS)("support relay, Slack member and Discord staff thread, on %s", (target) => {
  let s: SupportApp;
  const STAFF_GUILD = "100000000000000005";
  const STAFF_CHANNEL = "100000000000000006";
  beforeAll(async () => {
    s = await startSupportApp(
      target,
      `
communities:
  - { slug: beta, name: Beta College, slack: { team: T0BETA, channel: C0BETA } }
staff:
  - { discord: "200000000000000009" }
support:
  discord: { guild: "${STAFF_GUILD}", channel: "${STAFF_CHANNEL}" }
`,
    );
  });
  afterAll(() => s.close());

  test("open on Slack, triage in the Discord thread, answer back both ways", async () => {
    const ben: Speaker = { platform: "slack", externalId: "U0BEN", displayName: "Ben", workspace: "T0BETA", channel: "C0BETA" };
    const benPlace: Place = { platform: "slack", workspace: "T0BETA", channel: "C0BETA" };
    const zoe: Speaker = { platform: "discord", externalId: "200000000000000009", displayName: "Zoe", workspace: STAFF_GUILD, channel: STAFF_CHANNEL };
    const opened = await dispatchLine(s.app.services, "/support Login loops forever | after the SSO change", ben, benPlace);
    const id = Number(/#(\d+)/.exec(opened.text)![1]);
    await s.drain();
    const memberRoot = s.slack.posted.find((p) => p.key === `ticket:${id}:member-root`)!;
    const card = s.discord.posted.find((p) => p.key === `ticket:${id}:staff-root`)!;
    expect(card.place).toMatchObject({ platform: "discord", workspace: STAFF_GUILD, channel: STAFF_CHANNEL });

    // Discord reports a thread reply with the thread's own id.
    await s.app.threads.publish(msg(zoe, { platform: "discord", workspace: STAFF_GUILD, channel: STAFF_CHANNEL, thread: card.opened }, "Which browser?"));
    await s.drain();
    expect(s.slack.inThread(memberRoot.externalId).map((p) => [p.place.channel, p.reply.text])).toEqual([["C0BETA", "Zoe (staff): Which browser?"]]);

    // Slack reports a thread reply with the root's ts; a ts in another channel is not this thread.
    await s.app.threads.publish(msg(ben, { platform: "slack", workspace: "T0OTHER", channel: "C0OTHER", thread: memberRoot.externalId }, "not for the ticket"));
    await s.app.threads.publish(msg(ben, { ...benPlace, thread: memberRoot.externalId }, "Firefox 140"));
    await s.drain();
    expect(s.discord.inThread(card.opened!).map((p) => p.reply.text)).toEqual(["Ben (Beta College): Firefox 140"]);
    expect(await s.app.services.db.ticketMessage.count({ where: { ticketId: id } })).toBe(3);
  });
});
