// Support measured on a clock the test moves: first staff response, resolution, re-opens as
// median and p90; reminders and the on-call escalation fired as the clock passes thresholds.
import type { Reply } from "../src/core/reply";
import { runSupportReminders } from "../src/core/support/reminders";
import { percentile } from "../src/core/support/stats";
import { as } from "./helpers/actors";
import { DB_TARGETS, TEST_CONFIG_YAML, testServices, type TestEnv } from "./helpers/db";

const MIN = 60_000;
const idOf = (r: Reply): number => {
  expect(r.error).toBeFalsy();
  return Number(/#(\d+)/.exec(r.text)![1]);
};

test("percentiles interpolate between neighbours", () => {
  expect(percentile([10], 0.9)).toBe(10);
  expect(percentile([10, 20, 30, 40, 50], 0.5)).toBe(30);
  expect(percentile([10, 20, 30, 40, 50], 0.9)).toBe(46);
  expect(percentile([10, 20, 30, 40, 50, 60], 0.5)).toBe(35);
});

describe.each(DB_TARGETS)("support response times on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());

  test("only a human staff answer counts as the first response; stats give median and p90", async () => {
    const carol = as(t.services, "carol");
    const ana = as(t.services, "ana", "alpha");
    const start = t.clock.now();
    const alpha: number[] = [];
    for (let i = 1; i <= 5; i++) alpha.push(idOf(await ana(`/support Alpha problem number ${i}`)));
    const beta = idOf(await as(t.services, "bob", "beta")("/support Beta problem"));

    // Before any staff answer: the member's own message and a staff note do not count.
    t.clock.set(new Date(start.getTime() + 5 * MIN));
    await ana(`/ticket reply ${alpha[0]} more details here`);
    await carol(`/ticket note ${alpha[0]} looking into it`);
    await carol(`/ticket claim ${alpha[0]}`);
    expect((await t.services.db.supportTicket.findUniqueOrThrow({ where: { id: alpha[0] } })).firstResponseAt).toBeNull();

    // Staff answer ticket i after 10·i minutes; a second answer changes nothing.
    for (const [i, id] of [...alpha, beta].entries()) {
      t.clock.set(new Date(start.getTime() + 10 * (i + 1) * MIN));
      expect((await carol(`/ticket reply ${id} Try this`)).text).toBe(`Sent to the member on ticket #${id}.`);
    }
    t.clock.set(new Date(start.getTime() + 90 * MIN));
    await carol(`/ticket reply ${alpha[0]} And this`);
    const first = await t.services.db.supportTicket.findUniqueOrThrow({ where: { id: alpha[0] } });
    expect(first.firstResponseAt).toEqual(new Date(start.getTime() + 10 * MIN));

    // Alpha's tickets resolve after 1..5 hours; the last is reopened and resolved again at 5h.
    for (const [i, id] of alpha.entries()) {
      t.clock.set(new Date(start.getTime() + (i + 1) * 60 * MIN));
      await carol(`/ticket resolve ${id}`);
    }
    await carol(`/ticket reopen ${alpha[4]}`);
    await carol(`/ticket resolve ${alpha[4]}`);

    const stats = await carol("/support-stats");
    expect(stats.error).toBeFalsy();
    const lines = stats.text.split("\n");
    expect(lines[0]).toBe(`Support since ${new Date(t.clock.now().getTime() - 30 * 24 * 60 * MIN).toISOString().slice(0, 10)}:`);
    expect(lines).toContain(
      "Alpha University: 5 tickets (0 unresolved) · first response median 30m, p90 46m (5) · resolution median 3h 00m, p90 4h 36m (5) · 1 re-open",
    );
    expect(lines).toContain("Beta College: 1 ticket (1 unresolved) · first response median 1h 00m, p90 1h 00m (1) · resolution: none yet · 0 re-opens");
    expect(lines.at(-1)).toBe("Overall: 6 tickets (1 unresolved) · first response median 35m, p90 55m (6) · resolution median 3h 00m, p90 4h 36m (5) · 1 re-open");
    expect(stats.sections!.map((s) => s.title)).toEqual(["Alpha University", "Beta College", "Overall"]);

    expect((await carol("/support-stats beta all")).text.split("\n")[1]).toMatch(/^Beta College: 1 ticket/);
    expect((await carol(`/support-stats ${start.toISOString().slice(0, 10)} alpha`)).text).toContain("Alpha University: 5 tickets");
    expect((await carol("/support-stats 2099-01-01")).text).toBe("No support tickets since 2099-01-01.");
    expect(await carol("/support-stats nowhere")).toMatchObject({ error: true, text: 'There is no community "nowhere".' });
    expect(await carol("/support-stats 2026-13-45")).toMatchObject({ error: true, text: expect.stringContaining("not a start I understand") });
    expect(await carol("/support-stats alpha beta")).toMatchObject({ error: true });

    // Members are refused; a steward sees their own community and the overall figures.
    expect(await ana("/support-stats")).toMatchObject({ error: true, text: "Sorry, only a community steward or staff can do that. Nothing was changed." });
    await as(t.services, "stella", "alpha")("/help");
    await t.services.db.person.updateMany({ where: { displayName: "stella" }, data: { role: "steward" } });
    const stella = as(t.services, "stella", "alpha");
    const own = (await stella("/support-stats")).text.split("\n");
    expect(own.slice(1)).toEqual([expect.stringMatching(/^Alpha University: 5 tickets/), expect.stringMatching(/^Overall: 6 tickets/)]);
    expect(await stella("/support-stats beta")).toMatchObject({ error: true, text: expect.stringContaining("their own community") });
  });
});

