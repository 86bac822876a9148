import { ApplicationCommandOptionType } from "discord.js";
import type { types } from "@slack/bolt";
import { cleanOptions, cleanText } from "../src/core/clean-text";
import type { ThreadMessage } from "../src/core/inbound";
import { as } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { ALPHA, ana as discordAna, discordTestApp, type DiscordTestApp, gil, until } from "./helpers/discord";
import { ANA, eventCallback, postCommand, postEvent, postInteraction, slashCommand, startSlackHarness, viewSubmission, type SlackHarness } from "./helpers/slack";

const NUL = "\u0000";
const BEL = "\u0007";
const C1 = "\u0085";
const ZWSP = "\u200b";

describe("cleanText", () => {
  test("removes C0/C1 controls but keeps newlines and tabs; CR and CRLF become newlines", () => {
    expect(cleanText(`a${NUL}b${BEL}c${C1}d\u007f\u001be`)).toBe("abcde");
    expect(cleanText("line one\r\nline two\rline three\n\tindented")).toBe("line one\nline two\nline three\n\tindented");
  });

  test("normalizes to NFC and mends unpaired surrogates", () => {
    expect(cleanText("Cafe\u0301")).toBe("Café");
    expect(cleanText("Cafe\u0301")).toBe("Caf\u00e9");
    expect(cleanText("broken \ud83d pair")).toBe("broken \ufffd pair");
  });

  test("text made only of invisible characters is empty; the same characters inside real text stay", () => {
    expect(cleanText(`${ZWSP}${ZWSP}\u2060\ufeff \u3164\u00a0`)).toBe("");
    const family = "👨\u200d👩\u200d👧";
    expect(cleanText(`Emoji ${family} stays`)).toBe(`Emoji ${family} stays`);
  });

  test("cleanOptions cleans strings and leaves out values that clean to nothing (like a blank form field)", () => {
    expect(cleanOptions({ title: `T${NUL}itle`, details: ZWSP, number: 3, force: true, empty: "", many: [`a${BEL}`, 2] })).toEqual({
      title: "Title",
      number: 3,
      force: true,
      empty: "",
      many: ["a", 2],
    });
  });
});

describe.each(DB_TARGETS)("clean text at the door, terminal on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());
  const ana = () => as(t.services, "ana", "alpha");

  test("a NUL and other controls in a title and details are removed; what is stored is what is shown", async () => {
    const r = await ana()(`/request Printer${NUL} queue${BEL} stalls | jobs${C1} vanish\r\nsince Monday --force`);
    expect(r.error).toBeFalsy();
    const id = Number(/#(\d+)/.exec(r.text)![1]);
    const stored = await t.services.db.featureRequest.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ title: "Printer queue stalls", body: "jobs vanish\nsince Monday" });
    expect(r.text).toContain(`#${id} ${stored.title}`);
  });

  test("feedback and support messages are cleaned the same way", async () => {
    const n = (await t.services.db.featureRequest.findFirstOrThrow()).id;
    const fb = await ana()(`/feedback ${n} Works${NUL} for us`);
    expect(fb.error).toBeFalsy();
    expect((await t.services.db.feedback.findFirstOrThrow({ where: { requestId: n } })).body).toBe("Works for us");
    const opened = await ana()(`/support Scanner${NUL} jammed | paper${BEL} stuck`);
    expect(opened.error).toBeFalsy();
    const ticket = await t.services.db.supportTicket.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(ticket.summary).toBe("Scanner jammed");
    expect(opened.text).toContain("Scanner jammed");
  });

  test("a title of zero-width spaces is refused like an empty one, and nothing is filed", async () => {
    const before = await t.services.db.featureRequest.count();
    const invisible = await ana()(`/request ${ZWSP}${ZWSP}${ZWSP}\u2060`);
    const empty = await ana()("/request");
    expect(invisible.error).toBe(true);
    // An empty /request may open the form instead; on the terminal both say what is missing.
    expect(invisible.text).toMatch(/title/i);
    expect(empty.error || empty.modal).toBeTruthy();
    expect(await t.services.db.featureRequest.count()).toBe(before);
  });

  test("titles are NFC before storage and similarity search: the two spellings of é are one request", async () => {
    const first = await ana()("/request Cafe\u0301 menu export");
    const id = Number(/#(\d+)/.exec(first.text)![1]);
    expect((await t.services.db.featureRequest.findUniqueOrThrow({ where: { id } })).title).toBe("Caf\u00e9 menu export");
    const second = await as(t.services, "bob", "beta")("/request Caf\u00e9 menu export");
    expect(second.text).toMatch(/^Similar requests are already open/);
    expect(second.text).toContain(`#${id}`);
  });
});

