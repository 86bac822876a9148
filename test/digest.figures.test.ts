// One rule for a support figure (issue #14): the weekly digest and /support-stats read the same
// tickets the same way, so they show the same first-response median, in the same words.
import { as, idOf } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

describe.each(DB_TARGETS)("support figures in the digest and /support-stats on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());

  test("a first-response median under a minute reads the same in both: 33s", async () => {
    const carol = as(t.services, "carol");
    const ana = as(t.services, "ana", "alpha");
    const start = t.clock.now().getTime();
    const tickets = [idOf(await ana("/support Quota dashboard is empty")), idOf(await ana("/support Builds are slow today"))];
    // Staff answer after 20 and 45 seconds: the median is 32.5 s.
    for (const [id, seconds] of [[tickets[0], 20], [tickets[1], 45]]) {
      t.clock.set(new Date(start + seconds * 1000));
      expect((await carol(`/ticket reply ${id} Try this`)).error).toBeFalsy();
    }

    const digest = await ana("/digest");
    const support = digest.sections!.find((s) => s.title === "Support for Alpha University")!;
    expect(support.fields).toContainEqual({ label: "Median first response", value: "33s" });
    const stats = await carol("/support-stats alpha");
    expect(stats.text).toContain("first response median 33s");
    expect(stats.sections![0].fields).toContainEqual({ label: "First staff response", value: "median 33s · p90 43s" });
  });
});
