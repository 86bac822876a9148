import type { types } from "@slack/bolt";
import { enqueue } from "../src/core/outbox";
import type { Place, Reply } from "../src/core/reply";
import { DB_TARGETS } from "./helpers/db";
import { startSlackHarness, type SlackHarness } from "./helpers/slack";

describe.each(DB_TARGETS)("Slack outbox delivery on %s", (target) => {
  let h: SlackHarness;
  const channel: Place = { platform: "slack", workspace: "T0ALPHA", channel: "C0ALPHA" };
  const put = (key: string, reply: Reply, place: Place = channel, extra: { parentId?: number; editOfId?: number } = {}) =>
    enqueue(h.app.services.db, { key, place, reply, ...extra });
  const row = (id: number) => h.app.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
  /** Runs the worker as of now (the harness clock only moves when a test moves it). */
  const drain = () => {
    if (h.clock.now().getTime() < Date.now()) h.clock.set(new Date());
    return h.app.worker.drain();
  };
  const postsOf = (key: string) =>
    h.standin.callsOf("chat.postMessage").filter((c) => (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key === key);
  const storedOf = (key: string) => h.standin.messages.filter((m) => m.metadata?.event_payload.key === key);

  beforeAll(async () => {
    h = await startSlackHarness(target);
  });
  afterAll(() => h.close());

  test("notifications post as Block Kit; thread children use thread_ts; DMs go to the IM channel", async () => {
    const parent = await put("note:1", { text: "Shipped v2 <!channel> @here", title: "Release <!everyone>" });
    const child = await put("note:1:thread", { text: "Details follow in the thread" }, channel, { parentId: parent });
    const dm = await put("note:dm", { text: "Your request #1 is planned" }, { platform: "slack", workspace: "T0ALPHA", user: "U0ANA" });
    await drain();
    const [p, c, d] = [await row(parent), await row(child), await row(dm)];
    expect([p.status, c.status, d.status]).toEqual(["delivered", "delivered", "delivered"]);

    const [parentPost] = postsOf("note:1");
    expect(parentPost.args).toMatchObject({ channel: "C0ALPHA" });
    expect(parentPost.args.thread_ts).toBeUndefined();
    expect(parentPost.token).toBe("xoxb-test-bot-token-123456");
    expect((parentPost.args.blocks as types.KnownBlock[])[0]).toMatchObject({ type: "header" });
    expect(JSON.stringify(parentPost.args)).not.toMatch(/<[!@#]|(^|[^\w\u200b])@(here|channel|everyone)/);
    expect(p.externalId).toBe(storedOf("note:1")[0].ts);

    expect(postsOf("note:1:thread")[0].args).toMatchObject({ channel: "C0ALPHA", thread_ts: p.externalId });
    expect(h.standin.callsOf("conversations.open")[0].args).toMatchObject({ users: "U0ANA" });
    expect(postsOf("note:dm")[0].args).toMatchObject({ channel: "DU0ANA" });
  });

  test("an edit row updates the message its target posted (chat.update)", async () => {
    const original = await put("card:7", { text: "#7 Faster builds — 1 community" });
    await drain();
    const edit = await put("card:7:v2", { text: "#7 Faster builds — 2 communities" }, channel, { editOfId: original });
    await drain();
    const posted = (await row(original)).externalId;
    const update = h.standin.callsOf("chat.update").at(-1)!;
    expect(update.args).toMatchObject({ channel: "C0ALPHA", ts: posted, text: "#7 Faster builds — 2 communities" });
    expect((await row(edit)).status).toBe("delivered");
    expect(postsOf("card:7:v2")).toHaveLength(0);
  });

  test("429 waits for Retry-After without counting an attempt, then posts once", async () => {
    h.standin.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const id = await put("rate:1", { text: "Weekly digest" });
    await drain();
    let r = await row(id);
    expect(r).toMatchObject({ status: "pending", attempts: 0 });
    expect(r.nextAttemptAt.getTime() - h.clock.now().getTime()).toBe(7000);
    await h.app.worker.drain(); // not due yet: nothing sent
    expect(postsOf("rate:1")).toHaveLength(1);
    h.clock.advance(7000);
    await h.app.worker.drain();
    r = await row(id);
    expect(r.status).toBe("delivered");
    expect(postsOf("rate:1")).toHaveLength(2);
    expect(storedOf("rate:1")).toHaveLength(1);
  });

  test("5xx backs off and retries; a post whose answer was lost is found, not posted again", async () => {
    h.standin.failNext("chat.postMessage", { status: 500 });
    const a = await put("err:1", { text: "Announcement A" });
    await drain();
    expect(await row(a)).toMatchObject({ status: "pending", attempts: 1 });
    h.clock.advance(1000);
    await h.app.worker.drain();
    expect((await row(a)).status).toBe("delivered");
    expect(storedOf("err:1")).toHaveLength(1);

    h.standin.failNext("chat.postMessage", { status: 503, commit: true });
    const b = await put("err:2", { text: "Announcement B" });
    await drain();
    expect(await row(b)).toMatchObject({ status: "pending", attempts: 1 });
    expect(storedOf("err:2")).toHaveLength(1); // Slack did post it
    h.clock.advance(1000);
    await h.app.worker.drain();
    const done = await row(b);
    expect(done.status).toBe("delivered");
    expect(done.externalId).toBe(storedOf("err:2")[0].ts);
    expect(postsOf("err:2")).toHaveLength(1);
    expect(storedOf("err:2")).toHaveLength(1);
    expect(h.standin.callsOf("conversations.history").length).toBeGreaterThan(0);
  });

  test("a thread reply whose answer was lost is looked for in the thread", async () => {
    const root = await put("thr:root", { text: "Ticket #4 opened" });
    await drain();
    h.standin.failNext("chat.postMessage", { status: 500, commit: true });
    const reply = await put("thr:reply", { text: "Staff answered" }, channel, { parentId: root });
    await drain();
    h.clock.advance(1000);
    await h.app.worker.drain();
    expect((await row(reply)).status).toBe("delivered");
    expect(postsOf("thr:reply")).toHaveLength(1);
    expect(h.standin.callsOf("conversations.replies").at(-1)!.args).toMatchObject({ channel: "C0ALPHA", ts: (await row(root)).externalId });
  });

  test("hopeless Slack errors (channel_not_found) go dead at once, without a retry", async () => {
    h.standin.failNext("chat.postMessage", { status: 200, error: "channel_not_found" });
    const id = await put("dead:1", { text: "To nowhere" }, { platform: "slack", workspace: "T0ALPHA", channel: "C0GONE" });
    await drain();
    const r = await row(id);
    expect(r.status).toBe("dead");
    expect(r.lastError).toContain("channel_not_found");
    expect(r.lastError).not.toContain("xoxb-");
  });
});

describe.each(DB_TARGETS)("Slack channel pacing (the bot's default) on %s", (target) => {
  let h: SlackHarness;
  const put = (key: string, channel: string) => enqueue(h.app.services.db, { key, place: { platform: "slack", workspace: "T0ALPHA", channel }, reply: { text: key } });
  const row = (id: number) => h.app.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });
  const posted = () => h.standin.callsOf("chat.postMessage").map((c) => (c.args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key);

  beforeAll(async () => {
    h = await startSlackHarness(target, { channelPaceMs: null });
  });
  afterAll(() => h.close());

  test("a channel's posts leave a second apart (SLACK_CHANNEL_PACE_MS), other channels' meanwhile", async () => {
    expect(h.app.deliverers.find((d) => d.platform === "slack")?.channelPaceMs).toBe(1000);
    const a1 = await put("pace:a1", "C0ALPHA");
    const a2 = await put("pace:a2", "C0ALPHA");
    const b1 = await put("pace:b1", "C0BETA");
    h.clock.set(new Date());
    await h.app.worker.drain();
    expect(posted().sort()).toEqual(["pace:a1", "pace:b1"]); // the two channels in parallel
    h.clock.advance(500);
    await h.app.worker.drain();
    expect(posted()).toHaveLength(2);
    h.clock.advance(500);
    await h.app.worker.drain();
    expect(posted()).toHaveLength(3);
    expect(posted()[2]).toBe("pace:a2");
    const [r1, r2, rb] = [await row(a1), await row(a2), await row(b1)];
    expect([r1.status, r2.status, rb.status]).toEqual(["delivered", "delivered", "delivered"]);
    expect(r2.deliveredAt!.getTime() - r1.deliveredAt!.getTime()).toBe(1000);
  });
});
