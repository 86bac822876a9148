import fc from "fast-check";
import { ApplicationCommandOptionType } from "discord.js";
import type { CommandDef, OptionSpec } from "../src/command-kit/define";
import { dispatch, dispatchLine } from "../src/command-kit/dispatch";
import { exampleValue } from "../src/command-kit/explain";
import { parseStructured, parseText, type Parsed } from "../src/command-kit/parse";
import { commandList, loadCommands } from "../src/command-kit/registry";
import { shellSpeaker } from "../src/platforms/shell/speaker";
import { as } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { discordTestApp, staff as discordStaff, type DiscordTestApp } from "./helpers/discord";
import { buttonClick, postCommand, postInteraction, slashCommand, STAFF, startSlackHarness, type SlackHarness } from "./helpers/slack";

const command = (name: string) => loadCommands().get(name) as CommandDef<unknown>;
const options = (p: Parsed) => {
  if (!p.ok) throw new Error(`expected options, got the problem ${JSON.stringify(p.problem)}`);
  return p.options;
};
const problem = (p: Parsed) => (p.ok ? undefined : p.problem);

/** Words a person might type as free text: never a flag, never a quote or a bar. */
const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.,!?'()-]{0,11}$/).filter((w) => !/^(into|send)$/i.test(w));
const words = (min: number, max: number) => fc.array(word, { minLength: min, maxLength: max });
const slug = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/);

/** Puts each group of tokens at a random place among the others, keeping each group together. */
const scatter = (free: string[], groups: string[][]) =>
  fc.tuple(...groups.map(() => fc.nat({ max: free.length }))).map((at) => {
    const out = free.map((w) => [w]);
    groups.forEach((g, i) => out.splice(Math.min(at[i], out.length), 0, g));
    return out.flat().join(" ");
  });

describe("the one option parser (property-based)", () => {
  const pledge = command("pledge");

  test("--community is recognised anywhere, before, between or after the note; the note keeps its words", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 99999 }), words(0, 8), slug, fc.nat(), (n, amount, note, community, at) => {
        const tokens = [String(n), String(amount), ...note];
        const i = at % (tokens.length + 1);
        const line = [...tokens.slice(0, i), "--community", community, ...tokens.slice(i)].join(" ");
        const o = options(parseText(line, pledge));
        expect(o.community).toBe(community);
        // The flag may stand before the number: then the positions shift past it, never into it.
        expect(o).toMatchObject({ number: String(n), amount: String(amount) });
        expect(o.note).toBe(note.length ? note.join(" ") : undefined);
      }),
    );
  });

  test("flags and free text in any order give the same options (/requests: status, --community, --page)", () => {
    const requests = command("requests");
    const status = fc.constantFrom("open", "planned", "in_progress", "shipped", "declined");
    fc.assert(
      fc.property(status, slug, fc.integer({ min: 1, max: 50 }), fc.nat(), (s, c, page, seed) => {
        const groups = [[s], ["--community", c], [`--page`, String(page)]];
        const order = [...groups].sort((a, b) => ((a[0].length * 7 + seed) % 5) - ((b[0].length * 7 + seed) % 5));
        expect(options(parseText(order.flat().join(" "), requests))).toEqual({ status: s, community: c, page: String(page) });
      }),
    );
  });

  test("/request: --force anywhere in the title or the details is the flag, and the text around it stays whole", () => {
    const request = command("request");
    fc.assert(
      fc.property(
        words(1, 6).chain((title) => words(0, 6).chain((details) => scatter([...title, ...(details.length ? ["|", ...details] : [])], [["--force"]]).map((line) => ({ title, details, line })))),
        ({ title, details, line }) => {
          const o = options(parseText(line, request));
          expect(o).toEqual({ title: title.join(" "), force: true, ...(details.length ? { details: details.join(" ") } : {}) });
        },
      ),
    );
  });

  test("/digest: --week and --send anywhere around the community", () => {
    const digest = command("digest");
    fc.assert(
      fc.property(slug.filter((s) => s !== "send"), fc.stringMatching(/^20[0-9]{2}-W[0-5][0-9]$/), fc.boolean(), fc.nat(), (c, week, send, at) => {
        const line = [[c], ["--week", week], ...(send ? [["--send"]] : [])];
        const rotated = [...line.slice(at % line.length), ...line.slice(0, at % line.length)];
        expect(options(parseText(rotated.flat().join(" "), digest))).toEqual({ community: c, week, ...(send ? { send: true } : {}) });
      }),
    );
  });

  test("a flag typed inside a structured free-text option (Discord) reads exactly like the typed line", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 99999 }), words(1, 8), slug, fc.nat(), (n, amount, note, community, at) => {
        const i = at % (note.length + 1);
        const noteText = [...note.slice(0, i), "--community", community, ...note.slice(i)].join(" ");
        const typed = options(parseText(`${n} ${amount} ${noteText}`, pledge));
        const structured = options(parseStructured({ number: n, amount, note: noteText }, pledge));
        expect(structured).toEqual({ number: n, amount, note: typed.note, community: typed.community });
        expect(structured).toMatchObject({ note: note.join(" "), community });
      }),
    );
  });

  test("quoted text is never a flag", () => {
    fc.assert(
      fc.property(words(0, 4), slug, (before, community) => {
        const o = options(parseText(`2 500 ${[...before, `"--community ${community}"`].join(" ")}`, pledge));
        expect(o.community).toBeUndefined();
        // The note as typed; a note that is nothing but one quoted piece loses its quotes.
        expect(o.note).toBe(before.length ? [...before, `"--community ${community}"`].join(" ") : `--community ${community}`);
      }),
    );
  });
});

