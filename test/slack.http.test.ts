import type { types } from "@slack/bolt";
import type { ThreadMessage } from "../src/core/inbound";
import { DB_TARGETS } from "./helpers/db";
import { until, waitForLog } from "./helpers/logs";
import {
  ANA,
  BOB,
  buttonClick,
  eventCallback,
  messageShortcut,
  postCommand,
  postEvent,
  postInteraction,
  postRaw,
  slashCommand,
  startSlackHarness,
  viewSubmission,
  type SlackHarness,
  type Who,
} from "./helpers/slack";

type Block = types.KnownBlock;
type ButtonEl = { type: "button"; action_id: string; value: string; text: { text: string } };

const buttonsOf = (blocks: Block[]): ButtonEl[] =>
  blocks.flatMap((b) => (b.type === "actions" ? (b.elements as unknown as ButtonEl[]).filter((e) => e.type === "button") : []));

describe.each(DB_TARGETS)("Slack over HTTP (Bolt receiver) on %s", (target) => {
  let h: SlackHarness;
  let n = 0;
  const rurl = () => h.standin.responseUrl(`r${++n}`);
  /** The answer posted to one response_url. */
  const answerAt = (url: string) => h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);
  /** A slash command as Slack sends it; the HTTP answer is only the ack. */
  const slash = (who: Who, cmd: string, text: string, url = rurl()) => postCommand(h.url, slashCommand(who, cmd, text, url));
  /** A slash command as the person sees it: acked at once with an empty 200, answered on its response_url. */
  const command = async (who: Who, cmd: string, text: string) => {
    const url = rurl();
    const ack = await slash(who, cmd, text, url);
    expect({ status: ack.status, body: ack.text }).toEqual({ status: 200, body: "" });
    return { json: await answerAt(url) };
  };

  beforeAll(async () => {
    h = await startSlackHarness(target);
  });
  afterAll(() => h.close());

  test("/request files a request and answers in the channel with a card: Upvote / Unvote / Details", async () => {
    const res = await command(ANA, "/request", "Faster image builds | CI takes 20 minutes");
    expect(res.json?.response_type).toBe("in_channel");
    const blocks = res.json!.blocks as Block[];
    expect(blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
    const id = Number(/#(\d+)/.exec(String(res.json!.text))![1]);
    expect(buttonsOf(blocks).map((b) => [b.text.text, b.value])).toEqual([
      ["Upvote", `upvote ${id}`],
      ["Unvote", `unvote ${id}`],
      ["Details", `request-show ${id}`],
    ]);
    expect(buttonsOf(blocks).every((b) => /^fw:/.test(b.action_id))).toBe(true);
    const r = await h.app.services.db.featureRequest.findUniqueOrThrow({ where: { id }, include: { community: true } });
    expect(r).toMatchObject({ title: "Faster image builds", body: "CI takes 20 minutes" });
    expect(r.community.slug).toBe("alpha");
  });

  test("the Upvote button runs the same command for the clicker and answers them alone on the response_url", async () => {
    const filed = await command(ANA, "/request", "Dark mode for the dashboard");
    const id = Number(/#(\d+)/.exec(String(filed.json!.text))![1]);
    const url = rurl();
    const res = await postInteraction(h.url, buttonClick(BOB, `upvote ${id}`, url));
    expect(res.status).toBe(200);
    const answer = await answerAt(url);
    expect(answer).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(answer.text)).toContain(`Your vote for #${id} is counted for beta`);
    const votes = await h.app.services.db.vote.findMany({ where: { requestId: id }, include: { community: true } });
    expect(votes.map((v) => v.community.slug).sort()).toEqual(["alpha", "beta"]);
  });

  test("/requests lists ranked requests, ephemeral, and More pages through the rest", async () => {
    for (let i = 0; i < 11; i++) await command(BOB, "/request", `Widget export format number ${i} --force`);
    const first = await command(BOB, "/requests", "");
    expect(first.json?.response_type).toBe("ephemeral");
    const more = buttonsOf(first.json!.blocks as Block[]).find((b) => b.text.text === "More");
    expect(more?.value).toBe("requests open --page 2");
    const url = rurl();
    await postInteraction(h.url, buttonClick(BOB, more!.value, url));
    const page2 = await answerAt(url);
    expect(String(page2.text)).toMatch(/^Open requests \(11–/);
  });

  test("/request with no text opens the form; submitting it files the request and answers in the conversation", async () => {
    const url = rurl();
    const res = await slash(ANA, "/request", "", url);
    expect({ status: res.status, body: res.text }).toEqual({ status: 200, body: "" });
    const open = await h.standin.waitFor(() => h.standin.callsOf("views.open").at(-1));
    const view = open.args.view as types.ModalView;
    expect(view.callback_id).toBe("fw:modal");
    expect(view.blocks.map((b) => (b as types.InputBlock).block_id)).toEqual(["title", "details"]);

    const sub = await postInteraction(h.url, viewSubmission(ANA, view, { title: "Offline mode for the mobile app", details: "Field staff lose signal" }));
    expect(sub.status).toBe(200);
    expect(sub.text).toBe(""); // closes the modal
    const posted = await answerAt(url);
    expect(posted.response_type).toBe("in_channel");
    expect(String(posted.text)).toMatch(/^Filed #\d+ Offline mode for the mobile app/);
    expect(await h.app.services.db.featureRequest.count({ where: { title: "Offline mode for the mobile app", body: "Field staff lose signal" } })).toBe(1);
  });

  test("a form with a bad field stays open and says what is wrong there; nothing is filed", async () => {
    await slash(ANA, "/request", "");
    const view = (await h.standin.waitFor(() => h.standin.callsOf("views.open").at(-1))).args.view as types.ModalView;
    const before = await h.app.services.db.featureRequest.count();
    const res = await postInteraction(h.url, viewSubmission(ANA, view, { title: "ab", details: null }));
    expect(res.json).toEqual({ response_action: "errors", errors: { title: "The title needs at least 3 characters." } });
    expect(await h.app.services.db.featureRequest.count()).toBe(before);
  });

  test("if Slack will not open the form, the person is told how to type the command instead", async () => {
    h.standin.failNext("views.open", { status: 200, error: "expired_trigger_id" });
    const url = rurl();
    expect((await slash(ANA, "/request", "", url)).status).toBe(200);
    const told = await answerAt(url);
    expect(told).toMatchObject({ response_type: "ephemeral" });
    expect(String(told.text)).toContain("You can type it instead: /request &lt;title&gt; [| details] [--force]"); // Slack shows <title>
  });

  test("the message shortcut turns a message into a request, with the text as details and a link back", async () => {
    const url = rurl();
    const message = { ts: "1764400000.123456", user: "U0CAROL", text: "Could we get <https://example.org/spec|SSO> for <@U0ANA|ana>?\nIt keeps coming up." };
    const res = await postInteraction(h.url, messageShortcut(ANA, message, url));
    expect(res.status).toBe(200);
    const view = (await h.standin.waitFor(() => h.standin.callsOf("views.open").find((c) => String((c.args.view as types.ModalView).private_metadata).includes("sourceUrl"))))
      .args.view as types.ModalView;
    const field = (name: string) => ((view.blocks as types.InputBlock[]).find((b) => b.block_id === name)!.element as types.PlainTextInput).initial_value;
    expect(field("title")).toBe("Could we get SSO (https://example.org/spec) for @ana?");
    expect(field("details")).toBe("Could we get SSO (https://example.org/spec) for @ana?\nIt keeps coming up.");

    await postInteraction(h.url, viewSubmission(ANA, view, { title: "Single sign-on", details: field("details") ?? null }));
    await answerAt(url);
    const r = await h.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Single sign-on" } });
    expect(r.sourceUrl).toBe("https://alpha-uni.slack.com/archives/C0ALPHA/p1764400000123456");
    expect(r.body).toContain("It keeps coming up.");
  });

  test("user text can never ping: <!channel>, @here, @everyone and user mentions are escaped", async () => {
    const res = await command(ANA, "/request", "Ping <!channel> and @here now | hey @everyone, <@U0BOB> and <!subteam^S1|@devs>");
    const out = JSON.stringify(res.json);
    expect(out).not.toMatch(/<!|<@|<#/);
    expect(out).not.toMatch(/(^|[^\w\u200b])@(here|channel|everyone|devs|U0BOB)/);
    expect(out).toContain("Ping @\u200bchannel and @\u200bhere now");
    // Brackets a person types arrive as entities (Slack escapes &, <, >) and leave as entities.
    const typed = await command(ANA, "/request", "Literal &lt;!here&gt; &lt;b&gt;markup&lt;/b&gt; in titles --force");
    const typedOut = JSON.stringify(typed.json);
    expect(typedOut).toContain("Literal &lt;!here&gt; &lt;b&gt;markup&lt;/b&gt; in titles");
    expect(typedOut).not.toMatch(/<[!@#]/);
  });

  test("errors are ephemeral and friendly; unlinked workspaces and unknown commands change nothing", async () => {
    const before = await h.app.services.db.featureRequest.count();
    const stranger = await command({ user: "U0EVE", team: "T0NOBODY", channel: "C0X" }, "/request", "Something new and shiny");
    expect(stranger.json).toMatchObject({ response_type: "ephemeral" });
    expect(String(stranger.json!.text)).toContain("isn't linked to a member community");
    const unknown = await command(ANA, "/frobnicate", "now");
    expect(String(unknown.json!.text)).toContain("I don't know the command /frobnicate");
    const bad = await command(ANA, "/upvote", "abc");
    expect(bad.json).toMatchObject({ response_type: "ephemeral" });
    expect(await h.app.services.db.featureRequest.count()).toBe(before);
  });

  test("a shared workspace maps to the community of the channel where they speak", async () => {
    const delta = await command({ user: "U0DAN", name: "dan", team: "T0SHARED", channel: "C0DELTA" }, "/request", "Audit log export");
    const eps = await command({ user: "U0EVA", name: "eva", team: "T0SHARED", channel: "C0EPS" }, "/request", "Audit trail retention --force");
    const slug = async (text: unknown) =>
      (await h.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: Number(/#(\d+)/.exec(String(text))![1]) }, include: { community: true } })).community.slug;
    expect(await slug(delta.json!.text)).toBe("delta");
    expect(await slug(eps.json!.text)).toBe("epsilon");
  });

  test("bad signatures, stale timestamps and malformed bodies are refused with no side effects", async () => {
    const before = { requests: await h.app.services.db.featureRequest.count(), calls: h.standin.calls.length, responses: h.standin.responses.length };
    const c = slashCommand(ANA, "/request", "Sneaky unsigned request", rurl());
    expect((await postCommand(h.url, c, { secret: "not-the-secret-at-all" })).status).toBe(401);
    expect((await postCommand(h.url, c, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 })).status).toBe(401);
    expect((await postCommand(h.url, c, { signatureOverride: "v0=00" })).status).toBe(401);
    expect((await postRaw(h.url, "payload=%7Bnot-json", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await postRaw(h.url, "{nope", "application/json")).status).toBe(400);
    const anonymous = await postCommand(h.url, { ...c, user_id: "" });
    expect(anonymous.json).toMatchObject({ response_type: "ephemeral" });
    const noCommand = buttonClick(ANA, "", rurl());
    expect((await postInteraction(h.url, noCommand)).status).toBe(200);
    expect(await h.app.services.db.featureRequest.count()).toBe(before.requests);
    expect(h.standin.calls.length).toBe(before.calls);
    expect(h.standin.responses.length).toBe(before.responses);
  });

  test("the Events API URL check echoes the challenge", async () => {
    const res = await postEvent(h.url, { type: "url_verification", token: "x", challenge: "c-123" });
    expect(res.json).toEqual({ challenge: "c-123" });
  });

  test("an answer Slack refuses on the response_url (expired, used up) reaches the channel instead", async () => {
    const expired = (id: string) => {
      h.standin.expiredResponseUrls.add(id);
      return h.standin.responseUrl(id);
    };
    expect((await slash(ANA, "/upvote", "999999", expired("gone-1"))).status).toBe(200);
    const privately = await h.standin.waitFor(() => h.standin.callsOf("chat.postEphemeral").find((c) => String(c.args.text).includes("999999")));
    expect(privately.args).toMatchObject({ channel: "C0ALPHA", user: "U0ANA" });
    expect((await slash(ANA, "/request", "Answers that survive expired URLs", expired("gone-2"))).status).toBe(200);
    const publicly = await h.standin.waitFor(() => h.standin.callsOf("chat.postMessage").find((c) => String(c.args.text).includes("Answers that survive expired URLs")));
    expect(publicly.args.channel).toBe("C0ALPHA");
    expect(h.standin.responses.filter((r) => r.id.startsWith("gone-"))).toEqual([]);
  });

  test("someone who only ever mentions the bot is known by their Slack name (users.info), not their id", async () => {
    h.standin.people.set("U0KAI", { name: "kai", real_name: "Kai Lee", display_name: "Kai" });
    const mention = eventCallback("T0ALPHA", {
      type: "app_mention",
      user: "U0KAI",
      text: "<@U0BOT> request Named by the directory",
      ts: "1764400300.000100",
      channel: "C0ALPHA",
      event_ts: "1764400300.000100",
    });
    expect((await postEvent(h.url, mention)).status).toBe(200);
    const reply = await h.standin.waitFor(() => h.standin.callsOf("chat.postMessage").find((c) => c.args.thread_ts === "1764400300.000100"));
    expect(String(reply.args.text)).toContain("Named by the directory");
    const filed = await h.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Named by the directory" }, include: { author: true } });
    expect(filed.author.displayName).toBe("Kai");
    expect(h.standin.callsOf("users.info").filter((c) => c.args.user === "U0KAI")).toHaveLength(1);
  });

  test("Slack retries never apply a command twice: a replayed slash command, a retried mention event", async () => {
    const c = slashCommand(ANA, "/request", "Retry-safe audit exports", rurl());
    await postCommand(h.url, c);
    await postCommand(h.url, c, { retryNum: 1 });
    expect(String((await answerAt(c.response_url)).text)).toMatch(/^Filed #\d+ Retry-safe audit exports/);
    expect(await h.app.services.db.featureRequest.count({ where: { title: "Retry-safe audit exports" } })).toBe(1);

    const mention = eventCallback("T0ALPHA", {
      type: "app_mention",
      user: "U0ANA",
      text: "<@U0BOT> request Mention-filed webhooks",
      ts: "1764400100.000200",
      channel: "C0ALPHA",
      event_ts: "1764400100.000200",
    });
    const first = await postEvent(h.url, mention);
    expect(first.status).toBe(200);
    expect((await postEvent(h.url, mention, { retryNum: 1 })).status).toBe(200);
    expect((await postEvent(h.url, mention, { retryNum: 2 })).status).toBe(200);
    expect(await h.app.services.db.featureRequest.count({ where: { title: "Mention-filed webhooks" } })).toBe(1);
    // Both retries were handled (recognised as seen) before counting what was posted.
    await until(() => h.logs.filter((l) => l.msg === "slack delivery seen before; not applied again" && l.id === `event:${mention.event_id}`).length === 2);
    const replies = h.standin.callsOf("chat.postMessage").filter((p) => String(p.args.text).includes("Mention-filed webhooks"));
    expect(replies).toHaveLength(1);
    expect(replies[0].args).toMatchObject({ channel: "C0ALPHA", thread_ts: "1764400100.000200" });
    // The replayed command's work found the trigger seen and said nothing.
    await waitForLog(h.logs, (l) => l.msg === "slack delivery seen before; not applied again" && l.id === `command:${c.trigger_id}`);
    expect(h.standin.responses.filter((r) => c.response_url.endsWith(`/${r.id}`))).toHaveLength(1);
  });

  test("plain messages in threads and DMs reach the thread-message subscribers; bots are flagged", async () => {
    const seen: ThreadMessage[] = [];
    h.app.threads.subscribe(async (m) => {
      seen.push(m);
    });
    const reply = { type: "message", channel: "C0SUPPORT", user: "U0ANA", text: "still broken &amp; <@U0BOB|bob> saw it", ts: "1764400200.000300", thread_ts: "1764400000.000100", channel_type: "channel", event_ts: "1764400200.000300", team: "T0ALPHA" };
    await postEvent(h.url, eventCallback("T0STAFF", reply, "EvThread1"));
    await postEvent(h.url, eventCallback("T0STAFF", reply, "EvThread1"), { retryNum: 1 });
    await postEvent(h.url, eventCallback("T0ALPHA", { type: "message", channel: "C0ALPHA", user: "U0ANA", text: "top-level chatter", ts: "1764400300.000100", channel_type: "channel", event_ts: "1764400300.000100" }));
    await postEvent(h.url, eventCallback("T0ALPHA", { type: "message", subtype: "bot_message", bot_id: "B0OTHER", username: "ci-bot", channel: "C0SUPPORT", text: "build 42 failed", ts: "1764400400.000100", thread_ts: "1764400000.000100", channel_type: "channel", event_ts: "1764400400.000100" }));
    await postEvent(h.url, eventCallback("T0ALPHA", { type: "message", channel: "D0ANA", user: "U0ANA", text: "hello bot", ts: "1764400500.000100", channel_type: "im", event_ts: "1764400500.000100" }));
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatchObject({
      text: "still broken & @bob saw it",
      externalId: "1764400200.000300",
      fromBot: false,
      place: { platform: "slack", channel: "C0SUPPORT", thread: "1764400000.000100" },
      speaker: { platform: "slack", externalId: "U0ANA", workspace: "T0ALPHA" },
    });
    expect(seen[1]).toMatchObject({ fromBot: true, text: "build 42 failed" });
    // A DM's place is the person, not the IM channel: core keeps DM conversations out of channels.
    expect(seen[2]).toMatchObject({ text: "hello bot", place: { platform: "slack", workspace: "T0ALPHA", user: "U0ANA" } });
    expect(seen[2].place.channel).toBeUndefined();
  });

  test("/healthz reports Slack connected once auth.test answered", async () => {
    await h.standin.waitFor(() => h.standin.callsOf("auth.test")[0]);
    const health = (await (await fetch(`http://127.0.0.1:${h.app.port}/healthz`)).json()) as { platforms: Record<string, string> };
    expect(health.platforms.slack).toBe("connected");
  });
});
