import { Client } from "pg";
import type { App } from "../src/app";
import { ManualClock } from "../src/core/clock";
import { localParts } from "../src/core/weeks";
import { SCHEDULER_LOCK_KEY } from "../src/jobs/leader";
import { DB_TARGETS } from "./helpers/db";
import { DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";
import { PlatformStandIn, standInDeliverer, waitFor } from "./helpers/platform-standin";
import { spawnReplica, type Replica } from "./helpers/replica";
import { createStore, startOn, type Store } from "./helpers/store";

const MONDAY_AFTER_W48 = "2026-11-30T10:00:00Z"; // alpha (Mon 09:00 Paris) and gamma (Mon 09:00 UTC) are due; beta (Tue 08:00) is not
const DIGEST_PLACES = ["alpha:discord:100000000000000002", "alpha:slack:C0ALPHA", "beta:slack:C0BETA", "gamma:discord:100000000000000004"];

/** Every job the digest test configuration schedules (name, cron, time zone), in order. */
const JOBS = [
  ["digest:alpha", "0 9 * * 1", "Europe/Paris"],
  ["digest:beta", "0 8 * * 2", "UTC"],
  ["digest:gamma", "0 9 * * 1", "UTC"],
  ["digest:catch-up", "17 * * * *", "UTC"],
  ["support-reminders", "* * * * *", "UTC"],
  ["forget-old-deliveries", "23 3 * * *", "UTC"],
  ["forget-web-sessions", "41 3 * * *", "UTC"],
  ["forget-old-home-rows", "41 * * * *", "UTC"],
];

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
    expect(scheduled.map((s) => [s.name, s.cron, s.timezone])).toEqual(JOBS);
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

/** The backend pid holding the scheduler lock in this database, if any. */
async function lockHolder(url: string): Promise<number | undefined> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const res = await c.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      [SCHEDULER_LOCK_KEY],
    );
    return res.rows[0]?.pid;
  } finally {
    await c.end();
  }
}

pgOnly("several schedulers on one PostgreSQL", () => {
  let store: Store;
  let standIn: PlatformStandIn;
  const apps: App[] = [];
  let replica: Replica | undefined;
  const deliverers = () => [standInDeliverer("slack", standIn.url), standInDeliverer("discord", standIn.url)];
  const leaders = () => apps.filter((a) => a.scheduler.isLeader);

  beforeAll(async () => {
    store = await createStore("postgresql", DIGEST_CONFIG_YAML, seedDigestWeek);
    standIn = await new PlatformStandIn().start();
  });
  afterAll(async () => {
    await replica?.kill();
    for (const app of apps.splice(0)) await app.stop();
    await standIn.close();
    await store.cleanup();
  });

  test("only one runs the jobs; a leader whose session dies steps down; when it stops, the other takes over", async () => {
    const clock = new ManualClock(new Date(MONDAY_AFTER_W48));
    apps.push(await startOn(store, DIGEST_CONFIG_YAML, clock, deliverers()), await startOn(store, DIGEST_CONFIG_YAML, clock, deliverers()));
    await waitFor(() => leaders().length === 1, "a leader");
    await waitFor(async () => (await apps[0].services.db.digestRun.count()) === 2, "catch-up runs");
    // Several follower polls later, still exactly one leader, and only it has jobs.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 120));
      expect(leaders()).toHaveLength(1);
    }
    const [leader] = leaders();
    const follower = apps.find((a) => a !== leader)!;
    expect(follower.scheduler.scheduled()).toEqual([]);
    await waitFor(() => leader.scheduler.scheduled().length === JOBS.length, "the leader's jobs");
    const claimers = await leader.services.db.digestRun.findMany({ select: { claimedBy: true } });
    expect(claimers.map((c) => c.claimedBy)).toEqual([leader.scheduler.leadership.id, leader.scheduler.leadership.id]);

    // The leader's database session dies (network cut, server restart): it stops leading on that
    // session, and whichever replica takes the lock next (possibly it, reconnected) leads alone.
    const dead = (await lockHolder(store.databaseUrl!))!;
    const admin = new Client({ connectionString: store.databaseUrl });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend($1)", [dead]).finally(() => admin.end());
    await waitFor(async () => {
      const holder = await lockHolder(store.databaseUrl!);
      return holder !== undefined && holder !== dead && leaders().length === 1 && leaders()[0].scheduler.scheduled().length === JOBS.length;
    }, "one leader on a live session");
    const now = leaders()[0];
    expect(apps.find((a) => a !== now)!.scheduler.scheduled()).toEqual([]);

    // The new leader's jobs claim in its name.
    clock.set("2026-12-01T08:00:00Z");
    await now.scheduler.scheduled().find((s) => s.name === "digest:beta")!.task.execute();
    expect(await now.services.db.digestRun.findFirst({ where: { community: { slug: "beta" } } })).toMatchObject({ claimedBy: now.scheduler.leadership.id });

    // It stops (a deploy): the other one takes over.
    const other = apps.find((a) => a !== now)!;
    await now.stop();
    apps.splice(apps.indexOf(now), 1);
    await waitFor(() => other.scheduler.isLeader && other.scheduler.scheduled().length === JOBS.length, "the other replica leading");

    await waitFor(async () => (await other.services.db.outboxMessage.count({ where: { status: "pending" } })) === 0, "an empty outbox");
    expect(standIn.received.filter((r) => r.key.startsWith("digest:")).map((r) => r.key.split(":")[1]).sort()).toEqual(["alpha", "alpha", "beta", "gamma"]);
    expect([...standIn.countsByKey().values()].every((n) => n === 1)).toBe(true);
    for (const app of apps.splice(0)) await app.stop();
  });

  test("when the leader's process is killed, a follower takes over", async () => {
    // The leader is a separate process; it has already run the digests (previous test).
    replica = spawnReplica(store, standIn, "2026-12-01T10:00:00Z", DIGEST_CONFIG_YAML);
    await replica.ready;
    await waitFor(async () => (await lockHolder(store.databaseUrl!)) !== undefined, "the process to lead");
    const follower = await startOn(store, DIGEST_CONFIG_YAML, new ManualClock(new Date("2026-12-01T10:00:00Z")), deliverers());
    apps.push(follower);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 120));
      expect(follower.scheduler.isLeader).toBe(false);
    }
    await replica.kill();
    await waitFor(() => follower.scheduler.isLeader && follower.scheduler.scheduled().length === JOBS.length, "the follower taking over");
    expect(await follower.services.db.digestRun.count()).toBe(3); // nothing was posted twice
  }, 120_000);
});
