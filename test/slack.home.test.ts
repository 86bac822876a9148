import type { BlockAction, ButtonAction, types } from "@slack/bolt";
import { HOME_REFRESH_MS } from "../src/core/home/refresh";
import { forgetOldHomeRows, HOME_ROW_MEMORY_MS } from "../src/jobs/forget-home-rows";
import { DB_TARGETS } from "./helpers/db";
import { ANA, BOB, buttonClick, eventCallback, postCommand, postEvent, postInteraction, SLACK_TEST_CONFIG_YAML, slashCommand, STAFF, startSlackHarness, type SlackHarness, type Who } from "./helpers/slack";

type Block = types.KnownBlock;
type ButtonEl = { type: "button"; action_id: string; value: string; text: { text: string } };
const buttonsOf = (blocks: Block[]): ButtonEl[] => blocks.flatMap((b) => (b.type === "actions" ? (b.elements as unknown as ButtonEl[]) : []));

/** Zeta is private: its name is for its own members and staff only. */
const HOME_YAML = SLACK_TEST_CONFIG_YAML.replace(
  "staff:",
  `  - { slug: zeta, name: Zeta Secret Society, tier: essential, private: true, slack: { team: T0ZETA, channel: C0ZETA } }
staff:`,
);
const ALAN: Who = { user: "U0ALAN", name: "alan", team: "T0ALPHA", channel: "C0ALPHA" };
const ZED: Who = { user: "U0ZED", name: "zed", team: "T0ZETA", channel: "C0ZETA" };

/** app_home_opened as Slack sends it (https://docs.slack.dev/reference/events/app_home_opened). */
const homeOpened = (who: Who, tab: "home" | "messages" = "home"): types.AppHomeOpenedEvent => ({
  type: "app_home_opened",
  user: who.user,
  channel: `D${who.user}`,
  tab,
  event_ts: `${Date.now() / 1000}`,
});

/**
 * A button pressed on the Home tab: the container is the view, and there is no channel, message
 * or response_url (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload).
 */
function homeClick(who: Who, value: string): BlockAction<ButtonAction> {
  const { channel: _c, message: _m, response_url: _r, ...rest } = buttonClick(who, value, "");
  const payload = { ...rest, container: { type: "view", view_id: "VH1" }, view: { id: "VH1", type: "home", team_id: who.team, app_id: "A0FLY", bot_id: "B0BOT", blocks: [], private_metadata: "", callback_id: "", state: { values: {} }, hash: "h", title: { type: "plain_text", text: "Home" }, close: null, submit: null, root_view_id: "VH1", previous_view_id: null, clear_on_close: false, notify_on_close: false, external_id: "" } };
  return payload as unknown as BlockAction<ButtonAction>;
}

