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
