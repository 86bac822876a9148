import { PassThrough } from "node:stream";
import { runCli } from "../src/cli/program";
import { loadEnv } from "../src/config/env";
import { as } from "./helpers/actors";
import { DB_TARGETS, TEST_CONFIG_YAML, testServices, type TestEnv } from "./helpers/db";
import { GithubStandin, type StandinPull } from "./standins/github";

const REPO = "Codertocat/Hello-World";
const KEY = "codertocat/hello-world";
const TOKEN = `ghp_${"B".repeat(36)}`;
const YAML = `${TEST_CONFIG_YAML}
github:
  repos: [${REPO}]
`;

/** A terminal-like stream: cli-progress draws only on a TTY. */
function fakeTerminal(): PassThrough & { text(): string } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; columns: number; text(): string };
  let out = "";
  s.on("data", (d: Buffer) => (out += d.toString("utf8")));
  s.isTTY = true;
  s.columns = 120;
  s.text = () => out;
  return s;
}

const day = (d: number) => `2026-10-${String(d).padStart(2, "0")}T12:00:00Z`;

describe.each(DB_TARGETS)("flywheel github backfill on %s", (target) => {
  let t: TestEnv;
  let standin: GithubStandin;
  let R = 0;
  let R2 = 0;

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const progress = fakeTerminal();
    const env = loadEnv({ LOG_LEVEL: "silent", GITHUB_TOKEN: TOKEN, GITHUB_API_URL: standin.url, DATA_DIR: "/nonexistent-unused" });
    const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), services: t.services, env, progress });
    return { code, out: out.join("\n"), err: err.join("\n"), progress: progress.text() };
  };

  beforeAll(async () => {
    t = await testServices(target, YAML);
    R = Number(/#(\d+)/.exec((await as(t.services, "ana", "alpha")("/request Faster image builds")).text)![1]);
    R2 = Number(/#(\d+)/.exec((await as(t.services, "bob", "beta")("/request Dark mode everywhere")).text)![1]);
    standin = new GithubStandin();
    await standin.start();
    const pull = (n: number, login: string, extra: Partial<StandinPull> = {}): StandinPull => ({
      number: n,
      title: `Pull ${n}`,
      body: "",
      state: "closed",
      merged_at: day(n),
      user: { login },
      created_at: day(n),
      updated_at: day(n),
      ...extra,
    });
    standin.addPull(REPO, pull(1, "alice-dev"));
    standin.addPull(REPO, pull(2, "bob-dev"));
    standin.addPull(REPO, pull(3, "Codertocat", { body: `Implements Flywheel #${R}` }));
    standin.addPull(REPO, pull(4, "Codertocat", {
      reviews: [{ user: { login: "octocat" }, state: "APPROVED" }],
      commits: [{ message: "Tidy\n\nCo-authored-by: Hubot <99+hubot@users.noreply.github.com>", author: { name: "C", email: "c@example.com" }, login: "Codertocat" }],
    }));
    standin.addPull(REPO, pull(5, "alice-dev"));
    standin.addPull(REPO, pull(6, "mallory", { merged_at: null }));
    const issue = (n: number, login: string, reason: "completed" | "not_planned", body = "", type: "User" | "Bot" = "User", author_association?: string) =>
      standin.addIssue(REPO, { number: n, title: `Issue ${n}`, body, state: "closed", state_reason: reason, user: { login, type }, author_association, created_at: day(n - 9), updated_at: day(n - 9), closed_at: day(n - 9) });
    issue(10, "reporter1", "completed");
    issue(11, "reporter2", "not_planned");
    // A collaborator's mention links (a stranger's would only be suggested: test/github.authority.test.ts).
    issue(12, "reporter3", "completed", `Asked for in Flywheel #${R2}`, "User", "COLLABORATOR");
    issue(13, "renovate[bot]", "completed", "", "Bot");
  });

  afterAll(async () => {
    await standin?.close();
    await t?.close();
  });

  test("bad arguments are refused clearly and touch nothing", async () => {
    for (const [argv, expected] of [
      [["github", "backfill", "not-a-repo"], /"not-a-repo" is not a repository; use owner\/repo/],
      [["github", "backfill", REPO, "--since", "yesterday"], /"yesterday" is not a date; use YYYY-MM-DD/],
      [["github", "backfill", REPO, "--per-page", "500"], /--per-page takes a whole number from 1 to 100/],
      [["github", "backfill", "someone/else"], /someone\/else is not in github.repos/],
    ] as [string[], RegExp][]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(expected);
    }
    expect(standin.requests).toHaveLength(0);
  });

  test("a rate limit pauses it with progress saved; the next run resumes, pages through everything and links", async () => {
    // Page 1 (PRs 6 and 5) is 3 calls; page 2 is read, PR 4's commits too, then GitHub says stop.
    standin.rateLimitAfter = 5;
    const first = await cli("github", "backfill", REPO, "--per-page", "2");
    standin.rateLimitAfter = undefined;
    expect(first.code).toBe(1);
    expect(first.err).toContain("GitHub's API rate limit is used up until 10:30 UTC. Progress is saved: run the same command again after that to go on.");
    expect(first.out).toContain(`${KEY}: 1 merged pull request and 0 closed issues read; 1 new credit, 0 new links.`);
    expect(first.progress).toContain(`${KEY} pulls [`);
    const cursor = await t.services.db.syncState.findUniqueOrThrow({ where: { key: `github:backfill:${KEY}:all` } });
    expect(cursor.value).toMatchObject({ phase: "pulls", page: 2 });
    for (const r of standin.requests) expect(r.authorization).toBe(`token ${TOKEN}`);

    standin.requests.length = 0;
    const second = await cli("github", "backfill", REPO, "--per-page", "2");
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    expect(second.out).toContain(`Resumed ${KEY} at pulls page 2.`);
    expect(second.out).toContain(`${KEY}: 4 merged pull requests and 4 closed issues read; 7 new credits, 2 new links.`);
    expect(second.out).toContain("2 linked requests look done on GitHub but are still open here");
    expect(second.out).toContain(`#${R} Faster image builds — open; ${KEY}#3 merged`);
    expect(second.out).toContain(`#${R2} Dark mode everywhere — open; ${KEY}#12 closed`);
    expect(second.progress).toContain(`${KEY} issues [`);
    // It started on page 2 and followed GitHub's Link headers from there.
    const pullPages = standin.requests.filter((r) => r.path === `/repos/${REPO.toLowerCase()}/pulls`).map((r) => r.query.page ?? "1");
    expect(pullPages).toEqual(["2", "3"]);
    const issuePages = standin.requests.filter((r) => r.path === `/repos/${REPO.toLowerCase()}/issues`).map((r) => r.query.page ?? "1");
    expect(issuePages).toEqual(["1", "2", "3", "4", "5"]);
    expect(await t.services.db.syncState.count()).toBe(0);

    const ledger = await t.services.db.contribution.findMany({ orderBy: { id: "asc" } });
    expect(ledger.map((c) => `${c.source} ${c.kind} ${c.githubLogin}`).sort()).toEqual(
      [
        `github:pr:${KEY}#1 code alice-dev`,
        `github:pr:${KEY}#2 code bob-dev`,
        `github:pr:${KEY}#3 code codertocat`,
        `github:pr:${KEY}#4 code codertocat`,
        `github:pr:${KEY}#4 code hubot`,
        `github:pr:${KEY}#4 review octocat`,
        `github:pr:${KEY}#5 code alice-dev`,
        `github:issue:${KEY}#10 bug reporter1`,
      ].sort(),
    );
    expect(ledger.find((c) => c.source === `github:pr:${KEY}#1`)!.createdAt.toISOString()).toBe("2026-10-01T12:00:00.000Z");
    expect(await t.services.db.githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 3 } } })).toMatchObject({ requestId: R, kind: "pr", state: "merged" });
    expect(await t.services.db.githubItem.findUniqueOrThrow({ where: { repo_number: { repo: KEY, number: 12 } } })).toMatchObject({ requestId: R2, kind: "issue", state: "closed" });
    // History is imported, not announced: statuses and the outbox are untouched.
    expect(await t.services.db.statusChange.count()).toBe(0);
  });

  test("running it again adds nothing; --since reads only the recent part", async () => {
    const before = await t.services.db.contribution.count();
    const again = await cli("github", "backfill", REPO, "--per-page", "2");
    expect(again.code).toBe(0);
    expect(again.out).toContain(`${KEY}: 5 merged pull requests and 4 closed issues read; 0 new credits, 0 new links.`);
    expect(await t.services.db.contribution.count()).toBe(before);

    standin.requests.length = 0;
    const recent = await cli("github", "backfill", REPO, "--since", "2026-10-04", "--per-page", "2");
    expect(recent.code).toBe(0);
    expect(recent.out).toContain(`${KEY}: 2 merged pull requests and 1 closed issue read; 0 new credits, 0 new links.`);
    // Newest first: it stops at the first pull request last updated before the date.
    expect(standin.requests.filter((r) => r.path.endsWith("/pulls")).map((r) => r.query.page ?? "1")).toEqual(["1", "2"]);
    expect(standin.requests.find((r) => r.path.endsWith("/issues"))!.query.since).toBe("2026-10-04T00:00:00.000Z");
    expect(await t.services.db.contribution.count()).toBe(before);
  });
});
