import { Client } from "pg";
import type { App } from "../src/app";
import { ManualClock } from "../src/core/clock";
import { localParts } from "../src/core/weeks";
import { SCHEDULER_LOCK_KEY } from "../src/jobs/leader";
import { DB_TARGETS } from "./helpers/db";
import { DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";
import { PlatformStandIn, standInDeliverer, waitFor } from "./helpers/platform-standin";
import { createStore, startOn, type Store } from "./helpers/store";

const MONDAY_AFTER_W48 = "2026-11-30T10:00:00Z"; // alpha (Mon 09:00 Paris) and gamma (Mon 09:00 UTC) are due; beta (Tue 08:00) is not
const DIGEST_PLACES = ["alpha:discord:100000000000000002", "alpha:slack:C0ALPHA", "beta:slack:C0BETA", "gamma:discord:100000000000000004"];

describe.each(DB_TARGETS)("the digest schedule on %s", (target) => {
  let store: Store;
  let standIn: PlatformStandIn;
  const apps: App[] = [];
  const start = async (clock: ManualClock) => {
    const app = await startOn(store, DIGEST_CONFIG_YAML, clock, [standInDeliverer("slack", standIn.url), standInDeliverer("discord", standIn.url)]);
    apps.push(app);
    return app;
  };
  const posted = () =>
    standIn.received.filter((r) => r.key.startsWith("digest:")).map((r) => `${r.key.split(":")[1]}:${r.platform}:${r.channel}`).sort();

  beforeAll(async () => {
    store = await createStore(target, DIGEST_CONFIG_YAML, seedDigestWeek);
    standIn = await new PlatformStandIn().start();
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await standIn.close();
    await store.cleanup();
  });

  test("the leader schedules each community in its zone, catches up what it missed, and a firing posts once", async () => {
    const clock = new ManualClock(new Date(MONDAY_AFTER_W48));
    const app = await start(clock);
    await waitFor(() => app.scheduler.isLeader, "leadership");
    const db = app.services.db;
    // Nobody ran this morning's digests: the new leader posts the two that are due.
    await waitFor(async () => (await db.digestRun.count()) === 2, "catch-up runs");
    const runs = await db.digestRun.findMany({ include: { community: true }, orderBy: { id: "asc" } });
    expect(runs.map((r) => [r.community.slug, r.week, r.status, r.claimedBy])).toEqual([
      ["alpha", "2026-W48", "posted", app.scheduler.leadership.id],
      ["gamma", "2026-W48", "posted", app.scheduler.leadership.id],
    ]);

    const scheduled = app.scheduler.scheduled();
    expect(scheduled.map((s) => [s.name, s.cron, s.timezone])).toEqual([
      ["digest:alpha", "0 9 * * 1", "Europe/Paris"],
      ["digest:beta", "0 8 * * 2", "UTC"],
      ["digest:gamma", "0 9 * * 1", "UTC"],
      ["digest:catch-up", "17 * * * *", "UTC"],
    ]);
    // node-cron's own next run for alpha is a Monday, 09:00 on Paris clocks.
    const next = scheduled[0].task.getNextRun()!;
    const paris = localParts(next, "Europe/Paris");
    expect([new Date(Date.UTC(paris.year, paris.month - 1, paris.day)).getUTCDay(), paris.hour, paris.minute]).toEqual([1, 9, 0]);

    // Tuesday 08:00: beta's schedule fires; firing again (a second replica, a retry) changes nothing.
    clock.set("2026-12-01T08:00:00Z");
    const beta = scheduled.find((s) => s.name === "digest:beta")!.task;
    await beta.execute();
    await beta.execute();
    expect(await db.digestRun.findMany({ where: { community: { slug: "beta" } } })).toMatchObject([{ week: "2026-W48", status: "posted" }]);

    await waitFor(() => posted().length >= 4, "digest deliveries");
    await waitFor(async () => (await db.outboxMessage.count({ where: { status: "pending" } })) === 0, "an empty outbox");
    expect(posted()).toEqual(DIGEST_PLACES);
    expect([...standIn.countsByKey().values()].every((n) => n === 1)).toBe(true);

    await app.stop();
    apps.splice(apps.indexOf(app), 1);
    expect(app.scheduler.isLeader).toBe(false);
    expect(app.scheduler.scheduled()).toEqual([]);
  });
});

const pgOnly = process.env.TEST_DATABASE_URL ? describe : describe.skip;

pgOnly("two schedulers on one PostgreSQL", () => {
  let store: Store;
  let standIn: PlatformStandIn;
  const apps: App[] = [];

  beforeAll(async () => {
    store = await createStore("postgresql", DIGEST_CONFIG_YAML, seedDigestWeek);
    standIn = await new PlatformStandIn().start();
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await standIn.close();
    await store.cleanup();
  });

  test("only one runs the jobs; when its session dies or it stops, the other takes over", async () => {
    const clock = new ManualClock(new Date(MONDAY_AFTER_W48));
    const deliverers = () => [standInDeliverer("slack", standIn.url), standInDeliverer("discord", standIn.url)];
    const a = await startOn(store, DIGEST_CONFIG_YAML, clock, deliverers());
    const b = await startOn(store, DIGEST_CONFIG_YAML, clock, deliverers());
    apps.push(a, b);
    await waitFor(() => a.scheduler.isLeader || b.scheduler.isLeader, "a leader");
    await waitFor(async () => (await a.services.db.digestRun.count()) === 2, "catch-up runs");
    // Several follower polls later, still exactly one leader, and only it has jobs.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 120));
      expect([a.scheduler.isLeader, b.scheduler.isLeader].filter(Boolean)).toHaveLength(1);
    }
    const [leader, follower] = a.scheduler.isLeader ? [a, b] : [b, a];
    expect(follower.scheduler.scheduled()).toEqual([]);
    await waitFor(() => leader.scheduler.scheduled().length === 4, "the leader's jobs");
    const claimers = await a.services.db.digestRun.findMany({ select: { claimedBy: true } });
    expect(claimers.map((c) => c.claimedBy)).toEqual([leader.scheduler.leadership.id, leader.scheduler.leadership.id]);

    // The leader's database session dies (network cut, server restart): the follower takes over.
    const admin = new Client({ connectionString: store.databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        [SCHEDULER_LOCK_KEY],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await waitFor(() => follower.scheduler.isLeader && !leader.scheduler.isLeader, "the follower taking over");
    expect(leader.scheduler.scheduled()).toEqual([]);
    await waitFor(() => follower.scheduler.scheduled().length === 4, "the new leader's jobs");

    // The new leader's jobs claim in its name.
    clock.set("2026-12-01T08:00:00Z");
    await follower.scheduler.scheduled().find((s) => s.name === "digest:beta")!.task.execute();
    expect(await a.services.db.digestRun.findFirst({ where: { community: { slug: "beta" } } })).toMatchObject({ claimedBy: follower.scheduler.leadership.id });

    // The new leader stops (a deploy): the first one, reconnected, leads again.
    await follower.stop();
    apps.splice(apps.indexOf(follower), 1);
    await waitFor(() => leader.scheduler.isLeader, "the first replica leading again");
    await waitFor(() => leader.scheduler.scheduled().length === 4, "its jobs again");

    await waitFor(async () => (await leader.services.db.outboxMessage.count({ where: { status: "pending" } })) === 0, "an empty outbox");
    expect(standIn.received.filter((r) => r.key.startsWith("digest:")).map((r) => r.key.split(":")[1]).sort()).toEqual(["alpha", "alpha", "beta", "gamma"]);
    expect([...standIn.countsByKey().values()].every((n) => n === 1)).toBe(true);
  });
});
