import { isUserError } from "../src/core/errors";
import { translator } from "../src/i18n/translate";
import {
  getPublicRequest,
  listRoadmap,
  publicCommunity,
  roadmapOverview,
  statusFeed,
  type PublicRequest,
} from "../src/core/roadmap/roadmap";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { PRIVATE_WORDS, ROADMAP_CONFIG_YAML, seedRoadmap, XSS_TITLE, type Seeded } from "./helpers/roadmap-seed";

const numbers = (rows: PublicRequest[]) => rows.map((r) => r.number);

const expectNoPrivateNames = (value: unknown) => {
  const text = JSON.stringify(value);
  for (const word of PRIVATE_WORDS) expect(text).not.toContain(word);
};

test("a private community is named by its tier only, in the reader's language", () => {
  const en = translator("en");
  expect(publicCommunity({ name: "Sigma", slug: "sigma", private: true, tier: "premier" }, translator("es")).name).toBe("un miembro Premier");
  expect(publicCommunity({ name: "Sigma", slug: "sigma", private: true, tier: "premier" }, en)).toEqual({ name: "a Premier member", slug: null, private: true });
  expect(publicCommunity({ name: "Gamma", slug: "gamma", private: true, tier: "essential" }, en)).toEqual({ name: "an Essential member", slug: null, private: true });
  expect(publicCommunity({ name: "Beta", slug: "beta", private: true, tier: "general" }, en).name).toBe("a General member");
  expect(publicCommunity({ name: "Alpha", slug: "alpha", private: false, tier: "premier" }, en)).toEqual({ name: "Alpha", slug: "alpha", private: false });
});

