import { startSlack } from "../src/platforms/slack";
import { DB_TARGETS } from "./helpers/db";
import { ANA, postCommand, postInteraction, buttonClick, slashCommand, startSlackHarness, type SlackHarness } from "./helpers/slack";

/**
 * Slack gives up on an answer after 3 seconds. Work that takes longer is acknowledged first
 * ("working on it") and answered on the response_url when done. Here the database is held
 * busy by an open transaction, so the command cannot finish until the test lets it.
 */
describe.each(DB_TARGETS)("Slack acks slow work first, on %s", (target) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(target, { platforms: false });
    await startSlack(h.app, { ackBudgetMs: 300 });
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

  test("a slow slash command is acked at once and answered on the response_url", async () => {
    const url = h.standin.responseUrl("slow-1");
    const release = await holdDatabase();
    const res = await postCommand(h.url, slashCommand(ANA, "/request", "Faster cold starts", url));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: "ephemeral", text: "Working on it…" });
    expect(h.standin.responses.find((r) => r.id === "slow-1")).toBeUndefined();
    await release();
    const answer = await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "slow-1")?.body);
    expect(answer).toMatchObject({ response_type: "in_channel" });
    expect(String(answer.text)).toMatch(/^Filed #\d+ Faster cold starts/);
  });

  test("a slow button click is acked at once and answered when done", async () => {
    const filed = await postCommand(h.url, slashCommand(ANA, "/request", "Quicker log search", h.standin.responseUrl("x")));
    const id = Number(/#(\d+)/.exec(String(filed.json!.text))![1]);
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
