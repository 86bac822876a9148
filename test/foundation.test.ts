import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { as } from "./helpers/actors";

describe.each(DB_TARGETS)("foundation commands on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());

  test("file a request as one person, upvote it as another, list it ranked", async () => {
    const ana = as(t.services, "ana", "alpha");
    const bob = as(t.services, "bob", "beta");
    const filed = await ana("/request Faster image builds | CI takes 20 minutes");
    expect(filed.error).toBeFalsy();
    const id = Number(/#(\d+)/.exec(filed.text)![1]);
    expect((await bob(`/upvote ${id}`)).text).toContain(`Your vote for #${id} is counted`);
    expect((await bob(`/upvote #${id}`)).text).toContain("already voted");
    const list = await bob("/requests");
    expect(list.text).toContain(`#${id} Faster image builds — 2 communities · 2 votes · 0 pledges — open`);
    expect(await t.services.db.vote.count({ where: { requestId: id } })).toBe(2);
  });

  test("bad input gets a friendly error and changes nothing", async () => {
    const ana = as(t.services, "ana", "alpha");
    const before = await t.services.db.featureRequest.count();
    for (const line of ["/request ab", `/request ${"x".repeat(121)}`, "/upvote abc", "/upvote 999999", "/nonsense", "/requests bogus"]) {
      const r = await ana(line);
      expect(r.error).toBe(true);
      expect(r.text).not.toMatch(/at .*\.ts:\d+|Error:|prisma/i);
    }
    expect(await t.services.db.featureRequest.count()).toBe(before);
  });
});
