import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUDGET_S, estimateS, PARTS } from "../bench/lib/context";
import { LoadSampler } from "../bench/lib/machine";
import { meets, overloaded, Report, table, type FigureInput } from "../bench/lib/report";
import { resultsMarkdown, updateReadme } from "../bench/readme";
import { parseArgs } from "../bench/run";

/**
 * The benchmark's report is honest about load: each figure carries the load sampled during its
 * own measurement, a figure measured with the load above the machine's cores says it is not
 * compared, and whether it met its target is then not claimed.
 */

/** A sampler fed by hand: the load it reads and the time it is read at are the test's. */
function fakeSampler() {
  const state = { load: 0.5, now: 0 };
  const sampler = new LoadSampler(
    () => state.load,
    () => state.now,
  );
  return { state, sampler };
}

const p99 = (value: number, floor: number): FigureInput => ({
  part: "ack",
  name: "p99",
  unit: "ms",
  value,
  floor,
  better: "lower",
  target: { of: "ratio", max: 1.5, text: "≤ 1.5× floor" },
});

const quiet = () => new Report({ cores: 2, sampler: fakeSampler().sampler, write: () => {} });

describe("bench report: targets", () => {
  test("a ratio target is met at or under its maximum and missed over it", () => {
    const r = quiet();
    expect(r.add(p99(3, 2)).met).toBe(true); // 1.5×, the limit itself
    expect(r.add(p99(3.2, 2)).met).toBe(false);
    expect(r.add(p99(3.2, 2)).ratio).toBeCloseTo(1.6);
  });

  test("value targets with a minimum, a maximum, or both; no target, no claim", () => {
    expect(meets({ of: "value", min: 2000, text: "≥ 2,000" }, 2500, undefined)).toBe(true);
    expect(meets({ of: "value", min: 2000, text: "≥ 2,000" }, 1999, undefined)).toBe(false);
    expect(meets({ of: "value", max: 0, text: "0" }, 0, undefined)).toBe(true);
    expect(meets({ of: "value", min: 1, max: 2, text: "1–2" }, 3, undefined)).toBe(false);
    expect(meets(undefined, 1, 1)).toBeUndefined();
    // A ratio target without a floor to divide by cannot be judged.
    expect(meets({ of: "ratio", max: 1.5, text: "≤ 1.5×" }, 3, undefined)).toBeUndefined();
    expect(quiet().add({ part: "x", name: "no target", unit: "ms", value: 1, better: "lower" }).met).toBeUndefined();
  });
});