describe("the one option parser (cases)", () => {
  const pledge = command("pledge");

  test("a community is named only with --community: '/pledge 2 500 community budget' is a note", () => {
    expect(options(parseText("2 500 community budget", pledge))).toEqual({ number: "2", amount: "500", note: "community budget" });
    expect(options(parseText("2 5000 half the cost --community alpha", pledge))).toEqual({ number: "2", amount: "5000", note: "half the cost", community: "alpha" });
    expect(options(parseText("2 5000 half --community=alpha the cost", pledge))).toEqual({ number: "2", amount: "5000", note: "half the cost", community: "alpha" });
    // Phones and Slack turn "--" into a dash.
    expect(options(parseText("2 5000 half the cost —community alpha", pledge))).toMatchObject({ note: "half the cost", community: "alpha" });
  });

  test("the note keeps its spacing, punctuation and apostrophes", () => {
    expect(options(parseText(`2 500 it's  the "lab" budget, 'tis true`, pledge)).note).toBe(`it's  the "lab" budget, 'tis true`);
    expect(options(parseText(`2 500 "one quoted note"`, pledge)).note).toBe("one quoted note");
  });

  test("problems: unknown flag, near miss, missing value, given twice, too many words", () => {
    expect(problem(parseText("2 500 note --comunity alpha", pledge))).toMatchObject({ kind: "unknown-flag", flag: "--comunity", suggestion: { name: "community" } });
    expect(problem(parseText("2 500 --community", pledge))).toMatchObject({ kind: "needs-value", option: { name: "community" } });
    expect(problem(parseText("2 500 --community --community", pledge))).toMatchObject({ kind: "needs-value" });
    expect(problem(parseText("2 500 --community a x --community b", pledge))).toMatchObject({ kind: "given-twice", option: { name: "community" } });
    expect(problem(parseText("open --colour red", command("requests")))).toMatchObject({ kind: "unknown-flag", flag: "--colour" });
    expect(problem(parseText("12 13", command("upvote")))).toEqual({ kind: "unexpected", text: "13" });
    expect(problem(parseStructured({ number: 2, amount: 5, note: "x --community a", community: "b" }, pledge))).toMatchObject({ kind: "given-twice" });
    // Prose may mention an option of some other program.
    expect(options(parseText("12 add a --dry-run switch", command("feedback")))).toEqual({ number: "12", text: "add a --dry-run switch" });
  });
});

/** zod's own wording, which must never reach a person. */
const RAW_ZOD = /Too (small|big)|Invalid (input|option|string|number|value|format|type)|expected (string|number|int|boolean|nan|undefined|array|object)|received (undefined|string|number|nan|null)|[<>]=\s*\d|Unrecognized key|must match pattern|\bregex\b/i;

