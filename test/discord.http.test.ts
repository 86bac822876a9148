import { ApplicationCommandOptionType, ComponentType, InteractionResponseType, InteractionType } from "discord.js";
import { DB_TARGETS } from "./helpers/db";
import { ALPHA, ana, discordTestApp, type DiscordTestApp, gil } from "./helpers/discord";
import { APP_ID, interactionKeys, signInteraction } from "./standins/discord";

/*
 * Discord over HTTP: interactions POSTed to the Interactions Endpoint URL, signed with Ed25519.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint
 * https://discord.com/developers/docs/interactions/receiving-and-responding#responding-to-an-interaction
 * The stand-in signs with a real key pair made here; the bot verifies with DISCORD_PUBLIC_KEY.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
const keys = interactionKeys();
const requestIdIn = (text: string) => Number(/#(\d+)/.exec(text)![1]);

async function httpApp(target: string, deferAfterMs?: number): Promise<DiscordTestApp> {
  const t = await discordTestApp(target, {
    env: { DISCORD_PUBLIC_KEY: keys.publicKeyHex },
    ...(deferAfterMs === undefined ? {} : { direct: { deferAfterMs } }),
  });
  t.d.deliverOverHttp(() => `http://127.0.0.1:${t.app.port}/discord/interactions`, keys);
  return t;
}

const post = (t: DiscordTestApp, body: string, headers: Record<string, string>) =>
  fetch(`http://127.0.0.1:${t.app.port}/discord/interactions`, { method: "POST", headers, body });

describe.each(DB_TARGETS)("Discord interactions over HTTP on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await httpApp(target);
  });
  afterAll(() => t.close());

  test("PING is answered with PONG; with a public key and no DISCORD_GATEWAY, no gateway connection is opened", async () => {
    const body = JSON.stringify({ id: "1", application_id: APP_ID, type: InteractionType.Ping, token: "t", version: 1 });
    const res = await post(t, body, signInteraction(keys, body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: InteractionResponseType.Pong });
    expect(t.d.identifies).toBe(0);
    expect(t.d.calls.some((c) => c.path === "/gateway/bot")).toBe(false);
    const health = (await (await fetch(`http://127.0.0.1:${t.app.port}/healthz`)).json()) as { platforms: Record<string, string> };
    expect(health.platforms.discord).toBe("connected");
  });

  test("a bad signature, a stale or future timestamp, a missing signature and an oversized body are refused before anything runs", async () => {
    const interaction = { ...t.d.interactionBase(ana), type: InteractionType.ApplicationCommand, data: { id: "9", name: "request", type: 1, options: [{ name: "title", type: 3, value: "Forged request" }] } };
    const body = JSON.stringify(interaction);
    const good = signInteraction(keys, body);
    // Signed by another key pair.
    expect((await post(t, body, signInteraction(interactionKeys(), body))).status).toBe(401);
    // The body changed after signing.
    expect((await post(t, body.replace("Forged", "Forget"), good)).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await post(t, body, signInteraction(keys, body, String(now - 600)))).status).toBe(401);
    expect((await post(t, body, signInteraction(keys, body, String(now + 600)))).status).toBe(401);
    expect((await post(t, body, { "content-type": "application/json", "x-signature-timestamp": String(now) })).status).toBe(401);
    const huge = JSON.stringify({ ...interaction, padding: "x".repeat(1024 * 1024) });
    expect((await post(t, huge, signInteraction(keys, huge))).status).toBe(413);
    // Signed but not JSON: refused, not a crash.
    expect((await post(t, "{not json", signInteraction(keys, "{not json"))).status).toBe(400);
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Forged request" } })).toBe(0);
  });

  test("a signed but malformed interaction gets a private error in the response, and nothing runs", async () => {
    const body = JSON.stringify({ id: "77", token: "tok", application_id: APP_ID, type: InteractionType.ApplicationCommand, locale: "es-ES", member: { user: { id: "1" } } });
    const res = await post(t, body, signInteraction(keys, body));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as any;
    expect(answer.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.data.flags).toBe(64);
  });

  test("/request answers in the HTTP response with the same public card as the gateway; the button votes once even when posted twice", async () => {
    const id = t.d.slash(ana, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Served over HTTP" }]);
    const cb = await t.d.answer(id);
    expect(cb.private).toBe(false);
    const n = requestIdIn(cb.data.embeds[0].title);
    expect(cb.data.embeds[0].title).toBe(`#${n} Served over HTTP`);
    expect(cb.data.allowed_mentions).toEqual({ parse: [] });
    // The answer was the HTTP response alone: nothing went to Discord's REST callback route as well.
    expect(t.d.calls.filter((c) => c.path.startsWith(`/interactions/${id}/`))).toHaveLength(1);

    const click = t.d.click(gil, `fw:upvote ${n}`);
    const voted = await t.d.answer(click);
    expect(voted.private).toBe(true);
    expect(voted.data.embeds[0].description).toBe(`Your vote for #${n} is counted for gamma.`);
    // Discord (or a load balancer) delivering the same interaction again changes nothing.
    const again = await t.d.postInteraction(t.d.payloadOf(click));
    expect(again.status).toBe(200);
    expect(await t.app.services.db.vote.count({ where: { requestId: n } })).toBe(2);
  });

  test("a command with no options opens its modal (type 9); the submitted modal files the request", async () => {
    const open = await t.d.callback(t.d.slash(ana, "request"));
    expect(open.body.type).toBe(InteractionResponseType.Modal);
    expect(open.body.data.custom_id).toBe("fwm:request");
    const done = await t.d.answer(t.d.submitModal(ana, "fwm:request", { title: "Filed from a modal over HTTP", details: "" }));
    expect(done.data.embeds[0].title).toMatch(/^#\d+ Filed from a modal over HTTP$/);
  });

  test("autocomplete answers with choices (type 8)", async () => {
    const n = (await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Served over HTTP" } })).id;
    const cb = await t.d.callback(t.d.autocomplete(ana, "upvote", "number", "over HTTP"));
    expect(cb.body.type).toBe(InteractionResponseType.ApplicationCommandAutocompleteResult);
    expect(cb.body.data.choices).toContainEqual({ name: `#${n} Served over HTTP`, value: n });
  });

  test("a request filed in a thread remembers the thread, from the partial channel in the payload alone", async () => {
    const cb = await t.d.answer(t.d.slash({ ...ana, channelId: ALPHA.botThread }, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Audit log export" }]));
    expect(cb.data.embeds[0].title).toMatch(/^#\d+ Audit log export$/);
    const r = await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: requestIdIn(cb.data.embeds[0].title) } });
    expect(r.origin).toEqual({ platform: "discord", workspace: ALPHA.guild, channel: ALPHA.channel, thread: ALPHA.botThread });
  });
});

describe.each(DB_TARGETS)("Discord HTTP interactions deferred on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    // Every answer counts as slow: the response defers, and the answer is edited in through REST.
    t = await httpApp(target, 0);
  });
  afterAll(() => t.close());

  test("a slow command is answered type 5 in the response, then the original is edited through the webhooks endpoint", async () => {
    const id = t.d.slash(ana, "request", [{ name: "title", type: ApplicationCommandOptionType.String, value: "Deferred over HTTP" }]);
    const first = await t.d.callback(id);
    expect(first.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const cb = await t.d.answer(id);
    expect(cb.deferred).toBe(true);
    expect(cb.data.embeds[0].title).toMatch(/^#\d+ Deferred over HTTP$/);
    const token = first.path.split("/")[3];
    const edit = await t.d.waitFor((c) => c.path.startsWith(`/webhooks/${APP_ID}/${token}`));
    // Follow-ups and edits carry the interaction token in the path, never the bot token.
    expect(edit.authorization).toBeUndefined();
    expect(edit.status).toBeLessThan(300);
  });

  test("a slow button click in a private list defers privately; the components of the answer stay buttons", async () => {
    const n = (await t.app.services.db.featureRequest.findFirstOrThrow({ where: { title: "Deferred over HTTP" } })).id;
    const id = t.d.click(gil, `fw:request-show ${n}`, { ephemeral: true });
    const first = await t.d.callback(id);
    expect(first.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(first.body.data.flags).toBe(64);
    const cb = await t.d.answer(id);
    expect(cb.private).toBe(true);
    expect(cb.data.components.flatMap((r: any) => r.components).every((c: any) => c.type === ComponentType.Button)).toBe(true);
  });
});
