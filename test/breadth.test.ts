import { Prisma } from "../src/generated/prisma/client";
import { parseConfig } from "../src/config/file";
import { syncCommunities } from "../src/core/people/communities";
import type { Services } from "../src/core/context";
import { resolveActor } from "../src/core/people/identity";
import { createLinkCode, redeemLinkCode } from "../src/core/people/link";
import { mergeRequests } from "../src/core/requests/merge";
import { LISTABLE_STATUSES, rankRequests, unvote, upvote, type ListQuery } from "../src/core/requests/requests";
import { as } from "./helpers/actors";
import { DB_TARGETS, TEST_CONFIG_YAML, testServices, type TestEnv } from "./helpers/db";

/**
 * The ranked list reads breadth from RequestBreadth, which a trigger on Vote keeps. These tests
 * hold it to the plain definition: the same list as counting every vote, after any mix of votes,
 * unvotes, merges, identity links and tier changes, and under concurrent first/last votes.
 */

/** Small deterministic PRNG, so a failure replays. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = { id: number; communities: number; breadth: number; votes: number; pledges: number; pledged: number };

/** The ranking by its definition: aggregate every vote (the query rankRequests ran before RequestBreadth). */
async function reference(services: Services, q: Pick<ListQuery, "statuses" | "communitySlug">): Promise<Row[]> {
  const w = services.config.weights;
  const communityFilter = q.communitySlug
    ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Vote" v2 JOIN "Community" c2 ON c2.id = v2."communityId" WHERE v2."requestId" = r.id AND c2.slug = ${q.communitySlug})`
    : Prisma.empty;
  const rows = await services.db.$queryRaw<{ id: number; communities: bigint; breadth: number; votes: bigint; pledges: bigint; pledged: number }[]>(Prisma.sql`
    WITH per_community AS (
      SELECT v."requestId", v."communityId", count(*) AS n FROM "Vote" v GROUP BY v."requestId", v."communityId"
    ), breadth AS (
      SELECT pc."requestId", count(*) AS communities,
             sum(CASE c.tier WHEN 'premier' THEN ${w.premier}::float8 WHEN 'general' THEN ${w.general}::float8 ELSE ${w.essential}::float8 END) AS breadth,
             sum(pc.n) AS votes
      FROM per_community pc JOIN "Community" c ON c.id = pc."communityId" GROUP BY pc."requestId"
    ), money AS (
      SELECT p."requestId", count(*) AS pledges, sum(p.amount)::float8 AS pledged FROM "Pledge" p GROUP BY p."requestId"
    )
    SELECT r.id, coalesce(b.communities, 0) AS communities, coalesce(b.breadth, 0)::float8 AS breadth, coalesce(b.votes, 0) AS votes,
           coalesce(m.pledges, 0) AS pledges, coalesce(m.pledged, 0)::float8 AS pledged
    FROM "FeatureRequest" r LEFT JOIN breadth b ON b."requestId" = r.id LEFT JOIN money m ON m."requestId" = r.id
    WHERE r.status::text IN (${Prisma.join(q.statuses)}) ${communityFilter}
    ORDER BY breadth DESC, votes DESC, pledged DESC, r."createdAt" ASC, r.id ASC`);
  return rows.map((r) => ({ id: r.id, communities: Number(r.communities), breadth: Number(r.breadth), votes: Number(r.votes), pledges: Number(r.pledges), pledged: Number(r.pledged) }));
}

/** Every page of rankRequests, concatenated, with the totals it reported. */
async function allPages(services: Services, q: Pick<ListQuery, "statuses" | "communitySlug">, pageSize: number): Promise<{ rows: Row[]; totals: number[] }> {
  const rows: Row[] = [];
  const totals: number[] = [];
  for (let page = 1; page < 100; page++) {
    const res = await rankRequests(services, { ...q, page, pageSize });
    totals.push(res.total);
    rows.push(...res.rows.map(({ id, communities, breadth, votes, pledges, pledged }) => ({ id, communities, breadth, votes, pledges, pledged })));
    if (!res.hasMore) {
      // One page past the end is empty, and says so.
      expect((await rankRequests(services, { ...q, page: page + 1, pageSize })).rows).toEqual([]);
      break;
    }
  }
  return { rows, totals };
}

