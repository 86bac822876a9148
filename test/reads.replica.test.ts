import { type App, startApp } from "../src/app";
import { loadEnv } from "../src/config/env";
import { parseConfig } from "../src/config/file";
import { ManualClock } from "../src/core/clock";
import { syncCommunities } from "../src/core/people/communities";
import { READ_YOUR_WRITES_MS } from "../src/core/reads";
import type { Database } from "../src/db/client";
import { as, idOf } from "./helpers/actors";
import { DB_TARGETS, freshDatabase, type TestEnv, testServices, TEST_CONFIG_YAML } from "./helpers/db";

/*
 * Read replicas. The "replica" here is a second database that has seen none of the primary's
 * writes: the extreme of replica lag, so every read that reaches it is told apart by what it misses.
 */

describe.each(DB_TARGETS)("reads from a lagging replica on %s", (target) => {
  let env: TestEnv;
  let replica: { database: Database; drop(): Promise<void> };
  beforeAll(async () => {
    env = await testServices(target);
    replica = await freshDatabase(target);
    await syncCommunities(replica.database.prisma, env.config);
    env.services.replica = replica.database.prisma;
  });
  afterAll(async () => {
    await env.close();
    await replica.drop();
  });

  test("a person who just filed and voted sees it in /requests (primary); after the window, /requests reads the replica", async () => {
    const ana = as(env.services, "ana", "alpha");
    const n = idOf(await ana("/request Offline mode for the field app"));
    expect((await ana("/requests")).text).toContain(`#${n} Offline mode for the field app`);
    const mark = await env.services.db.person.findFirstOrThrow({ where: { accounts: { some: { externalId: "ana" } } } });
    expect(mark.lastWriteAt?.getTime()).toBe(env.clock.now().getTime());

    env.clock.advance(READ_YOUR_WRITES_MS + 1);
    // The listing now reads the replica, which has not seen the request yet.
    expect((await ana("/requests")).text).not.toContain("Offline mode");
    // A vote is a write: her next listing is on the primary again, her vote in it.
    expect((await as(env.services, "bob", "beta")(`/upvote ${n}`)).error).toBeFalsy();
    expect((await ana(`/upvote ${n}`)).error).toBeFalsy();
    expect((await ana("/requests")).text).toContain(`#${n} Offline mode`);
  });

  test("someone who changed nothing lately lists from the replica; the request exists only on the primary", async () => {
    env.clock.advance(READ_YOUR_WRITES_MS + 1);
    const dee = as(env.services, "dee", "beta");
    expect((await dee("/requests")).text).not.toContain("Offline mode");
    expect(await env.services.db.featureRequest.count({ where: { title: "Offline mode for the field app" } })).toBe(1);
    expect(await replica.database.prisma.featureRequest.count()).toBe(0);
  });

  test("without a replica nothing is marked and every read is on the primary", async () => {
    const { replica: saved, ...primaryOnly } = env.services;
    const erin = as(primaryOnly, "erin", "alpha");
    expect((await erin("/requests")).text).toContain("Offline mode");
    expect((await erin("/help")).error).toBeFalsy();
    const p = await env.services.db.person.findFirstOrThrow({ where: { accounts: { some: { externalId: "erin" } } } });
    expect(p.lastWriteAt).toBeNull();
    expect(saved).toBeDefined();
  });
});

const pg = process.env.TEST_DATABASE_URL ? describe : describe.skip;

pg("DATABASE_READ_URL on PostgreSQL: the public pages, JSON API and feed read the replica", () => {
  let primary: Awaited<ReturnType<typeof freshDatabase>>;
  let replica: Awaited<ReturnType<typeof freshDatabase>>;
  let app: App;
  beforeAll(async () => {
    primary = await freshDatabase("postgresql");
    replica = await freshDatabase("postgresql");
    const config = parseConfig(TEST_CONFIG_YAML);
    await syncCommunities(replica.database.prisma, config);
    app = await startApp({
      env: loadEnv({ DATABASE_URL: primary.url, DATABASE_READ_URL: replica.url, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent" }),
      config,
      clock: new ManualClock(new Date()),
      worker: { autostart: false },
      scheduler: false,
      platforms: false,
    });
  });
  afterAll(async () => {
    await app.stop();
    await primary.drop();
    await replica.drop();
  });

  test("a request on the primary only is missing from /api/requests, /roadmap and the feed; one on the replica shows", async () => {
    const n = idOf(await as(app.services, "ana", "alpha")("/request Replica lag probe"));
    const get = async (path: string) => (await fetch(`http://127.0.0.1:${app.port}${path}`)).text();
    expect(await get("/api/requests")).not.toContain("Replica lag probe");
    expect(await get("/roadmap")).not.toContain("Replica lag probe");
    expect((await fetch(`http://127.0.0.1:${app.port}/api/requests/${n}`)).status).toBe(404);
    // What the replica holds is what the public reads show.
    idOf(await as({ ...app.services, db: replica.database.prisma }, "zed", "beta")("/request Only on the replica"));
    expect(await get("/api/requests")).toContain("Only on the replica");
    expect(await get("/roadmap")).toContain("Only on the replica");
    expect(await get("/roadmap.atom")).not.toContain("Replica lag probe");
  });
});
