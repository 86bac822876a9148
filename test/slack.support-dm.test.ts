// Issue 21 on Slack: support in private. A ticket opened in the member's IM with the app (or with
// --private in a channel) keeps its conversation in that IM, through the real Bolt app (HTTP mode,
// signed requests) against the Slack stand-in, which refuses DMs like Slack does.
import type { types } from "@slack/bolt";
import { DB_TARGETS } from "./helpers/db";
import { ANA, buttonClick, eventCallback, postCommand, postEvent, postInteraction, slashCommand, startSlackHarness, type SlackHarness, type Who } from "./helpers/slack";

/** Ana in her IM with the app (Slack IM ids start with D). */
const ANA_IM: Who = { ...ANA, channel: "D0ANAIM" };
/** Staff in the shared support space (the test config names U0STAFF staff). */
const SAM: Who = { user: "U0STAFF", name: "sam", team: "T0STAFF", channel: "C0SUPPORT" };
/** The IM the deliverer opens with Ana (the stand-in's conversations.open answers "D" + the user). */
const DM = `D${ANA.user}`;

const textOf = (args: Record<string, unknown>) => JSON.stringify([args.text, args.blocks]);
const buttonValues = (blocks: unknown) =>
  ((blocks ?? []) as types.KnownBlock[]).flatMap((b) => (b.type === "actions" ? b.elements.filter((e): e is types.Button => e.type === "button").map((e) => e.value) : []));

