// Support tickets driven as people drive them (slash commands and buttons run through the
// dispatcher), checked in the database and in the outbox rows the platforms would deliver.
import { dispatchLine } from "../src/command-kit/dispatch";
import type { GithubGateway } from "../src/core/context";
import type { Speaker } from "../src/core/people/identity";
import type { Place, Reply } from "../src/core/reply";
import { handleThreadMessage } from "../src/core/support/relay";
import { OutboxWorker } from "../src/delivery/worker";
import { as } from "./helpers/actors";
import { DB_TARGETS, TEST_CONFIG_YAML, testServices, type TestEnv } from "./helpers/db";
import { recordingDeliverer } from "./helpers/recorder";

const idOf = (r: Reply): number => {
  expect(r.error).toBeFalsy();
  return Number(/#(\d+)/.exec(r.text)![1]);
};

const rowsOf = (t: TestEnv, id: number) =>
  t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `ticket:${id}:` } }, orderBy: { id: "asc" } });

const textOf = (row: { payload: unknown }) => (row.payload as Reply).text;

describe.each(DB_TARGETS)("support tickets on %s", (target) => {
  let t: TestEnv;
  const github: { calls: { repo: string; title: string; body: string }[]; fail?: string } = { calls: [] };
  const gateway: GithubGateway = {
    async createIssue(repo, title, body) {
      if (github.fail) throw new Error(github.fail);
      github.calls.push({ repo, title, body });
      const number = 40 + github.calls.length;
      return { number, url: `https://github.com/${repo}/issues/${number}`, title };
    },
  };
  beforeAll(async () => {
    t = await testServices(target, `${TEST_CONFIG_YAML}\ngithub: { defaultRepo: acme/infra }\n`);
  });
  afterAll(() => t.close());

  test("opening a ticket answers the member in place and starts both threads", async () => {
    const ana = as(t.services, "ana", "alpha");
    const r = await ana("/support Builds fail with a quota error | Since Monday, on every branch");
    const id = idOf(r);
    expect(r).toMatchObject({ ephemeral: true });
    expect(r.text).toContain(`Opened support ticket #${id}: Builds fail with a quota error`);
    const ticket = await t.services.db.supportTicket.findUniqueOrThrow({ where: { id }, include: { community: true } });
    expect(ticket).toMatchObject({ summary: "Builds fail with a quota error", details: "Since Monday, on every branch", status: "open", priority: "normal" });
    expect(ticket.community.slug).toBe("alpha");
    const [memberRoot, staffRoot] = await rowsOf(t, id);
    expect(memberRoot).toMatchObject({ idempotencyKey: `ticket:${id}:member-root`, platform: "shell", channel: "alpha" });
    expect(staffRoot).toMatchObject({ idempotencyKey: `ticket:${id}:staff-root`, platform: "slack", workspace: "T0STAFF", channel: "C0SUPPORT" });
    expect(ticket.memberPlace).toMatchObject({ platform: "shell", channel: "alpha", rootOutboxId: memberRoot.id });
    expect(ticket.staffPlace).toMatchObject({ platform: "slack", channel: "C0SUPPORT", rootOutboxId: staffRoot.id });
    expect(textOf(staffRoot)).toContain(`Ticket #${id} from ana (Alpha University): Builds fail with a quota error — open, normal priority, unassigned`);
  });

  test("bad input gets a friendly error and opens nothing", async () => {
    const before = await t.services.db.supportTicket.count();
    const ana = as(t.services, "ana", "alpha");
    for (const [line, says] of [
      ["/support", "Say what you need help with"],
      ["/support ab", "at least 3 characters"],
      [`/support ${"x".repeat(151)}`, "at most 150 characters"],
      [`/support Fine summary | ${"d".repeat(4001)}`, "at most 4000 characters"],
    ]) {
      const r = await ana(line);
      expect(r).toMatchObject({ error: true });
      expect(r.text).toContain(says);
    }
    // At the terminal, someone who speaks for no community is told which exist and how to pick one.
    expect((await as(t.services, "zed")("/support Who am I speaking for")).text).toContain("Say which community you speak for. Communities: alpha, beta, gamma.");
    expect(await t.services.db.supportTicket.count()).toBe(before);
  });

  test("members and stewards are refused every staff action, and nothing changes", async () => {
    const id = idOf(await as(t.services, "ana", "alpha")("/support Cannot reach the dashboard"));
    await as(t.services, "stella", "alpha")("/help");
    await t.services.db.person.updateMany({ where: { displayName: "stella" }, data: { role: "steward" } });
    const snapshot = async () => ({
      ticket: await t.services.db.supportTicket.findUniqueOrThrow({ where: { id } }),
      rows: await t.services.db.outboxMessage.count(),
      messages: await t.services.db.ticketMessage.count({ where: { ticketId: id } }),
      github: github.calls.length,
    });
    const before = await snapshot();
    t.services.github = gateway;
    for (const who of [as(t.services, "ana", "alpha"), as(t.services, "bob", "beta"), as(t.services, "stella", "alpha")]) {
      for (const action of ["claim", "assign 1 carol", "priority 1 urgent", "escalate", "waiting", "resolve", "reopen", "note 1 psst"]) {
        const [verb, , ...rest] = action.split(" ");
        const r = await who(`/ticket ${verb} ${id} ${rest.join(" ")}`.trim());
        expect(r).toMatchObject({ error: true });
        expect(r.text).toBe("Sorry, only Flywheel staff can do that. Nothing was changed.");
      }
    }
    t.services.github = undefined;
    expect(await snapshot()).toEqual(before);
  });

  test("staff actions update the card in place and tell the member when it concerns them", async () => {
    const ana = as(t.services, "ana", "alpha");
    const carol = as(t.services, "carol");
    const id = idOf(await ana("/support Login loops after the SSO change"));
    const staffRootId = (await rowsOf(t, id))[1].id;
    const newRows = async (since: number) => (await rowsOf(t, id)).filter((r) => r.id > since);
    let mark = staffRootId;
    const step = async (line: string, who = carol) => {
      const r = await who(line);
      const rows = await newRows(mark);
      mark = Math.max(mark, ...rows.map((x) => x.id));
      return { r, rows };
    };

    let s = await step(`/ticket claim ${id}`);
    expect(s.r.text).toBe(`Done: carol claimed #${id}.`);
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]).toMatchObject({ editOfId: staffRootId, platform: "slack", channel: "C0SUPPORT" });
    expect(textOf(s.rows[0])).toContain("assigned to carol");
    s = await step(`/ticket claim #${id}`);
    expect(s.r.text).toBe(`#${id} is already assigned to carol.`);
    expect(s.rows).toHaveLength(0);

    s = await step(`/ticket assign ${id} <@U0STAFF>`);
    expect(s.r.text).toBe(`Done: carol assigned #${id} to U0STAFF (was carol).`);
    expect(textOf(s.rows[0])).toContain("Assignee: U0STAFF");
    expect((await step(`/ticket assign ${id} nobody`)).r).toMatchObject({ error: true, text: expect.stringContaining("not on the staff list") });

    s = await step(`/ticket priority ${id} URGENT`);
    expect(s.r.text).toBe(`Done: carol set #${id} to urgent priority (was normal).`);
    expect(textOf(s.rows[0])).toContain("urgent priority");
    expect((await step(`/ticket priority ${id} bogus`)).r).toMatchObject({ error: true, text: expect.stringContaining("Priority must be one of low, normal, high, urgent") });
    expect((await step(`/ticket priority ${id}`)).r).toMatchObject({ error: true, text: expect.stringContaining("needs the priority") });
    expect((await step(`/ticket claim ${id} now`)).r).toMatchObject({ error: true, text: expect.stringContaining("takes only a ticket number") });
    expect((await step(`/ticket claim 99999`)).r).toMatchObject({ error: true, text: "There is no ticket #99999." });

    // Waiting on the member: they are told in their thread; their reply makes it open again.
    s = await step(`/ticket waiting ${id}`);
    const memberRootId = (await rowsOf(t, id))[0].id;
    const toMember = s.rows.find((r) => !r.editOfId)!;
    expect(toMember).toMatchObject({ platform: "shell", channel: "alpha", parentId: memberRootId });
    expect(textOf(toMember)).toContain(`Staff is waiting for your answer on ticket #${id}`);
    s = await step(`/ticket reply ${id} Here are the logs`, ana);
    expect(s.r.text).toBe(`Sent to staff on ticket #${id}.`);
    expect(s.rows.map((r) => [r.parentId ?? r.editOfId, textOf(r).split("\n")[0]])).toEqual([
      [staffRootId, "ana (Alpha University): Here are the logs"],
      [staffRootId, expect.stringContaining("— open, urgent priority")],
    ]);

    // Resolve: the member gets a one-click rating; only they can rate, once it is resolved.
    s = await step(`/ticket resolve ${id}`);
    const resolved = s.rows.find((r) => r.parentId === memberRootId)!;
    expect((resolved.payload as unknown as Reply).buttons!.map((b) => b.command)).toEqual([`ticket rate ${id} helpful`, `ticket rate ${id} not-helpful`]);
    expect(s.rows.find((r) => r.parentId === staffRootId && textOf(r).startsWith("✅"))).toBeDefined();
    expect((await step(`/ticket resolve ${id}`)).r.text).toBe(`#${id} is already resolved.`);
    expect((await step(`/ticket rate ${id} helpful`, as(t.services, "bob", "beta"))).r).toMatchObject({ error: true, text: `Only the person who opened ticket #${id} can rate it.` });
    expect((await step(`/ticket rate ${id} meh`, ana)).r).toMatchObject({ error: true, text: expect.stringContaining("Rate it helpful or not-helpful") });
    expect((await step(`/ticket rate ${id} not-helpful`, ana)).r.text).toBe(`Thank you! Your rating of ticket #${id} is recorded.`);
    expect((await step(`/ticket rate ${id} not-helpful`, ana)).r.text).toContain("already rated");

    s = await step(`/ticket reopen ${id}`);
    expect(s.r.text).toBe(`Done: carol reopened #${id}.`);
    expect(s.rows.find((r) => r.parentId === memberRootId && textOf(r).includes("Staff reopened"))).toBeDefined();
    expect((await step(`/ticket rate ${id} helpful`, ana)).r.text).toBe(`You can rate ticket #${id} once it is resolved.`);
    expect(await t.services.db.supportTicket.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "open", resolvedAt: null, reopenCount: 1, rating: "not-helpful" });

    // Notes stay with staff; /ticket show is for the requester and staff.
    s = await step(`/ticket note ${id} @here check the SSO logs <!channel>`);
    expect(s.rows.map((r) => [r.platform, textOf(r)])).toEqual([["slack", "📝 carol (internal note, not sent to the member): @\u200bhere check the SSO logs <\u200b!channel>"]]);
    expect((await ana(`/ticket show ${id}`)).text).toContain(`Ticket #${id} from ana`);
    expect((await as(t.services, "bob", "beta")(`/ticket show ${id}`)).error).toBe(true);
    expect((await carol(`/ticket show ${id}`)).sections![0].buttons!.length).toBeGreaterThan(0);
    const history = await t.services.db.ticketMessage.findMany({ where: { ticketId: id, side: "bot" }, orderBy: { id: "asc" } });
    expect(history.map((m) => m.body)).toEqual([
      `carol claimed #${id}.`,
      `carol assigned #${id} to U0STAFF (was carol).`,
      `carol set #${id} to urgent priority (was normal).`,
      `carol marked #${id} as waiting on the member.`,
      `carol resolved #${id}.`,
      `ana rated #${id}: 👎 not helpful.`,
      `carol reopened #${id}.`,
    ]);
  });

  test("escalating opens one GitHub issue, linked back to the ticket", async () => {
    const carol = as(t.services, "carol");
    const id = idOf(await as(t.services, "gus", "gamma")("/support Private registry returns 500 | since the upgrade"));
    t.services.github = undefined;
    expect(await carol(`/ticket escalate ${id}`)).toMatchObject({ error: true, text: expect.stringContaining("GitHub is not configured") });

    t.services.github = gateway;
    github.fail = "Bad credentials for ghp_abcdefghijklmnopqrstuvwxyz012345";
    const failed = await carol(`/ticket escalate ${id}`);
    expect(failed).toMatchObject({ error: true, text: expect.stringContaining("GitHub did not open the issue") });
    expect(failed.text).not.toContain("ghp_");
    expect(await t.services.db.githubItem.count({ where: { ticketId: id } })).toBe(0);

    github.fail = undefined;
    const ok = await carol(`/ticket escalate ${id}`);
    expect(ok.text).toMatch(new RegExp(`^Done: carol escalated #${id} to GitHub: acme/infra#\\d+ https://github.com/acme/infra/issues/\\d+$`));
    const item = await t.services.db.githubItem.findFirstOrThrow({ where: { ticketId: id } });
    expect(item).toMatchObject({ repo: "acme/infra", kind: "issue" });
    const call = github.calls.at(-1)!;
    expect(call.title).toBe(`[Support #${id}] Private registry returns 500`);
    expect(call.body).toContain(`support ticket #${id} (an Essential member, normal priority)`);
    expect(call.body).not.toContain("Gamma");
    const card = (await rowsOf(t, id)).filter((r) => r.editOfId).at(-1)!;
    expect(textOf(card)).toContain(`GitHub: acme/infra#${item.number} ${item.url}`);
    expect((card.payload as unknown as Reply).sections![0].buttons!.map((b) => b.label)).not.toContain("Escalate to GitHub");
    const memberNote = (await rowsOf(t, id)).find((r) => r.platform === "shell" && textOf(r).includes("escalated"))!;
    expect(textOf(memberNote)).toContain(item.url);

    const again = await carol(`/ticket escalate ${id}`);
    expect(again.text).toBe(`#${id} is already escalated: acme/infra#${item.number} ${item.url}`);
    expect(github.calls.filter((c) => c.title.includes(`#${id}]`))).toHaveLength(1);
    t.services.github = undefined;
  });

  test("escalating a private ticket sends GitHub its number only: the member's words stay in Flywheel", async () => {
    const id = idOf(await as(t.services, "ana", "alpha")("/support Our billing export leaks card numbers | see invoice 4411 --private"));
    t.services.github = gateway;
    try {
      expect((await as(t.services, "carol")(`/ticket escalate ${id}`)).error).toBeFalsy();
      const call = github.calls.at(-1)!;
      expect(call.title).toBe(`[Support #${id}] A private ticket`);
      expect(call.body).toContain("The ticket is private");
      expect(`${call.title}\n${call.body}`).not.toMatch(/billing|invoice|4411|card numbers/);
    } finally {
      t.services.github = undefined;
    }
  });
});