describe.each(DB_TARGETS)("Slack App Home on %s", (target) => {
  let h: SlackHarness;
  let n = 0;
  const rurl = () => h.standin.responseUrl(`h${++n}`);
  const answerAt = (url: string) => h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);
  const command = async (who: Who, cmd: string, text: string) => {
    const url = rurl();
    await postCommand(h.url, slashCommand(who, cmd, text, url));
    return answerAt(url);
  };
  const idOf = async (title: string) => (await h.app.services.db.featureRequest.findFirstOrThrow({ where: { title } })).id;
  const publishesTo = (user: string) => h.standin.callsOf("views.publish").filter((c) => c.args.user_id === user);
  /** Opens the person's Home tab and returns the view Slack was given. */
  const open = async (who: Who) => {
    const before = publishesTo(who.user).length;
    expect((await postEvent(h.url, eventCallback(who.team, { ...homeOpened(who) }))).status).toBe(200);
    const call = await h.standin.waitFor(() => publishesTo(who.user)[before]);
    return call.args.view as types.HomeView;
  };
  const textOf = (view: types.HomeView) => JSON.stringify(view.blocks);
  let offline: number;
  let exportId: number;
  let calendar: number;

  beforeAll(async () => {
    h = await startSlackHarness(target, { yaml: HOME_YAML });
    await command(ANA, "/request", "Offline mode for the mobile app");
    await command(ANA, "/request", "Bulk export to spreadsheets");
    await command(BOB, "/request", "Calendar sync with Outlook");
    [offline, exportId, calendar] = [await idOf("Offline mode for the mobile app"), await idOf("Bulk export to spreadsheets"), await idOf("Calendar sync with Outlook")];
    const voted = rurl();
    await postInteraction(h.url, buttonClick(ANA, `upvote ${calendar}`, voted));
    await answerAt(voted);
    await command(ANA, "/support", "The dashboard will not load | since Monday");
    await command(ZED, "/upvote", String(offline));
  });
  afterAll(() => h.close());

  test("opening the Home tab publishes the person's requests and votes with status, open tickets, their community's most wanted, and the four buttons", async () => {
    const view = await open(ANA);
    expect(view.type).toBe("home");
    const text = textOf(view);
    for (const words of ["Your Flywheel", "You speak for Alpha University", "Your requests", "Your votes", "Your open tickets", "Most wanted in Alpha University"]) expect(text).toContain(words);
    expect(text).toContain(`#${offline} Offline mode for the mobile app — 2 communities`);
    expect(text).toContain(`#${calendar} Calendar sync with Outlook`);
    expect(text).toMatch(/#\d+ The dashboard will not load — with staff/);
    // Zeta voted for Offline mode: counted, never named to someone outside it.
    expect(text).not.toMatch(/Zeta/i);
    const buttons = buttonsOf(view.blocks as Block[]).map((b) => [b.text.text, b.value]);
    expect(buttons).toEqual(expect.arrayContaining([["New request", "request"], ["Open a ticket", "support"], ["Details", `request-show ${exportId}`]]));
    // Everything Ana's community wants, she already voted for: no Upvote for her own vote.
    expect(buttons.filter(([label]) => label === "Upvote")).toEqual([]);
    expect(await h.app.services.db.homeView.findUnique({ where: { platform_externalId: { platform: "slack", externalId: ANA.user } } })).toMatchObject({ workspace: "T0ALPHA" });

    // A private community's own member reads its name on their own home.
    expect(textOf(await open(ZED))).toContain("Most wanted in Zeta Secret Society");
  });

  test("the Messages tab, or an event without a user, publishes nothing and breaks nothing", async () => {
    const before = h.standin.callsOf("views.publish").length;
    expect((await postEvent(h.url, eventCallback("T0ALPHA", { ...homeOpened(ANA, "messages") }))).status).toBe(200);
    expect((await postEvent(h.url, eventCallback("T0ALPHA", { type: "app_home_opened", channel: "D0X", tab: "home", event_ts: "1" }))).status).toBe(200);
    // The next real opening is the first publish after those two.
    await open(BOB);
    expect(h.standin.callsOf("views.publish").slice(before).map((c) => c.args.user_id)).toEqual([BOB.user]);
  });

  test("a burst of changes republishes each affected open home once, through the outbox, after the window", async () => {
    await open(ANA);
    const db = h.app.services.db;
    const already = await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "home:" } } });
    const before = { ana: publishesTo(ANA.user).length, bob: publishesTo(BOB.user).length, zed: publishesTo(ZED.user).length };

    // Three changes to what Ana's home shows: two votes on her requests and a status change.
    await command(BOB, "/upvote", String(offline));
    await command(BOB, "/upvote", String(exportId));
    await command(STAFF, "/set-status", `${offline} planned`);

    const rows = await db.outboxMessage.findMany({ where: { idempotencyKey: { startsWith: "home:" } }, orderBy: { id: "asc" } });
    const fresh = rows.slice(already);
    // One row per person whose open home shows it (Ana, Bob, Zed who voted for it), whatever the number of changes.
    expect(fresh.map((r) => r.channel).sort()).toEqual([`@${ANA.user}`, `@${BOB.user}`, `@${ZED.user}`]);
    expect(fresh.every((r) => r.status === "pending" && r.nextAttemptAt.getTime() > h.clock.now().getTime())).toBe(true);

    // Nothing is published before the window closes; then each home once, with the latest data.
    await h.app.worker.drain();
    expect(publishesTo(ANA.user)).toHaveLength(before.ana);
    h.clock.set(new Date(h.clock.now().getTime() + HOME_REFRESH_MS));
    await h.app.worker.drain();
    expect(publishesTo(ANA.user)).toHaveLength(before.ana + 1);
    expect(publishesTo(BOB.user)).toHaveLength(before.bob + 1);
    expect(publishesTo(ZED.user)).toHaveLength(before.zed + 1);
    const text = textOf(publishesTo(ANA.user).at(-1)!.args.view as types.HomeView);
    expect(text).toContain(`#${offline} Offline mode for the mobile app — 3 communities · 3 votes · 0 pledges — planned`);
    expect(text).toContain(`#${exportId} Bulk export to spreadsheets — 2 communities`);
    // Alan never opened his home: nothing is queued for him.
    expect(rows.some((r) => r.channel === `@${ALAN.user}`)).toBe(false);
  });

  test("the Home tab's buttons run through the ordinary handler: New request opens the form, Upvote votes for the clicker's community", async () => {
    const view = await open(ALAN);
    const upvote = buttonsOf(view.blocks as Block[]).find((b) => b.text.text === "Upvote" && b.value === `upvote ${exportId}`);
    expect(upvote).toBeDefined();
    expect((await postInteraction(h.url, homeClick(ALAN, upvote!.value))).status).toBe(200);
    // No channel and no response_url on the Home tab: the answer comes as a direct message.
    const dm = await h.standin.waitFor(() => h.standin.callsOf("chat.postMessage").find((c) => c.args.channel === ALAN.user));
    expect(String(dm.args.text)).toContain(`Your vote for #${exportId} is counted for alpha`);
    const vote = await h.app.services.db.vote.findFirst({ where: { requestId: exportId, person: { accounts: { some: { externalId: ALAN.user } } } } });
    expect(vote).not.toBeNull();

    const opens = h.standin.callsOf("views.open").length;
    const click = homeClick(ALAN, "request");
    await postInteraction(h.url, click);
    const form = await h.standin.waitFor(() => h.standin.callsOf("views.open")[opens]);
    expect(form.args.trigger_id).toBe(click.trigger_id);
    expect((form.args.view as types.ModalView).blocks.map((b) => (b as types.InputBlock).block_id)).toEqual(["title", "details"]);
  });

  test("a home Slack refuses to publish (the person is gone) goes dead quietly: no staff alert, nothing retried; a day on, done home rows are forgotten", async () => {
    await open(BOB);
    // Alan votes for Bob's request: Bob's open home needs republishing.
    await command(ALAN, "/upvote", String(calendar));
    const db = h.app.services.db;
    const row = await db.outboxMessage.findFirstOrThrow({ where: { channel: `@${BOB.user}`, idempotencyKey: { startsWith: "home:" }, status: "pending" } });
    h.standin.unreachable.set(BOB.user, "user_not_found");
    h.clock.set(new Date(h.clock.now().getTime() + HOME_REFRESH_MS));
    await h.app.worker.drain();
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("dead");
    expect(await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: `outbox-dead:${row.id}:` } } })).toBe(0);

    // A day on, the hourly clean-up forgets published and dead home rows; other messages stay.
    const others = await db.outboxMessage.count({ where: { NOT: { idempotencyKey: { startsWith: "home:" } } } });
    const done = await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "home:" }, status: { in: ["delivered", "dead"] } } });
    expect(done).toBeGreaterThan(1);
    expect(await forgetOldHomeRows(h.app.services)).toBe(0);
    h.clock.set(new Date(h.clock.now().getTime() + HOME_ROW_MEMORY_MS + HOME_REFRESH_MS));
    expect(await forgetOldHomeRows(h.app.services)).toBe(done);
    expect(await db.outboxMessage.count({ where: { idempotencyKey: { startsWith: "home:" }, status: { in: ["delivered", "dead"] } } })).toBe(0);
    expect(await db.outboxMessage.count({ where: { NOT: { idempotencyKey: { startsWith: "home:" } } } })).toBe(others);
  });
});
