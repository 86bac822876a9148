import type { types } from "@slack/bolt";
import { DB_TARGETS } from "./helpers/db";
import { waitForLog } from "./helpers/logs";
import { ANA, BOB, buttonClick, eventCallback, postCommand, postEvent, postInteraction, slashCommand, startSlackHarness, type SlackHarness } from "./helpers/slack";

type Block = types.KnownBlock;
type ButtonEl = { type: "button"; action_id: string; value: string; text: { text: string } };
const buttonsOf = (blocks: Block[]): ButtonEl[] => blocks.flatMap((b) => (b.type === "actions" ? (b.elements as unknown as ButtonEl[]) : []));

const PUBLIC_URL = "https://roadmap.example.org";

/**
 * A link_shared event as Slack sends it for the app's unfurl domain
 * (https://docs.slack.dev/reference/events/link_shared); the answer is chat.unfurl
 * (https://docs.slack.dev/reference/methods/chat.unfurl) with channel + ts or unfurl_id + source.
 */
function linkShared(urls: string[], o: { channel?: string; ts?: string; source?: "composer" | "conversations_history"; unfurlId?: string } = {}): types.LinkSharedEvent {
  const ts = o.ts ?? "1700000200.000100";
  return {
    type: "link_shared",
    channel: o.source === "composer" ? "COMPOSER" : (o.channel ?? "C0ALPHA"),
    is_bot_user_member: true,
    user: "U0ANA",
    message_ts: o.source === "composer" ? "U0ANA-909b5454-75f8-4ac4-b325-1b40e230bbd8-gryl3kb80b3wm49ihzoo35fyqoq08n2y" : ts,
    links: urls.map((url) => ({ domain: new URL(url).hostname, url })),
    ...(o.unfurlId ? { unfurl_id: o.unfurlId, source: o.source ?? "conversations_history" } : {}),
    event_ts: ts,
  };
}

describe.each(DB_TARGETS)("Slack link previews (link_shared -> chat.unfurl) on %s", (target) => {
  let h: SlackHarness;
  let n = 0;
  const rurl = () => h.standin.responseUrl(`u${++n}`);
  const unfurlCalls = () => h.standin.callsOf("chat.unfurl");
  let sso: number;

  beforeAll(async () => {
    h = await startSlackHarness(target, { env: { PUBLIC_URL } });
    const url = rurl();
    await postCommand(h.url, slashCommand(ANA, "/request", "Single sign-on with SAML", url));
    await h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`)));
    const db = h.app.services.db;
    sso = (await db.featureRequest.findFirstOrThrow({ where: { title: "Single sign-on with SAML" } })).id;
    // Gamma is a private community: it wants it too, and must only ever be "an Essential member".
    const gamma = await db.community.findUniqueOrThrow({ where: { slug: "gamma" } });
    const gia = await db.person.create({ data: { displayName: "Gia", communityId: gamma.id } });
    await db.vote.create({ data: { requestId: sso, personId: gia.id, communityId: gamma.id } });
  });
  afterAll(() => h.close());

  test("a roadmap link unfurls into the request's card (as public as the page) with an Upvote button that votes for the clicker's community", async () => {
    const link = `${PUBLIC_URL}/roadmap/${sso}`;
    const res = await postEvent(h.url, eventCallback("T0ALPHA", { ...linkShared([link, "https://example.com/elsewhere", `${PUBLIC_URL}/roadmap`]) }));
    expect(res.status).toBe(200);
    const call = await h.standin.waitFor(() => unfurlCalls().at(-1));
    expect(call.args).toMatchObject({ channel: "C0ALPHA", ts: "1700000200.000100" });
    const unfurls = call.args.unfurls as Record<string, { blocks: Block[] }>;
    expect(Object.keys(unfurls)).toEqual([link]);
    const text = JSON.stringify(unfurls[link].blocks);
    expect(text).toContain(`<${link}|#${sso} Single sign-on with SAML>`);
    expect(text).toContain("Wanted by 2 communities: Alpha University and an Essential member · 2 votes · open");
    expect(text).not.toMatch(/Gamma/i);
    const [upvote] = buttonsOf(unfurls[link].blocks);
    expect(upvote).toMatchObject({ value: `upvote ${sso}`, text: { text: "Upvote" } });

    // Bob presses Upvote on the preview: the ordinary button handler counts it for his community.
    const url = rurl();
    await postInteraction(h.url, buttonClick(BOB, upvote.value, url));
    const answer = await h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);
    expect(String(answer.text)).toContain(`Your vote for #${sso} is counted for beta`);
  });

  test("a link still in the composer is answered by unfurl_id and source", async () => {
    const link = `${PUBLIC_URL}/roadmap/${sso}/`;
    const before = unfurlCalls().length;
    await postEvent(h.url, eventCallback("T0ALPHA", { ...linkShared([link], { source: "composer", unfurlId: "C-U0ANA-1" }) }));
    const call = await h.standin.waitFor(() => unfurlCalls()[before]);
    expect(call.args).toMatchObject({ unfurl_id: "C-U0ANA-1", source: "composer" });
    expect(call.args.channel).toBeUndefined();
    expect(Object.keys(call.args.unfurls as object)).toEqual([link]);
  });

  test("a link to a request that does not exist, or to another site, is left alone with a log line, never a crash", async () => {
    const before = unfurlCalls().length;
    const res = await postEvent(h.url, eventCallback("T0ALPHA", { ...linkShared([`${PUBLIC_URL}/roadmap/99999`, "https://other.example.org/roadmap/1"]) }));
    expect(res.status).toBe(200);
    const line = await waitForLog(h.logs, (l) => l.number === 99999);
    expect(String(line.msg)).toContain("does not exist");
    // A malformed event (no links at all) is ignored too; the next good one still unfurls.
    await postEvent(h.url, eventCallback("T0ALPHA", { type: "link_shared", channel: "C0ALPHA", user: "U0ANA", message_ts: "1700000300.000100", event_ts: "1700000300.000100" }));
    await postEvent(h.url, eventCallback("T0ALPHA", { ...linkShared([`${PUBLIC_URL}/roadmap/${sso}`], { ts: "1700000400.000100" }) }));
    const next = await h.standin.waitFor(() => unfurlCalls()[before]);
    expect(next.args.ts).toBe("1700000400.000100");
    expect(unfurlCalls()).toHaveLength(before + 1);
  });
});