describe.each(DB_TARGETS)("private support tickets on Slack, on %s", (target) => {
  let h: SlackHarness;
  let n = 0;
  let ts = 1764400000;
  const nextTs = () => `${++ts}.000100`;

  beforeAll(async () => {
    h = await startSlackHarness(target);
    h.standin.people.set(SAM.user, { name: "sam" });
    h.standin.people.set(ANA.user, { name: "ana" });
  });
  afterAll(() => h.close());

  const answerAt = (url: string) => h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);
  const command = async (who: Who, cmd: string, text: string) => {
    const url = h.standin.responseUrl(`r${++n}`);
    expect((await postCommand(h.url, slashCommand(who, cmd, text, url))).status).toBe(200);
    return answerAt(url);
  };
  const click = async (who: Who, value: string) => {
    const url = h.standin.responseUrl(`c${++n}`);
    const c = buttonClick(who, value, url);
    c.actions[0] = { ...c.actions[0], action_id: "fw:0", value };
    expect((await postInteraction(h.url, c)).status).toBe(200);
    return answerAt(url);
  };
  async function deliverUntil<T>(find: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
    for (;;) {
      await h.app.worker.drain();
      const v = await find();
      if (v !== undefined && v !== false) return v;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const ticketRow = (id: number) => h.app.services.db.supportTicket.findUniqueOrThrow({ where: { id } });
  const posts = () => h.standin.callsOf("chat.postMessage");
  const cardTs = (id: number) => h.standin.messages.find((m) => m.channel === "C0SUPPORT" && !m.thread_ts && JSON.stringify(m.blocks ?? m.text).includes(`#${id} `))?.ts;
  const staffSays = async (id: number, text: string) => {
    const root = await deliverUntil(() => cardTs(id));
    const at = nextTs();
    const event = { type: "message", channel: SAM.channel, user: SAM.user, text, ts: at, thread_ts: root, channel_type: "channel", event_ts: at, team: SAM.team };
    expect((await postEvent(h.url, eventCallback(SAM.team, event))).status).toBe(200);
  };
  const anaWrites = async (text: string) => {
    const at = nextTs();
    const event = { type: "message", channel: ANA_IM.channel, user: ANA.user, text, ts: at, channel_type: "im", event_ts: at, team: ANA.team };
    expect((await postEvent(h.url, eventCallback(ANA.team, event))).status).toBe(200);
  };
  const inStaffThread = (id: number, part: string) => posts().find((c) => c.args.channel === "C0SUPPORT" && c.args.thread_ts === cardTs(id) && textOf(c.args).includes(part));

  test("the whole round trip in the IM: open, staff reply, member reply, resolve, rate, reopen", async () => {
    const opened = await command(ANA_IM, "/support", "Invoices show the wrong VAT");
    const id = Number(/#(\d+)/.exec(String(opened.text))?.[1]);
    expect(String(opened.text)).toContain(`Opened private support ticket #${id}`);
    expect(String(opened.text)).toContain("Staff answers will arrive here, in this direct message");
    expect((await ticketRow(id)).memberPlace).toEqual({ platform: "slack", workspace: "T0ALPHA", user: ANA.user });

    // The card is marked private; nothing is posted in the IM or any community channel on opening.
    await deliverUntil(() => cardTs(id));
    const card = posts().find((c) => c.args.channel === "C0SUPPORT" && !c.args.thread_ts && textOf(c.args).includes(`#${id} `))!;
    expect(textOf(card.args)).toContain("🔒");
    expect(posts().filter((c) => c.args.channel !== "C0SUPPORT")).toHaveLength(0);

    // Staff answer in the card's thread: a plain message in the IM (no thread), marked with who answered.
    await staffSays(id, "Which country is the customer in?");
    const answer = await deliverUntil(() => posts().find((c) => c.args.channel === DM && textOf(c.args).includes("Which country")));
    expect(answer.args.thread_ts).toBeUndefined();
    expect(String(answer.args.text)).toBe(`sam (staff) on ticket #${id}: Which country is the customer in?`);

    // Ana writes in the IM: it reaches the staff thread.
    await anaWrites("Austria, reverse charge applies");
    const relayed = await deliverUntil(() => inStaffThread(id, "Austria"));
    expect(relayed.args.text).toBe("ana (Alpha University): Austria, reverse charge applies");

    // Staff resolve from the card: the IM asks for a rating, with a way back.
    await click(SAM, `ticket resolve ${id}`);
    const ask = await deliverUntil(() => posts().find((c) => c.args.channel === DM && textOf(c.args).includes(`resolved ticket #${id}`)));
    expect(buttonValues(ask.args.blocks)).toEqual(expect.arrayContaining([`ticket rate ${id} helpful`, `ticket reopen ${id}`]));

    // Rate and reopen from the IM.
    expect(String((await click(ANA_IM, `ticket rate ${id} helpful`)).text)).toContain(`Your rating of ticket #${id} is recorded`);
    expect((await ticketRow(id)).rating).toBe("helpful");
    expect(String((await click(ANA_IM, `ticket reopen ${id}`)).text)).toContain(`ana reopened #${id}`);
    expect((await ticketRow(id)).status).toBe("open");
    await deliverUntil(() => inStaffThread(id, "(the member) reopened"));
    // Closing from the IM too.
    expect(String((await command(ANA_IM, "/ticket", `close ${id}`)).text)).toContain(`ana closed #${id}`);
    expect((await ticketRow(id)).status).toBe("resolved");
    expect(await h.app.services.db.outboxMessage.count({ where: { status: "dead" } })).toBe(0);
  });

  test("--private from a channel: nothing posted in the channel, answers in the IM", async () => {
    const opened = await command(ANA, "/support", "Payroll export leaks salaries --private");
    const id = Number(/#(\d+)/.exec(String(opened.text))?.[1]);
    expect(String(opened.text)).toContain("nothing about it is posted in this channel");
    expect(String(opened.text)).toContain("a direct message from the Flywheel app");
    await staffSays(id, "Thanks, looking now");
    await deliverUntil(() => posts().find((c) => c.args.channel === DM && textOf(c.args).includes("Thanks, looking now")));
    expect(posts().filter((c) => c.args.channel === ANA.channel)).toHaveLength(0);
  });

  test("two open tickets: the IM goes to the one last written in, or the one chosen", async () => {
    await h.app.services.db.supportTicket.updateMany({ data: { status: "resolved", resolvedAt: new Date(0) } });
    const first = Number(/#(\d+)/.exec(String((await command(ANA_IM, "/support", "SSO login loops")).text))?.[1]);
    h.clock.advance(1000);
    const second = Number(/#(\d+)/.exec(String((await command(ANA_IM, "/support", "Webhooks arrive twice")).text))?.[1]);
    await deliverUntil(() => cardTs(first) && cardTs(second));
    await anaWrites("The /hooks/billing endpoint");
    await deliverUntil(() => inStaffThread(second, "/hooks/billing"));
    h.clock.advance(1000);
    expect(String((await command(ANA_IM, "/ticket", `use ${first}`)).text)).toContain(`ticket #${first}`);
    await anaWrites("Okta, with SAML");
    await deliverUntil(() => inStaffThread(first, "Okta"));
    expect(inStaffThread(second, "Okta")).toBeUndefined();
  });

  test.each(["cannot_dm_bot", "user_not_found"] as const)("an IM Slack refuses (%s): the row ends dead with the reason, staff are told once", async (error) => {
    await h.app.services.db.supportTicket.updateMany({ data: { status: "resolved", resolvedAt: new Date(0) } });
    const id = Number(/#(\d+)/.exec(String((await command(ANA_IM, "/support", `Guests cannot join (${error})`)).text))?.[1]);
    await deliverUntil(() => cardTs(id));
    h.standin.unreachable.set(ANA.user, error);
    try {
      await staffSays(id, "Is the guest domain allowed?");
      await staffSays(id, "Which plan are you on?");
      await deliverUntil(async () => (await h.app.services.db.outboxMessage.count({ where: { status: "dead", idempotencyKey: { startsWith: `ticket:${id}:msg:` } } })) === 2);
      await h.app.worker.drain();
      const dead = await h.app.services.db.outboxMessage.findMany({ where: { status: "dead", idempotencyKey: { startsWith: `ticket:${id}:` } } });
      // The first answer's IM is already open (cannot_dm_bot) or opens no more (user_not_found); either way the reason is Slack's.
      const reason = `slack refused the direct message: ${error === "cannot_dm_bot" ? error : "(channel_not_found|user_not_found)"}`;
      expect(dead.map((d) => d.attempts)).toEqual([1, 1]);
      for (const d of dead) expect(d.lastError).toMatch(new RegExp(reason));
      expect(posts().filter((c) => c.args.thread_ts === cardTs(id) && textOf(c.args).includes("can't reach ana"))).toHaveLength(1);
      expect((await ticketRow(id)).memberUnreachable).toMatch(new RegExp(reason));
      expect(h.standin.callsOf("chat.update").some((c) => c.args.ts === cardTs(id) && textOf(c.args).includes("Member unreachable"))).toBe(true);
      expect(posts().filter((c) => textOf(c.args).includes("could not be delivered"))).toHaveLength(0);
    } finally {
      h.standin.unreachable.delete(ANA.user);
    }
  });
});