async function expectRankingMatchesVotes(services: Services): Promise<void> {
  // The tables hold exactly what the votes say.
  const drift = await services.db.$queryRaw<{ n: bigint }[]>(Prisma.sql`
    WITH truth AS (
      SELECT v."requestId", count(DISTINCT v."communityId") FILTER (WHERE c.tier = 'premier') AS premier,
             count(DISTINCT v."communityId") FILTER (WHERE c.tier = 'general') AS general,
             count(DISTINCT v."communityId") FILTER (WHERE c.tier = 'essential') AS essential
      FROM "Vote" v JOIN "Community" c ON c.id = v."communityId" GROUP BY v."requestId"
    )
    SELECT count(*) AS n FROM truth t FULL JOIN "RequestBreadth" b ON b."requestId" = t."requestId"
    WHERE coalesce(t.premier, 0) <> coalesce(b.premier, 0) OR coalesce(t.general, 0) <> coalesce(b.general, 0)
       OR coalesce(t.essential, 0) <> coalesce(b.essential, 0)`);
  expect(Number(drift[0].n)).toBe(0);
  const pairs = await services.db.$queryRaw<{ n: bigint }[]>(Prisma.sql`
    SELECT count(*) AS n FROM (SELECT "requestId", "communityId", count(*) AS voters FROM "Vote" GROUP BY 1, 2) v
    FULL JOIN "RequestCommunity" rc ON rc."requestId" = v."requestId" AND rc."communityId" = v."communityId"
    WHERE rc."requestId" IS NULL OR v."requestId" IS NULL OR rc.voters <> v.voters`);
  expect(Number(pairs[0].n)).toBe(0);
  // RequestRank: one row per request, every figure equal to a recount with the configured weights.
  const w = services.config.weights;
  const rankDrift = await services.db.$queryRaw<{ id: number }[]>(Prisma.sql`
    WITH truth AS (
      SELECT r.id, r.status, r."createdAt",
             (SELECT count(DISTINCT v."communityId") FROM "Vote" v WHERE v."requestId" = r.id) AS communities,
             (SELECT count(*) FROM "Vote" v WHERE v."requestId" = r.id) AS votes,
             (SELECT count(*) FROM "Pledge" p WHERE p."requestId" = r.id) AS pledges,
             (SELECT coalesce(sum(p.amount), 0) FROM "Pledge" p WHERE p."requestId" = r.id) AS pledged,
             coalesce((SELECT sum(CASE c.tier WHEN 'premier' THEN ${w.premier}::float8 WHEN 'general' THEN ${w.general}::float8 ELSE ${w.essential}::float8 END)
                       FROM (SELECT DISTINCT "communityId" FROM "Vote" v WHERE v."requestId" = r.id) d JOIN "Community" c ON c.id = d."communityId"), 0) AS breadth
      FROM "FeatureRequest" r
    )
    SELECT coalesce(t.id, k."requestId") AS id FROM truth t FULL JOIN "RequestRank" k ON k."requestId" = t.id
    WHERE t.id IS NULL OR k."requestId" IS NULL OR k.status <> t.status OR k."createdAt" <> t."createdAt" OR k.communities <> t.communities
       OR k.votes <> t.votes OR k.pledges <> t.pledges OR k.pledged <> t.pledged OR k.breadth <> t.breadth`);
  expect(rankDrift).toEqual([]);
  const tally = await services.db.$queryRaw<{ status: string }[]>(Prisma.sql`
    SELECT s::text AS status FROM unnest(enum_range(NULL::"RequestStatus")) s
    WHERE (SELECT count(*) FROM "FeatureRequest" r WHERE r.status = s) <> coalesce((SELECT requests FROM "RequestStatusTally" t WHERE t.status = s), 0)`);
  expect(tally).toEqual([]);
  // And the list, every page and every filter, is the one counting every vote gives.
  const communities = await services.db.community.findMany({ select: { slug: true } });
  const queries: Pick<ListQuery, "statuses" | "communitySlug">[] = [
    { statuses: ["open"] },
    { statuses: [...LISTABLE_STATUSES] },
    ...communities.map((c) => ({ statuses: ["open" as const], communitySlug: c.slug })),
  ];
  for (const q of queries) {
    const want = await reference(services, q);
    for (const pageSize of [3, 10]) {
      const got = await allPages(services, q, pageSize);
      expect(got.rows).toEqual(want);
      expect(new Set(got.totals)).toEqual(new Set([want.length]));
    }
  }
}

