import type { SlashCommand } from "@slack/bolt";
import { communityBySlug, postDigest } from "../src/core/digest/digest";
import { weekContaining } from "../src/core/weeks";
import { DB_TARGETS } from "./helpers/db";
import { waitForLog } from "./helpers/logs";
import { buttonClick, eventCallback, postCommand, postEvent, postInteraction, slashCommand, startSlackHarness, type SlackHarness, type Who } from "./helpers/slack";

/**
 * A Slack Connect channel (C0CONNECT) hosted by the organization's workspace (T0ORG) and shared with
 * Alpha's (T0ALPHA) and Beta's (T0BETA). Slack's payloads then carry the host or installing team at
 * the top (team_id, team.id) and the person's own team in user_team / user.team_id
 * (https://api.slack.com/apis/channels-between-orgs). Alpha's configured channel is the Connect channel.
 */
const CONNECT_YAML = `
communities:
  - { slug: alpha, name: Alpha University, tier: premier, locale: es, slack: { team: T0ALPHA, channel: C0CONNECT } }
  - { slug: beta, name: Beta College, tier: general, slack: { team: T0BETA, channel: C0BETA } }
staff:
  - { slack: U0STAFF }
support:
  slack: { team: T0ORG, channel: C0SUPPORT }
`;

const HOST = "T0ORG";
const ANA: Who = { user: "U0ANA", name: "ana", team: "T0ALPHA", channel: "C0CONNECT" };
const BOB: Who = { user: "U0BOB", name: "bob", team: "T0BETA", channel: "C0CONNECT" };
const SAM: Who = { user: "U0STAFF", name: "sam", team: HOST, channel: "C0CONNECT" };
const EVE: Who = { user: "U0EVE", name: "eve", team: "T0NOBODY", channel: "C0CONNECT" };

/** A slash command typed in the Connect channel: the host team at the top, the person's own in user_team. */
const connectCommand = (who: Who, command: string, text: string, url: string): SlashCommand => ({ ...slashCommand(who, command, text, url), team_id: HOST, user_team: who.team });

