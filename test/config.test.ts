import { ConfigError, loadEnv } from "../src/config/env";
import { DEFAULT_CONFIG_YAML, parseConfig } from "../src/config/file";
import { syncCommunities } from "../src/core/people/communities";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

describe("environment", () => {
  test("defaults with nothing set", () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ DATA_DIR: "./data", PORT: 3000, FLYWHEEL_CONFIG: "./flywheel.yml" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SLACK_CHANNEL_PACE_MS).toBe(1000);
  });

  test("Slack's per-channel pace: a number of milliseconds, 0 turns it off, empty keeps the default", () => {
    expect(loadEnv({ SLACK_CHANNEL_PACE_MS: "0" }).SLACK_CHANNEL_PACE_MS).toBe(0);
    expect(loadEnv({ SLACK_CHANNEL_PACE_MS: "1200" }).SLACK_CHANNEL_PACE_MS).toBe(1200);
    expect(loadEnv({ SLACK_CHANNEL_PACE_MS: "" }).SLACK_CHANNEL_PACE_MS).toBe(1000);
  });

  test.each([
    [{ PORT: "eighty" }, /^PORT: expected a port number/],
    [{ PORT: "70000" }, /^PORT: expected a port number from 0 to 65535/],
    [{ DATABASE_URL: "mysql://x" }, /^DATABASE_URL: expected a postgresql:\/\/ connection URL/],
    [{ SLACK_BOT_TOKEN: "abc" }, /^SLACK_BOT_TOKEN: expected a Slack bot token starting with xoxb-/],
    [{ GITHUB_API_URL: "not a url" }, /^GITHUB_API_URL: expected a GitHub API base URL/],
    [{ DISCORD_APPLICATION_ID: "app" }, /^DISCORD_APPLICATION_ID: expected a Discord application id/],
    [{ SLACK_CHANNEL_PACE_MS: "fast" }, /^SLACK_CHANNEL_PACE_MS: expected milliseconds between two posts/],
    [{ SLACK_CHANNEL_PACE_MS: "-5" }, /^SLACK_CHANNEL_PACE_MS: expected 0 \(no pacing\) or more/],
  ])("a bad value names the variable in one line: %o", (vars, message) => {
    expect(() => loadEnv(vars)).toThrow(ConfigError);
    expect(() => loadEnv(vars)).toThrow(message);
    expect(() => loadEnv(vars)).toThrow(/^[^\n]*$/);
  });

  test("a bad secret's value never appears in the error", () => {
    expect(() => loadEnv({ SLACK_BOT_TOKEN: "secret-value-123" })).toThrow(ConfigError);
    expect(() => loadEnv({ SLACK_BOT_TOKEN: "secret-value-123" })).toThrow(/^SLACK_BOT_TOKEN: (?![\s\S]*secret-value-123)/);
  });
});

describe("flywheel.yml", () => {
  test("the example file and the built-in default are valid", () => {
    const { readFileSync } = jest.requireActual<typeof import("node:fs")>("node:fs");
    const example = parseConfig(readFileSync("flywheel.example.yml", "utf8"));
    expect(example.communities.map((c) => c.slug)).toEqual(["alpha", "beta", "gamma"]);
    expect(example.weights).toEqual({ premier: 2, general: 1, essential: 1 });
    expect(parseConfig(DEFAULT_CONFIG_YAML).communities).toEqual([expect.objectContaining({ slug: "local" })]);
  });

  test.each([
    ["communities:\n  - { slug: alpha, name: A, tier: gold }", /communities\[0\]\.tier/],
    ["communities:\n  - { slug: Alpha!, name: A }", /communities\[0\]\.slug: expected lowercase/],
    ["communities:\n  - { slug: a, name: A, timezone: Mars/Base }", /communities\[0\]\.timezone: expected an IANA time zone/],
    ["communities:\n  - { slug: a, name: A }\n  - { slug: a, name: B }", /communities\[1\]\.slug: duplicate slug 'a'/],
    ["staff:\n  - { name: nobody }", /staff\[0\]: name at least one of/],
    ["communities: [\n", /not valid YAML/],
    ["weights: { premier: -1 }", /weights\.premier/],
    ["colour: blue", /unrecognized|colour/i],
  ])("errors name the path of the bad field: %s", (yaml, message) => {
    expect(() => parseConfig(yaml, "flywheel.yml")).toThrow(message);
  });
});

describe.each(DB_TARGETS)("config sync on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());

  test("added, changed and removed communities; spaces follow the file", async () => {
    const db = t.services.db;
    expect((await db.community.findMany({ orderBy: { slug: "asc" } })).map((c) => c.slug)).toEqual(["alpha", "beta", "gamma"]);
    expect(await db.space.count({ where: { purpose: "support" } })).toBe(1);
    const next = parseConfig(`
communities:
  - { slug: alpha, name: Alpha University, tier: general, slack: { team: T0ALPHA, channel: C0NEW } }
  - { slug: delta, name: Delta, tier: essential }
`);
    const summary = await syncCommunities(db, next);
    expect(summary).toEqual({ added: ["delta"], changed: ["alpha"], removed: ["beta", "gamma"] });
    expect(await db.community.findUniqueOrThrow({ where: { slug: "alpha" } })).toMatchObject({ tier: "general", active: true });
    expect(await db.community.findUniqueOrThrow({ where: { slug: "beta" } })).toMatchObject({ active: false });
    expect((await db.space.findMany()).map((s) => s.channel)).toEqual(["C0NEW"]);
    expect(await syncCommunities(db, next)).toEqual({ added: [], changed: [], removed: [] });
  });
});
