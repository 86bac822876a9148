import { cpus, freemem, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** Installed version of a dependency (read from node_modules: some packages do not export package.json). */
const pkgVersion = (name: string): string => {
  try {
    const file = name === "." ? join(ROOT, "package.json") : join(ROOT, "node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
};

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  freeMemoryGb: number;
  platform: string;
  node: string;
  versions: Record<string, string>;
  /** os.loadavg() at the start and the end: other work on the machine (tests) skews absolute figures, not ratios much. */
  loadStart: number[];
  loadEnd?: number[];
}

export function machine(postgres: string): Machine {
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "?",
    memoryGb: round(totalmem() / 2 ** 30),
    freeMemoryGb: round(freemem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    versions: {
      postgresql: postgres,
      "@electric-sql/pglite": pkgVersion("@electric-sql/pglite"),
      "@prisma/client": pkgVersion("@prisma/client"),
      "@slack/bolt": pkgVersion("@slack/bolt"),
      pg: pkgVersion("pg"),
      flywheel: pkgVersion("."),
    },
    loadStart: loadavg().map(round),
  };
}

/**
 * The 1-minute load average sampled every second while figures are measured, so each figure can
 * say how busy the machine was during its own measurement (not just at the run's start and end).
 * The sampler never keeps the process alive.
 */
export class LoadSampler {
  private samples: { at: number; load: number }[] = [];
  private timer?: NodeJS.Timeout;
  /** From the first sample on until the first mark. */
  private since = -Infinity;

  constructor(
    private read: () => number = () => loadavg()[0],
    private now: () => number = Date.now,
  ) {}

  start(everyMs = 1000): void {
    this.take();
    this.timer = setInterval(() => this.take(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  take(): void {
    this.samples.push({ at: this.now(), load: this.read() });
    // An hour of samples at most: a run is minutes.
    if (this.samples.length > 3600) this.samples.splice(0, this.samples.length - 3600);
  }

  /** A new measurement starts now: the next figures' load is read from here on. */
  mark(): void {
    this.since = this.now();
  }

  /** The highest and the mean load sampled since the last mark (a sample taken now included). */
  window(): { max: number; mean: number; samples: number } {
    this.take();
    const xs = this.samples.filter((s) => s.at >= this.since).map((s) => s.load);
    const round = (x: number) => Math.round(x * 100) / 100;
    return { max: round(Math.max(...xs)), mean: round(xs.reduce((a, b) => a + b, 0) / xs.length), samples: xs.length };
  }
}
