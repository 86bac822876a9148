import { dispatch, dispatchOnce } from "../src/command-kit/dispatch";
import type { Services } from "../src/core/context";
import { resolveActor, type Speaker } from "../src/core/people/identity";
import type { Place } from "../src/core/reply";
import { upvote as coreUpvote, upvoteAsSpeaker } from "../src/core/requests/requests";
import { as, idOf } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

/**
 * /upvote's one-statement path (upvoteAsSpeaker, through CommandDef.fast): it must count exactly
 * the votes the ordinary path counts, for the same people and communities, and decline (changing
 * nothing but the delivery record) whenever the ordinary path has more to do or to explain.
 */
describe.each(DB_TARGETS)("/upvote in one statement on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t.close());

  const slack = (user: string, team: string, channel: string, displayName = user): { speaker: Speaker; place: Place } => ({
    speaker: { platform: "slack", externalId: user, displayName, workspace: team, channel },
    place: { platform: "slack", workspace: team, channel, user },
  });
  const upvote = (who: { speaker: Speaker; place: Place }, n: number, services: Services = t.services) =>
    dispatch(services, { command: "upvote", text: String(n), speaker: who.speaker, place: who.place });
  const votesOf = (requestId: number) => t.services.db.vote.findMany({ where: { requestId }, include: { person: { include: { accounts: true } }, community: true }, orderBy: { id: "asc" } });
  const fileAs = async (name: string, community: string, title: string) => idOf(await as(t.services, name, community)(`/request ${title} --force`));
  /** A member the database already knows (their first command went the ordinary way). */
  const known = async (who: { speaker: Speaker; place: Place }) => {
    expect((await dispatch(t.services, { command: "requests", text: "", speaker: who.speaker, place: who.place })).error).toBeFalsy();
  };

  test("a known member's new vote is counted in one statement, for their community, with the place it came from", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA", "Bo");
    await known(bo);
    const out = await upvoteAsSpeaker(t.services, bo.speaker, r, bo.place);
    expect(out).toMatchObject({ kind: "voted", requestId: r, actor: { displayName: "Bo", role: "member", communitySlug: "alpha", platform: "slack", externalId: "U0BO" } });
    const votes = await votesOf(r);
    expect(votes.map((v) => [v.person.displayName, v.community.slug])).toEqual([["ana", "alpha"], ["Bo", "alpha"]]);
    expect(votes[1].place).toEqual(bo.place);
    // The breadth trigger saw it like any vote.
    expect(await t.services.db.requestCommunity.count({ where: { requestId: r } })).toBe(1);
  });

  test("the command answers the same either way: counted, then already voted", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA");
    await known(bo);
    const first = await upvote(bo, r);
    expect(first.error).toBeFalsy();
    expect(first.text).toBe(`Your vote for #${r} is counted for alpha.`);
    expect(first.buttons?.length).toBeGreaterThan(0);
    // Voting twice: the statement declines, the ordinary path says so, nothing is counted twice.
    expect(await upvoteAsSpeaker(t.services, bo.speaker, r, bo.place)).toEqual({ kind: "declined", recorded: false });
    expect((await upvote(bo, r)).text).toBe(`You already voted for #${r}.`);
    expect(await t.services.db.vote.count({ where: { requestId: r } })).toBe(2);
  });

  test("a first-time voter is declined by the statement, then created and counted by the ordinary path", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    const newcomer = slack("U0NEW", "T0ALPHA", "C0ALPHA", "Newcomer");
    expect(await upvoteAsSpeaker(t.services, newcomer.speaker, r, newcomer.place)).toEqual({ kind: "declined", recorded: false });
    expect(await t.services.db.account.count({ where: { externalId: "U0NEW" } })).toBe(0);
    const reply = await upvote(newcomer, r);
    expect(reply.text).toBe(`Your vote for #${r} is counted for alpha.`);
    const account = await t.services.db.account.findUniqueOrThrow({ where: { platform_externalId: { platform: "slack", externalId: "U0NEW" } }, include: { person: { include: { community: true } } } });
    expect(account.person.displayName).toBe("Newcomer");
    expect(account.person.community?.slug).toBe("alpha");
    expect((await votesOf(r)).map((v) => v.person.displayName)).toEqual(["ana", "Newcomer"]);
  });

  test("merged, closed and missing requests are declined and explained by the ordinary path", async () => {
    const keep = await fileAs("ana", "alpha", "Offline mode");
    const dup = await fileAs("ana", "alpha", "Offline support");
    const shipped = await fileAs("ana", "alpha", "Dark theme");
    await t.services.db.featureRequest.update({ where: { id: dup }, data: { status: "merged", mergedIntoId: keep } });
    await t.services.db.featureRequest.update({ where: { id: shipped }, data: { status: "shipped" } });
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA");
    await known(bo);
    for (const n of [dup, shipped, 999]) expect((await upvoteAsSpeaker(t.services, bo.speaker, n, bo.place)).kind).toBe("declined");
    expect(await t.services.db.vote.count({ where: { personId: { not: 1 } } })).toBe(0);
    expect((await upvote(bo, dup)).text).toMatch(new RegExp(`^#${dup} was merged into #${keep}, so your vote for #${keep} is counted for alpha\\.$`, "i"));
    expect((await upvote(bo, shipped)).text).toContain(`#${shipped} is already shipped`);
    expect((await upvote(bo, 999)).error).toBe(true);
    expect((await votesOf(keep)).map((v) => v.person.displayName)).toEqual(["ana", "U0BO"]);
  });

  test("Slack Connect: a guest from a team no community is configured for speaks for none; a beta member in alpha's channel votes for beta", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    // The guest's workspace is their own team, not the channel's host.
    const guest = slack("U0GUEST", "T0ELSEWHERE", "C0ALPHA");
    expect(await upvoteAsSpeaker(t.services, guest.speaker, r, guest.place)).toEqual({ kind: "declined", recorded: false });
    expect((await upvote(guest, r)).error).toBe(true);
    const beta = slack("U0BETA", "T0BETA", "C0ALPHA");
    await known(beta);
    expect(await upvoteAsSpeaker(t.services, beta.speaker, r, beta.place)).toMatchObject({ kind: "voted", actor: { communitySlug: "beta" } });
    expect((await votesOf(r)).map((v) => v.community.slug)).toEqual(["alpha", "beta"]);
  });

  test("who-is-asking changes are left to resolveActor: a stand-in name, a move to another community, configured staff", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    // First seen without a name (a message event): the id stood in for it.
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA", "");
    await known(bo);
    const named = slack("U0BO", "T0ALPHA", "C0ALPHA", "Bo");
    expect((await upvoteAsSpeaker(t.services, named.speaker, r, named.place)).kind).toBe("declined");
    expect((await upvote(named, r)).text).toBe(`Your vote for #${r} is counted for alpha.`);
    expect((await t.services.db.person.findFirstOrThrow({ where: { accounts: { some: { externalId: "U0BO" } } } })).displayName).toBe("Bo");
    // Known in beta, now speaking in alpha's workspace: they move to alpha first.
    const cy = slack("U0CY", "T0BETA", "C0BETA");
    await known(cy);
    const moved = slack("U0CY", "T0ALPHA", "C0ALPHA");
    expect((await upvoteAsSpeaker(t.services, moved.speaker, r, moved.place)).kind).toBe("declined");
    expect((await upvote(moved, r)).text).toBe(`Your vote for #${r} is counted for alpha.`);
    expect((await votesOf(r)).map((v) => [v.person.displayName, v.community.slug])).toEqual([["ana", "alpha"], ["Bo", "alpha"], ["U0CY", "alpha"]]);
    // Staff is the config's word (U0STAFF), as resolveActor says it.
    const staff = slack("U0STAFF", "T0ALPHA", "C0ALPHA");
    await known(staff);
    expect(await upvoteAsSpeaker(t.services, staff.speaker, r, staff.place)).toMatchObject({ kind: "voted", actor: { role: "staff" } });
  });

  test("a Slack delivery is recorded by the same statement: a retry of it does nothing, known member or newcomer", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA");
    await known(bo);
    const inv = { command: "upvote", text: String(r), speaker: bo.speaker, place: bo.place };
    expect((await dispatchOnce(t.services, inv, { id: "command:1.2.abc", source: "slack" }))?.text).toBe(`Your vote for #${r} is counted for alpha.`);
    expect(await dispatchOnce(t.services, inv, { id: "command:1.2.abc", source: "slack" })).toBeNull();
    expect(await t.services.db.webhookDelivery.findUnique({ where: { id: "slack:command:1.2.abc" } })).toMatchObject({ source: "slack" });
    // Declined by the statement (a newcomer), the delivery is still recorded once, by the statement.
    const newcomer = slack("U0NEW", "T0ALPHA", "C0ALPHA");
    const newInv = { ...inv, speaker: newcomer.speaker, place: newcomer.place };
    expect((await dispatchOnce(t.services, newInv, { id: "command:3.4.def", source: "slack" }))?.text).toBe(`Your vote for #${r} is counted for alpha.`);
    expect(await dispatchOnce(t.services, newInv, { id: "command:3.4.def", source: "slack" })).toBeNull();
    // Already voted (declined after recording): the answer explains, the retry does nothing.
    expect((await dispatchOnce(t.services, inv, { id: "command:5.6.ghi", source: "slack" }))?.text).toBe(`You already voted for #${r}.`);
    expect(await dispatchOnce(t.services, inv, { id: "command:5.6.ghi", source: "slack" })).toBeNull();
    // A guest's place (no community): not recorded by the statement, recorded by resolveActor.
    const guest = slack("U0GUEST", "T0ELSEWHERE", "C0ALPHA");
    expect((await dispatchOnce(t.services, { ...inv, speaker: guest.speaker, place: guest.place }, { id: "command:7.8.jkl", source: "slack" }))?.error).toBe(true);
    expect(await dispatchOnce(t.services, { ...inv, speaker: guest.speaker, place: guest.place }, { id: "command:7.8.jkl", source: "slack" })).toBeNull();
    expect(await t.services.db.vote.count({ where: { requestId: r } })).toBe(3);
  });

  test("queues the same home refreshes as the ordinary path: the author, the voters, and everyone in a wanting community (the voter's included)", async () => {
    const r = await fileAs("ana", "beta", "Offline mode");
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA");
    const al = slack("U0AL", "T0ALPHA", "C0ALPHA");
    const be = slack("U0BE", "T0BETA", "C0BETA");
    for (const who of [bo, al, be]) {
      await known(who);
      await t.services.db.homeView.create({ data: { platform: "slack", externalId: who.speaker.externalId, workspace: who.speaker.workspace!, openedAt: t.clock.now() } });
    }
    await t.services.db.homeView.create({ data: { platform: "shell", externalId: "ana", openedAt: t.clock.now() } });
    await t.services.db.outboxMessage.deleteMany();
    expect((await upvoteAsSpeaker(t.services, bo.speaker, r, bo.place)).kind).toBe("voted");
    const rows = await t.services.db.outboxMessage.findMany({ orderBy: { channel: "asc" } });
    // Bo (the voter) and Al (alpha now wants it) were not in the audience before the vote.
    expect(rows.map((m) => m.channel)).toEqual(["@U0AL", "@U0BE", "@U0BO", "@ana"]);
  });

  test("upvote() (the ordinary path's vote, also one statement) queues the same home refreshes", async () => {
    const r = await fileAs("ana", "beta", "Offline mode");
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA");
    const al = slack("U0AL", "T0ALPHA", "C0ALPHA");
    for (const who of [bo, al]) {
      await known(who);
      await t.services.db.homeView.create({ data: { platform: "slack", externalId: who.speaker.externalId, workspace: who.speaker.workspace!, openedAt: t.clock.now() } });
    }
    await t.services.db.outboxMessage.deleteMany();
    expect(await coreUpvote(t.services, await resolveActor(t.services, bo.speaker), r, bo.place)).toEqual({ kind: "voted", requestId: r });
    expect((await t.services.db.outboxMessage.findMany({ orderBy: { channel: "asc" } })).map((m) => m.channel)).toEqual(["@U0AL", "@U0BO"]);
  });

  test("with a read replica, the vote notes the write for read-your-writes in the same statement", async () => {
    const r = await fileAs("ana", "alpha", "Offline mode");
    const bo = slack("U0BO", "T0ALPHA", "C0ALPHA");
    await known(bo);
    const withReplica: Services = { ...t.services, replica: t.services.db };
    t.clock.advance(60_000);
    expect((await upvote(bo, r, withReplica)).error).toBeFalsy();
    const person = await t.services.db.person.findFirstOrThrow({ where: { accounts: { some: { externalId: "U0BO" } } } });
    expect(person.lastWriteAt).toEqual(t.clock.now());
  });
});
