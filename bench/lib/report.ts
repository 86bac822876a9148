import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { cpus, loadavg } from "node:os";
import type { LoadSampler, Machine } from "./machine";

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
  /**
   * Whether the target is met. Left out when there is no target, and when the figure was measured
   * under more load than the machine has cores (`notCompared` says so): then it is not claimed.
   */
  met?: boolean;
  /** The 1-minute load average during this figure's own measurement (the mean of its samples). */
  load: number;
  /** The highest 1-minute load average sampled during the measurement. */
  loadMax?: number;
  /** Cores of the machine the figure was measured on. */
  cores?: number;
  /**
   * Set when the load during the measurement exceeded the cores, e.g. "load 3.2 > 2 cores: not
   * compared": other work competed for the CPU, so the figure says little about the code, and
   * whether it met its target is not claimed. `metUnderLoad` keeps what the reading would say.
   */
  notCompared?: string;
  metUnderLoad?: boolean;
  /**
   * false for a count that load cannot change (votes lost or counted twice, calls missing): its
   * load is recorded, but its target is judged whatever the load.
   */
  loadBound?: false;
  details?: Record<string, unknown>;
  note?: string;
}

export type FigureInput = Omit<Figure, "ratio" | "met" | "load" | "loadMax" | "cores" | "notCompared" | "metUnderLoad">;

/** Whether a value (or its ratio to the floor) meets a target; undefined without one, or without the ratio it names. */
export function meets(target: Figure["target"], value: number, ratio: number | undefined): boolean | undefined {
  if (!target) return undefined;
  const x = target.of === "ratio" ? ratio : value;
  if (x === undefined || !Number.isFinite(x)) return undefined;
  return (target.max === undefined || x <= target.max) && (target.min === undefined || x >= target.min);
}

/** "load 3.2 > 2 cores: not compared" when the machine was busier than it has cores, else undefined. */
export function overloaded(load: number, cores: number): string | undefined {
  return load > cores ? `load ${load.toFixed(1)} > ${cores} cores: not compared` : undefined;
}

export interface ReportOptions {
  /** The machine's cores (default: this machine's). */
  cores?: number;
  /** Samples the load during each measurement; without one, the load when the figure is added. */
  sampler?: LoadSampler;
  /** Where each figure's line goes (default stdout). */
  write?: (line: string) => void;
}

export class Report {
  figures: Figure[] = [];
  notes: string[] = [];
  skipped: { part: string; why: string }[] = [];
  readonly cores: number;
  private sampler?: LoadSampler;
  private write: (line: string) => void;

  constructor(o: ReportOptions = {}) {
    this.cores = o.cores ?? cpus().length;
    this.sampler = o.sampler;
    this.write = o.write ?? ((line) => process.stdout.write(line));
  }

  /**
   * A measurement starts now: the figures added next take the load sampled from here. Each part
   * starts one; a part that measures several things in turn marks each.
   */
  measuring(): void {
    this.sampler?.mark();
  }

  add(f: FigureInput): Figure {
    const ratio = f.floor !== undefined && f.floor > 0 ? f.value / f.floor : undefined;
    const reading = meets(f.target, f.value, ratio);
    const w = this.sampler?.window();
    const load = w ? w.mean : Math.round(loadavg()[0] * 100) / 100;
    const notCompared = f.loadBound === false ? undefined : overloaded(load, this.cores);
    const fig: Figure = {
      ...f,
      ratio,
      met: notCompared ? undefined : reading,
      load,
      ...(w ? { loadMax: w.max } : {}),
      cores: this.cores,
      ...(notCompared ? { notCompared, ...(reading === undefined ? {} : { metUnderLoad: reading }) } : {}),
    };
    this.figures.push(fig);
    this.write(`  ${fig.part} · ${fig.name}: ${fmt(fig.value, fig.unit)}${fig.floor !== undefined ? ` (floor ${fmt(fig.floor, fig.unit)}, ${ratioText(fig.ratio)})` : ""}${markOf(fig)}\n`);
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
const markOf = (f: Figure) => (f.notCompared ? `  — ${f.notCompared}` : f.met === undefined ? "" : f.met ? "  ✓" : "  ✗ target missed");

/** The Met cell: yes, no, or a dash when the load was too high to claim either. */
export const metCell = (f: Figure): string => (f.notCompared ? (f.target ? "—" : "") : f.met === undefined ? "" : f.met ? "yes" : "**no**");

/** The Load cell: the load during the measurement, and the mark when it exceeded the cores. */
export const loadCell = (f: Figure): string => (f.notCompared ? `**${f.notCompared}**` : Number.isFinite(f.load) ? f.load.toFixed(1) : "");

/** The results as a Markdown table (stdout and the README show the same thing). */
export function table(figures: Figure[]): string {
  const head = ["Part", "Figure", "Value", "Floor", "Ratio", "Target", "Met", "Load"];
  const rows = figures.map((f) => [
    f.part,
    f.name,
    fmt(f.value, f.unit),
    f.floor === undefined ? "" : `${fmt(f.floor, f.unit)}${f.floorName ? ` (${f.floorName})` : ""}`,
    ratioText(f.ratio),
    f.target?.text ?? "",
    metCell(f),
    loadCell(f),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** How long the run took: each part's elapsed seconds beside its estimate, and the totals. */
export interface RunTiming {
  elapsedS: Record<string, number>;
  estimatedS: Record<string, number>;
  totalElapsedS: number;
  totalEstimatedS: number;
  /** What a full default run must stay within on a quiet 2-core machine. */
  budgetS: number;
}

/**
 * Writes the results file. It is written after every part too (`complete: false`, the parts done so
 * far), so a run that is cut off still leaves every figure it measured.
 */
export function writeResults(path: string, m: Machine, report: Report, options: Record<string, unknown>, startedAt: Date, progress: { partsDone: string[]; complete: boolean; timing?: RunTiming }): void {
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
