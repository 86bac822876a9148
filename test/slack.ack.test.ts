import { startSlack } from "../src/platforms/slack";
import { DB_TARGETS } from "./helpers/db";
import { ANA, postCommand, postInteraction, buttonClick, slashCommand, startSlackHarness, type SlackHarness } from "./helpers/slack";

/**
 * Slack gives up on an answer after 3 seconds. Commands are acknowledged at once whatever the
 * database is doing; work that outlasts the budget says "working on it" on the response_url,
 * then answers there when done. Here the database is held busy by an open transaction, so the
 * command cannot finish until the test lets it.
 */
describe.each(DB_TARGETS)("Slack acks slow work first, on %s", (target) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(target, { platforms: false });
    const slack = await startSlack(h.app, { ackBudgetMs: 300 });
    if (slack) h.app.attach(slack);
  });
  afterAll(() => h.close());

  /** Holds the database until release() is called. */
  async function holdDatabase(): Promise<() => Promise<void>> {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = h.app.services.db.$transaction(
      async (t) => {
        await t.$executeRawUnsafe(`LOCK TABLE "WebhookDelivery", "Account", "FeatureRequest" IN ACCESS EXCLUSIVE MODE`);
        locked();
        await gate;
      },
      { timeout: 120_000, maxWait: 120_000 },
    );
    await isLocked;
    return async () => {
      release();
      await tx;
    };
  }

  test("a slow slash command is acked at once, says it is working, and is answered on the response_url", async () => {
    const url = h.standin.responseUrl("slow-1");
    const answers = () => h.standin.responses.filter((r) => r.id === "slow-1").map((r) => r.body);
    const release = await holdDatabase();
    const res = await postCommand(h.url, slashCommand(ANA, "/request", "Faster cold starts", url));
    expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: "" });
    const working = await h.standin.waitFor(() => answers()[0]);
    expect(answers()).toHaveLength(1);
    expect(working).toMatchObject({ response_type: "ephemeral", text: "Working on it…" });
    await release();
    const answer = await h.standin.waitFor(() => answers()[1]);
    expect(answer).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(String(answer.text)).toMatch(/^Filed #\d+ Faster cold starts/);
  });

  test("a slow button click is acked at once and answered when done", async () => {
    await postCommand(h.url, slashCommand(ANA, "/request", "Quicker log search", h.standin.responseUrl("x")));
    const filed = await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "x")?.body);
    const id = Number(/#(\d+)/.exec(String(filed.text))![1]);
    const url = h.standin.responseUrl("slow-2");
    const release = await holdDatabase();
    const res = await postInteraction(h.url, buttonClick({ user: "U0BOB", name: "bob", team: "T0BETA", channel: "C0BETA" }, `upvote ${id}`, url));
    expect(res.status).toBe(200);
    expect(h.standin.responses.find((r) => r.id === "slow-2")).toBeUndefined();
    await release();
    const answer = await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "slow-2")?.body);
    expect(String(answer.text)).toContain(`Your vote for #${id} is counted for beta`);
  });
});