describe("bench report: load", () => {
  test("load above the cores is marked not compared, the target not claimed; at or under the cores it is judged", () => {
    expect(overloaded(3.24, 2)).toBe("load 3.2 > 2 cores: not compared");
    expect(overloaded(2, 2)).toBeUndefined();
    const { state, sampler } = fakeSampler();
    const r = new Report({ cores: 2, sampler, write: () => {} });

    state.load = 1.2;
    r.measuring();
    const calm = r.add(p99(3.2, 2));
    expect(calm).toMatchObject({ load: 1.2, cores: 2, met: false });
    expect(calm.notCompared).toBeUndefined();

    state.load = 3.2;
    state.now = 1000;
    r.measuring();
    const busy = r.add(p99(3.2, 2));
    expect(busy.notCompared).toBe("load 3.2 > 2 cores: not compared");
    expect(busy.met).toBeUndefined();
    // What the reading alone would have said is kept apart, never as `met`.
    expect(busy.metUnderLoad).toBe(false);

    const md = table(r.figures).split("\n");
    expect(md[0]).toContain("| Load");
    // The calm row says "no" and its load; the busy row a dash and the mark.
    expect(md[2]).toMatch(/\| \*\*no\*\* +\| 1\.2 /);
    expect(md[3]).toMatch(/\| — +\| \*\*load 3\.2 > 2 cores: not compared\*\* /);
  });

  test("each figure's load is the mean of the samples taken during its own measurement, not the run's", () => {
    const { state, sampler } = fakeSampler();
    const r = new Report({ cores: 2, sampler, write: () => {} });
    state.load = 8; // an earlier, busy measurement
    sampler.take();
    state.now = 10;
    r.measuring();
    state.load = 1;
    sampler.take();
    state.now = 20;
    state.load = 2;
    const f = r.add(p99(1, 1));
    // Samples since the mark: 1 and 2 (taken as the figure is added), not the 8 before it.
    expect(f.load).toBe(1.5);
    expect(f.loadMax).toBe(2);
    expect(f.notCompared).toBeUndefined();
  });

  test("a count load cannot change (lost, duplicated) is judged whatever the load", () => {
    const { state, sampler } = fakeSampler();
    const r = new Report({ cores: 2, sampler, write: () => {} });
    state.load = 9;
    const lost = r.add({ part: "fanout", name: "posts lost", unit: "posts", value: 0, better: "lower", target: { of: "value", max: 0, text: "0" }, loadBound: false });
    expect(lost.met).toBe(true);
    expect(lost.load).toBe(9);
    expect(lost.notCompared).toBeUndefined();
  });

  test("the README's results show the mark, and a run without sampler records the load when the figure is added", () => {
    const { state, sampler } = fakeSampler();
    const r = new Report({ cores: 2, sampler, write: () => {} });
    state.load = 4.5;
    r.add(p99(3, 2));
    const markdown = resultsMarkdown({
      startedAt: "2026-12-08T03:00:00.000Z",
      options: { quick: false, durationS: 5, scales: [50], votes: 10_000 },
      machine: { cpus: 2, cpuModel: "Test CPU", memoryGb: 8, freeMemoryGb: 4, platform: "linux x64", node: "v20", versions: { postgresql: "15.20", "@electric-sql/pglite": "0", "@prisma/client": "7", "@slack/bolt": "5" }, loadStart: [4.5, 4, 3], loadEnd: [4.6, 4, 3] },
      figures: r.figures,
      skipped: [],
      notes: [],
    });
    expect(markdown).toContain("load 4.5 > 2 cores: not compared");
    expect(markdown).toContain("1 figure was measured with the load above the 2 cores");
    const plain = new Report({ cores: 64, write: () => {} }).add(p99(1, 1));
    expect(typeof plain.load).toBe("number");
    expect(plain.met).toBe(true);
  });

  test("updateReadme fills only the results block", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-readme-"));
    try {
      const readme = join(dir, "README.md");
      writeFileSync(readme, "# X\n<!-- bench:results -->\nold\n<!-- /bench:results -->\ntail\n");
      const results = join(dir, "r.json");
      const r = quiet();
      r.add(p99(1, 1));
      writeFileSync(results, JSON.stringify({ startedAt: "2026-12-08T03:00:00.000Z", options: {}, machine: { cpus: 2, cpuModel: "c", memoryGb: 1, freeMemoryGb: 1, platform: "p", node: "n", versions: { postgresql: "15", "@electric-sql/pglite": "0", "@prisma/client": "7", "@slack/bolt": "5" }, loadStart: [0.1, 0, 0] }, figures: r.figures, skipped: [], notes: [] }));
      updateReadme(results, readme);
      const out = readFileSync(readme, "utf8");
      expect(out).not.toContain("old");
      expect(out).toMatch(/tail\n$/);
      expect(out).toContain("| ack ");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bench run: parts and time budget", () => {
  test("the new surfaces are parts; by default every part but scale is estimated within half the 10-minute budget", () => {
    expect(PARTS).toEqual(expect.arrayContaining(["web", "discord", "slack-surfaces"]));
    const o = parseArgs([]);
    expect(o.only).toEqual([...PARTS]);
    expect(BUDGET_S).toBe(600);
    // scale (seeding and measuring the 5,000-community world) has the other half: its durations live in bench/seed.ts and bench/parts/scale.ts.
    const rest = PARTS.filter((p) => p !== "scale").reduce((t, p) => t + estimateS(p, o), 0);
    expect(rest).toBeLessThanOrEqual(BUDGET_S / 2);
    // Longer slices are there for whoever asks: the estimate follows them.
    expect(estimateS("ack", parseArgs(["--duration", "20"]))).toBeGreaterThan(estimateS("ack", o));
  });

  test("--only takes the new parts; an unknown part is refused", () => {
    expect(parseArgs(["--only", "web,discord,slack-surfaces", "--quick"]).only).toEqual(["web", "discord", "slack-surfaces"]);
    expect(() => parseArgs(["--only", "surfaces"])).toThrow(/unknown part "surfaces"/);
  });
});