/** Lines that must be refused, generated from each command's own declaration. */
function badLines(cmd: CommandDef<unknown>): string[] {
  const positional = cmd.options.filter((o) => !o.keyword && !o.afterBar);
  const lines: string[] = [];
  const before = (o: OptionSpec) => positional.slice(0, positional.indexOf(o)).map((o) => exampleValue(o)).join(" ");
  // A command that reads its own words decides what a word means; its first one is always an option.
  for (const o of cmd.readWords ? positional.slice(0, 1) : positional) {
    const bad =
      o.type === "integer" || o.type === "number" ? ["twelve", "-3", "1e99"] : o.choices ? ["sideways"] : o.maxLength && !o.rest ? ["x".repeat(o.maxLength + 1)] : [];
    for (const b of bad) lines.push(`${before(o)} ${b}`.trim());
  }
  for (const o of cmd.options.filter((x) => x.keyword)) {
    const prefix = positional.filter((p) => p.required).map((o) => exampleValue(o)).join(" ");
    if (o.type !== "boolean") lines.push(`${prefix} --${o.name}`.trim());
    if (o.type === "integer") lines.push(`${prefix} --${o.name} zero`.trim(), `${prefix} --${o.name} 0`.trim());
    lines.push(`${prefix} --${o.name}${o.type === "boolean" ? "" : ` ${exampleValue(o)}`} --${o.name}${o.type === "boolean" ? "" : ` ${exampleValue(o)}`}`.trim());
  }
  if (!positional[0]?.rest) lines.push("--colour red");
  if (positional.some((o) => o.required)) lines.push("");
  return lines;
}

describe.each(DB_TARGETS)("option errors read alike, never zod's words, on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target);
  });
  afterAll(() => t.close());

  test.each(commandList().map((c) => [c.name, c] as const))("/%s: every bad input is refused with a friendly line and the usage", async (name, cmd) => {
    const { speaker, place } = shellSpeaker("carol", "alpha"); // staff: no role refusal hides the option error
    const lines = badLines(cmd);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      if (name === "request" && line === "") continue; // a bare /request opens its form on chat platforms
      const r = await dispatchLine(t.services, `/${name} ${line}`, speaker, place);
      expect({ line, error: r.error }).toEqual({ line, error: true });
      expect({ line, text: r.text }).toEqual({ line, text: expect.stringContaining(`\nUsage: /${name}`) });
      expect({ line, text: r.text }).toEqual({ line, text: expect.not.stringMatching(RAW_ZOD) });
    }
    // Structured, as Discord sends them (it types booleans itself): wrong types and overlong text.
    for (const o of cmd.options.filter((x) => x.type !== "boolean")) {
      const value = o.type === "string" ? "x".repeat((o.maxLength ?? 6000) + 1) : "twelve";
      const given = Object.fromEntries(cmd.options.filter((p) => p.required).map((p) => [p.name, p.type === "string" ? exampleValue(p) : Number(exampleValue(p))]));
      const r = await dispatch(t.services, { command: name, options: { ...given, [o.name]: value }, speaker, place });
      if (r.error) expect({ option: o.name, text: r.text }).toEqual({ option: o.name, text: expect.not.stringMatching(RAW_ZOD) });
      if (o.type !== "string") expect({ option: o.name, error: r.error }).toEqual({ option: o.name, error: true });
    }
    expect(await t.services.db.featureRequest.count()).toBe(0);
  });

  test("one form per option type: a request number, a whole number, a choice, a flag's value", async () => {
    const carol = as(t.services, "carol", "alpha");
    expect((await carol("/upvote twelve")).text).toBe("Give a request number, like 12 or #12.\nUsage: /upvote <number>");
    expect((await carol("/requests --page 0")).text).toBe("Give a whole number of at least 1 for --page, like `/requests --page 2`.\nUsage: /requests [open|planned|in_progress|shipped|declined] [--community <community>] [--page <page>]");
    expect((await carol("/digest --week")).text).toMatch(/^Give a value after --week, like `\/digest --week 2026-W48`\.\nUsage: \/digest /);
    expect((await carol("/pledge 1 5 x --comunity beta")).text).toMatch(/^I don't know the option --comunity; did you mean --community\?/);
    expect((await carol("/steward @ana alpha --remove=perhaps")).text).toMatch(/^Give a value after --remove/);
  });
});

