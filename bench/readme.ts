/**
 * Puts the latest results in the README's Performance section, between the markers
 * <!-- bench:results --> and <!-- /bench:results -->. A full run of every part does it; so does
 * `npm run bench:readme` (from bench/results/latest.json).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Machine } from "./lib/machine";
import { table, type Figure } from "./lib/report";

const ROOT = join(__dirname, "..");
const START = "<!-- bench:results -->";
const END = "<!-- /bench:results -->";

interface Results {
  startedAt: string;
  options: { quick: boolean; durationS: number; scales: number[]; votes: number };
  machine: Machine;
  figures: Figure[];
  skipped: { part: string; why: string }[];
  notes: string[];
}

export function resultsMarkdown(r: Results): string {
  const m = r.machine;
  const load = (xs?: number[]) => (xs ? xs.map((x) => x.toFixed(2)).join(" / ") : "?");
  return [
    `Run of ${r.startedAt.slice(0, 16).replace("T", " ")} UTC on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, ` +
      `PostgreSQL ${m.versions.postgresql.split(" ")[0]}, PGlite ${m.versions["@electric-sql/pglite"]}, Prisma ${m.versions["@prisma/client"]}, Bolt ${m.versions["@slack/bolt"]}. ` +
      `Load average (1/5/15 min) ${load(m.loadStart)} at the start, ${load(m.loadEnd)} at the end` +
      // The run itself loads the machine (bot, PostgreSQL, load generator); only the start says whether others did.
      ((m.loadStart?.[0] ?? 0) > 1 ? ": other work shared the machine, so read the ratios first." : "."),
    ...overloadNote(r.figures, m.cpus),
    "",
    table(r.figures),
    ...(r.skipped.length ? ["", ...r.skipped.map((s) => `- ${s.part} did not run: ${s.why}`)] : []),
    ...(r.notes.length ? ["", ...r.notes.map((n) => `- ${n}`)] : []),
  ].join("\n");
}

/**
 * The Load column is the 1-minute load average sampled during each figure's own measurement (the
 * run's own bot, floor and load generator count too); above the cores, the figure is not compared
 * and its target neither met nor missed.
 */
function overloadNote(figures: Figure[], cores: number): string[] {
  const n = figures.filter((f) => f.notCompared).length;
  if (!n) return [];
  return [
    "",
    `${n} ${n === 1 ? "figure was" : "figures were"} measured with the load above the ${cores} cores (Load column: the 1-minute load average during each figure's own measurement): ` +
      "they are not compared, and their targets are shown as neither met nor missed (—).",
  ];
}

export function updateReadme(resultsPath = join(__dirname, "results", "latest.json"), readmePath = join(ROOT, "README.md")): void {
  const results = JSON.parse(readFileSync(resultsPath, "utf8")) as Results;
  const readme = readFileSync(readmePath, "utf8");
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section to fill`);
  writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${resultsMarkdown(results)}\n${readme.slice(b)}`);
}

if (require.main === module) {
  try {
    updateReadme(process.argv[2]);
    process.stdout.write("README.md: Performance results updated.\n");
  } catch (e) {
    process.stderr.write(`bench:readme: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