describe.each(DB_TARGETS)("support relay details on %s", (target) => {
  let t: TestEnv;
  const slack = recordingDeliverer("slack");
  const shell = recordingDeliverer("shell");
  let worker: OutboxWorker;
  beforeAll(async () => {
    t = await testServices(target);
    worker = new OutboxWorker(t.services, [slack, shell]);
  });
  afterAll(() => t.close());

  const inStaffThread = async (id: number) => {
    await worker.drain();
    const root = slack.posted.find((p) => p.key === `ticket:${id}:staff-root`)!;
    return { thread: root.externalId, place: { platform: "slack", workspace: "T0STAFF", channel: "C0SUPPORT", thread: root.externalId } as Place };
  };
  let n = 0;
  const say = (speaker: Speaker, place: Place, text: string) => handleThreadMessage(t.services, { speaker, place, text, externalId: `x${++n}` });

  test("a member of another community who answers is credited once; staff and the same community are not", async () => {
    const id = idOf(await as(t.services, "ana", "alpha")("/support Quota dashboard is empty"));
    const { place, thread } = await inStaffThread(id);
    const bob: Speaker = { platform: "slack", externalId: "U0BOB", displayName: "Bob", workspace: "T0BETA", channel: "C0SUPPORT" };
    const alf: Speaker = { platform: "slack", externalId: "U0ALF", displayName: "Alf", workspace: "T0ALPHA", channel: "C0SUPPORT" };
    const sam: Speaker = { platform: "slack", externalId: "U0STAFF", displayName: "Sam", workspace: "T0STAFF", channel: "C0SUPPORT" };
    // Gina speaks for the private gamma community (known from earlier), on a Slack account.
    await as(t.services, "gina", "gamma")("/help");
    const gina = await t.services.db.person.findFirstOrThrow({ where: { displayName: "gina" } });
    await t.services.db.account.create({ data: { personId: gina.id, platform: "slack", externalId: "U0GINA" } });

    expect(await say(bob, place, "Clear the cache, that fixed it for us")).toMatchObject({ side: "helper", relayedTo: ["member"], credited: true, firstResponse: false });
    expect(await say(bob, place, "Also restart the agent")).toMatchObject({ credited: false });
    expect(await say(alf, place, "Same problem here")).toMatchObject({ side: "helper", credited: false });
    expect(await say({ platform: "slack", externalId: "U0GINA", displayName: "Gina", workspace: "T0STAFF" }, place, "Works on ours")).toMatchObject({ credited: true });
    expect(await say(sam, place, "Confirmed, we're on it")).toMatchObject({ side: "staff", credited: false, firstResponse: true });
    await worker.drain();
    const memberRoot = shell.posted.find((p) => p.key === `ticket:${id}:member-root`)!;
    expect(shell.inThread(memberRoot.externalId).map((p) => p.reply.text)).toEqual([
      "Bob (Beta College): Clear the cache, that fixed it for us",
      "Bob (Beta College): Also restart the agent",
      "Alf (Alpha University): Same problem here",
      "someone from an Essential member: Works on ours",
      "Sam (staff): Confirmed, we're on it",
    ]);
    expect(slack.inThread(thread)).toHaveLength(0);
    const credits = await t.services.db.contribution.findMany({ where: { source: `ticket:${id}` }, include: { person: true }, orderBy: { id: "asc" } });
    expect(credits.map((c) => [c.kind, c.person?.displayName])).toEqual([
      ["question", "Bob"],
      ["question", "gina"],
    ]);
  });

  test("a ticket opened in a DM is answered in the DM, and the member's DMs reach staff", async () => {
    const dm: Speaker = { platform: "slack", externalId: "U0DANA", displayName: "Dana", workspace: "T0ALPHA" };
    const dmPlace: Place = { platform: "slack", workspace: "T0ALPHA", user: "U0DANA" };
    const r = await dispatchLine(t.services, "/support VPN drops every hour", dm, dmPlace);
    expect(r.text).toContain("Staff answers will arrive here, in this direct message");
    const id = idOf(r);
    const { place, thread } = await inStaffThread(id);
    expect(slack.posted.find((p) => p.key === `ticket:${id}:member-root`)).toBeUndefined();
    await say({ platform: "slack", externalId: "U0STAFF", displayName: "Sam", workspace: "T0STAFF" }, place, "Which client version?");
    await say(dm, dmPlace, "2.4.1");
    // A DM from someone without a ticket is nobody's business here.
    expect(await say({ platform: "slack", externalId: "U0NOBODY", displayName: "Nobody", workspace: "T0ALPHA" }, { platform: "slack", user: "U0NOBODY" }, "hello?")).toBeUndefined();
    await worker.drain();
    expect(slack.posted.filter((p) => p.place.user === "U0DANA").map((p) => [p.place.channel, p.place.thread, p.reply.text])).toEqual([[undefined, undefined, `Sam (staff) on ticket #${id}: Which client version?`]]);
    expect(slack.inThread(thread).map((p) => p.reply.text)).toEqual(["Dana (Alpha University): 2.4.1"]);
  });
});

describe.each(DB_TARGETS)("support without a support space on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target, TEST_CONFIG_YAML.replace(/support:\n.*\n/, ""));
  });
  afterAll(() => t.close());

  test("tickets still open and staff still act by command; there is just no staff thread", async () => {
    expect(t.services.config.support).toBeUndefined();
    const id = idOf(await as(t.services, "ana", "alpha")("/support Where do staff see this"));
    expect((await t.services.db.supportTicket.findUniqueOrThrow({ where: { id } })).staffPlace).toBeNull();
    expect((await as(t.services, "carol")(`/ticket reply ${id} Here, by command`)).text).toBe(`Sent to the member on ticket #${id}.`);
    expect((await as(t.services, "carol")(`/ticket resolve ${id}`)).text).toBe(`Done: carol resolved #${id}.`);
    const rows = await rowsOf(t, id);
    expect(rows.every((r) => r.platform === "shell" && r.channel === "alpha")).toBe(true);
    expect(rows.map((r) => textOf(r).split("\n")[0])).toEqual([
      expect.stringContaining(`Support ticket #${id} from ana`),
      "carol (staff): Here, by command",
      expect.stringContaining(`carol resolved ticket #${id}`),
    ]);
  });
});
