import { resolveActor } from "../src/core/people/identity";
import { suggestCommunities, suggestRequests, suggestTickets } from "../src/core/search";
import { as } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

describe.each(DB_TARGETS)("autocomplete suggestions on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());

  test("requests: by words, by number prefix, wildcards taken literally, closed ones left out", async () => {
    const ana = as(t.services, "ana", "alpha");
    for (const title of ["Faster image builds", "100% uptime for the API", "Image cache_size setting", "Old thing we declined"]) await ana(`/request ${title} --force`);
    await t.services.db.featureRequest.updateMany({ where: { title: "Old thing we declined" }, data: { status: "declined" } });
    expect((await suggestRequests(t.services, "image")).map((s) => s.label)).toEqual(["#3 Image cache_size setting", "#1 Faster image builds"]);
    expect((await suggestRequests(t.services, "#2")).map((s) => s.value)).toEqual([2]);
    expect((await suggestRequests(t.services, "100%")).map((s) => s.value)).toEqual([2]);
    expect((await suggestRequests(t.services, "e_s")).map((s) => s.value)).toEqual([3]);
    expect((await suggestRequests(t.services, "declined")).length).toBe(0);
    expect((await suggestRequests(t.services, "")).map((s) => s.value).sort()).toEqual([1, 2, 3]);
  });

  test("communities: private ones only for their own members", async () => {
    const outsider = await resolveActor(t.services, { platform: "shell", externalId: "bo", displayName: "bo", communitySlug: "beta" });
    const insider = await resolveActor(t.services, { platform: "shell", externalId: "gi", displayName: "gi", communitySlug: "gamma" });
    expect((await suggestCommunities(t.services, "", outsider)).map((s) => s.value)).toEqual(["alpha", "beta"]);
    expect((await suggestCommunities(t.services, "", insider)).map((s) => s.value)).toEqual(["alpha", "beta", "gamma"]);
    expect((await suggestCommunities(t.services, "Gamma", outsider)).length).toBe(0);
  });

  test("tickets: staff see every open ticket, members only their community's", async () => {
    const member = await resolveActor(t.services, { platform: "shell", externalId: "ana", displayName: "ana", communitySlug: "alpha" });
    const other = await resolveActor(t.services, { platform: "shell", externalId: "bo", displayName: "bo", communitySlug: "beta" });
    const staff = await resolveActor(t.services, { platform: "shell", externalId: "carol", displayName: "carol", communitySlug: "alpha" });
    const ticket = (communityId: number, summary: string, status: "open" | "resolved" = "open") =>
      t.services.db.supportTicket.create({ data: { communityId, requesterId: member.personId, summary, status, memberPlace: { platform: "shell" } } });
    const a = await ticket(member.communityId!, "Builds are slow");
    const b = await ticket(other.communityId!, "Login broken");
    await ticket(member.communityId!, "Old resolved one", "resolved");
    expect(staff.role).toBe("staff");
    expect((await suggestTickets(t.services, "", staff)).map((s) => s.value)).toEqual([b.id, a.id]);
    expect((await suggestTickets(t.services, "", member)).map((s) => s.value)).toEqual([a.id]);
    expect((await suggestTickets(t.services, "login", member)).length).toBe(0);
    expect((await suggestTickets(t.services, `#${b.id}`, other)).map((s) => s.label)).toEqual([`#${b.id} Login broken`]);
  });
});