describe.each(DB_TARGETS)("clean text at the door, Slack on %s", (target) => {
  let h: SlackHarness;
  let n = 0;
  const seen: ThreadMessage[] = [];
  beforeAll(async () => {
    h = await startSlackHarness(target);
    h.app.threads.subscribe(async (m) => void seen.push(m));
  });
  afterAll(() => h.close());
  const answerAt = (url: string) => h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);

  test("a slash command with a NUL files the request without it, instead of failing", async () => {
    const url = h.standin.responseUrl(`nul${++n}`);
    await postCommand(h.url, slashCommand(ANA, "/request", `Badge${NUL} printing queue | the${BEL} queue`, url));
    const answer = await answerAt(url);
    expect(String(answer.text)).not.toContain("Something went wrong");
    const id = Number(/#(\d+)/.exec(String(answer.text))![1]);
    const stored = await h.app.services.db.featureRequest.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ title: "Badge printing queue", body: "the queue" });
    expect(String(answer.text)).toContain(`#${id} ${stored.title}`);
  });

  test("modal fields are cleaned; a title of zero-width spaces is refused under the field like a blank one", async () => {
    const url = h.standin.responseUrl(`modal${++n}`);
    await postCommand(h.url, slashCommand(ANA, "/request", "", url));
    const view = (await h.standin.waitFor(() => h.standin.callsOf("views.open").at(-1))).args.view as types.ModalView;
    const before = await h.app.services.db.featureRequest.count();
    const refused = await postInteraction(h.url, viewSubmission(ANA, view, { title: `${ZWSP}${ZWSP}${ZWSP}`, details: null }));
    expect(refused.json).toMatchObject({ response_action: "errors", errors: { title: expect.stringMatching(/title/i) } });
    expect(await h.app.services.db.featureRequest.count()).toBe(before);
    const filed = await postInteraction(h.url, viewSubmission(ANA, view, { title: `Kiosk${NUL} mode`, details: `For${NUL} lobbies` }));
    expect(filed.status).toBe(200);
    const posted = await answerAt(url);
    expect(String(posted.text)).toMatch(/^Filed #\d+ Kiosk mode/);
    expect(await h.app.services.db.featureRequest.count({ where: { title: "Kiosk mode", body: "For lobbies" } })).toBe(1);
  });

  test("thread and DM messages reach the support relay cleaned", async () => {
    await postEvent(
      h.url,
      eventCallback("T0ALPHA", { type: "message", channel: "D0ANA", user: "U0ANA", text: `hello${NUL} bot${BEL}`, ts: "1764400500.000900", channel_type: "im", event_ts: "1764400500.000900" }),
    );
    await until(() => seen.some((m) => m.externalId === "1764400500.000900"));
    expect(seen.find((m) => m.externalId === "1764400500.000900")!.text).toBe("hello bot");
  });
});

describe.each(DB_TARGETS)("clean text at the door, Discord on %s", (target) => {
  let t: DiscordTestApp;
  beforeAll(async () => {
    t = await discordTestApp(target, { direct: {}, subscribe: true });
  });
  afterAll(() => t.close());

  test("slash command options with a NUL file the request without it", async () => {
    const id = t.d.slash(discordAna, "request", [
      { name: "title", type: ApplicationCommandOptionType.String, value: `Locker${NUL} booking` },
      { name: "details", type: ApplicationCommandOptionType.String, value: `For${C1} the gym` },
    ]);
    const cb = await t.d.answer(id);
    const n = Number(/#(\d+)/.exec(cb.data.embeds[0].title as string)![1]);
    const stored = await t.app.services.db.featureRequest.findUniqueOrThrow({ where: { id: n } });
    expect(stored).toMatchObject({ title: "Locker booking", body: "For the gym" });
    expect(cb.data.embeds[0].title).toBe(`#${n} ${stored.title}`);
  });

  test("modal submissions are cleaned; a title of zero-width spaces is refused and nothing is filed", async () => {
    const before = await t.app.services.db.featureRequest.count();
    const refused = await t.d.answer(t.d.submitModal(discordAna, "fwm:request", { title: `${ZWSP}${ZWSP}${ZWSP}` }));
    expect(JSON.stringify(refused.data)).toMatch(/title/i);
    expect(refused.private).toBe(true);
    expect(await t.app.services.db.featureRequest.count()).toBe(before);
    const filed = await t.d.answer(t.d.submitModal(discordAna, "fwm:request", { title: `Quiet${NUL} rooms`, details: `Near${BEL} the library` }));
    expect(filed.data.embeds[0].title).toMatch(/^#\d+ Quiet rooms$/);
    expect(await t.app.services.db.featureRequest.count({ where: { title: "Quiet rooms", body: "Near the library" } })).toBe(1);
  });

  test("thread messages reach the subscribers cleaned", async () => {
    const before = t.published.length;
    const id = t.d.say({ ...gil, guildId: ALPHA.guild, channelId: ALPHA.botThread }, `still${NUL} slow${BEL}`);
    await until(() => t.published.length > before);
    expect(t.published.find((m) => m.externalId === id)!.text).toBe("still slow");
  });
});
