// A private community is never named to anyone outside it (issue #16): every command in the
// registry, run by a member and a steward of another community against a private community's
// request, ticket and credits, answers without the community's name or any of its people's.
// Commands are read from the registry, so a command added later is covered without a change here.
import { loadCommands } from "../src/command-kit/registry";
import type { OptionSpec } from "../src/command-kit/define";
import { addCredits } from "../src/core/credit/ledger";
import { as, idOf } from "./helpers/actors";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";

// In TEST_CONFIG_YAML gamma is private (tier essential); alpha is public.
const GAMMA_NAME = "Gamma Institute";
const GINA = "Gina Zyzzyva";
const GUS = "Gus Zyzzyva";
/** Typed by the outsider: a reply may echo what was typed, so it differs in case from the stored names. */
const GINA_TYPED = GINA.toUpperCase();
const SECRETS = [GAMMA_NAME, GINA, GUS];

const leaks = (what: unknown): string[] => {
  const text = JSON.stringify(what);
  return SECRETS.filter((s) => text.includes(s));
};

interface Targets {
  request: number;
  ticket: number;
}

/** The values an option is tried with: every choice, the private community's things, and nothing. */
function candidates(o: OptionSpec, at: Targets): (string | undefined)[] {
  const absent = o.required ? [] : [undefined];
  if (o.choices) return [...o.choices, ...absent];
  switch (o.type) {
    case "integer":
      return [String(o.autocomplete === "ticket" ? at.ticket : o.autocomplete === "request" ? at.request : 1), ...absent];
    case "number":
      return ["5", ...absent];
    case "boolean":
      return ["true", undefined];
    case "string":
      return o.autocomplete === "community" ? ["gamma", ...absent] : ["gamma", GINA_TYPED, ...absent];
  }
}

/** Command lines for every combination of candidate values (positionals in order, keywords as --name). */
function linesFor(name: string, options: OptionSpec[], at: Targets): string[] {
  let combos: string[][] = [[]];
  for (const o of options) {
    const next: string[][] = [];
    for (const combo of combos)
      for (const v of candidates(o, at)) {
        if (v === undefined) next.push(combo);
        else if (o.keyword) next.push([...combo, o.type === "boolean" ? `--${o.name}` : `--${o.name} ${v}`]);
        else next.push([...combo, v]);
      }
    combos = next;
  }
  return combos.map((c) => `/${[name, ...c].join(" ")}`);
}

