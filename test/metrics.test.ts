import type { App } from "../src/app";
import { ManualClock } from "../src/core/clock";
import { enqueue } from "../src/core/outbox";
import { as } from "./helpers/actors";
import { DB_TARGETS } from "./helpers/db";
import { DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";
import { PlatformStandIn, standInDeliverer, waitFor } from "./helpers/platform-standin";
import { createStore, startOn, type Store } from "./helpers/store";

describe.each(DB_TARGETS)("GET /metrics and /healthz on %s", (target) => {
  let store: Store;
  let standIn: PlatformStandIn;
  let app: App;

  beforeAll(async () => {
    store = await createStore(target, DIGEST_CONFIG_YAML, seedDigestWeek);
    standIn = await new PlatformStandIn().start();
    app = await startOn(store, DIGEST_CONFIG_YAML, new ManualClock(new Date("2026-11-27T12:00:00Z")), [standInDeliverer("slack", standIn.url), standInDeliverer("discord", standIn.url)], {
      listen: true,
      scheduler: false,
    });
  });
  afterAll(async () => {
    await app.stop();
    await standIn.close();
    await store.cleanup();
  });

  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${app.port}${path}`);
    return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
  };

  test("counts commands, webhooks, deliveries, retries, dead messages and digest runs in the Prometheus format", async () => {
    let limited = true;
    standIn.behaviour = (_n, body) => {
      if (body.channel === "C404") return { status: 404 };
      if (body.key === "note:1" && limited) {
        limited = false;
        return { status: 429, retryAfter: 0 };
      }
      return { status: 200 };
    };
    const db = app.services.db;
    const ana = as(app.services, "ana", "alpha");
    await ana("/help");
    await ana("/nonsense");
    await as(app.services, "carol")("/digest send beta --week 2026-W48");
    await as(app.services, "carol")("/digest send beta --week 2026-W48");
    app.metrics.webhookReceived("github", "issues");
    await enqueue(db, { key: "note:1", place: { platform: "slack", workspace: "T0ALPHA", channel: "C0ALPHA" }, reply: { text: "one" } });
    await enqueue(db, { key: "note:2", place: { platform: "slack", workspace: "T0ALPHA", channel: "C0ALPHA" }, reply: { text: "two" } });
    await enqueue(db, { key: "note:3", place: { platform: "discord", workspace: "1", channel: "C404" }, reply: { text: "lost" } });
    await waitFor(async () => (await db.outboxMessage.count({ where: { status: "pending" } })) === 0, "the outbox to settle");

    const m = await get("/metrics");
    expect(m.status).toBe(200);
    expect(m.type).toBe("text/plain; version=0.0.4; charset=utf-8");
    const lines = m.body.split("\n");
    for (const line of [
      'flywheel_commands_total{command="help",platform="shell",outcome="ok"} 1',
      'flywheel_commands_total{command="unknown",platform="shell",outcome="user_error"} 1',
      'flywheel_commands_total{command="digest",platform="shell",outcome="ok"} 2',
      'flywheel_webhook_deliveries_total{source="github",event="issues"} 1',
      // two notes, the digest and the staff alert about the dead message
      'flywheel_outbox_delivered_total{platform="slack"} 4',
      'flywheel_outbox_retried_total{platform="slack",reason="rate_limited"} 1',
      'flywheel_outbox_dead_total{platform="discord"} 1',
      'flywheel_outbox_depth{platform="slack"} 0',
      'flywheel_outbox_depth{platform="discord"} 0',
      'flywheel_outbox_dead_messages{platform="discord"} 1',
      'flywheel_digest_runs_total{outcome="posted"} 1',
      'flywheel_digest_runs_total{outcome="already"} 1',
      "# TYPE flywheel_outbox_depth gauge",
    ])
      expect(lines).toContain(line);
    expect(m.body).toMatch(/^process_cpu_user_seconds_total \d/m);

    // A queued message shows in the depth at once.
    await enqueue(db, { key: "later:1", place: { platform: "discord", workspace: "1", channel: "C0LATER" }, reply: { text: "later" }, notBefore: new Date("2027-01-01T00:00:00Z") });
    expect((await get("/metrics")).body.split("\n")).toContain('flywheel_outbox_depth{platform="discord"} 1');

    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: "ok", outbox: { dead: 1 }, scheduler: { leader: false } });
    expect(standIn.received.find((r) => r.channel === "C0SUPPORT")?.text).toContain("was given up after 1 attempt");
  });
});