describe.each(DB_TARGETS)("public roadmap data on %s", (target) => {
  let t: TestEnv;
  let s: Seeded;
  beforeAll(async () => {
    t = await testServices(target, ROADMAP_CONFIG_YAML);
    s = await seedRoadmap(t.services.db, t.clock.now());
  });
  afterAll(() => t.close());

  test("the overview groups planned, in progress, recently shipped and most-wanted open", async () => {
    const groups = await roadmapOverview(t.services, {});
    expect(groups.map((g) => [g.key, numbers(g.rows), g.total])).toEqual([
      ["planned", [s.darkMode], 1],
      ["in_progress", [s.builds], 1],
      // Audit log shipped 200 days ago: not recent.
      ["shipped_recently", [s.csv], 1],
      ["open", [s.sso, s.xss, s.gammaOnly], 3],
    ]);
    expectNoPrivateNames(groups);
  });

  test("breadth says how many communities, which ones (private ones by tier), and the weighted share", async () => {
    const [open] = (await roadmapOverview(t.services, {})).filter((g) => g.key === "open");
    const sso = open.rows[0];
    expect(sso.breadth.communities).toBe(4);
    // alpha premier 2 + beta 1 + gamma essential 1 + sigma premier 2, out of 7 (delta general 1 too).
    expect(sso.breadth.weighted).toBe(6);
    expect(sso.breadth.share).toBeCloseTo(6 / 7);
    expect(sso.breadth.wantedBy.map((c) => c.name)).toEqual(["Alpha University", "Beta College", "a Premier member", "an Essential member"]);
    expect(sso.breadth.wantedBy.filter((c) => c.private).every((c) => c.slug === null)).toBe(true);
    expect(sso.votes).toBe(5);
    expect(sso.pledges).toEqual({ count: 2, total: 6500, unit: "USD" });
  });

  test("shipped lists newest first, with the date it shipped and who is credited", async () => {
    const p = await listRoadmap(t.services, { statuses: ["shipped"] });
    expect(numbers(p.rows)).toEqual([s.csv, s.oldShipped]);
    const csv = p.rows[0];
    expect(csv.shippedAt?.toISOString()).toBe(new Date(s.now.getTime() - 10 * 86_400_000).toISOString());
    expect(csv.credits).toEqual([
      { name: "Ana", kinds: ["code", "review"], githubLogin: "ana-dev" },
      { name: "@octocat", kinds: ["review"], githubLogin: "octocat" },
      { name: "an Essential member", kinds: ["funding"], githubLogin: null },
    ]);
    expect(csv.github).toEqual([
      { repo: "flywheel-org/flywheel", number: 77, kind: "pull", url: "https://github.com/flywheel-org/flywheel/pull/77", state: "merged", title: "CSV export" },
    ]);
  });

  test("filters by community and search, alone and together, on every status", async () => {
    expect(numbers((await listRoadmap(t.services, { statuses: ["open"], community: "beta" })).rows)).toEqual([s.sso]);
    expect(numbers((await listRoadmap(t.services, { statuses: ["planned"], community: "delta" })).rows)).toEqual([s.darkMode]);
    expect(numbers((await listRoadmap(t.services, { statuses: ["in_progress"], search: "image builds" })).rows)).toEqual([s.builds]);
    // Words from the details count too; shipped keeps its filters.
    expect(numbers((await listRoadmap(t.services, { statuses: ["shipped"], search: "quarterly" })).rows)).toEqual([s.csv]);
    expect(numbers((await listRoadmap(t.services, { statuses: ["shipped"], community: "beta" })).rows)).toEqual([s.oldShipped]);
    const groups = await roadmapOverview(t.services, { community: "alpha", search: "SAML" });
    expect(groups.map((g) => numbers(g.rows))).toEqual([[], [], [], [s.sso]]);
    expect(numbers((await listRoadmap(t.services, { statuses: [] })).rows).sort((a, b) => a - b)).toEqual(
      [s.sso, s.builds, s.darkMode, s.csv, s.xss, s.oldShipped, s.declined, s.gammaOnly].sort((a, b) => a - b),
    );
  });

  test("a private community's slug cannot be used as a filter: it would reveal what it wants", async () => {
    for (const community of ["gamma", "sigma", "nosuch"]) {
      const err = await listRoadmap(t.services, { statuses: ["open"], community }).catch((e: unknown) => e);
      expect(isUserError(err)).toBe(true);
      expect((err as Error).message).toBe(`There is no community "${community}" on the public roadmap.`);
      await expect(roadmapOverview(t.services, { community })).rejects.toThrow("There is no community");
    }
  });

  test("one request with its history, votes over time, pledges and merges; unknown numbers are null", async () => {
    const sso = (await getPublicRequest(t.services, s.sso))!;
    expect(sso.body).toBe("Our staff log in with SAML everywhere else.");
    expect(sso.requestedBy).toEqual({ name: "Alpha University", slug: "alpha", private: false });
    expect(sso.mergedFrom).toEqual([s.merged]);
    expect(sso.votesOverTime).toEqual([
      { day: "2026-10-24", votes: 1 },
      { day: "2026-10-25", votes: 2 },
      { day: "2026-11-03", votes: 3 },
      { day: "2026-11-11", votes: 4 },
      { day: "2026-11-18", votes: 5 },
    ]);
    expect(sso.pledgesBy).toEqual([
      { community: { name: "Alpha University", slug: "alpha", private: false }, amount: 5000 },
      { community: { name: "an Essential member", slug: null, private: true }, amount: 1500 },
    ]);
    const builds = (await getPublicRequest(t.services, s.builds))!;
    expect(builds.history.map((h) => [h.from, h.to, h.source, h.reason, h.link])).toEqual([
      ["open", "planned", "command", "Scheduled for the winter release", null],
      ["planned", "in_progress", "github", null, "https://github.com/flywheel-org/flywheel/pull/88"],
    ]);
    // A javascript: source reference is not a link.
    expect((await getPublicRequest(t.services, s.oldShipped))!.history[0].link).toBeNull();
    const merged = (await getPublicRequest(t.services, s.merged))!;
    expect([merged.status, merged.mergedInto]).toEqual(["merged", s.sso]);
    const xss = (await getPublicRequest(t.services, s.xss))!;
    expect(xss.title).toBe(XSS_TITLE);
    expect(xss.requestedBy).toEqual({ name: "an Essential member", slug: null, private: true });
    for (const n of [0, -1, 999_999, 3_000_000_000, 1.5]) expect(await getPublicRequest(t.services, n)).toBeNull();
    for (const n of Object.values(s).filter((v): v is number => typeof v === "number")) expectNoPrivateNames(await getPublicRequest(t.services, n));
  });

  test("the feed lists status changes newest first, private communities by tier", async () => {
    const feed = await statusFeed(t.services);
    expect(feed.map((e) => [e.number, e.from, e.to])).toEqual([
      [s.darkMode, "open", "planned"],
      [s.builds, "planned", "in_progress"],
      [s.csv, "in_progress", "shipped"],
      [s.merged, "open", "merged"],
      [s.builds, "open", "planned"],
      [s.csv, "open", "in_progress"],
      [s.declined, "open", "declined"],
      [s.oldShipped, "open", "shipped"],
    ]);
    expect(feed[2].wantedBy.map((c) => c.name)).toEqual(["Alpha University", "an Essential member"]);
    expectNoPrivateNames(feed);
    expect((await statusFeed(t.services, 2)).length).toBe(2);
  });
});
