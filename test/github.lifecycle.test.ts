// Who may move the roadmap from GitHub (#16), one effect per event whatever the delivery (#16.2),
// and one lifecycle for every source of a status change (#14.1): real signed payloads from
// @octokit/webhooks-examples through POST /github/webhooks, commands through the registry.
import type { App } from "../src/app";
import { resolveActor } from "../src/core/people/identity";
import type { Reply } from "../src/core/reply";
import { as } from "./helpers/actors";
import { DB_TARGETS } from "./helpers/db";
import { deliver, issueEvent, issueUrl, KEY, pullMerged, pullOpened, pullUrl, REPO, type GithubApp, startGithubApp } from "./helpers/github";
import type { GithubStandin } from "./standins/github";

const SECRET = "webhook-secret-for-tests";

describe.each(DB_TARGETS)("GitHub authority and the request lifecycle on %s", (target) => {
  let app: App;
  let standin: GithubStandin;
  let port: number;
  const post = (event: string, payload: unknown, opts?: Parameters<typeof deliver>[4]) => deliver(port, SECRET, event, payload, opts);
  const db = () => app.services.db;
  const ana = (line: string) => as(app.services, "ana", "alpha")(line);
  const bob = (line: string) => as(app.services, "bob", "beta")(line);
  const carol = (line: string) => as(app.services, "carol")(line);
  const statusOf = async (id: number) => (await db().featureRequest.findUniqueOrThrow({ where: { id } })).status;
  const outbox = async (prefix: string) =>
    (await db().outboxMessage.findMany({ where: { idempotencyKey: { startsWith: prefix } }, orderBy: { id: "asc" } })).map((m) => ({
      where: `${m.platform}:${m.workspace}:${m.channel}`,
      reply: m.payload as unknown as Reply,
    }));

  /** A request ana files, bob votes for and beta pledges to: the same audience every time. */
  async function request(title: string): Promise<number> {
    const filed = await ana(`/request ${title}`);
    expect(filed.text).toContain(title);
    const id = Number(/#(\d+)/.exec(filed.text)![1]);
    await bob(`/upvote ${id}`);
    const bobActor = await resolveActor(app.services, { platform: "shell", externalId: "bob", displayName: "bob", communitySlug: "beta" });
    const beta = await db().community.findUniqueOrThrow({ where: { slug: "beta" } });
    await db().pledge.create({ data: { requestId: id, communityId: beta.id, personId: bobActor.personId, amount: 300 } });
    return id;
  }

  let gh: GithubApp | undefined;
  beforeAll(async () => {
    gh = await startGithubApp(target, { secret: SECRET, token: `ghp_${"L".repeat(36)}` });
    ({ app, standin } = gh);
    port = app.port;
  });

  afterAll(async () => {
    await gh?.close();
  });

  test("a stranger's issue moves nothing, closed either way: staff see a suggestion with a Confirm button", async () => {
    const S = await request("Export the roadmap to CSV");
    const N = await request("Keyboard shortcuts");
    const stranger = { login: "stranger", association: "NONE" as const, sender: "stranger" };
    expect((await post("issues", issueEvent.opened(20, { ...stranger, body: `Please do Flywheel #${S}` }))).body.outcome).toBe("handled");
    expect((await post("issues", issueEvent.opened(21, { ...stranger, body: `Flywheel #${N} too` }))).body.outcome).toBe("handled");
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 20 } } })).toMatchObject({ requestId: null, suggestedRequestId: S, suggestedBy: "stranger" });

    const notice = await outbox(`suggest:${KEY}#20:${S}:`);
    expect(notice.map((n) => n.where)).toEqual(["slack:T0STAFF:C0SUPPORT"]);
    expect(notice[0].reply.text).toContain(`${KEY}#20 (Issue 20) by stranger mentions #${S} Export the roadmap to CSV. It moves nothing until staff confirm it.`);
    expect(notice[0].reply.buttons).toContainEqual({ label: "Confirm", command: `github confirm ${S} ${KEY}#20`, style: "primary" });

    await post("issues", issueEvent.closed(20, "completed", stranger));
    await post("issues", issueEvent.closed(21, "not_planned", stranger));
    expect([await statusOf(S), await statusOf(N)]).toEqual(["open", "open"]);
    expect(await db().statusChange.count({ where: { requestId: { in: [S, N] } } })).toBe(0);
    expect(await db().contribution.count({ where: { requestId: { in: [S, N] } } })).toBe(0);
    expect(await db().outboxMessage.count({ where: { OR: [{ idempotencyKey: { startsWith: "status:" } }, { idempotencyKey: { startsWith: "announce:" } }] } })).toBe(0);

    // Staff see it on /request-show with a Confirm button; a member sees it, without the button.
    const shown = await carol(`/request-show ${S}`);
    expect(shown.text).toContain(`Suggested GitHub links (move nothing until staff confirm): ${KEY}#20 by stranger ${issueUrl(20)}`);
    expect(shown.buttons).toContainEqual({ label: `Confirm ${KEY}#20`, command: `github confirm ${S} ${KEY}#20` });
    const forMember = await ana(`/request-show ${S}`);
    expect(forMember.text).toContain(`${KEY}#20 by stranger`);
    expect(forMember.buttons?.some((b) => b.command.startsWith("github confirm"))).toBe(false);

    // A member pressing Confirm is refused and nothing changes.
    const refused = await ana(`/github confirm ${S} ${KEY}#20`);
    expect(refused.error).toBe(true);
    expect(refused.text).toMatch(/only Flywheel staff/);
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 20 } } })).toMatchObject({ requestId: null, suggestedRequestId: S });
    expect(await statusOf(S)).toBe("open");

    // Staff confirm: linked, and its state (closed as completed) applies with source github.
    const wrong = await carol(`/github confirm ${N} ${KEY}#20`);
    expect(wrong.error).toBe(true);
    expect(wrong.text).toContain(`${KEY}#20 suggests no link to #${N}.`);
    const ok = await carol(`/github confirm ${S} ${KEY}#20`);
    expect(ok.error).toBeFalsy();
    expect(ok.text).toContain(`Confirmed: ${KEY}#20 (Issue 20) is linked to #${S} Export the roadmap to CSV, now shipped.`);
    const carolActor = await resolveActor(app.services, { platform: "shell", externalId: "carol", displayName: "carol" });
    expect(await db().statusChange.findFirstOrThrow({ where: { requestId: S } })).toMatchObject({ from: "open", to: "shipped", source: "github", sourceRef: issueUrl(20), actorId: carolActor.personId });
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 20 } } })).toMatchObject({ requestId: S, suggestedRequestId: null });
    expect((await carol(`/github confirm ${S} ${KEY}#20`)).text).toBe(`${KEY}#20 is already linked to #${S}.`);
    // Not planned, confirmed, declines.
    await carol(`/github confirm ${N} ${KEY}#21`);
    expect(await statusOf(N)).toBe("declined");
  });

  test("a fork's pull request from a newcomer moves nothing; its merge credits the work but still moves nothing; confirming does", async () => {
    const P = await request("Webhooks for votes");
    const fork = { login: "forker", association: "FIRST_TIME_CONTRIBUTOR" as const, fork: "forker/Hello-World" };
    await post("pull_request", pullOpened(22, `Closes Flywheel #${P}`, fork));
    expect(await statusOf(P)).toBe("open");
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 22 } } })).toMatchObject({ requestId: null, suggestedRequestId: P });

    // Merged by a maintainer Flywheel does not know as staff: the work is credited, the request stays.
    await post("pull_request", pullMerged(22, `Closes Flywheel #${P}`, "forker", { ...fork, mergedBy: "Codertocat" }));
    expect(await statusOf(P)).toBe("open");
    expect(await db().contribution.findMany({ where: { source: `github:pr:${KEY}#22` }, select: { kind: true, githubLogin: true, requestId: true } })).toEqual([
      { kind: "code", githubLogin: "forker", requestId: null },
    ]);

    await carol(`/github confirm ${P} ${KEY}#22`);
    expect(await statusOf(P)).toBe("shipped");
    const shipped = await db().statusChange.findFirstOrThrow({ where: { requestId: P } });
    expect(shipped).toMatchObject({ to: "shipped", source: "github", sourceRef: pullUrl(22) });
    const roadmap = (await outbox(`announce:${shipped.id}:`)).find((a) => a.where === "slack:T0STAFF:C0ROADMAP")!;
    expect(roadmap.reply.text).toContain("Built by forker.");
    expect(await db().contribution.count({ where: { source: `github:pr:${KEY}#22`, requestId: P } })).toBe(1);
  });

  test("maintainers move requests: a collaborator's issue, a member's pull request, a staff login merging a stranger's", async () => {
    const M = await request("Audit log");
    const W = await request("SAML login");
    const X = await request("Bulk import");
    await post("issues", issueEvent.opened(23, { login: "maint", association: "COLLABORATOR", body: `Tracks Flywheel #${M}` }));
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 23 } } })).toMatchObject({ requestId: M, suggestedRequestId: null });
    await post("issues", issueEvent.closed(23, "completed", { login: "maint", association: "COLLABORATOR" }));
    expect(await statusOf(M)).toBe("shipped");

    await post("pull_request", pullOpened(24, `Closes Flywheel #${W}`, { login: "orgdev", association: "MEMBER" }));
    expect(await statusOf(W)).toBe("in_progress");

    // A stranger's pull request, merged by octocat: a GitHub login on the staff list.
    await post("pull_request", pullOpened(25, `Flywheel #${X}`, { login: "drive-by", association: "NONE" }));
    expect(await statusOf(X)).toBe("open");
    await post("pull_request", pullMerged(25, `Flywheel #${X}`, "drive-by", { association: "NONE", mergedBy: "octocat" }));
    expect(await statusOf(X)).toBe("shipped");
  });

  test("the same merged pull request under two delivery ids (repository and organization hooks) has one effect", async () => {
    const D = await request("Slack reminders");
    const merged = pullMerged(26, `Flywheel #${D}`);
    const counts = async () => [await db().statusChange.count(), await db().outboxMessage.count(), await db().contribution.count()];
    const repoHook = await post("pull_request", merged);
    expect(repoHook.body.outcome).toBe("handled");
    expect(await statusOf(D)).toBe("shipped");
    const change = await db().statusChange.findFirstOrThrow({ where: { requestId: D } });
    const announced = await outbox(`announce:${change.id}:`);
    expect(announced.length).toBeGreaterThan(0);
    const after = await counts();
    const orgHook = await post("pull_request", merged);
    expect(orgHook.delivery).not.toBe(repoHook.delivery);
    expect(orgHook.body.outcome).toBe("duplicate");
    expect(await counts()).toEqual(after);

    // A second merge commit of the same PR number is another event (e.g. reverted and merged again).
    const again = pullMerged(26, `Flywheel #${D}`);
    again.pull_request.merge_commit_sha = "feedface".padEnd(40, "0");
    expect((await post("pull_request", again)).body.outcome).toBe("handled");
  });

  test("shipping from /set-status, a GitHub issue, a merge or a confirmed suggestion has the same effects", async () => {
    const titles = ["Dark theme for dashboards", "Air-gapped installer", "Shared team folders", "Monthly usage charts"];
    const ids: number[] = [];
    for (const t of titles) ids.push(await request(t));
    const [L1, L2, L3, L4] = ids;

    expect((await carol(`/set-status ${L1} shipped`)).text).toContain(`#${L1} is now shipped`);

    standin.addIssue(REPO, { number: 40, title: "Air-gapped installer", body: "", state: "open", user: { login: "maint" }, created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z" });
    expect((await carol(`/github link ${L2} ${REPO}#40`)).text).toContain(`Linked #${L2}`);
    await post("issues", issueEvent.closed(40, "completed", { login: "maint", sender: "maint" }));

    await post("pull_request", pullMerged(41, `Flywheel #${L3}`));

    await post("issues", issueEvent.opened(42, { login: "stranger", association: "NONE", body: `Flywheel #${L4}` }));
    await post("issues", issueEvent.closed(42, "completed", { login: "stranger", association: "NONE", sender: "stranger" }));
    expect(await statusOf(L4)).toBe("open");
    await carol(`/github confirm ${L4} ${KEY}#42`);

    const ana = await resolveActor(app.services, { platform: "shell", externalId: "ana", displayName: "ana", communitySlug: "alpha" });
    const beta = await db().community.findUniqueOrThrow({ where: { slug: "beta" } });
    const effects = async (id: number, title: string) => {
      const history = await db().statusChange.findMany({ where: { requestId: id }, orderBy: { id: "asc" } });
      const change = history[history.length - 1];
      const generic = (text: string) => text.replaceAll(`#${id} ${title}`, "#N T").split("\n")[0].replace(/ — .*\.$/, ".");
      const followers = (await outbox(`status:${change.id}:`)).map((f) => ({ where: f.where, headline: generic(f.reply.text), who: f.reply.text.split("\n").slice(-2) }));
      const channels = (await outbox(`announce:${change.id}:`)).map((c) => ({ where: c.where, headline: generic(c.reply.text), who: c.reply.text.split("\n").at(-1) })).sort((a, b) => a.where.localeCompare(b.where));
      const credits = (await db().contribution.findMany({ where: { source: `request:${id}:shipped` }, orderBy: { kind: "asc" } })).map((c) => [c.kind, c.personId, c.communityId]);
      return { history: history.map((h) => [h.from, h.to]), followers, channels, credits, source: change.source };
    };
    const all = [await effects(L1, titles[0]), await effects(L2, titles[1]), await effects(L3, titles[2]), await effects(L4, titles[3])];
    expect(all.map((e) => e.source)).toEqual(["command", "github", "github", "github"]);
    const expected = {
      history: [["open", "shipped"]],
      followers: [
        { where: "shell::alpha", headline: "Roadmap update: #N T is now shipped.", who: ["Asked by Alpha University · voted for by Alpha University and Beta College · pledged by Beta College.", "(You asked or voted for it: ana.)"] },
        { where: "shell::beta", headline: "Roadmap update: #N T is now shipped.", who: ["Asked by Alpha University · voted for by Alpha University and Beta College · pledged by Beta College.", "(You asked or voted for it: bob.)"] },
      ],
      channels: ["discord:100000000000000001:100000000000000002", "slack:T0ALPHA:C0ALPHA", "slack:T0BETA:C0BETA", "slack:T0STAFF:C0ROADMAP"].map((where) => ({
        where,
        headline: "Roadmap update: #N T is now shipped.",
        who: "Asked by Alpha University · voted for by Alpha University and Beta College · pledged by Beta College.",
      })),
      credits: [
        ["financial", null, beta.id],
        ["ideas", ana.personId, ana.communityId],
      ],
    };
    for (const e of all) expect({ history: e.history, followers: e.followers, channels: e.channels, credits: e.credits }).toEqual(expected);
    // The merge also names who built it, from the code credits it wrote.
    const merge = await db().statusChange.findFirstOrThrow({ where: { requestId: L3 } });
    expect((await outbox(`announce:${merge.id}:`))[0].reply.text).toContain("Built by Codertocat.");
    expect(await db().contribution.count({ where: { source: `github:pr:${KEY}#41`, kind: "code", requestId: L3 } })).toBe(1);

    // And /credits, as a new user would try it, finds the staff command's credits too.
    const credits = await bob("/credits ana");
    for (const [i, id] of ids.entries()) expect(credits.text).toContain(`ideas — #${id} ${titles[i]}`);
  });
});