describe.each(DB_TARGETS)("Slack Connect: people of several workspaces in one channel, on %s", (target) => {
  let h: SlackHarness;
  let n = 0;
  const rurl = () => h.standin.responseUrl(`c${++n}`);
  const answerAt = (url: string) => h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);
  const command = async (who: Who, cmd: string, text: string) => {
    const url = rurl();
    const ack = await postCommand(h.url, connectCommand(who, cmd, text, url));
    expect(ack.status).toBe(200);
    return answerAt(url);
  };
  const fileAs = async (who: Who, title: string): Promise<number> => {
    await command(who, "/request", title);
    return (await h.app.services.db.featureRequest.findFirstOrThrow({ where: { title } })).id;
  };
  const votesOf = async (id: number) =>
    (await h.app.services.db.vote.findMany({ where: { requestId: id }, include: { community: true } })).map((v) => v.community.slug).sort();
  const drain = () => {
    if (h.clock.now().getTime() < Date.now()) h.clock.set(new Date());
    return h.app.worker.drain();
  };

  beforeAll(async () => {
    h = await startSlackHarness(target, { yaml: CONNECT_YAML });
  });
  afterAll(() => h.close());

  test("a slash command, a button and a mention each count for the community of the person's own workspace, not the channel's host", async () => {
    const id = await fileAs(ANA, "Shared calendar export");
    const filed = await h.app.services.db.featureRequest.findUniqueOrThrow({ where: { id }, include: { community: true } });
    expect(filed.community.slug).toBe("alpha");

    // Bob clicks Upvote on the card in the same channel: the interaction's team is the host's, his own is user.team_id.
    const click = buttonClick(BOB, `upvote ${id}`, rurl());
    const res = await postInteraction(h.url, { ...click, team: { id: HOST, domain: "org" } });
    expect(res.status).toBe(200);
    await h.standin.waitFor(() => h.standin.responses.find((r) => click.response_url.endsWith(`/${r.id}`)));
    expect(await votesOf(id)).toEqual(["alpha", "beta"]);

    // "@Flywheel upvote" from Bob: the envelope and the event's team are the host's; user_team is Bob's.
    const second = await fileAs(ANA, "Room booking from the calendar");
    const mention = { type: "app_mention", user: BOB.user, user_team: BOB.team, team: HOST, source_team: BOB.team, text: `<@U0BOT> upvote ${second}`, ts: "1700000100.000100", channel: "C0CONNECT", event_ts: "1700000100.000100" };
    expect((await postEvent(h.url, eventCallback(HOST, mention))).status).toBe(200);
    await h.standin.waitFor(() => h.standin.calls.find((c) => c.args.thread_ts === "1700000100.000100"));
    expect(await votesOf(second)).toEqual(["alpha", "beta"]);
    const people = await h.app.services.db.person.findMany({ include: { community: true }, orderBy: { id: "asc" } });
    expect(people.map((p) => [p.displayName, p.community?.slug])).toEqual([
      ["ana", "alpha"],
      ["bob", "beta"],
    ]);
  });

  test("staff of the organization's workspace speak for no community; the channel's news (once, in its community's language) and its digest are posted there", async () => {
    const id = await fileAs(ANA, "Dark mode for the dashboard");
    const url = rurl();
    await postInteraction(h.url, { ...buttonClick(BOB, `upvote ${id}`, url), team: { id: HOST, domain: "org" } });
    await answerAt(url);
    expect(await votesOf(id)).toEqual(["alpha", "beta"]);

    const answer = await command(SAM, "/set-status", `${id} planned`);
    expect(answer.error ?? false).toBe(false);
    const staff = await h.app.services.db.account.findUniqueOrThrow({ where: { platform_externalId: { platform: "slack", externalId: SAM.user } }, include: { person: true } });
    expect(staff.person.communityId).toBeNull();
    expect((await h.app.services.db.featureRequest.findUniqueOrThrow({ where: { id } })).status).toBe("planned");

    await drain();
    const posts = h.standin.callsOf("chat.postMessage").filter((c) => c.args.channel === "C0CONNECT" && String(c.args.text).includes(`#${id}`));
    // Ana (Alpha) and Bob (Beta) followed it from the same channel: one post there, not one per workspace.
    expect(posts).toHaveLength(1);
    expect(String(posts[0].args.text)).toContain(`Novedades de la hoja de ruta: la #${id} Dark mode for the dashboard`);

    // Alpha's weekly digest goes to the Connect channel too, in Alpha's language.
    const alpha = await communityBySlug(h.app.services, "alpha");
    const outcome = await postDigest(h.app.services, alpha, weekContaining(h.clock.now(), alpha.timezone), "test");
    expect(outcome).toMatchObject({ kind: "posted", places: [{ platform: "slack", workspace: "T0ALPHA", channel: "C0CONNECT" }] });
    await drain();
    const digest = h.standin.callsOf("chat.postMessage").find((c) => c.args.channel === "C0CONNECT" && String((c.args.metadata as { event_payload?: { key?: string } }).event_payload?.key).startsWith("digest:alpha:"));
    expect(digest).toBeDefined();
    expect(JSON.stringify(digest!.args.blocks)).toContain("Dark mode for the dashboard");
  });

  test("someone from a workspace no community is configured for is told what they need, the log says why, nothing is filed", async () => {
    const before = await h.app.services.db.featureRequest.count();
    const answer = await command(EVE, "/request", "Something from nowhere");
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.text)).toContain("member community");
    expect(await h.app.services.db.featureRequest.count()).toBe(before);
    const line = await waitForLog(h.logs, (l) => l.team === "T0NOBODY");
    expect(line).toMatchObject({ channel: "C0CONNECT", msg: expect.stringContaining("no community is configured") });
  });
});
