import { as } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { resolveActor } from "../src/core/people/identity";
import { rankRequests } from "../src/core/requests/requests";

const num = (text: string) => Number(/#(\d+)/.exec(text)![1]);

describe.each(DB_TARGETS)("requests & votes on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t.close());

  const file = async (who: ReturnType<typeof as>, line: string) => {
    const r = await who(`/request ${line} --force`);
    expect(r.error).toBeFalsy();
    return num(r.text);
  };

  test("ranks by tier-weighted community breadth, then votes, then pledges, then age", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const a2 = as(t.services, "a2", "alpha");
    const a3 = as(t.services, "a3", "alpha");
    const b1 = as(t.services, "b1", "beta");
    const g1 = as(t.services, "g1", "gamma");
    const many = await file(a1, "Many alpha votes"); // alpha only, 3 votes: breadth 2 (premier)
    await a2(`/upvote ${many}`);
    await a3(`/upvote ${many}`);
    const broad = await file(b1, "Beta and gamma want it"); // beta + gamma: breadth 1 + 1 = 2, 2 votes
    await g1(`/upvote ${broad}`);
    const widest = await file(b1, "Everyone wants it"); // alpha + beta + gamma: breadth 4
    await a1(`/upvote ${widest}`);
    await g1(`/upvote ${widest}`);
    const lonely = await file(g1, "Only gamma"); // breadth 1
    const list = await b1("/requests");
    const order = list.text.split("\n").slice(1).map(num);
    // widest (4) first; many (2, 3 votes) beats broad (2, 2 votes) on votes; lonely last.
    expect(order).toEqual([widest, many, broad, lonely]);
    expect(list.text).toContain(`#${widest} Everyone wants it — 3 communities · 3 votes · 0 pledges — open`);
    // Premier weighs 2: alpha alone (2) ties beta + gamma (2), then votes decide. With equal
    // votes, pledges decide, then age.
    const { rows } = await rankRequests(t.services, { statuses: ["open"] });
    expect(rows.find((r) => r.id === widest)!.breadth).toBe(4);
    expect(rows.find((r) => r.id === many)!.communities).toBe(1);

    const community = await b1("/requests open --community gamma");
    expect(community.text.split("\n").slice(1).map(num).sort()).toEqual([broad, widest, lonely].sort());
  });

  test("equal breadth and votes: the pledged request ranks first, then the older one", async () => {
    const b1 = as(t.services, "b1", "beta");
    const older = await file(b1, "Older request");
    t.clock.advance(1000);
    const pledged = await file(b1, "Pledged request");
    const newest = await file(b1, "Newest request");
    await t.services.db.person.updateMany({ where: { displayName: "b1" }, data: { role: "steward" } });
    expect((await b1(`/pledge ${pledged} 250 for exams`)).text).toContain("pledges 250 USD");
    const order = (await b1("/requests")).text.split("\n").slice(1).map(num);
    expect(order).toEqual([pledged, older, newest]);
    expect((await b1("/requests")).text).toContain(`#${pledged} Pledged request — 1 community · 1 vote · 1 pledge — open`);
  });

  test("one vote per person, also under concurrent votes, recorded with the voter's community", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const id = await file(a1, "Concurrent votes");
    const voters = Array.from({ length: 8 }, (_, i) => as(t.services, `v${i}`, i % 2 ? "beta" : "gamma"));
    // Everyone clicks twice at the same moment.
    const replies = await Promise.all([...voters, ...voters].map((v) => v(`/upvote ${id}`)));
    expect(replies.filter((r) => r.error)).toEqual([]);
    expect(replies.filter((r) => r.text.includes("already voted"))).toHaveLength(8);
    expect(await t.services.db.vote.count({ where: { requestId: id } })).toBe(9);
    const byCommunity = await t.services.db.vote.groupBy({ by: ["communityId"], where: { requestId: id }, _count: { _all: true } });
    expect(byCommunity.map((c) => c._count._all).sort()).toEqual([1, 4, 4]);
    expect((await voters[0](`/unvote ${id}`)).text).toContain("withdrawn");
    expect((await voters[0](`/unvote ${id}`)).text).toContain("had not voted");
    expect(await t.services.db.vote.count({ where: { requestId: id } })).toBe(8);
  });

  test("similar open requests are offered before filing; --force files anyway", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const b1 = as(t.services, "b1", "beta");
    const id = await file(a1, "Faster image builds");
    await file(a1, "Dark mode for the dashboard");
    const offer = await b1("/request Faster builds of images");
    expect(offer.text).toContain(`#${id} Faster image builds`);
    expect(offer.text).not.toContain("Dark mode");
    expect(offer.sections?.[0].buttons?.[0].command).toBe(`upvote ${id}`);
    expect(offer.buttons?.[0].command).toBe("request Faster builds of images --force");
    expect(await t.services.db.featureRequest.count()).toBe(2);
    // The "file it anyway" button runs through the same path.
    const forced = await b1(offer.buttons![0].command);
    expect(forced.text).toMatch(/^Filed #\d+ Faster builds of images/);
    expect(await t.services.db.featureRequest.count()).toBe(3);
    // Unrelated titles go straight through.
    expect((await b1("/request Single sign-on with SAML")).text).toMatch(/^Filed #/);
  });

  test("limits and bad input: friendly errors, nothing filed", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const cases: [string, RegExp][] = [
      ["/request", /title/i],
      ["/request ab", /at least 3/],
      [`/request ${"t".repeat(121)}`, /at most 120/],
      [`/request Fine title | ${"d".repeat(4001)}`, /at most 4000/],
      ["/upvote", /request number/i],
      ["/upvote -3", /positive|request number/i],
      ["/upvote 99999", /no request #99999/],
      ["/pledge 1 10", /steward/],
      ["/feedback 1", /comment/],
      ["/requests sideways", /Status must be one of/],
      ["/requests open --colour red", /don't know the option --colour/],
      ["/link NOPE1234", /not valid/],
    ];
    for (const [line, expected] of cases) {
      const r = await a1(line);
      expect({ line, error: r.error }).toEqual({ line, error: true });
      expect(r.text).toMatch(expected);
    }
    expect(await t.services.db.featureRequest.count()).toBe(0);
  });

  test("staff-only actions are refused to members and stewards, and change nothing", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const id = await file(a1, "Something staff decide");
    const other = await file(a1, "Another thing");
    await t.services.db.person.updateMany({ where: { displayName: "a1" }, data: { role: "steward" } });
    for (const line of [`/set-status ${id} planned`, `/merge ${id} into ${other}`, `/edit ${id} title Hijacked`, "/steward a1 beta"]) {
      const r = await a1(line);
      expect(r.error).toBe(true);
      expect(r.text).toContain("only Flywheel staff");
    }
    const r = await t.services.db.featureRequest.findUniqueOrThrow({ where: { id } });
    expect(r).toMatchObject({ status: "open", title: "Something staff decide" });
    expect(await t.services.db.statusChange.count()).toBe(0);
  });

  test("status changes are recorded and every requester and voter hears where they asked", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const b1 = as(t.services, "b1", "beta");
    const b2 = as(t.services, "b2", "beta");
    const carol = as(t.services, "carol");
    const id = await file(a1, "Notify me");
    await b1(`/upvote ${id}`);
    await b2(`/upvote ${id}`);
    const res = await carol(`/set-status ${id} planned Q1 next year`);
    expect(res.text).toContain("is now planned");
    expect((await carol(`/set-status ${id} planned`)).text).toContain("already planned");
    const rows = await t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "status:" } }, orderBy: { channel: "asc" } });
    // One message per place: alpha's channel (a1) and beta's channel (b1, b2). (The communities'
    // channels get the same news: test/github.lifecycle.test.ts.)
    expect(rows.map((r) => r.channel)).toEqual(["alpha", "beta"]);
    const beta = rows[1].payload as { text: string };
    expect(beta.text).toContain(`#${id} Notify me is now planned — Q1 next year`);
    expect(beta.text).toContain("b1 and b2");
    const history = await t.services.db.statusChange.findMany({ where: { requestId: id } });
    expect(history).toMatchObject([{ from: "open", to: "planned", reason: "Q1 next year", source: "command" }]);
    const show = await b1(`/request-show ${id}`);
    expect(show.text).toMatch(/open → planned \(Q1 next year\)/);
    expect(show.text).toContain("Wanted by 2 communities · 3 votes: Beta College (2 members) and Alpha University (1 member)");
    // Shipped requests take no more votes.
    await carol(`/set-status ${id} shipped`);
    expect((await as(t.services, "g1", "gamma")(`/upvote ${id}`)).text).toContain("already shipped");
  });

  test("merge moves votes, pledges and feedback with no one counted twice, and redirects", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const b1 = as(t.services, "b1", "beta");
    const g1 = as(t.services, "g1", "gamma");
    const carol = as(t.services, "carol");
    const keep = await file(a1, "Export to CSV");
    const dup = await file(b1, "CSV export please");
    await a1(`/upvote ${dup}`); // a1 voted on both
    await g1(`/upvote ${dup}`);
    await t.services.db.person.updateMany({ where: { displayName: { in: ["a1", "b1"] } }, data: { role: "steward" } });
    await a1(`/pledge ${keep} 100`);
    await a1(`/pledge ${dup} 300`); // alpha pledged on both: the larger stays, never the sum
    await b1(`/pledge ${dup} 50`);
    await g1(`/feedback ${dup} We export weekly`);
    const res = await carol(`/merge ${dup} into ${keep}`);
    expect(res.error).toBeFalsy();
    expect(res.text).toContain("1 person had voted on both and count once");
    expect(await t.services.db.vote.count({ where: { requestId: keep } })).toBe(3); // a1, b1, g1
    const pledges = await t.services.db.pledge.findMany({ where: { requestId: keep }, orderBy: { amount: "desc" } });
    expect(pledges.map((p) => Number(p.amount))).toEqual([300, 50]);
    expect(await t.services.db.feedback.count({ where: { requestId: keep } })).toBe(1);
    const old = await t.services.db.featureRequest.findUniqueOrThrow({ where: { id: dup } });
    expect(old).toMatchObject({ status: "merged", mergedIntoId: keep });
    // Voting on the old number lands on the survivor; the merged one is not listed.
    expect((await as(t.services, "b2", "beta")(`/upvote ${dup}`)).text).toContain(`#${dup} was merged into #${keep}`);
    expect((await a1("/requests")).text).not.toContain(`#${dup} `);
    // The duplicate's followers were told, where they asked.
    const told = await t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `merge:${dup}:` } } });
    expect(told.map((m) => m.channel).sort()).toEqual(["alpha", "beta", "gamma"]);
    expect((await carol(`/merge ${keep} into ${keep}`)).text).toContain("into itself");
    expect((await carol(`/merge ${dup} into ${keep}`)).text).toContain("already merged");
  });

  test("/link joins two accounts into one person; overlapping votes count once; codes expire", async () => {
    const slack = { platform: "slack" as const, externalId: "U0ANA", displayName: "ana", workspace: "T0ALPHA", channel: "C0ALPHA" };
    const discord = { platform: "discord" as const, externalId: "300000000000000001", displayName: "ana_d", workspace: "100000000000000001", channel: "100000000000000002" };
    const { dispatchLine } = await import("../src/command-kit/dispatch");
    const onSlack = (line: string) => dispatchLine(t.services, line, slack, { platform: "slack", workspace: "T0ALPHA", channel: "C0ALPHA" });
    const onDiscord = (line: string) => dispatchLine(t.services, line, discord, { platform: "discord", workspace: slack.workspace, channel: discord.channel });
    const b1 = as(t.services, "b1", "beta");
    const both = await file(b1, "Voted on both platforms");
    const onlyDiscord = await file(b1, "Voted on Discord only");
    await onSlack(`/upvote ${both}`);
    await onDiscord(`/upvote ${both}`);
    await onDiscord(`/upvote ${onlyDiscord}`);
    expect(await t.services.db.vote.count({ where: { requestId: both } })).toBe(3);

    const expired = /code is (\w+)/.exec((await onSlack("/link")).text)![1];
    t.clock.advance(16 * 60 * 1000);
    expect((await onDiscord(`/link ${expired}`)).text).toContain("expired");

    const code = /code is (\w+)/.exec((await onSlack("/link")).text)![1];
    const linked = await onDiscord(`/link ${code.toLowerCase()}`);
    expect(linked.text).toContain("1 request you had voted for on both count once");
    expect(await t.services.db.vote.count({ where: { requestId: both } })).toBe(2);
    const a = await resolveActor(t.services, slack);
    const d = await resolveActor(t.services, discord);
    expect(a.personId).toBe(d.personId);
    expect(await t.services.db.vote.count({ where: { personId: a.personId } })).toBe(2);
    expect((await onSlack(`/upvote ${onlyDiscord}`)).text).toContain("already voted");
    expect((await onDiscord(`/link ${code}`)).text).toContain("not valid");
  });

  test("pledges: stewards for their community, 0 withdraws, staff name the community", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const carol = as(t.services, "carol");
    const id = await file(a1, "Pledge target");
    expect((await carol("/steward a1 alpha")).text).toContain("a1 is now a steward of Alpha University");
    expect((await a1(`/pledge ${id} 120.5 two sprints`)).text).toContain("Alpha University pledges 120.5 USD");
    expect((await a1(`/pledge ${id} 200`)).text).toContain("is now 200 USD");
    expect((await a1(`/pledge ${id} 10 --community beta`)).text).toContain("only for their own community");
    expect((await carol(`/pledge ${id} 75 --community beta`)).text).toContain("Beta College pledges 75 USD");
    expect((await carol(`/pledge ${id} 75`)).text).toContain("--community");
    expect((await a1(`/request-show ${id}`)).text).toContain("Alpha University: 200 USD; Beta College: 75 USD");
    expect((await a1(`/pledge ${id} 0`)).text).toContain("withdrawn");
    expect((await a1(`/pledge ${id} -5`)).text).toContain("can't be negative");
    expect(await t.services.db.pledge.count()).toBe(1);
  });

  test("edit and feedback", async () => {
    const a1 = as(t.services, "a1", "alpha");
    const carol = as(t.services, "carol");
    const id = await file(a1, "Typo in titel");
    expect((await carol(`/edit ${id} title Typo in title`)).text).toContain("Updated the title");
    expect((await carol(`/edit ${id} details More context here`)).error).toBeFalsy();
    expect((await carol(`/edit ${id} title no`)).text).toContain("3–120 characters");
    expect((await a1(`/feedback ${id} We need this before March`)).text).toContain("feedback is on");
    const show = await a1(`/request-show ${id}`);
    expect(show.text).toContain("#" + id + " Typo in title — open");
    expect(show.text).toContain("More context here");
    expect(show.text).toContain("a1 (Alpha University): We need this before March");
  });
});