describe.each(DB_TARGETS)("support reminders on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target, `${TEST_CONFIG_YAML}\nonCall: { slack: S0ONCALL }\nsupportReminders: { urgent: 15, high: 60, normal: 240, low: 1440 }\n`);
  });
  afterAll(() => t.close());

  const reminders = (id: number) =>
    t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `ticket:${id}:reminder:` } }, orderBy: { id: "asc" } });

  test("unanswered tickets get a reminder, then ping the on-call group; answered, waiting and resolved ones do not", async () => {
    const ana = as(t.services, "ana", "alpha");
    const carol = as(t.services, "carol");
    const start = t.clock.now();
    const at = (minutes: number) => {
      t.clock.set(new Date(start.getTime() + minutes * MIN));
      return runSupportReminders(t.services);
    };
    const urgent = idOf(await ana("/support Everything is down"));
    const high = idOf(await ana("/support Deploys are slow"));
    const normal = idOf(await ana("/support Question about quotas"));
    const answered = idOf(await ana("/support Urgent but answered"));
    const waiting = idOf(await ana("/support Urgent but waiting on me"));
    const resolved = idOf(await ana("/support Urgent but resolved"));
    for (const id of [urgent, answered, waiting, resolved]) await carol(`/ticket priority ${id} urgent`);
    await carol(`/ticket priority ${high} high`);
    await carol(`/ticket waiting ${waiting}`);
    await carol(`/ticket resolve ${resolved}`);
    t.clock.set(new Date(start.getTime() + 5 * MIN));
    await carol(`/ticket reply ${answered} On it`);

    expect(await at(14)).toEqual({ reminded: [], escalated: [] });
    expect(await at(15)).toEqual({ reminded: [urgent], escalated: [] });
    expect(await at(15)).toEqual({ reminded: [], escalated: [] });
    const [first] = await reminders(urgent);
    const staffRoot = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `ticket:${urgent}:staff-root` } });
    expect(first).toMatchObject({ platform: "slack", channel: "C0SUPPORT", parentId: staffRoot.id });
    const firstReply = first.payload as unknown as Reply;
    expect(firstReply.text).toBe(`⏰ Ticket #${urgent} (urgent priority, Alpha University) has waited 15m without a staff response (reminder after 15m). Claim it or reply in this thread.`);
    expect(firstReply.mentions).toBeUndefined();
    expect(firstReply.buttons).toEqual([{ label: "Claim", command: `ticket claim ${urgent}`, style: "primary" }]);

    expect(await at(30)).toEqual({ reminded: [], escalated: [urgent] });
    const second = (await reminders(urgent))[1].payload as unknown as Reply;
    expect(second.mentions).toEqual([{ kind: "group", id: "S0ONCALL", label: "on-call staff" }]);
    expect(second.text).toContain("twice the 15m threshold: on-call staff, please take it.");
    expect(second.text).not.toMatch(/<!|subteam|S0ONCALL/);

    expect(await at(60)).toEqual({ reminded: [high], escalated: [] });
    // A run that was missed goes straight to the highest level due.
    expect(await at(481)).toEqual({ reminded: [], escalated: [high, normal] });
    expect(await at(10_000)).toEqual({ reminded: [], escalated: [] });
    for (const id of [answered, waiting, resolved]) expect(await reminders(id)).toEqual([]);
    expect(await t.services.db.supportTicket.findUniqueOrThrow({ where: { id: urgent } })).toMatchObject({ reminderLevel: 2, lastReminderAt: new Date(start.getTime() + 30 * MIN) });
  });

  test("a reopened ticket waits anew: its reminders count from the reopening and stop once staff answer", async () => {
    const ana = as(t.services, "ana", "alpha");
    const carol = as(t.services, "carol");
    const start = t.clock.now();
    const minute = (m: number) => t.clock.set(new Date(start.getTime() + m * MIN));
    const at = (m: number) => {
      minute(m);
      return runSupportReminders(t.services);
    };
    const id = idOf(await ana("/support Exports time out again"));
    await carol(`/ticket priority ${id} urgent`);
    minute(5);
    await carol(`/ticket reply ${id} Fixed the export worker`);
    minute(10);
    await carol(`/ticket resolve ${id}`);
    expect(await at(40)).toEqual({ reminded: [], escalated: [] });

    minute(60);
    await carol(`/ticket reopen ${id}`);
    expect(await at(74)).toEqual({ reminded: [], escalated: [] });
    expect(await at(75)).toEqual({ reminded: [id], escalated: [] });
    const [first] = await reminders(id);
    expect(first.idempotencyKey).toBe(`ticket:${id}:reminder:1:reopen1`);
    expect((first.payload as unknown as Reply).text).toContain("has waited 15m without a staff response since it was reopened");
    minute(80);
    await carol(`/ticket reply ${id} Looking again`);
    expect(await at(200)).toEqual({ reminded: [], escalated: [] });

    // Reopened a second time and left alone: straight to the on-call group, as a message of its own.
    minute(210);
    await carol(`/ticket resolve ${id}`);
    minute(220);
    await carol(`/ticket reopen ${id}`);
    expect(await at(251)).toEqual({ reminded: [], escalated: [id] });
    expect((await reminders(id)).map((r) => r.idempotencyKey)).toEqual([`ticket:${id}:reminder:1:reopen1`, `ticket:${id}:reminder:2:reopen2`]);
    // The first response is still the first one: reopening does not rewrite what was measured.
    const row = await t.services.db.supportTicket.findUniqueOrThrow({ where: { id } });
    expect(row.firstResponseAt).toEqual(new Date(start.getTime() + 5 * MIN));
    expect(row).toMatchObject({ reopenCount: 2, reminderLevel: 2, awaitingStaffSince: new Date(start.getTime() + 220 * MIN) });
  });

  test("without an on-call group for the staff platform, the escalation says so and pings nobody", async () => {
    const saved = t.services.config.onCall;
    t.services.config.onCall = { discord: "500000000000000001" };
    try {
      const id = idOf(await as(t.services, "ana", "alpha")("/support Another outage"));
      await as(t.services, "carol")(`/ticket priority ${id} urgent`);
      const opened = (await t.services.db.supportTicket.findUniqueOrThrow({ where: { id } })).createdAt;
      expect(await runSupportReminders(t.services, new Date(opened.getTime() + 31 * MIN))).toEqual({ reminded: [], escalated: [id] });
      const reply = (await reminders(id))[0].payload as unknown as Reply;
      expect(reply.mentions).toBeUndefined();
      expect(reply.text).toContain("No on-call group is configured for slack");
    } finally {
      t.services.config.onCall = saved;
    }
  });
});