/** A request to pledge toward, filed from the terminal; its number. */
const fileTarget = async (services: TestEnv["services"], title: string) =>
  Number(/#(\d+)/.exec((await as(services, "a1", "alpha")(`/request ${title} --force`)).text)![1]);
/** Every pledge as [community, amount, note], by community. */
const pledgesIn = async (services: TestEnv["services"]) =>
  (await services.db.pledge.findMany({ include: { community: true }, orderBy: { community: { slug: "asc" } } })).map((p) => [p.community.slug, Number(p.amount), p.note]);

describe.each(DB_TARGETS)("pledges name their community only with --community, on every way in, on %s", (target) => {
  test("terminal and buttons: staff standing in beta pledge for alpha; a note that says 'community' is a note", async () => {
    const t = await testServices(target);
    try {
      const staffInBeta = as(t.services, "carol", "beta");
      const id = await fileTarget(t.services, "Pledge target");
      expect((await staffInBeta(`/pledge ${id} 5000 half the cost --community alpha`)).text).toContain("Alpha University pledges 5,000 USD");
      expect((await staffInBeta(`/pledge ${id} 300 community budget`)).text).toContain("Beta College pledges 300 USD");
      expect(await pledgesIn(t.services)).toEqual([
        ["alpha", 5000, "half the cost"],
        ["beta", 300, "community budget"],
      ]);
    } finally {
      await t.close();
    }
  });

  test("Slack: typed with the flag after the note, and from a button", async () => {
    const h: SlackHarness = await startSlackHarness(target);
    try {
      const id = await fileTarget(h.app.services, "Slack pledge target");
      /** The text Flywheel answered on one response_url. */
      const answerAt = async (rid: string) => String((await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === rid)?.body)).text);
      await postCommand(h.url, slashCommand(STAFF, "/pledge", `${id} 5000 half the cost --community beta`, h.standin.responseUrl("p1")));
      expect(await answerAt("p1")).toContain("Beta College pledges 5,000 USD");
      await postCommand(h.url, slashCommand(STAFF, "/pledge", `${id} 10 --community gamma for the lab`, h.standin.responseUrl("p2")));
      expect(await answerAt("p2")).toContain("Gamma Institute pledges 10 USD");
      await postInteraction(h.url, buttonClick(STAFF, `pledge ${id} 20 button note --community beta`, h.standin.responseUrl("p3")));
      expect(await answerAt("p3")).toContain("Beta College's pledge");
      expect(await pledgesIn(h.app.services)).toEqual([
        ["beta", 20, "button note"],
        ["gamma", 10, "for the lab"],
      ]);
    } finally {
      await h.close();
    }
  });

  test("Discord: a --community typed inside the structured note counts, exactly as typed text would", async () => {
    const t: DiscordTestApp = await discordTestApp(target);
    try {
      const id = await fileTarget(t.app.services, "Discord pledge target");
      const slash = t.d.slash(discordStaff, "pledge", [
        { name: "number", type: ApplicationCommandOptionType.Integer, value: id },
        { name: "amount", type: ApplicationCommandOptionType.Number, value: 5000 },
        { name: "note", type: ApplicationCommandOptionType.String, value: "half the cost --community beta" },
      ]);
      expect((await t.d.answer(slash)).data.embeds[0].description).toContain("Beta College pledges 5,000 USD");
      const twice = t.d.slash(discordStaff, "pledge", [
        { name: "number", type: ApplicationCommandOptionType.Integer, value: id },
        { name: "amount", type: ApplicationCommandOptionType.Number, value: 1 },
        { name: "note", type: ApplicationCommandOptionType.String, value: "x --community beta" },
        { name: "community", type: ApplicationCommandOptionType.String, value: "gamma" },
      ]);
      expect((await t.d.answer(twice)).data.embeds[0].description).toContain("You gave --community twice");
      expect(await pledgesIn(t.app.services)).toEqual([["beta", 5000, "half the cost"]]);
    } finally {
      await t.close();
    }
  });
});
