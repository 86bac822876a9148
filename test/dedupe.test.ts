import { DELIVERY_MEMORY_DAYS, firstTimeSeen, forgetDeliveriesBefore } from "../src/core/dedupe";
import { forgetOldDeliveries } from "../src/jobs/forget-deliveries";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

const DAY = 24 * 60 * 60 * 1000;

describe.each(DB_TARGETS)("remembered delivery ids on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    t.clock.set(new Date());
  });

  const ids = async () => (await t.services.db.webhookDelivery.findMany({ orderBy: { id: "asc" } })).map((d) => d.id);
  const received = (id: string, daysAgo: number) => ({ id, source: id.split(":")[0], receivedAt: new Date(Date.now() - daysAgo * DAY) });

  test("the daily clean-up forgets ids older than a week; a recent redelivery is still recognised", async () => {
    expect(await firstTimeSeen(t.services.db, "Ev1", "slack")).toBe(true);
    await t.services.db.webhookDelivery.createMany({
      data: [received("github:old-1", DELIVERY_MEMORY_DAYS + 1), received("discord:old-2", 30), received("slack-outbox:17", 400), received("github:recent", DELIVERY_MEMORY_DAYS - 1)],
    });
    expect(await forgetOldDeliveries(t.services)).toBe(3);
    expect(await ids()).toEqual(["github:recent", "slack:Ev1"]);
    expect(await firstTimeSeen(t.services.db, "Ev1", "slack")).toBe(false);
    expect(await forgetOldDeliveries(t.services)).toBe(0);
  });

  test("a large backlog is forgotten batch by batch, all of it", async () => {
    await t.services.db.webhookDelivery.createMany({ data: Array.from({ length: 7 }, (_, i) => received(`github:d${i}`, 10)) });
    await t.services.db.webhookDelivery.createMany({ data: [received("github:keep", 1)] });
    expect(await forgetDeliveriesBefore(t.services.db, new Date(Date.now() - DELIVERY_MEMORY_DAYS * DAY), 3)).toBe(7);
    expect(await ids()).toEqual(["github:keep"]);
  });
});
