import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadavg } from "node:os";
import type { Machine } from "./machine";

/**
 * One measured figure beside its floor: the same work done by the simplest thing that could do
 * it on the same machine in the same run. ratio = value / floor, so on a loaded machine the ratio
 * moves much less than the value.
 */
export interface Figure {
  part: string;
  name: string;
  unit: string;
  value: number;
  floor?: number;
  floorName?: string;
  ratio?: number;
  /** lower (latency, time, memory) or higher (throughput) is better. */
  better: "lower" | "higher";
  target?: { of: "value" | "ratio"; max?: number; min?: number; text: string };
  met?: boolean;
  /** os.loadavg()[0] when the figure was taken. */
  load: number;
  details?: Record<string, unknown>;
  note?: string;
}

export type FigureInput = Omit<Figure, "ratio" | "met" | "load">;

export class Report {
  figures: Figure[] = [];
  notes: string[] = [];
  skipped: { part: string; why: string }[] = [];

  add(f: FigureInput): Figure {
    const ratio = f.floor !== undefined && f.floor > 0 ? f.value / f.floor : undefined;
    let met: boolean | undefined;
    if (f.target) {
      const x = f.target.of === "ratio" ? ratio : f.value;
      if (x !== undefined) met = (f.target.max === undefined || x <= f.target.max) && (f.target.min === undefined || x >= f.target.min);
    }
    const fig: Figure = { ...f, ratio, met, load: Math.round(loadavg()[0] * 100) / 100 };
    this.figures.push(fig);
    process.stdout.write(`  ${fig.part} · ${fig.name}: ${fmt(fig.value, fig.unit)}${fig.floor !== undefined ? ` (floor ${fmt(fig.floor, fig.unit)}, ${ratioText(fig.ratio)})` : ""}${markOf(fig)}\n`);
    return fig;
  }

  skip(part: string, why: string): void {
    this.skipped.push({ part, why });
    process.stdout.write(`  ${part}: skipped — ${why}\n`);
  }
}

export function fmt(x: number, unit: string): string {
  if (!Number.isFinite(x)) return "—";
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return `${x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

const ratioText = (r: number | undefined) => (r === undefined ? "" : `${r.toFixed(2)}×`);
const markOf = (f: Figure) => (f.met === undefined ? "" : f.met ? "  ✓" : "  ✗ target missed");

/** The results as a Markdown table (stdout and the README show the same thing). */
export function table(figures: Figure[]): string {
  const head = ["Part", "Figure", "Value", "Floor", "Ratio", "Target", "Met"];
  const rows = figures.map((f) => [
    f.part,
    f.name,
    fmt(f.value, f.unit),
    f.floor === undefined ? "" : `${fmt(f.floor, f.unit)}${f.floorName ? ` (${f.floorName})` : ""}`,
    ratioText(f.ratio),
    f.target?.text ?? "",
    f.met === undefined ? "" : f.met ? "yes" : "**no**",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/**
 * Writes the results file. It is written after every part too (`complete: false`, the parts done so
 * far), so a run that is cut off still leaves every figure it measured.
 */
export function writeResults(path: string, m: Machine, report: Report, options: Record<string, unknown>, startedAt: Date, progress: { partsDone: string[]; complete: boolean }): void {
  m.loadEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  mkdirSync(dirname(path), { recursive: true });
  const body = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    ...progress,
    options,
    machine: m,
    figures: report.figures,
    skipped: report.skipped,
    notes: report.notes,
    table: table(report.figures),
  };
  writeFileSync(path, JSON.stringify(body, null, 2) + "\n");
}

/**
 * Puts the figures of the parts just run into an earlier full results file, keeping every other
 * part's figures as they were, so one part can be re-measured without rerunning the rest. A note
 * says which parts came from which run.
 */
export function mergeResults(into: string, from: string, parts: readonly string[]): void {
  const fresh = JSON.parse(readFileSync(from, "utf8")) as { startedAt: string; machine: { loadStart?: number[] }; figures: Figure[]; skipped: { part: string }[]; notes: string[] };
  const all = JSON.parse(readFileSync(into, "utf8")) as typeof fresh & { table: string };
  const kept = (x: { part: string }) => !parts.includes(x.part);
  all.figures = [...all.figures.filter(kept), ...fresh.figures];
  all.skipped = [...all.skipped.filter(kept), ...fresh.skipped];
  all.notes = [
    ...all.notes.filter((n) => !parts.some((p) => n.startsWith(`${p}:`))),
    ...fresh.notes,
    ...parts.map((p) => `${p}: measured in a separate run started ${fresh.startedAt} (load at start ${fresh.machine.loadStart?.join(" ") ?? "?"}), merged with --merge`),
  ];
  all.table = table(all.figures);
  writeFileSync(into, JSON.stringify(all, null, 2) + "\n");
}
