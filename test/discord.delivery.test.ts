import { enqueue } from "../src/core/outbox";
import type { Place } from "../src/core/reply";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, GAMMA, drainOutbox } from "./helpers/discord";
import { BOT_TOKEN } from "./standins/discord";

const channel = (id: string, thread?: string): Place => ({ platform: "discord", workspace: ALPHA.guild, channel: id, thread });
const posts = (t: DiscordTestApp, channelId: string) => t.d.calls.filter((c) => c.method === "POST" && c.path === `/channels/${channelId}/messages`);

describe.each(DB_TARGETS)("Discord outbox delivery through discord.js REST on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target);
  });
  afterAll(() => t.close());

  const drain = () => drainOutbox(t);
  const row = (id: number) => t.app.services.db.outboxMessage.findUniqueOrThrow({ where: { id } });

  test("an announcement is posted once to its channel as an embed that pings no one", async () => {
    const id = await enqueue(t.app.services.db, {
      key: "announce:1",
      place: channel(ALPHA.channel),
      reply: { text: "Shipped for @everyone: faster builds", title: "Support #7: builds are slow", buttons: [{ label: "Details", command: "request-show 7" }] },
    });
    expect(await drain()).toBe(1);
    const [call] = posts(t, ALPHA.channel);
    expect(call.authorization).toBe(`Bot ${BOT_TOKEN}`);
    expect(call.body).toMatchObject({
      allowed_mentions: { parse: [] },
      enforce_nonce: true,
      embeds: [{ title: "Support #7: builds are slow", description: "Shipped for @\u200beveryone: faster builds" }],
      components: [{ components: [{ custom_id: "fw:request-show 7", label: "Details" }] }],
    });
    expect(call.body.flags).toBeUndefined();
    expect(call.body.nonce).toHaveLength(25);
    const r = await row(id);
    expect(r.status).toBe("delivered");
    expect(r.externalId).toBe(t.d.messagesIn(ALPHA.channel)[0].id);
  });

  test("a follow-up to a posted message opens a thread on it, named after it, and posts there; the next one reuses it", async () => {
    const parentId = (await t.app.services.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "announce:1" } })).id;
    const parentMessage = (await row(parentId)).externalId!;
    const first = await enqueue(t.app.services.db, { key: "announce:1:reply:1", place: channel(ALPHA.channel), parentId, reply: { text: "Staff replied: try the new runner" } });
    await drain();
    const opened = t.d.calls.find((c) => c.method === "POST" && c.path === `/channels/${ALPHA.channel}/messages/${parentMessage}/threads`);
    expect(opened?.body).toMatchObject({ name: "Support #7: builds are slow" });
    expect(t.d.messagesIn(parentMessage).map((m) => m.embeds[0].description)).toEqual(["Staff replied: try the new runner"]);
    expect(await row(first)).toMatchObject({ status: "delivered", thread: parentMessage });

    const second = await enqueue(t.app.services.db, { key: "announce:1:reply:2", place: channel(ALPHA.channel), parentId, reply: { text: "Member: that fixed it" } });
    await drain();
    expect(t.d.calls.filter((c) => c.path.endsWith("/threads"))).toHaveLength(1);
    expect(t.d.messagesIn(parentMessage)).toHaveLength(2);
    expect((await row(second)).thread).toBe(parentMessage);
  });

  test("a message for an existing thread goes straight into that thread", async () => {
    const id = await enqueue(t.app.services.db, { key: "thread:direct", place: channel(ALPHA.channel, ALPHA.botThread), reply: { text: "Reminder: this ticket waits for you" } });
    await drain();
    expect(posts(t, ALPHA.botThread)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "delivered", thread: ALPHA.botThread });
  });

  test("an edit row edits the message its target posted", async () => {
    const target = (await t.app.services.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: "announce:1" } })).id;
    const messageId = (await row(target)).externalId!;
    const id = await enqueue(t.app.services.db, { key: "announce:1:edit", place: channel(ALPHA.channel), editOfId: target, reply: { text: "Shipped (updated)", title: "Support #7: resolved" } });
    await drain();
    const edit = t.d.calls.find((c) => c.method === "PATCH" && c.path === `/channels/${ALPHA.channel}/messages/${messageId}`);
    expect(edit?.body).toMatchObject({ allowed_mentions: { parse: [] }, embeds: [{ title: "Support #7: resolved" }] });
    expect(t.d.messages.get(messageId)?.embeds[0].description).toBe("Shipped (updated)");
    expect(await row(id)).toMatchObject({ status: "delivered", externalId: messageId });
  });

  test("a direct message opens the DM channel and posts there", async () => {
    const id = await enqueue(t.app.services.db, { key: "dm:1", place: { platform: "discord", user: ana.user.id }, reply: { text: "Your request #3 shipped" } });
    await drain();
    const open = t.d.calls.find((c) => c.method === "POST" && c.path === "/users/@me/channels");
    expect(open?.body).toEqual({ recipient_id: ana.user.id });
    const dm = [...t.d.channels.values()].find((c) => c.type === 1)!;
    expect(t.d.messagesIn(dm.id).map((m) => m.embeds[0].description)).toEqual(["Your request #3 shipped"]);
    expect((await row(id)).status).toBe("delivered");
  });

  test("a short 429 is waited out inside discord.js: posted once", async () => {
    t.d.failNext((c) => c.method === "POST" && c.path === `/channels/${GAMMA.channel}/messages`, {
      status: 429,
      headers: { "retry-after": "0.05", "x-ratelimit-scope": "user" },
      body: { message: "You are being rate limited.", retry_after: 0.05, global: false },
    });
    const id = await enqueue(t.app.services.db, { key: "rl:short", place: { platform: "discord", workspace: GAMMA.guild, channel: GAMMA.channel }, reply: { text: "Weekly digest" } });
    await drain();
    expect(posts(t, GAMMA.channel).map((c) => c.status)).toEqual([429, 200]);
    expect(t.d.messagesIn(GAMMA.channel)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: "delivered", attempts: 1 });
  });

  test("a long 429 becomes RetryLater: the row waits for Retry-After without using an attempt, then posts once", async () => {
    t.d.failNext((c) => c.method === "POST" && c.path === `/channels/${GAMMA.channel}/messages`, {
      status: 429,
      headers: { "retry-after": "60", "x-ratelimit-scope": "shared" },
      body: { message: "You are being rate limited.", retry_after: 60, global: false },
    });
    const id = await enqueue(t.app.services.db, { key: "rl:long", place: { platform: "discord", workspace: GAMMA.guild, channel: GAMMA.channel }, reply: { text: "Digest, take two" } });
    await drain();
    let r = await row(id);
    expect(r).toMatchObject({ status: "pending", attempts: 0 });
    const wait = r.nextAttemptAt.getTime() - t.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(60_000);
    expect(wait).toBeLessThan(62_000);
    expect(r.lastError).toContain("rate limit");
    expect(await drain()).toBe(0); // not due yet
    t.clock.advance(61_000);
    await drain();
    r = await row(id);
    expect(r).toMatchObject({ status: "delivered", attempts: 1 });
    expect(t.d.messagesIn(GAMMA.channel).filter((m) => m.embeds[0].description === "Digest, take two")).toHaveLength(1);
  });

  test("a response lost after Discord posted: the retry returns the same message (nonce), never a second post", async () => {
    t.d.failNext((c) => c.method === "POST" && c.path === `/channels/${GAMMA.channel}/messages`, { afterHandling: true, status: 502, body: { message: "Bad Gateway" } });
    const id = await enqueue(t.app.services.db, { key: "lost:1", place: { platform: "discord", workspace: GAMMA.guild, channel: GAMMA.channel }, reply: { text: "Exactly once" } });
    await drain();
    const tries = posts(t, GAMMA.channel).filter((c) => c.body.embeds[0].description === "Exactly once");
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(tries.map((c) => c.body.nonce)).size).toBe(1);
    expect(t.d.messagesIn(GAMMA.channel).filter((m) => m.embeds[0].description === "Exactly once")).toHaveLength(1);
    expect((await row(id)).status).toBe("delivered");
  });

  test("server errors are retried by the worker with backoff", async () => {
    const isPost = (c: { method: string; path: string }) => c.method === "POST" && c.path === `/channels/${GAMMA.channel}/messages`;
    for (let i = 0; i < 4; i++) t.d.failNext(isPost, { status: 500, body: { message: "Internal Server Error", code: 0 } }); // discord.js tries 1 + 3 times
    const id = await enqueue(t.app.services.db, { key: "5xx:1", place: { platform: "discord", workspace: GAMMA.guild, channel: GAMMA.channel }, reply: { text: "After an outage" } });
    await drain();
    let r = await row(id);
    expect(r).toMatchObject({ status: "pending", attempts: 1 });
    expect(r.nextAttemptAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
    t.clock.advance(5_000);
    await drain();
    r = await row(id);
    expect(r).toMatchObject({ status: "delivered", attempts: 2 });
    expect(t.d.messagesIn(GAMMA.channel).filter((m) => m.embeds[0].description === "After an outage")).toHaveLength(1);
  });

  test("an unknown channel is a permanent failure: the row goes dead at once", async () => {
    const id = await enqueue(t.app.services.db, { key: "gone:1", place: channel("100000000000000099"), reply: { text: "Nobody hears this" } });
    await drain();
    const r = await row(id);
    expect(r).toMatchObject({ status: "dead", attempts: 1 });
    expect(r.lastError).toContain("10003");
    expect(r.lastError).not.toContain(BOT_TOKEN);
  });
});