describe.each(DB_TARGETS)("a private community stays unnamed to outsiders, on %s", (target) => {
  let t: TestEnv;
  let at: Targets;

  beforeAll(async () => {
    t = await testServices(target);
    const carol = as(t.services, "carol"); // staff, from the config
    const gina = as(t.services, GINA, "gamma");
    const gus = as(t.services, GUS, "gamma");
    const amy = as(t.services, "amy", "alpha");
    await amy("/help");
    await gus("/help");
    await t.services.db.person.updateMany({ where: { displayName: { in: [GUS, "stu"] } }, data: { role: "steward" } });
    await as(t.services, "stu", "alpha")("/help");
    await t.services.db.person.updateMany({ where: { displayName: "stu" }, data: { role: "steward" } });

    // Gamma's own request, wanted and funded by gamma; and an alpha request gamma wants too.
    const request = idOf(await gina("/request Offline exports for auditors | The audit team needs them every quarter --force"));
    expect((await gus(`/upvote ${request}`)).error).toBeFalsy();
    expect((await gus(`/pledge ${request} 300 for the audit team`)).error).toBeFalsy();
    expect((await gina(`/feedback ${request} Still needed before the next audit`)).error).toBeFalsy();
    const alphaRequest = idOf(await amy("/request Dark mode for dashboards --force"));
    expect((await gina(`/upvote ${alphaRequest}`)).error).toBeFalsy();
    expect((await gus(`/pledge ${alphaRequest} 50`)).error).toBeFalsy();
    expect((await amy(`/upvote ${request}`)).error).toBeFalsy();

    // Gamma's support ticket.
    const ticket = idOf(await gina("/support Exports fail with a quota error | Since Monday, every export"));

    // Gamma's credits: code by one of its people, funding by the community; then both ship.
    const gamma = await t.services.db.community.findUniqueOrThrow({ where: { slug: "gamma" } });
    const ginaRow = await t.services.db.person.findFirstOrThrow({ where: { displayName: GINA } });
    await addCredits(t.services.db, [
      { kind: "code", source: "github:pr:acme/app#7", personId: ginaRow.id, communityId: gamma.id, requestId: alphaRequest, note: "built acme/app#7" },
      { kind: "code", source: "github:pr:acme/app#8", personId: ginaRow.id, communityId: gamma.id, requestId: request, note: "built acme/app#8" },
      { kind: "ideas", source: `request:${request}:shipped`, personId: ginaRow.id, communityId: gamma.id, requestId: request, note: `asked for #${request}` },
      { kind: "financial", source: `request:${request}:shipped`, communityId: gamma.id, requestId: request, note: `co-funded #${request}` },
    ]);
    expect((await carol(`/set-status ${request} shipped Released in 4.2`)).error).toBeFalsy();
    expect((await carol(`/set-status ${alphaRequest} shipped Released in 4.2`)).error).toBeFalsy();
    expect(await t.services.db.contribution.count({ where: { OR: [{ communityId: gamma.id }, { personId: ginaRow.id }] } })).toBeGreaterThan(2);
    at = { request, ticket };
  });
  afterAll(() => t.close());

  test("the private community's own members and staff do see its name (the check below can find it)", async () => {
    const own = await as(t.services, GUS, "gamma")(`/request-show ${at.request}`);
    expect(leaks(own)).toEqual(expect.arrayContaining([GAMMA_NAME, GINA]));
    expect(leaks(await as(t.services, "carol")(`/request-show ${at.request}`))).toEqual(expect.arrayContaining([GAMMA_NAME, GINA]));
    expect(leaks(await as(t.services, GUS, "gamma")("/credits"))).toContain(GINA);
  });

  test.each(["amy", "stu"])("every command run by %s of alpha, and every button it offers, names no one of gamma", async (who) => {
    const run = as(t.services, who, "alpha");
    const commands = [...loadCommands().values()];
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(["request-show", "credits", "support-stats", "ticket", "digest", "requests"]));
    const found: string[] = [];
    const ran = new Set<string>();
    const check = async (line: string) => {
      if (ran.has(line)) return undefined;
      ran.add(line);
      const reply = await run(line);
      for (const s of leaks(reply)) found.push(`${line} → ${s}`);
      return reply;
    };
    for (const cmd of commands)
      for (const line of linesFor(cmd.name, cmd.options, at)) {
        const reply = await check(line);
        for (const b of [...(reply?.buttons ?? []), ...(reply?.sections ?? []).flatMap((s) => s.buttons ?? [])]) await check(`/${b.command}`);
      }
    // Those answers carry gamma's things, told the outsider's way.
    const show = await run(`/request-show ${at.request}`);
    expect(show.text).toContain("Asked by someone from an Essential member on 11/23/2026");
    expect(show.text).toContain("an Essential member (2 members)");
    expect(show.text).toContain("Pledges: an Essential member: 300 USD");
    expect((await run("/credits")).text).toMatch(/someone from an Essential member — 2 code · 1 ideas/);
    expect(found).toEqual([]);
    expect(ran.size).toBeGreaterThan(50);
  });

  test("nothing queued for another community's channels or the roadmap channel names gamma or its people", async () => {
    const rows = await t.services.db.outboxMessage.findMany();
    const outside = rows.filter((r) => !(r.channel === "gamma" || r.workspace === "100000000000000003" || r.channel === "C0SUPPORT"));
    expect(outside.length).toBeGreaterThan(0);
    expect(outside.flatMap((r) => leaks(r.payload).map((s) => `${r.platform}:${r.channel} → ${s}`))).toEqual([]);
  });
});