describe.each(DB_TARGETS)("ranking breadth kept by the database on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  beforeEach(() => t.reset());
  afterAll(() => t.close());

  test("votes, unvotes, pledges, statuses, merges, links and a tier change: the same list as counting every vote", async () => {
    const random = prng(20261129);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const slugs = ["alpha", "beta", "gamma"];
    const people = Array.from({ length: 18 }, (_, i) => ({ name: `p${i}`, community: slugs[i % 3] }));
    const say = (p: { name: string; community: string }) => as(t.services, p.name, p.community);
    const ids: number[] = [];
    for (let i = 0; i < 14; i++) {
      const r = await say(people[i % people.length])(`/request Ranking check ${i} --force`);
      ids.push(Number(/#(\d+)/.exec(r.text)![1]));
    }
    // Few communities and many requests: lots of ties in breadth, so votes, pledges and age decide.
    for (let i = 0; i < 160; i++) {
      const who = say(pick(people));
      const line = random() < 0.25 ? `/unvote ${pick(ids)}` : `/upvote ${pick(ids)}`;
      expect((await who(line)).error).toBeFalsy();
    }
    const persons = await t.services.db.person.findMany();
    const communities = await t.services.db.community.findMany();
    for (const id of ids.slice(0, 5))
      await t.services.db.pledge.create({ data: { requestId: id, communityId: pick(communities).id, personId: persons[0].id, amount: new Prisma.Decimal(100 * (1 + (id % 3))) } });
    await t.services.db.featureRequest.update({ where: { id: ids[6] }, data: { status: "planned" } });
    await expectRankingMatchesVotes(t.services);

    // A merge moves votes to another request (UPDATE of requestId) and deletes double votes.
    const staff = await resolveActor(t.services, { platform: "shell", externalId: "carol", displayName: "carol", communitySlug: "alpha" });
    await mergeRequests(t.services, ids[1], ids[2], staff.personId);
    await mergeRequests(t.services, ids[3], ids[2], staff.personId);
    await expectRankingMatchesVotes(t.services);

    // Linking a beta account into an alpha person moves its votes over (UPDATE of personId) and drops doubles.
    const alphaOne = await resolveActor(t.services, { platform: "shell", externalId: "p0", displayName: "p0", communitySlug: "alpha" });
    const betaOne = await resolveActor(t.services, { platform: "shell", externalId: "p1", displayName: "p1", communitySlug: "beta" });
    const { code } = await createLinkCode(t.services, alphaOne);
    await redeemLinkCode(t.services, betaOne, code);
    await expectRankingMatchesVotes(t.services);

    // Gamma moves up to premier in flywheel.yml: its votes now weigh 2 everywhere at once.
    const promoted = parseConfig(TEST_CONFIG_YAML.replace("tier: essential", "tier: premier"));
    await syncCommunities(t.services.db, promoted);
    expect((await t.services.db.community.findUniqueOrThrow({ where: { slug: "gamma" } })).tier).toBe("premier");
    await expectRankingMatchesVotes(t.services);
    await syncCommunities(t.services.db, t.config);

    // Deleting a person (p17 filed and pledged nothing) cascades to their votes.
    const p17 = persons.find((p) => p.displayName === "p17")!;
    expect(await t.services.db.vote.count({ where: { personId: p17.id } })).toBeGreaterThan(0);
    await t.services.db.person.delete({ where: { id: p17.id } });
    await expectRankingMatchesVotes(t.services);

    // flywheel.yml's weights change: the next sync recomputes every stored breadth, and back.
    const reweighted = parseConfig(`${TEST_CONFIG_YAML}weights: { premier: 3, general: 0.5, essential: 1.25 }\n`);
    await syncCommunities(t.services.db, reweighted);
    expect(await t.services.db.rankWeights.findUniqueOrThrow({ where: { id: 1 } })).toEqual({ id: 1, premier: 3, general: 0.5, essential: 1.25 });
    await expectRankingMatchesVotes({ ...t.services, config: reweighted });
    await syncCommunities(t.services.db, t.config);
    await expectRankingMatchesVotes(t.services);

    // A deleted request leaves the list and its total; a pledge that grows or moves, its money.
    await t.services.db.featureRequest.delete({ where: { id: ids[9] } });
    const pledge = await t.services.db.pledge.findFirstOrThrow({ where: { requestId: ids[0] } });
    await t.services.db.pledge.update({ where: { id: pledge.id }, data: { amount: new Prisma.Decimal("1234.56") } });
    await t.services.db.pledge.update({ where: { id: pledge.id }, data: { requestId: ids[8] } });
    await expectRankingMatchesVotes(t.services);

    // The rebuild (bulk loads, repairs) gives back the same tables.
    const before = await t.services.db.requestBreadth.findMany({ orderBy: { requestId: "asc" } });
    await t.services.db.$executeRaw`SELECT flywheel_rebuild_breadth()`;
    expect(await t.services.db.requestBreadth.findMany({ orderBy: { requestId: "asc" } })).toEqual(before);
    await expectRankingMatchesVotes(t.services);
  });

  test("concurrent votes from many communities, pledges and status changes on one request never drift", async () => {
    const author = await resolveActor(t.services, { platform: "shell", externalId: "author", displayName: "author", communitySlug: "alpha" });
    const request = await t.services.db.featureRequest.create({ data: { title: "Crowded", communityId: author.communityId!, authorId: author.personId } });
    const place = { platform: "shell" as const, channel: "beta" };
    const slugs = ["alpha", "beta", "gamma"];
    const voters = await Promise.all(
      Array.from({ length: 24 }, (_, i) => resolveActor(t.services, { platform: "shell", externalId: `crowd${i}`, displayName: `crowd${i}`, communitySlug: slugs[i % 3] })),
    );
    const communities = await t.services.db.community.findMany();
    for (let round = 0; round < 3; round++) {
      await Promise.all([
        ...voters.map((v) => upvote(t.services, v, request.id, place)),
        ...communities.map((c, i) =>
          t.services.db.pledge.create({ data: { requestId: request.id, communityId: c.id, personId: author.personId, amount: new Prisma.Decimal(10 * (round + 1) + i) } }),
        ),
        t.services.db.featureRequest.update({ where: { id: request.id }, data: { status: round % 2 ? "open" : "planned" } }),
      ]);
      await expectRankingMatchesVotes(t.services);
      await Promise.all([...voters.map((v, i) => (i % 3 ? unvote(t.services, v, request.id) : Promise.resolve())), t.services.db.pledge.deleteMany({ where: { requestId: request.id } })]);
      await expectRankingMatchesVotes(t.services);
    }
  });

  test("concurrent first and last votes of one community on one request never drift", async () => {
    const author = await resolveActor(t.services, { platform: "shell", externalId: "author", displayName: "author", communitySlug: "alpha" });
    const request = await t.services.db.featureRequest.create({ data: { title: "Raced", communityId: author.communityId!, authorId: author.personId } });
    const place = { platform: "shell" as const, channel: "beta" };
    const voters = await Promise.all(
      Array.from({ length: 12 }, (_, i) => resolveActor(t.services, { platform: "shell", externalId: `racer${i}`, displayName: `racer${i}`, communitySlug: i % 4 ? "beta" : "gamma" })),
    );
    for (let round = 0; round < 4; round++) {
      // Everyone votes at once, then half unvote while the other half vote again.
      await Promise.all(voters.map((v) => upvote(t.services, v, request.id, place)));
      await expectRankingMatchesVotes(t.services);
      await Promise.all(voters.map((v, i) => (i % 2 ? unvote(t.services, v, request.id) : upvote(t.services, v, request.id, place))));
      await Promise.all(voters.map((v) => unvote(t.services, v, request.id)));
      expect(await t.services.db.requestCommunity.count({ where: { requestId: request.id } })).toBe(0);
      await expectRankingMatchesVotes(t.services);
    }
  });
});
