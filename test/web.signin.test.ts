import { startApp } from "../src/app";
import { dispatch } from "../src/command-kit/dispatch";
import { loadEnv } from "../src/config/env";
import { parseConfig } from "../src/config/file";
import { createLogger } from "../src/log";
import { resolveActor } from "../src/core/people/identity";
import { forgetWebSessions } from "../src/jobs/forget-web-sessions";
import { clientAddress } from "../src/web/signin/rate-limit";
import { DB_TARGETS, TEST_CONFIG_YAML } from "./helpers/db";
import { startWebRig, type WebRig } from "./helpers/web-app";
import { csrfOf, WebClient } from "./helpers/web-client";

/**
 * Sign-in on the roadmap, server side, through the real openid-client against the three
 * stand-ins (a real OIDC provider for Slack; Discord's and GitHub's token and user endpoints).
 * Each refusal (forged state, replayed code, missing form token, another site's Origin, an
 * expired session, too many actions) is checked to change nothing in the database.
 */

const YAML = `${TEST_CONFIG_YAML}
organization:
  name: Acme Learning
  accent: "#0f766e"
  intro: Tell us what to build next.
  links: [{ label: Docs, url: "https://docs.example.org/" }]
`;
const DAY = 86_400_000;
/** The page's text as read: the markup escapes apostrophes and quotes. */
const plain = (body: string) => body.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");

