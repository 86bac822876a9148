import { buildDigest, communityBySlug, postDigests, type PostOutcome } from "../src/core/digest/digest";
import type { Reply } from "../src/core/reply";
import { parseWeek } from "../src/core/weeks";
import { openDatabase } from "../src/db/client";
import type { Community } from "../src/generated/prisma/client";
import { catchUpDigests, runScheduledDigest } from "../src/jobs/digests";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";

// A fourth community that reads Spanish: a batch still writes each digest in its own language.
const YAML = DIGEST_CONFIG_YAML.replace("staff:", "  - { slug: delta, name: Delta Escuela, tier: general, locale: es }\nstaff:");
const SLUGS = ["alpha", "beta", "delta", "gamma"];

describe.each(DB_TARGETS)("scheduled digests fired at once on %s", (target) => {
  let t: TestEnv;
  const community = (slug: string) => communityBySlug(t.services, slug);
  const outboxFor = async (slug: string) =>
    (await t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: `digest:${slug}:` } }, orderBy: { id: "asc" } })).map((m) => ({
      key: m.idempotencyKey,
      platform: m.platform,
      channel: m.channel,
      reply: m.payload as unknown as Reply,
    }));

  beforeAll(async () => {
    t = await testServices(target, YAML);
    await seedDigestWeek(t.services.db);
  });
  beforeEach(async () => {
    await t.services.db.outboxMessage.deleteMany();
    await t.services.db.digestRun.deleteMany();
    t.clock.set("2026-11-30T09:00:00Z"); // Monday: W48 is the last complete week everywhere
  });
  afterAll(async () => {
    await t.close();
  });

  test("every community's job fired by two workers at once: one claim and one post per place each, as one by one would write them", async () => {
    const other = target === "postgresql" ? await openDatabase({ url: t.url }) : undefined;
    try {
      // A second worker: its own connection pool on PostgreSQL; on PGlite its own batch on the one connection.
      const workerB = other ? { ...t.services, db: other.prisma } : { ...t.services };
      const fired = await Promise.all([
        ...SLUGS.map((slug) => runScheduledDigest(t.services, slug, "worker-a")),
        ...SLUGS.map((slug) => runScheduledDigest(workerB, slug, "worker-b")),
      ]);
      for (const [i, slug] of SLUGS.entries()) {
        const kinds = [fired[i], fired[i + SLUGS.length]].map((o) => o?.kind).sort();
        expect([slug, kinds]).toEqual([slug, ["already", "posted"]]);
      }
    } finally {
      await other?.close();
    }
    const runs = await t.services.db.digestRun.findMany({ include: { community: true }, orderBy: { communityId: "asc" } });
    expect(runs.map((r) => [r.community.slug, r.week, r.status]).sort()).toEqual(SLUGS.map((s) => [s, "2026-W48", "posted"]));
    // Claimed and posted at the app's clock, due at once in the outbox, whatever the session's zone.
    expect(runs.map((r) => [r.claimedAt.toISOString(), r.postedAt?.toISOString()])).toEqual(SLUGS.map(() => ["2026-11-30T09:00:00.000Z", "2026-11-30T09:00:00.000Z"]));
    expect((await t.services.db.outboxMessage.findMany()).map((m) => [m.nextAttemptAt.getTime(), m.status, m.attempts])).toEqual(Array.from({ length: 5 }, () => [0, "pending", 0]));

    // Each community's digest, in its own zone and language, exactly as built alone.
    for (const slug of SLUGS) {
      const c = await community(slug);
      const alone = await buildDigest(t.services, c, parseWeek("2026-W48", c.timezone));
      const posts = await outboxFor(slug);
      expect(posts.length).toBe(slug === "alpha" ? 2 : 1);
      expect(new Set(posts.map((p) => p.key)).size).toBe(posts.length);
      for (const p of posts) expect(p.reply).toEqual(JSON.parse(JSON.stringify(alone.reply)));
    }
    expect((await outboxFor("delta"))[0].reply.title).toMatch(/^Resumen semanal · Delta Escuela · /);
    expect((await outboxFor("alpha")).map((p) => [p.platform, p.channel])).toEqual([
      ["slack", "C0ALPHA"],
      ["discord", "100000000000000002"],
    ]);

    // Firing again (a retry, the hourly catch-up) posts nothing more.
    expect((await Promise.all(SLUGS.map((slug) => runScheduledDigest(t.services, slug, "worker-a")))).map((o) => o?.kind)).toEqual(SLUGS.map(() => "already"));
    expect(await catchUpDigests(t.services, "worker-a")).toEqual([]);
    expect(await t.services.db.outboxMessage.count()).toBe(5);
  });

  test("one community's failure loses none of the others' digests", async () => {
    const week = parseWeek("2026-W48", "UTC");
    const [beta, gamma] = [await community("beta"), await community("gamma")];
    // A community that is not in the database: its claim cannot be written, so the batch fails.
    const ghost: Community = { ...gamma, id: 999_999, slug: "ghost" };
    const settled = await postDigests(t.services, [beta, ghost, gamma].map((c) => ({ community: c, week })), "worker-a");
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(settled.filter((s): s is PromiseFulfilledResult<PostOutcome> => s.status === "fulfilled").map((s) => s.value.kind)).toEqual(["posted", "posted"]);
    expect((await t.services.db.digestRun.findMany({ orderBy: { communityId: "asc" } })).map((r) => r.communityId)).toEqual([beta.id, gamma.id]);
    expect((await outboxFor("beta")).length + (await outboxFor("gamma")).length).toBe(2);
  });

  test("a job for a community gone since it was scheduled posts nothing; the others still post", async () => {
    await t.services.db.community.update({ where: { slug: "beta" }, data: { active: false } });
    try {
      const [beta, gamma] = await Promise.all([runScheduledDigest(t.services, "beta", "worker-a"), runScheduledDigest(t.services, "gamma", "worker-a")]);
      expect(beta).toBeUndefined();
      expect(gamma).toMatchObject({ kind: "posted" });
    } finally {
      await t.services.db.community.update({ where: { slug: "beta" }, data: { active: true } });
    }
  });
});
