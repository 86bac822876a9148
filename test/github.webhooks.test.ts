import type {
  IssueCommentCreatedEvent,
  ProjectsV2ItemEditedEvent,
  PullRequestClosedEvent,
  PullRequestReviewSubmittedEvent,
  ReleasePublishedEvent,
} from "@octokit/webhooks-types";
import type { App } from "../src/app";
import { dispatch } from "../src/command-kit/dispatch";
import { ManualClock } from "../src/core/clock";
import { resolveActor, type Speaker } from "../src/core/people/identity";
import type { Place, Reply } from "../src/core/reply";
import { as } from "./helpers/actors";
import { DB_TARGETS } from "./helpers/db";
import { deliver, example, issueEvent, issueUrl, KEY, nodeIdOf, pullMerged, pullOpened, pullUrl, REPO, sign, asIssue, type GithubApp, startGithubApp } from "./helpers/github";
import type { GithubStandin } from "./standins/github";

const SECRET = "webhook-secret-for-tests";
const TOKEN = `ghp_${"T".repeat(36)}`;

describe.each(DB_TARGETS)("GitHub webhooks and commands on %s", (target) => {
  let app: App;
  let standin: GithubStandin;
  let port: number;
  const clock = new ManualClock();
  const post = (event: string, payload: unknown, opts?: Parameters<typeof deliver>[4]) => deliver(port, SECRET, event, payload, opts);
  const db = () => app.services.db;
  const replies: Reply[] = [];
  const run = (name: string, community?: string) => async (line: string) => {
    const r = await as(app.services, name, community)(line);
    replies.push(r);
    return r;
  };
  const ana = run("ana", "alpha");
  const bob = run("bob", "beta");
  const gus = run("gus", "gamma");
  const carol = run("carol");
  const numberIn = (r: Reply) => Number(/#(\d+)/.exec(r.text)![1]);
  const outboxText = async (prefix: string) =>
    (await db().outboxMessage.findMany({ where: { idempotencyKey: { startsWith: prefix } }, orderBy: { id: "asc" } })).map((m) => ({
      where: `${m.platform}:${m.workspace}:${m.channel}`,
      text: (m.payload as unknown as Reply).text,
    }));
  const slackBea: { speaker: Speaker; place: Place } = {
    speaker: { platform: "slack", externalId: "U0BEA", displayName: "Bea", workspace: "T0BETA", channel: "C0BETA" },
    place: { platform: "slack", workspace: "T0BETA", channel: "C0BETA", user: "U0BEA" },
  };
  let A = 0;
  let B = 0;

  let gh: GithubApp | undefined;
  beforeAll(async () => {
    gh = await startGithubApp(target, { secret: SECRET, token: TOKEN, clock });
    ({ app, standin } = gh);
    port = app.port;
  });

  afterAll(async () => {
    await gh?.close();
  });

  test("health shows GitHub; signatures are checked on the raw body and a refused delivery changes nothing", async () => {
    const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { platforms: Record<string, string> };
    expect(health.platforms.github).toBe("connected");

    const payload = issueEvent.opened(1, { body: "Flywheel #1" });
    const raw = JSON.stringify(payload);
    const wrongSecret = await post("issues", payload, { signature: sign("another-secret", raw) });
    expect(wrongSecret.status).toBe(401);
    // Same content, other bytes: a re-serialised body must not pass.
    const reserialised = await post("issues", payload, { body: JSON.stringify(payload, null, 2) });
    expect(reserialised.status).toBe(401);
    expect((await post("issues", payload, { signature: null })).status).toBe(401);
    const garbage = "{not json";
    expect((await post("issues", payload, { body: garbage, signature: sign(SECRET, garbage) })).status).toBe(400);
    const noEvent = await fetch(`http://127.0.0.1:${port}/github/webhooks`, { method: "POST", body: raw, headers: { "x-hub-signature-256": sign(SECRET, raw) } });
    expect(noEvent.status).toBe(400);
    expect(await db().webhookDelivery.count()).toBe(0);
    expect(await db().githubItem.count()).toBe(0);

    expect((await post("ping", { zen: "Keep it logically awesome.", hook_id: 1 })).body.outcome).toBe("pong");
    expect((await post("star", { action: "created", repository: payload.repository })).body.outcome).toBe("ignored");
  });

  test("staff open a GitHub issue for a request; members may not; the issue's own webhook links harmlessly", async () => {
    A = numberIn(await ana("/request Faster image builds | CI takes 20 minutes @everyone"));
    await bob(`/upvote ${A}`);
    await gus(`/upvote ${A}`);
    const bea = await dispatch(app.services, { command: "upvote", text: String(A), ...slackBea });
    expect(bea.error).toBeFalsy();
    const bobActor = await resolveActor(app.services, { platform: "shell", externalId: "bob", displayName: "bob", communitySlug: "beta" });
    const beta = await db().community.findUniqueOrThrow({ where: { slug: "beta" } });
    await db().pledge.create({ data: { requestId: A, communityId: beta.id, personId: bobActor.personId, amount: 500 } });

    const refused = await ana(`/github issue ${A}`);
    expect(refused.error).toBe(true);
    expect(refused.text).toMatch(/only Flywheel staff/);
    expect(standin.requests.filter((r) => r.method === "POST")).toHaveLength(0);

    const opened = await carol(`/github issue ${A}`);
    expect(opened.error).toBeFalsy();
    expect(opened.text).toContain(`Opened ${KEY}#100 for #${A}`);
    const call = standin.requests.find((r) => r.method === "POST")!;
    expect(call.path).toBe(`/repos/${REPO}/issues`);
    expect(call.authorization).toBe(`token ${TOKEN}`);
    const sent = call.body as { title: string; body: string };
    expect(sent.title).toBe("Faster image builds");
    expect(sent.body).toContain(`Flywheel #${A}`);
    expect(sent.body).toContain("CI takes 20 minutes @\u200beveryone"); // no @mention on GitHub
    expect(sent.body).toContain("by Alpha University");
    expect(sent.body).toMatch(/Alpha University, Beta College, and an Essential member/);
    expect(sent.body).toContain("Co-funding pledged by Beta College");
    expect(sent.body).not.toContain("Gamma");
    const item = await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 100 } } });
    expect(item).toMatchObject({ requestId: A, kind: "issue", url: issueUrl(100), nodeId: nodeIdOf(100) });

    const again = await carol(`/github issue ${A}`);
    expect(again.error).toBe(true);
    expect(again.text).toContain(`already tracked in ${KEY}#100`);

    const hook = issueEvent.opened(100, { title: "Faster image builds", body: sent.body });
    const first = await post("issues", hook);
    expect(first).toMatchObject({ status: 200, body: { outcome: "handled" } });
    expect((await post("issues", hook, { delivery: first.delivery })).body.outcome).toBe("duplicate");
    expect(await db().githubItem.count()).toBe(1);
    expect((await db().featureRequest.findUniqueOrThrow({ where: { id: A } })).status).toBe("open");
  });

  test("milestone and project status move the request; communities, roadmap and voters hear it once", async () => {
    const ms = await post("issues", issueEvent.milestoned(100));
    expect(ms.body.outcome).toBe("handled");
    const change = await db().statusChange.findFirstOrThrow({ where: { requestId: A }, orderBy: { id: "desc" } });
    expect(change).toMatchObject({ from: "open", to: "planned", source: "github", sourceRef: issueUrl(100) });
    expect(change.reason).toContain("milestone v1.0");

    const channels = await outboxText(`announce:${change.id}:`);
    expect(channels.map((c) => c.where).sort()).toEqual([
      "discord:100000000000000001:100000000000000002",
      "discord:100000000000000003:100000000000000004",
      "slack:T0ALPHA:C0ALPHA",
      "slack:T0STAFF:C0ROADMAP",
    ]);
    expect(channels[0].text).toContain(`Roadmap update: #${A} Faster image builds is now planned`);
    expect(channels[0].text).toContain("Wanted by Alpha University, Beta College, and an Essential member.");
    const followers = await outboxText(`status:${change.id}:`);
    // ana, bob and gus in their terminals; Bea in beta's Slack channel, which therefore gets no second post.
    expect(followers.map((f) => f.where).sort()).toEqual(["shell::alpha", "shell::beta", "shell::gamma", "slack:T0BETA:C0BETA"]);
    expect(followers.find((f) => f.where === "slack:T0BETA:C0BETA")!.text).toContain("(You asked or voted for it: Bea.)");

    // The same news again (another delivery of an equal event) changes nothing.
    const before = await db().outboxMessage.count();
    await post("issues", issueEvent.milestoned(100));
    expect(await db().outboxMessage.count()).toBe(before);

    // A recorded Projects v2 edit says only that a field changed: nothing to map.
    const bare = example("projects_v2_item", "edited") as ProjectsV2ItemEditedEvent;
    expect((await post("projects_v2_item", bare)).body.outcome).toBe("handled");
    expect((await db().featureRequest.findUniqueOrThrow({ where: { id: A } })).status).toBe("planned");
    // Current payloads name the field and the option it moved to.
    const moved = example("projects_v2_item", "edited") as ProjectsV2ItemEditedEvent;
    moved.projects_v2_item.content_node_id = nodeIdOf(100);
    moved.projects_v2_item.content_type = "Issue";
    (moved.changes as unknown as { field_value: object }).field_value = {
      field_node_id: "PVTF_status",
      field_type: "single_select",
      field_name: "Status",
      from: { id: "1", name: "Todo" },
      to: { id: "2", name: "In Progress" },
    };
    expect((await post("projects_v2_item", moved)).body.outcome).toBe("handled");
    const inProgress = await db().statusChange.findFirstOrThrow({ where: { requestId: A }, orderBy: { id: "desc" } });
    expect(inProgress).toMatchObject({ from: "planned", to: "in_progress", source: "github", sourceRef: issueUrl(100) });
  });

  test("a merged PR credits its author, co-authors and reviewers, ships the request and names who built it", async () => {
    const bobActor = await resolveActor(app.services, { platform: "shell", externalId: "bob", displayName: "bob", communitySlug: "beta" });
    await db().account.create({ data: { personId: bobActor.personId, platform: "github", externalId: "hubot" } });
    const sam = await resolveActor(app.services, { platform: "slack", externalId: "U0STAFF", displayName: "Sam", workspace: "T0STAFF" });
    standin.addPull(REPO, {
      number: 101,
      title: "Cache image layers",
      body: "",
      state: "closed",
      merged_at: "2026-11-20T11:00:00Z",
      user: { login: "Codertocat" },
      created_at: "2026-11-19T10:00:00Z",
      updated_at: "2026-11-20T11:00:00Z",
      reviews: [
        { user: { login: "octocat" }, state: "APPROVED" },
        { user: { login: "dependabot[bot]", type: "Bot" }, state: "COMMENTED" },
      ],
      commits: [
        { message: "Cache layers", author: { name: "Ana", email: "ana@alpha.example" }, login: "ana-gh" },
        { message: "Parallel steps\n\nCo-authored-by: Ana <ana@alpha.example>\nCo-authored-by: Mona <mona@elsewhere.example>", author: { name: "Codertocat", email: "c@example.com" }, login: "Codertocat" },
      ],
    });

    const body = `Caches layers. Flywheel #${A}\n\nCloses #100\n\nCo-authored-by: Lisa <12345+monalisa@users.noreply.github.com>`;
    expect((await post("pull_request", pullOpened(101, body))).body.outcome).toBe("handled");
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 101 } } })).toMatchObject({ requestId: A, kind: "pr", state: "open" });
    expect((await db().featureRequest.findUniqueOrThrow({ where: { id: A } })).status).toBe("in_progress");

    const review = example("pull_request_review", "submitted") as PullRequestReviewSubmittedEvent;
    review.pull_request.number = 101;
    review.review.user = { ...review.review.user, login: "hubot" };
    expect((await post("pull_request_review", review)).body.outcome).toBe("handled");
    expect(await db().contribution.count()).toBe(0); // reviewers are credited when it merges

    const merged = await post("pull_request", pullMerged(101, body));
    expect(merged.body.outcome).toBe("handled");
    const ledger = await db().contribution.findMany({ where: { source: `github:pr:${KEY}#101` }, orderBy: { id: "asc" } });
    const who = ledger.map((c) => `${c.kind}:${c.personId ? `person:${c.personId}` : c.githubLogin}`).sort();
    expect(who).toEqual(["code:ana-gh", "code:codertocat", "code:monalisa", `review:person:${bobActor.personId}`, `review:person:${sam.personId}`].sort());
    expect(ledger.every((c) => c.requestId === A)).toBe(true);
    expect(ledger[0].createdAt.toISOString()).toBe("2026-11-20T11:00:00.000Z");
    // The staff entry's github login became Sam's linked account.
    expect(await db().account.findUnique({ where: { platform_externalId: { platform: "github", externalId: "octocat" } } })).toMatchObject({ personId: sam.personId });

    const shipped = await db().statusChange.findFirstOrThrow({ where: { requestId: A }, orderBy: { id: "desc" } });
    expect(shipped).toMatchObject({ from: "in_progress", to: "shipped", source: "github", sourceRef: pullUrl(101) });
    const roadmap = (await outboxText(`announce:${shipped.id}:`)).find((c) => c.where === "slack:T0STAFF:C0ROADMAP")!;
    expect(roadmap.text).toContain(`#${A} Faster image builds is now shipped`);
    expect(roadmap.text).toMatch(/Built by Codertocat, monalisa, and ana-gh; reviewed by (bob and Sam|Sam and bob)\./);
    expect(roadmap.text).toContain("Asked by Alpha University · voted for by Alpha University, Beta College, and an Essential member · pledged by Beta College.");
    const toAna = (await outboxText(`status:${shipped.id}:`)).find((f) => f.where === "shell::alpha")!;
    expect(toAna.text).toContain("Built by Codertocat");
    expect(toAna.text).toContain("(You asked or voted for it: ana.)");

    const shipCredits = await db().contribution.findMany({ where: { source: `request:${A}:shipped` }, orderBy: { kind: "asc" } });
    const anaActor = await resolveActor(app.services, { platform: "shell", externalId: "ana", displayName: "ana", communitySlug: "alpha" });
    const beta = await db().community.findUniqueOrThrow({ where: { slug: "beta" } });
    expect(shipCredits.map((c) => [c.kind, c.personId, c.communityId])).toEqual([
      ["financial", null, beta.id],
      ["ideas", anaActor.personId, anaActor.communityId],
    ]);

    // Redelivery, and the issue's own closing, change nothing more.
    const counts = async () => [await db().contribution.count(), await db().outboxMessage.count(), await db().statusChange.count()];
    const before = await counts();
    expect((await post("pull_request", pullMerged(101, body), { delivery: merged.delivery })).body.outcome).toBe("duplicate");
    expect((await post("issues", issueEvent.closed(100, "completed"))).body.outcome).toBe("handled");
    expect(await counts()).toEqual(before);
    expect((await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 100 } } })).state).toBe("closed");
  });

  test("a published release names shipped requests: voters and channels hear it is available", async () => {
    const rel = example("release", "published") as ReleasePublishedEvent;
    rel.release.body = "## What's new\n- Cache image layers (#101)\n- Fix typo (#3)";
    rel.release.name = "v2.0";
    expect((await post("release", rel)).body.outcome).toBe("handled");
    const sent = await outboxText(`release:${KEY}:${rel.release.id}:${A}`);
    expect(sent.some((s) => s.where === "shell::alpha" && s.text.includes(`#${A} Faster image builds is available in v2.0`))).toBe(true);
    expect(sent.some((s) => s.where === "slack:T0STAFF:C0ROADMAP")).toBe(true);
    expect((await db().featureRequest.findUniqueOrThrow({ where: { id: A } })).status).toBe("shipped");
  });

  test("a comment links an issue; closing as not planned declines, reopening restores, labels move it", async () => {
    B = numberIn(await ana("/request Dark mode for the dashboard"));
    const comment = example("issue_comment", "created") as IssueCommentCreatedEvent;
    asIssue(comment, 7, { labels: ["status: planned"] });
    comment.comment.body = `This is what Flywheel #${B} asks for.`;
    expect((await post("issue_comment", comment)).body.outcome).toBe("handled");
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 7 } } })).toMatchObject({ requestId: B, nodeId: nodeIdOf(7) });
    const statusOf = async () => (await db().featureRequest.findUniqueOrThrow({ where: { id: B } })).status;
    expect(await statusOf()).toBe("planned");

    await post("issues", issueEvent.closed(7, "not_planned"));
    expect(await statusOf()).toBe("declined");
    const declined = await db().statusChange.findFirstOrThrow({ where: { requestId: B }, orderBy: { id: "desc" } });
    expect(declined.reason).toContain("closed as not planned");
    await post("issues", issueEvent.reopened(7));
    expect(await statusOf()).toBe("planned");
    await post("issues", issueEvent.labeled(7, "Status: In Progress"));
    expect(await statusOf()).toBe("in_progress");
    await post("issues", issueEvent.closed(7, "duplicate"));
    expect(await statusOf()).toBe("in_progress");
    expect(await db().statusChange.count({ where: { requestId: B, source: "github" } })).toBe(4);
  });

  test("unlinked events, bots and unknown repositories are harmless; completed bug reports credit their reporter", async () => {
    const items = await db().githubItem.count();
    expect((await post("issues", issueEvent.opened(8, { body: "Something is broken" }))).body.outcome).toBe("handled");
    expect(await db().githubItem.count()).toBe(items);
    await post("issues", issueEvent.labeled(8, "status: planned"));
    await post("issues", issueEvent.closed(8, "completed", { login: "Codertocat", title: "Crash on start" }));
    expect(await db().contribution.findFirst({ where: { source: `github:issue:${KEY}#8` } })).toMatchObject({ kind: "bug", githubLogin: "codertocat", note: `${KEY}#8 Crash on start` });
    await post("issues", issueEvent.closed(9, "completed", { login: "renovate[bot]", type: "Bot" }));
    await post("issues", issueEvent.closed(10, "not_planned"));
    expect(await db().contribution.count({ where: { source: { in: [`github:issue:${KEY}#9`, `github:issue:${KEY}#10`] } } })).toBe(0);

    const stranger = issueEvent.opened(11, { body: `Flywheel #${B}` });
    stranger.repository = { ...stranger.repository, full_name: "someone/else", name: "else" };
    const deliveries = await db().webhookDelivery.count();
    expect((await post("issues", stranger)).body.outcome).toBe("ignored");
    expect(await db().githubItem.count({ where: { repo: "someone/else" } })).toBe(0);
    expect(await db().webhookDelivery.count()).toBe(deliveries);

    // A delivery whose handling fails is rolled back and answered 500, so GitHub's redelivery retries it.
    const broken = issueEvent.opened(12, { body: `Flywheel #${B}` });
    (broken.issue as unknown as { labels: string }).labels = "not a list";
    const failed = await post("issues", broken);
    expect(failed.status).toBe(500);
    expect(await db().webhookDelivery.findUnique({ where: { id: `github:${failed.delivery}` } })).toBeNull();
    const retried = await post("issues", issueEvent.opened(12, { body: `Flywheel #${B}` }), { delivery: failed.delivery });
    expect(retried.body.outcome).toBe("handled");
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 12 } } })).toMatchObject({ requestId: B });

    const ghost = example("projects_v2_item", "edited") as ProjectsV2ItemEditedEvent;
    ghost.projects_v2_item.content_node_id = "I_unknown";
    (ghost.changes as unknown as { field_value: object }).field_value = { field_name: "Status", to: { id: "3", name: "Done" } };
    expect((await post("projects_v2_item", ghost)).body.outcome).toBe("handled");
    const unmerged = example("pull_request", "closed") as PullRequestClosedEvent;
    expect((await post("pull_request", unmerged)).body.outcome).toBe("handled");
    expect(await db().contribution.count({ where: { source: `github:pr:${KEY}#2` } })).toBe(0);
  });

  test("/github link reads the issue from GitHub, follows its labels, and explains every mistake", async () => {
    const C = numberIn(await ana("/request Offline installer for air-gapped sites"));
    standin.addIssue(REPO, { number: 50, title: "Offline installer", body: "", state: "open", labels: ["status: in progress"], user: { login: "octocat" }, created_at: "2026-11-01T00:00:00Z", updated_at: "2026-11-01T00:00:00Z" });
    const linked = await carol(`/github link ${C} https://github.com/Codertocat/Hello-World/issues/50`);
    expect(linked.error).toBeFalsy();
    expect(linked.text).toContain(`Linked #${C} Offline installer for air-gapped sites to ${KEY}#50 (Offline installer)`);
    expect(linked.text).toContain("now in progress");
    expect(await db().githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 50 } } })).toMatchObject({ requestId: C, title: "Offline installer", nodeId: nodeIdOf(50) });

    const cases: [string, RegExp][] = [
      [`/github link ${C} someone/else#1`, /not one of the repositories Flywheel follows/],
      [`/github link ${C} ${REPO}#999`, new RegExp(`GitHub says ${KEY}#999 does not exist`)],
      [`/github link ${C} banana`, /can't read "banana"/],
      [`/github link ${C}`, /Name the issue or pull request to link/],
      [`/github link 99999 ${REPO}#50`, /There is no request #99999/],
      [`/github frobnicate ${C}`, /Say what to do/],
      [`/github issue ${C} not-a-repo`, /not a repository name/],
    ];
    for (const [line, expected] of cases) {
      const r = await carol(line);
      expect(r.error).toBe(true);
      expect(r.text).toMatch(expected);
    }
    const member = await ana(`/github link ${C} ${REPO}#50`);
    expect(member.text).toMatch(/only Flywheel staff/);

    const D = numberIn(await ana("/request Audit log export to CSV"));
    standin.rateLimitAfter = 0;
    const limited = await carol(`/github issue ${D}`);
    standin.rateLimitAfter = undefined;
    expect(limited.error).toBe(true);
    expect(limited.text).toBe("GitHub's API rate limit is used up until 10:30 UTC; try again after that.");
    expect(await db().githubItem.count({ where: { requestId: D } })).toBe(0);

    for (const r of replies) expect(r.text).not.toContain(TOKEN);
  });

  test("/credits shows the ledger by person, GitHub login, community and date, with friendly errors", async () => {
    const all = await bob("/credits");
    expect(all.text).toMatch(/^Credits \(\d+\):/);
    expect(all.text).toContain("codertocat (GitHub) — 1 code · 1 bug");
    expect(all.text).toContain("bob — 1 review");
    expect(all.text).toContain("Beta College — 1 financial");

    const hubot = await bob("/credits hubot");
    expect(hubot.text).toContain("Credits for bob: 1 review");
    expect(hubot.text).toContain(`review — ${KEY}#101 Pull 101`);
    expect((await bob("/credits ana")).text).toContain(`Credits for ana: 1 ideas`);
    expect((await bob("/credits @monalisa")).text).toContain("Credits for monalisa (GitHub): 1 code");
    const beta = await bob("/credits beta");
    expect(beta.text).toContain("Credits for Beta College: 1 review · 1 financial");
    expect(beta.text).toContain("review (bob)");
    expect((await bob("/credits 2030-01-01")).text).toBe("No credits since 2030-01-01 yet. Merged pull requests, reviews, shipped requests and pledges earn them.");
    expect((await bob("/credits codertocat 2026-11-20")).text).toContain("since 2026-11-20: 1 code · 1 bug");

    const errors: [string, RegExp][] = [
      ["/credits ana 2026-02-30", /is not a date; use YYYY-MM-DD/],
      ["/credits nobody-at-all", /I know no person, community or GitHub login called "nobody-at-all"/],
      ["/credits gamma", /gamma keeps its credits private/],
    ];
    for (const [line, expected] of errors) {
      const r = await bob(line);
      expect(r.error).toBe(true);
      expect(r.text).toMatch(expected);
    }
    expect((await carol("/credits gamma")).text).toContain("No credits for Gamma Institute yet.");
  });
});
