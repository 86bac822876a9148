import { enqueue } from "../src/core/outbox";
import { systemClock } from "../src/core/clock";
import type { Services } from "../src/core/context";
import { openDatabase, type Database } from "../src/db/client";
import { deadLetterAlert } from "../src/delivery/dead-alert";
import { OutboxWorker, type WorkerOptions } from "../src/delivery/worker";
import { createLogger } from "../src/log";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { PlatformStandIn, seeded, standInDeliverer, waitFor } from "./helpers/platform-standin";

const CHANNELS = ["C0ALPHA", "C0BETA", "C0GAMMA"];

describe.each(DB_TARGETS)("outbox delivery on %s", (target) => {
  let t: TestEnv;
  let standIn: PlatformStandIn;
  const workers: OutboxWorker[] = [];
  const worker = (opts: WorkerOptions = {}, services: Services = t.services) => {
    const w = new OutboxWorker(services, [standInDeliverer("slack", standIn.url)], { random: () => 0.5, ...opts });
    workers.push(w);
    return w;
  };
  const enqueueMany = async (prefix: string, perChannel: number) => {
    for (let i = 0; i < perChannel; i++)
      for (const channel of CHANNELS)
        await enqueue(t.services.db, { key: `${prefix}:${channel}:${i}`, place: { platform: "slack", workspace: "T0", channel }, reply: { text: `${channel} message ${i}` } });
  };
  /**
   * Services for a second replica: on PostgreSQL its own connection pool on the same database;
   * the embedded database has one connection, so there it shares this one.
   */
  const secondReplica = async (): Promise<{ otherServices: Services; close(): Promise<void> }> => {
    if (target !== "postgresql") return { otherServices: t.services, close: async () => {} };
    const second: Database = await openDatabase({ url: t.url });
    return { otherServices: { ...t.services, db: second.prisma }, close: () => second.close() };
  };
  /** Runs workers until nothing is pending, moving the fake clock past every backoff and Retry-After. */
  const deliverAll = async (ws: OutboxWorker[], rounds = 200) => {
    for (let i = 0; i < rounds; i++) {
      await Promise.all(ws.map((w) => w.drain()));
      if (!(await t.services.db.outboxMessage.count({ where: { status: "pending" } }))) return;
      t.clock.advance(15 * 60_000);
    }
    throw new Error("messages still pending");
  };
  const expectInOrderOnce = (prefix: string, perChannel: number) => {
    const mine = standIn.received.filter((r) => r.key.startsWith(`${prefix}:`));
    expect(mine).toHaveLength(perChannel * CHANNELS.length);
    expect([...standIn.countsByKey().entries()].filter(([k, n]) => k.startsWith(`${prefix}:`) && n !== 1)).toEqual([]);
    for (const channel of CHANNELS) {
      const order = mine.filter((r) => r.channel === channel).map((r) => r.text);
      expect(order).toEqual(Array.from({ length: perChannel }, (_, i) => `${channel} message ${i}`));
    }
  };

  beforeAll(async () => {
    t = await testServices(target);
    standIn = await new PlatformStandIn().start();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    standIn.behaviour = () => ({ status: 200 });
  });
  afterAll(async () => {
    await standIn.close();
    await t.close();
  });

  test("a platform answering 429 and 500 half the time still gets every message exactly once, in order per channel", async () => {
    const rnd = seeded(42);
    standIn.behaviour = () => {
      const x = rnd();
      return x < 0.25 ? { status: 429, retryAfter: 3 } : x < 0.5 ? { status: 500 } : { status: 200 };
    };
    await enqueueMany("chaos", 12);
    const retries: string[] = [];
    await deliverAll([worker({ onRetry: (_p, reason) => retries.push(reason) })]);
    expectInOrderOnce("chaos", 12);
    // The stand-in really did refuse about half of the attempts, both ways.
    expect(standIn.attempts).toBeGreaterThan(36 * 1.5);
    expect(retries).toContain("rate_limited");
    expect(retries).toContain("error");
    expect(await t.services.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "chaos:" }, status: "delivered" } })).toBe(36);
  });

  test("two workers (two replicas) draining together deliver each message once, in order", async () => {
    const rnd = seeded(7);
    standIn.behaviour = () => (rnd() < 0.5 ? { status: 500 } : { status: 200 });
    const { otherServices, close } = await secondReplica();
    try {
      await enqueueMany("pair", 8);
      await deliverAll([worker(), worker({}, otherServices)]);
      expectInOrderOnce("pair", 8);
    } finally {
      await close();
    }
  });

  test("429 waits for Retry-After without counting an attempt", async () => {
    let limited = true;
    standIn.behaviour = () => (limited ? { status: 429, retryAfter: 30 } : { status: 200 });
    const id = await enqueue(t.services.db, { key: "wait:1", place: { platform: "slack", channel: "C0WAIT" }, reply: { text: "patience" } });
    const w = worker();
    const before = standIn.attempts;
    expect(await w.tick()).toBe(1);
    limited = false;
    let row = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null });
    expect(row.nextAttemptAt.getTime() - t.clock.now().getTime()).toBe(30_000);
    t.clock.advance(29_000);
    expect(await w.tick()).toBe(0);
    expect(standIn.attempts).toBe(before + 1);
    t.clock.advance(1_000);
    expect(await w.tick()).toBe(1);
    row = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "delivered", attempts: 1 });
    expect(standIn.countsByKey().get("wait:1")).toBe(1);
  });

  test("5xx backs off exponentially, then the row is dead, reported once to the support space", async () => {
    standIn.behaviour = () => ({ status: 503 });
    const dead: number[] = [];
    const w = worker({ maxAttempts: 4, baseDelayMs: 1000, onDeadTx: deadLetterAlert(t.config), onDead: (r) => void dead.push(r.id) });
    const id = await enqueue(t.services.db, { key: "doomed:1", place: { platform: "slack", workspace: "T0BETA", channel: "C0DOOM" }, reply: { text: "never arrives" } });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await w.tick()).toBe(1);
      const row = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(row.attempts).toBe(attempt);
      if (row.status === "dead") break;
      delays.push(row.nextAttemptAt.getTime() - t.clock.now().getTime());
      t.clock.advance(delays[delays.length - 1] - 1);
      expect(await w.tick()).toBe(0); // not due yet
      t.clock.advance(1);
    }
    // base * 2^(n-1), with jitter between half and all of it (random fixed at 0.5 here).
    expect(delays).toEqual([750, 1500, 3000]);
    const row = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "dead", attempts: 4, lockedUntil: null, lockedBy: null });
    expect(row.lastError).toContain("HTTP 503");
    expect(dead).toEqual([id]);
    const alerts = await t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "outbox-dead:" } } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ idempotencyKey: `outbox-dead:${id}:slack`, platform: "slack", workspace: "T0STAFF", channel: "C0SUPPORT" });
    expect((alerts[0].payload as { text: string }).text).toContain(`#${id} to slack channel C0DOOM (T0BETA) was given up after 4 attempts`);
    // The alert itself fails too: it dies without alerting about itself.
    for (let i = 0; i < 4; i++) {
      await w.tick();
      t.clock.advance(60 * 60_000);
    }
    expect(await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id: alerts[0].id } })).toMatchObject({ status: "dead" });
    expect(await t.services.db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "outbox-dead:" } } })).toBe(1);
  });

  test("a platform that cannot be reached (connection refused) is retried until it is back", async () => {
    const down = await new PlatformStandIn().start();
    const unreachable = down.url;
    await down.close(); // nothing listens there any more
    let url = unreachable;
    const w = new OutboxWorker(t.services, [{ platform: "slack", deliver: (d) => standInDeliverer("slack", url).deliver(d) }], { random: () => 0.5 });
    workers.push(w);
    const id = await enqueue(t.services.db, { key: "offline:1", place: { platform: "slack", channel: "C0OFF" }, reply: { text: "when you are back" } });
    expect(await w.tick()).toBe(1);
    const row = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "fetch failed (ECONNREFUSED)" });
    url = standIn.url;
    t.clock.advance(60_000);
    await w.drain();
    expect(await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "delivered", attempts: 2 });
    expect(standIn.countsByKey().get("offline:1")).toBe(1);
  });

  test("a 4xx refusal is dead at once, and the channel's next message still goes", async () => {
    standIn.behaviour = (_n, body) => (body.text === "refused" ? { status: 404 } : { status: 200 });
    const first = await enqueue(t.services.db, { key: "perm:1", place: { platform: "slack", channel: "C0PERM" }, reply: { text: "refused" } });
    await enqueue(t.services.db, { key: "perm:2", place: { platform: "slack", channel: "C0PERM" }, reply: { text: "after it" } });
    await worker({ onDeadTx: deadLetterAlert(t.config) }).drain();
    expect(await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ status: "dead", attempts: 1 });
    expect(standIn.countsByKey().get("perm:2")).toBe(1);
  });

  test("a restart resumes what a dead worker had claimed, without posting twice what already reached the platform", async () => {
    await enqueue(t.services.db, { key: "resume:1", place: { platform: "slack", channel: "C0RES1" }, reply: { text: "one" } });
    await enqueue(t.services.db, { key: "resume:2", place: { platform: "slack", channel: "C0RES2" }, reply: { text: "two" } });
    await enqueue(t.services.db, { key: "resume:3", place: { platform: "slack", channel: "C0RES1" }, reply: { text: "three" } });
    // The first process claims both channel heads and dies; its post of "one" did reach the platform.
    const crashed = worker({ leaseMs: 60_000 });
    const claimed = await crashed.claim();
    expect(claimed.map((r) => r.idempotencyKey).sort()).toEqual(["resume:1", "resume:2"]);
    await fetch(`${standIn.url}/messages`, { method: "POST", body: JSON.stringify({ key: "resume:1", platform: "slack", workspace: "", channel: "C0RES1", text: "one" }) });

    const restarted = worker({ leaseMs: 60_000 });
    expect(await restarted.tick()).toBe(0); // the dead worker's lease still holds
    t.clock.advance(60_001);
    await deliverAll([restarted]);
    const counts = standIn.countsByKey();
    expect([counts.get("resume:1"), counts.get("resume:2"), counts.get("resume:3")]).toEqual([1, 1, 1]);
    expect(standIn.received.filter((r) => r.channel === "C0RES1").map((r) => r.text)).toEqual(["one", "three"]);
    const rows = await t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "resume:" } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["delivered", "delivered", "delivered"]);
  });

  test("a sole process (embedded database) resumes its own stale leases at once", async () => {
    await enqueue(t.services.db, { key: "sole:1", place: { platform: "slack", channel: "C0SOLE" }, reply: { text: "resumed" } });
    await worker().claim(); // claimed, then the process died
    const again = worker({ exclusive: true, pollMs: 10 });
    again.start();
    const until = Date.now() + 20_000;
    while (!standIn.countsByKey().get("sole:1") && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await again.stop();
    expect(standIn.countsByKey().get("sole:1")).toBe(1);
  });

  test("a thread reply waits for its parent and posts in the parent's thread", async () => {
    let parentFailures = 1;
    standIn.behaviour = (_n, body) => (body.text === "parent" && parentFailures-- > 0 ? { status: 500 } : { status: 200 });
    const parentId = await enqueue(t.services.db, { key: "thread:parent", place: { platform: "slack", channel: "C0THREAD" }, reply: { text: "parent" } });
    await enqueue(t.services.db, { key: "thread:child", place: { platform: "slack", channel: "C0THREAD" }, reply: { text: "child" }, parentId });
    await deliverAll([worker()]);
    const parent = standIn.received.find((r) => r.key === "thread:parent")!;
    const child = standIn.received.find((r) => r.key === "thread:child")!;
    expect(child.thread).toBe(parent.id);
  });

  describe("per-channel pacing (Slack: about one message a second per channel)", () => {
    const PACE = 1000;
    /** A worker whose platform asks for PACE between two deliveries to one channel. */
    const paced = (opts: WorkerOptions = {}, services: Services = t.services) => {
      const w = new OutboxWorker(services, [{ ...standInDeliverer("slack", standIn.url), channelPaceMs: PACE }], { random: () => 0.5, paceLeadMs: 0, ...opts });
      workers.push(w);
      return w;
    };
    const put = (key: string, channel: string) => enqueue(t.services.db, { key, place: { platform: "slack", workspace: "T0", channel }, reply: { text: key } });
    /** The rows with this key prefix, oldest first. */
    const rows = (prefix: string) => t.services.db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: prefix } }, orderBy: { id: "asc" } });
    const deliveredOffsets = async (prefix: string, channel: string, from: Date) =>
      (await rows(prefix)).filter((r) => r.channel === channel).map((r) => (r.deliveredAt ? r.deliveredAt.getTime() - from.getTime() : null));

    beforeEach(() => t.reset());

    test("a channel's messages are delivered a pace apart, in order, while other channels go in parallel", async () => {
      for (let i = 0; i < 3; i++) for (const channel of ["C0PACE1", "C0PACE2"]) await put(`pace:${channel}:${i}`, channel);
      const w = paced();
      const start = t.clock.now();
      expect(await w.tick()).toBe(2); // both channels' first messages at once
      expect(await w.tick()).toBe(0); // neither channel's second before the pace
      t.clock.advance(PACE - 1);
      expect(await w.tick()).toBe(0);
      t.clock.advance(1);
      expect(await w.tick()).toBe(2);
      t.clock.advance(PACE / 2);
      expect(await w.tick()).toBe(0);
      t.clock.advance(PACE / 2);
      expect(await w.tick()).toBe(2);
      for (const channel of ["C0PACE1", "C0PACE2"]) {
        expect(await deliveredOffsets("pace:", channel, start)).toEqual([0, PACE, 2 * PACE]);
        expect(standIn.received.filter((r) => r.channel === channel).map((r) => r.key)).toEqual([0, 1, 2].map((i) => `pace:${channel}:${i}`));
      }
      // A worker without pacing (another platform's) is not held back by it.
      await put("pace:free:1", "C0FREE");
      await put("pace:free:2", "C0FREE");
      expect(await worker().drain()).toBe(2);
    });

    test("a 429 is still waited out on a paced channel, and the pace then counts from the delivery", async () => {
      await put("pace429:1", "C0P429");
      await put("pace429:2", "C0P429");
      let refused = false;
      standIn.behaviour = (_n, body) => (body.key === "pace429:1" && !refused ? ((refused = true), { status: 429, retryAfter: 3 }) : { status: 200 });
      const w = paced();
      const start = t.clock.now();
      expect(await w.tick()).toBe(1);
      expect((await rows("pace429:"))[0]).toMatchObject({ status: "pending", attempts: 0 });
      expect((await rows("pace429:"))[0].nextAttemptAt.getTime() - start.getTime()).toBe(3000);
      t.clock.advance(2999);
      expect(await w.tick()).toBe(0);
      t.clock.advance(1);
      expect(await w.tick()).toBe(1);
      expect(await w.tick()).toBe(0);
      t.clock.advance(PACE);
      expect(await w.tick()).toBe(1);
      expect(await deliveredOffsets("pace429:", "C0P429", start)).toEqual([3000, 3000 + PACE]);
      expect(standIn.countsByKey().get("pace429:1")).toBe(1);
    });

    test("every worker keeps to a channel's pace, not only the one that delivered", async () => {
      const { otherServices, close } = await secondReplica();
      try {
        await put("pace2w:1", "C0PACE2W");
        await put("pace2w:2", "C0PACE2W");
        const [a, b] = [paced(), paced({}, otherServices)];
        expect(await a.tick()).toBe(1);
        expect(await b.tick()).toBe(0);
        expect(await a.tick()).toBe(0);
        t.clock.advance(PACE);
        expect(await b.tick()).toBe(1);
        expect((await rows("pace2w:")).map((r) => r.status)).toEqual(["delivered", "delivered"]);
      } finally {
        await close();
      }
    });

    test("running, the worker claims a channel's next row ahead of its turn, posts it on the turn, and wakes for it without polling", async () => {
      const pace = 300;
      const arrived: { channel: string; key: string; at: number }[] = [];
      standIn.behaviour = (_n, body) => {
        arrived.push({ channel: body.channel, key: body.key, at: Date.now() });
        return { status: 200 };
      };
      for (let i = 0; i < 3; i++) for (const channel of ["C0LIVE1", "C0LIVE2"]) await put(`live:${channel}:${i}`, channel);
      // The real clock, and a poll interval no test would wait out: only the wake-up for a
      // channel's turn can deliver the later messages.
      const w = new OutboxWorker({ ...t.services, clock: systemClock }, [{ ...standInDeliverer("slack", standIn.url), channelPaceMs: pace }], { pollMs: 10 * 60_000, paceLeadMs: 100 });
      workers.push(w);
      w.start();
      await waitFor(async () => (await rows("live:")).every((r) => r.status === "delivered"), "every paced message delivered");
      await w.stop();
      for (const channel of ["C0LIVE1", "C0LIVE2"]) {
        const times = arrived.filter((a) => a.channel === channel);
        expect(times.map((a) => a.key)).toEqual([0, 1, 2].map((i) => `live:${channel}:${i}`));
        for (let i = 1; i < times.length; i++) expect(times[i].at - times[i - 1].at).toBeGreaterThanOrEqual(pace);
      }
    });
  });
});

test("the worker's log never shows a token a platform error quoted", async () => {
  const lines: string[] = [];
  const t = await testServices("pglite");
  try {
    const log = createLogger("info", { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream);
    const services = { ...t.services, log };
    const w = new OutboxWorker(services, [{ platform: "slack", deliver: async () => { throw new Error("invalid_auth for xoxb-1234-5678-abcdefgh"); } }], { maxAttempts: 1 });
    const id = await enqueue(t.services.db, { key: "secret:1", place: { platform: "slack", channel: "C1" }, reply: { text: "x" } });
    await w.drain();
    const row = await t.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.lastError).toBe("invalid_auth for [redacted]");
    expect(lines.join("")).not.toContain("xoxb-");
  } finally {
    await t.close();
  }
});
