import { webApi } from "@slack/bolt";
import { createLogger } from "../src/log";
import { SlackNames } from "../src/platforms/slack/names";
import { SlackStandin } from "./standins/slack";

describe("Slack names for events that carry only a user id", () => {
  let standin: SlackStandin;
  let now = 0;
  let names: SlackNames;
  const asked = () => standin.callsOf("users.info").map((c) => c.args.user);

  beforeAll(async () => {
    standin = await new SlackStandin().start();
  });
  afterAll(() => standin.close());
  beforeEach(() => {
    standin.calls.length = 0;
    standin.people.clear();
    now = 1_000_000;
    const client = new webApi.WebClient("xoxb-test-names", { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
    names = new SlackNames(client, createLogger("silent"), { ttlMs: 60_000, failureTtlMs: 5_000, max: 2, now: () => now });
  });

  test("the display name first, then the real name, then the handle; asked once while remembered", async () => {
    standin.people.set("U0KAI", { name: "kai", real_name: "Kai Lee", display_name: "Kai" });
    standin.people.set("U0LEE", { name: "lee", real_name: "Lee Park" });
    standin.people.set("U0MO", { name: "mo" });
    expect(await names.nameOf("U0KAI")).toBe("Kai");
    expect(await Promise.all([names.nameOf("U0KAI"), names.nameOf("U0KAI")])).toEqual(["Kai", "Kai"]);
    expect(await names.nameOf("U0LEE")).toBe("Lee Park");
    expect(asked()).toEqual(["U0KAI", "U0LEE"]);
    standin.people.set("U0KAI", { name: "kai", display_name: "Kai L." });
    now += 60_001;
    expect(await names.nameOf("U0KAI")).toBe("Kai L.");
    expect(await names.nameOf("U0MO")).toBe("mo");
    expect(asked()).toEqual(["U0KAI", "U0LEE", "U0KAI", "U0MO"]);
  });

  test("an app installed without users:read asks once, then shows ids without asking again", async () => {
    standin.people.set("U0KAI", { name: "kai" });
    standin.failNext("users.info", { status: 200, error: "missing_scope" });
    expect(await names.nameOf("U0KAI")).toBeUndefined();
    now += 60 * 60_000;
    expect(await names.nameOf("U0KAI")).toBeUndefined();
    expect(await names.nameOf("U0LEE")).toBeUndefined();
    expect(asked()).toEqual(["U0KAI"]);
  });

  test("a failure gives no name and is not asked again for a while; the oldest are forgotten past the limit", async () => {
    expect(await names.nameOf("U0GONE")).toBeUndefined();
    expect(await names.nameOf("U0GONE")).toBeUndefined();
    expect(asked()).toEqual(["U0GONE"]);
    now += 5_001;
    standin.people.set("U0GONE", { name: "back" });
    expect(await names.nameOf("U0GONE")).toBe("back");

    standin.people.set("U0A", { name: "a" });
    standin.people.set("U0B", { name: "b" });
    await names.nameOf("U0A");
    await names.nameOf("U0B"); // the limit is 2: U0GONE is forgotten
    standin.calls.length = 0;
    await names.nameOf("U0A");
    await names.nameOf("U0GONE");
    expect(asked()).toEqual(["U0GONE"]);
  });
});