describe.each(DB_TARGETS)("web sign-in on %s", (target) => {
  let rig: WebRig;
  let request: number;
  const db = () => rig.app.services.db;
  /** What a refusal must leave as it was. */
  const snapshot = async () => ({
    sessions: await db().webSession.count({ where: { revokedAt: null } }),
    people: await db().person.count(),
    accounts: await db().account.count(),
    votes: await db().vote.count(),
    feedback: await db().feedback.count(),
  });
  const signIn = async (c: WebClient, provider: string, ret = `/roadmap/${request}`) => c.go(`${rig.base}/signin/${provider}?return=${encodeURIComponent(ret)}`);

  beforeAll(async () => {
    rig = await startWebRig(target, YAML);
    const alpha = await db().community.findUniqueOrThrow({ where: { slug: "alpha" } });
    const author = await db().person.create({ data: { displayName: "Fay", communityId: alpha.id } });
    request = (await db().featureRequest.create({ data: { title: "Offline mode", communityId: alpha.id, authorId: author.id } })).id;
  });
  afterAll(() => rig?.close());

  test("Slack (OpenID Connect): the same person as in chat signs in, upvotes through the command, and it shows in chat and the API", async () => {
    // Ana already spoke in chat: the web must find that Person, not make a second one.
    const chat = await resolveActor(rig.app.services, { platform: "slack", externalId: "U0ANA", displayName: "Ana Alpha", workspace: "T0ALPHA" });
    const c = new WebClient();
    const { res, url, body } = await signIn(c, "slack");
    expect(res.status).toBe(200);
    expect(url).toBe(`${rig.base}/roadmap/${request}`);
    // It went to the provider and back, with PKCE and state on the way out.
    const auth = new URL(c.hops.find((h) => h.startsWith(`${rig.slack.url}/auth`))!);
    expect([auth.searchParams.get("code_challenge_method"), auth.searchParams.get("scope"), auth.searchParams.get("state")?.length]).toEqual(["S256", "openid profile", 43]);
    const session = c.cookie(new URL(rig.base).host, "fw_session")!;
    expect(session).toMatch(/^[\w-]{43}\.[\w-]{43}$/);
    const row = await db().webSession.findFirstOrThrow({ where: { revokedAt: null } });
    expect([row.personId, row.platform, row.externalId, row.workspace]).toEqual([chat.personId, "slack", "U0ANA", "T0ALPHA"]);
    // Only a hash of the cookie's token is stored.
    expect(session.startsWith(row.id)).toBe(false);
    expect(plain(body)).toContain("Ana Alpha");
    expect(plain(body)).toContain("Acme Learning roadmap");
    expect(plain(body)).toContain('<form method="post" action="/roadmap/' + request + '/upvote">');

    const voted = await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf: csrfOf(body) });
    expect(voted.url).toBe(`${rig.base}/roadmap/${request}`);
    expect(plain(voted.body)).toContain(`Your vote for #${request} is counted for alpha.`);
    expect(plain(voted.body)).toContain("You voted for this request.");
    const vote = await db().vote.findFirstOrThrow({ where: { requestId: request } });
    expect(vote.personId).toBe(chat.personId);
    // Told later by DM on Slack, as the same person chat knows.
    expect(vote.place).toEqual({ platform: "slack", workspace: "T0ALPHA", user: "U0ANA", via: "web" });
    // The flash shows once.
    expect(plain((await c.go(`${rig.base}/roadmap/${request}`)).body)).not.toContain("is counted for alpha");
    const api = (await (await fetch(`${rig.base}/api/requests/${request}`)).json()) as { votes: number; breadth: { wantedBy: { name: string }[] } };
    expect([api.votes, api.breadth.wantedBy.map((w) => w.name)]).toEqual([1, ["Alpha University"]]);
    const inChat = await dispatch(rig.app.services, { command: "request-show", text: String(request), speaker: { platform: "slack", externalId: "U0ANA", displayName: "Ana Alpha", workspace: "T0ALPHA" }, place: { platform: "slack", workspace: "T0ALPHA", channel: "C0ALPHA" } });
    expect(JSON.stringify(inChat)).toMatch(/Alpha University/);

    // The same validation as chat: feedback too short is refused with chat's words.
    const short = await c.post(`${rig.base}/roadmap/${request}/feedback`, { csrf: csrfOf(voted.body), text: "x" });
    expect(plain(short.body)).toContain("Write your comment after the number");
    expect(await db().feedback.count()).toBe(0);
    const fb = await c.post(`${rig.base}/roadmap/${request}/feedback`, { csrf: csrfOf(voted.body), text: "We need it on trains @everyone" });
    expect(plain(fb.body)).toContain(`Thanks, your feedback is on #${request}.`);
    expect((await db().feedback.findFirstOrThrow()).body).toBe("We need it on trains @everyone");

    // A member is not a steward: the pledge form is not offered, and a forged pledge is refused like in chat.
    expect(plain(fb.body)).not.toContain("/pledge");
    const pledge = await c.post(`${rig.base}/roadmap/${request}/pledge`, { csrf: csrfOf(fb.body), amount: "100" });
    expect(pledge.body).toMatch(/steward/i);
    expect(await db().pledge.count()).toBe(0);

    const unvote = await c.post(`${rig.base}/roadmap/${request}/unvote`, { csrf: csrfOf(fb.body) });
    expect(plain(unvote.body)).toContain(`Your vote for #${request} is withdrawn.`);
    expect(await db().vote.count()).toBe(0);
  });

  test("a forged state, a state from another browser, and a replayed code are refused with nothing changed", async () => {
    const before = await snapshot();
    const c = new WebClient();
    // Start a flow but stop at the provider's redirect back.
    const start = await c.request(`${rig.base}/signin/github`);
    expect(start.status).toBe(303);
    const authorize = await c.request(start.headers.get("location")!);
    const callback = new URL(authorize.headers.get("location")!);
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state-that-no-one-started");
    let r = await c.go(forged.href);
    expect(r.res.status).toBe(400);
    expect(plain(r.body)).toContain("didn't start in this browser");
    // The real state, but from a browser without the sign-in cookie (a link planted on someone else).
    const stranger = new WebClient();
    r = await stranger.go(callback.href);
    expect(r.res.status).toBe(400);
    expect(await snapshot()).toEqual(before);

    // Finishing it properly works once...
    const c2 = new WebClient();
    const s2 = await c2.request(`${rig.base}/signin/github`);
    const a2 = await c2.request(s2.headers.get("location")!);
    const cb2 = a2.headers.get("location")!;
    const copy = c2.clone();
    const done = await c2.request(cb2);
    expect(done.status).toBe(303);
    // The session cookie: HttpOnly, SameSite=Lax, not Secure over plain http; the sign-in cookie is cleared.
    expect(done.headers.getSetCookie().map((c) => c.replace(/^(\w+)=[^;]+;/, "$1=…;")).sort()).toEqual([
      "fw_session=…; Path=/; HttpOnly; SameSite=Lax; Max-Age=34560000",
      "fw_signin=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
    ]);
    r = await c2.go(new URL(done.headers.get("location")!, rig.base).href);
    expect(r.res.status).toBe(200);
    expect(await db().webSession.count({ where: { revokedAt: null } })).toBe(before.sessions + 1);
    const after = await snapshot();
    // ...then the same callback again (the same browser's cookies, as a replay would carry) is refused here,
    r = await copy.go(cb2);
    expect(r.res.status).toBe(400);
    // ...and the used code under a fresh, valid state is refused by the provider itself.
    const c3 = new WebClient();
    const s3 = await c3.request(`${rig.base}/signin/github`);
    const a3 = await c3.request(s3.headers.get("location")!);
    const fresh = new URL(a3.headers.get("location")!);
    const replay = new URL(fresh);
    replay.searchParams.set("code", new URL(cb2).searchParams.get("code")!);
    const refusedBefore = rig.github.tokenRequests.filter((t) => !t.ok).length;
    r = await c3.go(replay.href);
    expect(r.res.status).toBe(400);
    expect(plain(r.body)).toContain("GitHub didn't confirm who you are");
    expect(rig.github.tokenRequests.filter((t) => !t.ok).slice(refusedBefore)).toEqual([{ ok: false, error: "bad_verification_code" }]);
    expect(await snapshot()).toEqual(after);
  });

  test("a missing form token, another site's Origin and an expired session are refused with nothing changed", async () => {
    const c = new WebClient();
    const { body } = await signIn(c, "slack");
    const csrf = csrfOf(body);
    expect(csrf).toMatch(/^[\w-]{43}$/);
    const before = await snapshot();
    let r = await c.post(`${rig.base}/roadmap/${request}/upvote`, {});
    expect([r.res.status, plain(r.body).includes("didn't come from this page")]).toEqual([403, true]);
    r = await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf: "x".repeat(43) });
    expect(r.res.status).toBe(403);
    r = await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf }, "https://evil.example");
    expect(r.res.status).toBe(403);
    expect(await snapshot()).toEqual(before);

    // 30 days idle: the session is refused, however valid its cookie and token.
    rig.clock.advance(30 * DAY + 60_000);
    r = await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf });
    expect([r.res.status, plain(r.body).includes("idle for 30 days")]).toEqual([401, true]);
    expect(await snapshot()).toEqual(before);
    const page = await c.go(`${rig.base}/roadmap/${request}`);
    expect(plain(page.body)).toContain("Sign in with Slack");
    expect(plain(page.body)).not.toContain('name="csrf"');
  });

  test("GitHub: a person with no community reads and is told how to join; linking Slack from /account makes one person", async () => {
    const c = new WebClient();
    const { body } = await signIn(c, "github");
    expect(plain(body)).toContain("Gus Hub");
    expect(plain(body)).toContain("isn't part of a member community yet");
    const r = await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf: csrfOf(body) });
    expect(plain(r.body)).toContain("isn't linked to a member community yet");
    expect(await db().vote.count({ where: { requestId: request } })).toBe(0);
    const gus = await db().account.findUniqueOrThrow({ where: { platform_externalId: { platform: "github", externalId: "gushub" } } });
    expect(gus.handle).toBe("GusHub");

    // Link Slack (Nell, whose workspace is no member either) from /account: one person, two accounts.
    await rig.slack.as("U0NOBODY");
    const account = await c.go(`${rig.base}/account`);
    expect(plain(account.body)).toContain('href="/signin/slack?link=1"');
    const linked = await c.go(`${rig.base}/signin/slack?link=1`);
    expect(linked.url).toBe(`${rig.base}/account`);
    expect(plain(linked.body)).toContain("Slack is linked to you now");
    const accounts = await db().account.findMany({ where: { personId: gus.personId }, orderBy: { id: "asc" } });
    expect(accounts.map((a) => [a.platform, a.externalId])).toEqual([["github", "gushub"], ["slack", "U0NOBODY"]]);
    // The session stays Gus's (the same person), and /account lists both.
    const after = await c.go(`${rig.base}/account`);
    expect(plain(after.body)).toMatch(/GitHub: GusHub<\/li><li>Slack: U0NOBODY/);
    await rig.slack.as("U0ANA");
  });

  test("Discord: the guild decides the community, the language follows the browser, sign out ends the session, everywhere ends them all", async () => {
    const es = new WebClient({ "accept-language": "es-ES,es;q=0.9" });
    const { body } = await signIn(es, "discord");
    expect(plain(body)).toContain("Dana Discord");
    expect(plain(body)).toContain('<html lang="es">');
    const dana = await db().account.findUniqueOrThrow({ where: { platform_externalId: { platform: "discord", externalId: "300000000000000001" } }, include: { person: { include: { community: true } } } });
    expect(dana.person.community?.slug).toBe("alpha");
    const voted = await es.post(`${rig.base}/roadmap/${request}/upvote`, { csrf: csrfOf(body) });
    expect(plain(voted.body)).toContain(`#${request}`);
    expect(await db().vote.count({ where: { personId: dana.personId } })).toBe(1);

    const other = new WebClient();
    await signIn(other, "discord");
    const out = await es.post(`${rig.base}/signout`, { csrf: csrfOf(voted.body) });
    expect(out.url).toBe(`${rig.base}/roadmap`);
    expect(es.cookie(new URL(rig.base).host, "fw_session")).toBeUndefined();
    const still = await other.go(`${rig.base}/account`);
    expect(plain(still.body)).toContain("Dana Discord");
    await other.post(`${rig.base}/signout/everywhere`, { csrf: csrfOf(still.body) });
    expect(await db().webSession.count({ where: { personId: dana.personId, revokedAt: null } })).toBe(0);
  });

  test("too many actions from one person are refused with nothing changed", async () => {
    const c = new WebClient();
    // A new minute: what earlier tests did counts no more.
    rig.clock.advance(61_000);
    const { body } = await signIn(c, "slack");
    const csrf = csrfOf(body);
    let last: Awaited<ReturnType<WebClient["post"]>> | undefined;
    for (let i = 0; i < 20; i++) last = await c.post(`${rig.base}/roadmap/${request}/${i % 2 ? "unvote" : "upvote"}`, { csrf });
    expect(last!.res.status).toBe(200);
    const before = await snapshot();
    const r = await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf });
    expect(r.res.status).toBe(429);
    expect(plain(r.body)).toMatch(/try again in \d+ seconds/);
    expect(await snapshot()).toEqual(before);
    rig.clock.advance(61_000);
    expect((await c.post(`${rig.base}/roadmap/${request}/upvote`, { csrf })).res.status).toBe(200);
  });

  test("community pages: a public one shows what it asked and wants; a private one answers like an unknown one, and only its member reads its name (pages and lists)", async () => {
    const alpha = await fetch(`${rig.base}/roadmap/c/alpha`);
    const page = plain(await alpha.text());
    expect(alpha.status).toBe(200);
    expect(page).toMatch(/<h2 id="h-asked">Asked for <span class="muted">\(1\)<\/span><\/h2><ul class="refs"><li><a href="\/roadmap\/\d+">#\d+ Offline mode<\/a>/);
    const gamma = await fetch(`${rig.base}/roadmap/c/gamma`);
    const unknown = await fetch(`${rig.base}/roadmap/c/nope`);
    expect([gamma.status, unknown.status]).toEqual([404, 404]);
    expect(await gamma.text()).toBe(await unknown.text());

    // Gia's guild is gamma's: she reads her own community's name; the public pages still do not name it.
    rig.discord.as("gia");
    const gia = new WebClient();
    await signIn(gia, "discord");
    expect(plain((await gia.go(`${rig.base}/account`)).body)).toContain("<dt>Community</dt><dd>Gamma Institute</dd>");
    for (const path of ["/roadmap", `/roadmap/${request}`, "/roadmap?view=board"]) expect([path, (await gia.go(rig.base + path)).body.includes("Gamma Institute")]).toEqual([path, false]);
    // Once she votes, the request's page names her community to her, and to no one else.
    rig.clock.advance(61_000);
    const page2 = await gia.go(`${rig.base}/roadmap/${request}`);
    const voted = await gia.post(`${rig.base}/roadmap/${request}/upvote`, { csrf: csrfOf(page2.body) });
    expect(plain(voted.body)).toMatch(/<dt>Wanted by<\/dt><dd>\d+ communit(y|ies): [^<]*Gamma Institute/);
    // The lists and the board name it to her too, now that it wants the request; never to anyone else.
    for (const path of ["/roadmap", "/roadmap?view=board", "/roadmap?status=open"]) {
      expect([path, (await gia.go(rig.base + path)).body.includes("Gamma Institute")]).toEqual([path, true]);
      expect([path, (await (await fetch(rig.base + path)).text()).includes("Gamma")]).toEqual([path, false]);
    }
    for (const other of [await fetch(`${rig.base}/roadmap/${request}`), await fetch(`${rig.base}/api/requests/${request}`)]) {
      const text = await other.text();
      expect(text).not.toContain("Gamma");
      expect(text).toContain("an Essential member");
    }
    rig.discord.as("dana");
  });

  test("the daily clean-up forgets revoked and idle sessions and unfinished sign-ins, and keeps live ones", async () => {
    rig.clock.advance(31 * DAY);
    const live = new WebClient();
    await signIn(live, "slack");
    await new WebClient().request(`${rig.base}/signin/github`);
    const open = await db().webSession.count();
    expect(open).toBeGreaterThan(1);
    rig.clock.advance(2 * DAY);
    const forgotten = await forgetWebSessions(rig.app.services);
    expect(forgotten.sessions).toBe(open - 1);
    expect(forgotten.signins).toBeGreaterThan(0);
    expect(await db().webSession.count()).toBe(1);
    expect((await live.go(`${rig.base}/account`)).res.status).toBe(200);
  });

  test("follow without voting: through /follow, told by DM when staff change the status; stop following", async () => {
    rig.clock.advance(61_000);
    const alpha = await db().community.findUniqueOrThrow({ where: { slug: "alpha" } });
    const fay = await db().person.findFirstOrThrow({ where: { displayName: "Fay" } });
    const dark = (await db().featureRequest.create({ data: { title: "Dark mode", communityId: alpha.id, authorId: fay.id } })).id;
    const c = new WebClient();
    const { body } = await signIn(c, "slack", `/roadmap/${dark}`);
    const followed = await c.post(`${rig.base}/roadmap/${dark}/follow`, { csrf: csrfOf(body) });
    expect(plain(followed.body)).toContain(`You follow #${dark}: you'll be told about its changes by direct message on Slack.`);
    expect(followed.body).toContain(`action="/roadmap/${dark}/unfollow"`);
    const ana = await db().account.findUniqueOrThrow({ where: { platform_externalId: { platform: "slack", externalId: "U0ANA" } } });
    const row = await db().follow.findUniqueOrThrow({ where: { requestId_personId: { requestId: dark, personId: ana.personId } } });
    expect(row.place).toEqual({ platform: "slack", workspace: "T0ALPHA", user: "U0ANA", via: "web" });
    expect(await db().vote.count({ where: { requestId: dark } })).toBe(0);

    const staff = await dispatch(rig.app.services, { command: "set-status", text: `${dark} planned`, speaker: { platform: "slack", externalId: "U0STAFF", displayName: "Stella", workspace: "T0STAFF" }, place: { platform: "slack", workspace: "T0STAFF", channel: "C0STAFF" } });
    expect(staff.error).toBeFalsy();
    const dm = await db().outboxMessage.findMany({ where: { platform: "slack", channel: "@U0ANA" } });
    expect(dm.map((m) => JSON.stringify(m.payload))).toEqual([expect.stringContaining(`#${dark}`)]);

    const stopped = await c.post(`${rig.base}/roadmap/${dark}/unfollow`, { csrf: csrfOf(followed.body) });
    expect(plain(stopped.body)).toContain(`You no longer follow #${dark}.`);
    expect(await db().follow.count({ where: { requestId: dark } })).toBe(0);
  });
});

