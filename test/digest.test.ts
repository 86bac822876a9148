import { runCli } from "../src/cli/program";
import { loadEnv } from "../src/config/env";
import { parseConfig } from "../src/config/file";
import { buildDigest, communityBySlug, postDigest } from "../src/core/digest/digest";
import { formatWeekRange, parseWeek, weekContaining } from "../src/core/weeks";
import { openDatabase } from "../src/db/client";
import { OutboxWorker } from "../src/delivery/worker";
import { firstFireBetween } from "../src/jobs/cron";
import { as } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { ALPHA_W48_TEXT, DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";
import { PlatformStandIn, standInDeliverer } from "./helpers/platform-standin";

describe("weeks in a community's time zone", () => {
  test("ISO weeks start on Monday 00:00 local time, across DST and year ends", () => {
    const paris = parseWeek("2026-11-25", "Europe/Paris");
    expect(paris).toMatchObject({ label: "2026-W48", start: new Date("2026-11-22T23:00:00Z"), end: new Date("2026-11-29T23:00:00Z") });
    expect(weekContaining(new Date("2026-11-29T23:30:00Z"), "Europe/Paris").label).toBe("2026-W49");
    expect(weekContaining(new Date("2026-11-29T23:30:00Z"), "UTC").label).toBe("2026-W48");
    // The week summer time ends is an hour longer.
    const dst = parseWeek("2026-W43", "Europe/Paris");
    expect([dst.start.toISOString(), dst.end.toISOString()]).toEqual(["2026-10-18T22:00:00.000Z", "2026-10-25T23:00:00.000Z"]);
    expect(parseWeek("2026-W53", "America/New_York")).toMatchObject({ start: new Date("2026-12-28T05:00:00Z") });
    expect(formatWeekRange(parseWeek("2026-W53", "UTC"))).toBe("28 Dec 2026 – 3 Jan 2027");
    expect(formatWeekRange(parseWeek("2026-12-01", "UTC"))).toBe("30 Nov – 6 Dec 2026");
    expect(() => parseWeek("2027-W53", "UTC")).toThrow("2027 has weeks 1 to 52");
    expect(() => parseWeek("2026-02-30", "UTC")).toThrow("not a calendar date");
    expect(() => parseWeek("next tuesday", "UTC")).toThrow("Give a date like 2026-11-25");
  });

  test("a community's digest schedule in flywheel.yml is checked at start-up", () => {
    const yaml = (cron: string) => `communities:\n  - { slug: a, name: A, digest: "${cron}" }\n`;
    expect(parseConfig(yaml("30 7 * * fri")).communities[0].digest).toBe("30 7 * * fri");
    expect(() => parseConfig(yaml("99 9 * * 1"))).toThrow("flywheel.yml: communities[0].digest: expected a valid cron expression like '0 9 * * 1'");
    expect(() => parseConfig(yaml("every monday"))).toThrow("communities[0].digest: expected a cron expression like '0 9 * * 1'");
  });

  test("a schedule's first firing after a week ends, in the community's zone", () => {
    const end = new Date("2026-11-29T23:00:00Z"); // W48 ends in Paris
    expect(firstFireBetween("0 9 * * 1", "Europe/Paris", end, new Date("2026-11-30T10:00:00Z"))).toEqual(new Date("2026-11-30T08:00:00Z"));
    expect(firstFireBetween("0 9 * * 1", "Europe/Paris", end, new Date("2026-11-30T07:59:00Z"))).toBeUndefined();
    expect(firstFireBetween("0 8 * * 2", "UTC", new Date("2026-11-30T00:00:00Z"), new Date("2026-12-06T00:00:00Z"))).toEqual(new Date("2026-12-01T08:00:00Z"));
    expect(firstFireBetween("*/20 * * * *", "UTC", new Date("2026-11-30T00:05:00Z"), new Date("2026-11-30T01:00:00Z"))).toEqual(new Date("2026-11-30T00:20:00Z"));
  });
});

describe.each(DB_TARGETS)("weekly digests on %s", (target) => {
  let t: TestEnv;
  let standIn: PlatformStandIn;
  const alpha = () => communityBySlug(t.services, "alpha");
  const deliver = () => new OutboxWorker(t.services, [standInDeliverer("slack", standIn.url), standInDeliverer("discord", standIn.url)]).drain();

  beforeAll(async () => {
    t = await testServices(target, DIGEST_CONFIG_YAML);
    await seedDigestWeek(t.services.db);
    standIn = await new PlatformStandIn().start();
    t.clock.set("2026-11-27T12:00:00Z"); // Friday of W48
  });
  afterAll(async () => {
    await standIn.close();
    await t.close();
  });

  test("the digest built from a seeded week says what happened, section by section", async () => {
    const digest = await buildDigest(t.services, await alpha(), parseWeek("2026-W48", "Europe/Paris"));
    expect(digest.empty).toBe(false);
    expect(digest.reply.text).toBe(ALPHA_W48_TEXT);
    expect(digest.reply.title).toBe("Weekly digest · Alpha University · 23–29 Nov 2026");
    expect(digest.reply.sections!.map((s) => s.title)).toEqual(["New requests", "Most wanted", "Status changes", "Pledges", "Support for Alpha University", "Thank you"]);
    expect(digest.reply.sections![4].fields).toEqual([
      { label: "Opened", value: "2" },
      { label: "Resolved", value: "2" },
      { label: "Median first response", value: "2h 00m" },
    ]);
  });

  test("another community's digest has its own figures and its own week edges", async () => {
    const beta = await communityBySlug(t.services, "beta");
    const { reply } = await buildDigest(t.services, beta, parseWeek("2026-W48", beta.timezone));
    // In UTC, #7 (Sunday 23:30) is in this week and #6 (Sunday 22 Nov) is not.
    expect(reply.sections![0].text).toBe("#2 Dark mode — from Beta College\n#3 Single sign-on — from an Essential member\n#7 Boundary Sunday — from Alpha University");
    expect(reply.text).toContain("Support for Beta College\nOpened: 1 · Resolved: 0 · Median first response: no first responses this week");
    expect(reply.text).toContain("Thank you\n🙏 bob — 1 contribution (code)");
    expect(reply.text).not.toContain("ana —");
    // Gamma is private: others see its tier; its own digest names it.
    const gamma = await communityBySlug(t.services, "gamma");
    expect((await buildDigest(t.services, gamma, parseWeek("2026-W48", "UTC"))).reply.text).toContain("Gamma Institute pledged 200 USD to #3 Single sign-on");
  });

  test("a busy week's long lists are cut to fit a chat message, saying how many more there are", async () => {
    const beta = await communityBySlug(t.services, "beta");
    const author = await t.services.db.person.findFirstOrThrow({ where: { displayName: "bob" } });
    for (let i = 1; i <= 15; i++)
      await t.services.db.featureRequest.create({
        data: { title: `A long request title number ${String(i).padStart(2, "0")} that goes on and on about it`, communityId: beta.id, authorId: author.id, createdAt: new Date(`2026-10-0${5 + (i % 5)}T10:00:00Z`) },
      });
    const { reply } = await buildDigest(t.services, beta, parseWeek("2026-W41", "UTC"));
    const fresh = reply.sections![0];
    expect(fresh.title).toBe("New requests");
    const lines = fresh.text!.split("\n");
    expect(lines[lines.length - 1]).toMatch(/^…and (\d+) more: \/requests$/);
    expect(lines.length - 1 + Number(/(\d+) more/.exec(lines[lines.length - 1])![1])).toBe(15);
    expect(fresh.text!.length).toBeLessThanOrEqual(1024);
  });

  test("an empty week posts nothing and is recorded as empty", async () => {
    const week = parseWeek("2026-10-14", "Europe/Paris");
    const digest = await buildDigest(t.services, await alpha(), week);
    expect(digest).toMatchObject({ empty: true });
    expect(digest.reply.sections).toEqual([]);
    const before = await t.services.db.outboxMessage.count();
    expect(await postDigest(t.services, await alpha(), week, "scheduler")).toMatchObject({ kind: "empty" });
    expect(await t.services.db.outboxMessage.count()).toBe(before);
    expect(await t.services.db.digestRun.findMany({ where: { week: week.label } })).toMatchObject([{ status: "empty", postedAt: null, claimedBy: "scheduler" }]);
  });

  test("a posted digest goes to each of the community's channels once, however often it is run", async () => {
    const week = parseWeek("2026-W48", "Europe/Paris");
    const first = await postDigest(t.services, await alpha(), week, "scheduler");
    expect(first).toMatchObject({ kind: "posted", places: [{ platform: "slack", channel: "C0ALPHA" }, { platform: "discord", channel: "100000000000000002" }] });
    expect(await postDigest(t.services, await alpha(), week, "another-replica")).toMatchObject({ kind: "already", status: "posted", claimedBy: "scheduler" });
    await deliver();
    const posts = standIn.received.filter((r) => r.key.startsWith("digest:alpha:2026-W48:"));
    expect(posts.map((p) => [p.platform, p.workspace, p.channel]).sort()).toEqual([
      ["discord", "100000000000000001", "100000000000000002"],
      ["slack", "T0ALPHA", "C0ALPHA"],
    ]);
    expect(posts.every((p) => p.text === ALPHA_W48_TEXT)).toBe(true);
    expect(await t.services.db.digestRun.count({ where: { week: "2026-W48" } })).toBe(1);
  });

  test("two runs racing for the same week (two replicas) post it once", async () => {
    const gamma = await communityBySlug(t.services, "gamma");
    const week = parseWeek("2026-W48", "UTC");
    const other = target === "postgresql" ? await openDatabase({ url: t.url }) : undefined;
    try {
      const replicaB = other ? { ...t.services, db: other.prisma } : t.services;
      const outcomes = await Promise.all([postDigest(t.services, gamma, week, "replica-a"), postDigest(replicaB, gamma, week, "replica-b")]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(["already", "posted"]);
    } finally {
      await other?.close();
    }
    expect(await t.services.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "digest:gamma:2026-W48:" } } })).toBe(1);
  });

  test("/digest previews this week for the asker only; staff /digest send posts it", async () => {
    const ana = as(t.services, "ana", "alpha");
    const preview = await ana("/digest");
    expect(preview.ephemeral).toBe(true);
    expect(preview.title).toBe("Preview · Weekly digest · Alpha University · 23–29 Nov 2026");
    expect(preview.text).toContain("Preview, only you see this.");
    expect(preview.text).toContain("🚀 #4 Audit log shipped — thanks to ana, @octo-dev, and amir");
    expect(preview.buttons?.map((b) => b.command)).toEqual(["requests open"]); // no "post it now" for a member

    expect((await ana("/digest beta")).text).toContain("only staff can see another community's");
    const refused = await ana("/digest send alpha");
    expect(refused).toMatchObject({ error: true, text: "Sorry, only Flywheel staff can do that. Nothing was changed." });
    expect((await ana("/digest --week someday")).text).toContain("I can't read the week \"someday\"");

    const carol = as(t.services, "carol");
    expect((await carol("/digest")).text).toBe("Name a community: /digest <community>.");
    expect((await carol("/digest nowhere")).text).toContain('There is no community "nowhere"');
    expect((await carol("/digest send")).text).toBe("Name the community to post to: /digest send <community>.");
    const staffPreview = await carol("/digest beta");
    expect(staffPreview.buttons?.map((b) => b.command)).toContain("digest send beta --week 2026-W48");

    // An empty week sent by hand claims nothing, so the schedule can still post it later.
    expect((await carol("/digest send beta --week 2026-W42")).text).toContain("Nothing happened for Beta College in 2026-W42");
    expect(await t.services.db.digestRun.count({ where: { week: "2026-W42", community: { slug: "beta" } } })).toBe(0);

    const sent = await carol("/digest send beta");
    expect(sent.error).toBeFalsy();
    expect(sent.text).toBe("Queued Beta College's digest for 2026-W48 (23–29 Nov 2026) for Slack channel C0BETA; it is delivered in a moment. That week will not be posted again.");
    const again = await carol("/digest send beta");
    expect(again).toMatchObject({ error: true });
    expect(again.text).toMatch(/^Beta College's digest for 2026-W48 \(23–29 Nov 2026\) was already posted on 2026-11-27 12:00 UTC by shell:carol/);
    await deliver();
    expect(standIn.received.filter((r) => r.key.startsWith("digest:beta:2026-W48:")).map((r) => r.channel)).toEqual(["C0BETA"]);
  });

  test("flywheel digest prints a dry run and posts from the command line", async () => {
    const env = loadEnv({ LOG_LEVEL: "silent" } as NodeJS.ProcessEnv);
    const run = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(["digest", ...argv], { out: (s) => out.push(s), err: (s) => err.push(s), services: t.services, env });
      return { code, out: out.join("\n"), err: err.join("\n") };
    };
    const dry = await run("--community", "alpha", "--week", "2026-11-25", "--dry-run");
    expect(dry).toMatchObject({ code: 0, err: "" });
    expect(dry.out).toContain(ALPHA_W48_TEXT);
    const emptyDry = await run("--community", "alpha", "--week", "2026-W42", "--dry-run");
    expect(emptyDry.out).toBe("Nothing happened for Alpha University in 2026-W42: no digest would be posted.");

    const before = await t.services.db.digestRun.count();
    const posted = await run("--community", "gamma", "--week", "2026-W42");
    expect(posted.code).toBe(0);
    expect(posted.out).toBe("Nothing happened for Gamma Institute in 2026-W42 (12–18 Oct 2026), so there is nothing to post.");
    const real = await run("--community", "beta", "--week", "2026-11-10");
    expect(real.out).toContain("Queued Beta College's digest for 2026-W46 (9–15 Nov 2026) for Slack channel C0BETA");
    expect(await t.services.db.digestRun.count()).toBe(before + 1);

    expect(await run("--community", "alpha", "--week", "soon")).toMatchObject({ code: 1, err: expect.stringContaining("flywheel digest: I can't read the week") });
    expect(await run("--community", "omega", "--week", "2026-W48")).toMatchObject({ code: 1, err: expect.stringContaining('There is no community "omega"') });
    expect((await run("--week", "2026-W48")).code).toBe(2);
  });
});
