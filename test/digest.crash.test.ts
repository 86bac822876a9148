import { Client } from "pg";
import type { App } from "../src/app";
import { ManualClock } from "../src/core/clock";
import { DB_TARGETS } from "./helpers/db";
import { DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";
import { PlatformStandIn, standInDeliverer, waitFor } from "./helpers/platform-standin";
import { spawnReplica, type Replica } from "./helpers/replica";
import { createStore, startOn, type Store } from "./helpers/store";

const TUESDAY_AFTER_W48 = "2026-12-01T10:00:00Z"; // all three communities' digests are due
const EXPECTED_KEYS = [
  "digest:alpha:2026-W48:discord:100000000000000001:100000000000000002",
  "digest:alpha:2026-W48:slack:T0ALPHA:C0ALPHA",
  "digest:beta:2026-W48:slack:T0BETA:C0BETA",
  "digest:gamma:2026-W48:discord:100000000000000003:100000000000000004",
];

describe.each(DB_TARGETS)("killing a replica mid-digest on %s", (target) => {
  let store: Store;
  let standIn: PlatformStandIn;
  let replica: Replica | undefined;
  let app: App | undefined;

  beforeAll(async () => {
    store = await createStore(target, DIGEST_CONFIG_YAML, seedDigestWeek);
    standIn = await new PlatformStandIn().start();
  });
  afterAll(async () => {
    await replica?.kill();
    await app?.stop();
    await standIn.close();
    await store.cleanup();
  });

  test("after SIGKILL and a restart, each community's digest is posted exactly once", async () => {
    // While the first replica lives, the platform never answers: whatever it sends is in flight when it dies.
    standIn.behaviour = () => "hold";
    const firstPost = standIn.nextPost();

    let blocker: Client | undefined;
    if (target === "postgresql") {
      // Hold beta's claim open in another session (a slower replica posting it): the catch-up
      // claims every due community in one transaction, so it waits and has claimed nothing.
      blocker = new Client({ connectionString: store.databaseUrl });
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query(`INSERT INTO "DigestRun" ("communityId", week, status) SELECT id, '2026-W48', 'blocker' FROM "Community" WHERE slug = 'beta'`);
    }
    try {
      replica = spawnReplica(store, standIn, TUESDAY_AFTER_W48, DIGEST_CONFIG_YAML);
      await replica.ready;
      if (blocker) {
        // Inside its transaction the blocker would read one cached snapshot of pg_stat_activity
        // (PostgreSQL 15's stats_fetch_consistency = cache): clear it so each poll sees the present.
        await waitFor(async () => {
          await blocker!.query("SELECT pg_stat_clear_snapshot()");
          return (await blocker!.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rowCount! >= 1;
        }, "beta's claim to wait");
        expect(standIn.received).toEqual([]);
        // The other claim gives up: the batch claims all three and queues their posts.
        await blocker.query("ROLLBACK");
      }
      // Killed with the first post on the wire and the rest queued.
      await firstPost;
      await replica.kill();
    } finally {
      await blocker?.query("ROLLBACK");
      await blocker?.end();
    }
    expect(standIn.received).toEqual([]);

    // What the dead process left: some digests claimed and queued, nothing delivered.
    const left = await store.use(async (db) => ({
      runs: (await db.digestRun.findMany({ include: { community: true } })).map((r) => r.community.slug).sort(),
      pending: await db.outboxMessage.count({ where: { status: "pending", idempotencyKey: { startsWith: "digest:" } } }),
      delivered: await db.outboxMessage.count({ where: { status: "delivered" } }),
    }));
    expect(left.delivered).toBe(0);
    expect(left.pending).toBeGreaterThan(0);
    if (target === "postgresql") expect(left.runs).toEqual(["alpha", "beta", "gamma"]);

    // Restart (past the dead replica's 2-second leases), with the platform answering again.
    standIn.behaviour = () => ({ status: 200 });
    app = await startOn(store, DIGEST_CONFIG_YAML, new ManualClock(new Date(Date.parse(TUESDAY_AFTER_W48) + 5_000)), [
      standInDeliverer("slack", standIn.url),
      standInDeliverer("discord", standIn.url),
    ]);
    await waitFor(() => standIn.received.length >= EXPECTED_KEYS.length, "every digest to arrive");
    await waitFor(async () => (await app!.services.db.outboxMessage.count({ where: { status: "pending" } })) === 0, "an empty outbox");
    expect(standIn.received.map((r) => r.key).sort()).toEqual(EXPECTED_KEYS);
    const runs = await app.services.db.digestRun.findMany({ include: { community: true }, orderBy: { communityId: "asc" } });
    expect(runs.map((r) => [r.community.slug, r.week, r.status])).toEqual([
      ["alpha", "2026-W48", "posted"],
      ["beta", "2026-W48", "posted"],
      ["gamma", "2026-W48", "posted"],
    ]);
    // The messages the dead replica had on the wire were retried as "in doubt".
    expect(standIn.attempts).toBeGreaterThan(EXPECTED_KEYS.length);
  }, 120_000);
});