describe("web sign-in when the provider cannot be reached", () => {
  test("a friendly page, no sign-in row, and the bot keeps serving", async () => {
    // Port 1 on loopback: nothing listens, Slack's discovery document cannot be read.
    const env = loadEnv({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", SESSION_SECRET: "test-session-secret-0123456789abcdef", SLACK_CLIENT_ID: "c", SLACK_CLIENT_SECRET: "s", SLACK_OIDC_ISSUER: "http://127.0.0.1:1" });
    const app = await startApp({ env, config: parseConfig(TEST_CONFIG_YAML), log: createLogger("silent"), databaseUrl: "memory:", platforms: false, worker: { autostart: false }, scheduler: false });
    try {
      const res = await fetch(`http://127.0.0.1:${app.port}/signin/slack`, { redirect: "manual" });
      expect(res.status).toBe(502);
      expect(plain(await res.text())).toContain("Signing in with Slack isn't possible right now");
      expect(await app.services.db.webSignin.count()).toBe(0);
      expect((await fetch(`http://127.0.0.1:${app.port}/roadmap`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});

describe("the client address the per-address limit counts", () => {
  test("the socket's unless proxies of ours are declared; then the entry they appended, never one the client wrote", () => {
    expect(clientAddress("10.0.0.5", "203.0.113.9", 0)).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.5", "203.0.113.9", 1)).toBe("203.0.113.9");
    // A client forging the header only adds entries on the left.
    expect(clientAddress("10.0.0.5", "1.2.3.4, 203.0.113.9", 1)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.5", ["1.2.3.4, 203.0.113.9", "10.0.0.4"], 2)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.5", undefined, 1)).toBe("10.0.0.5");
  });
});
