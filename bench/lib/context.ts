import type { Report } from "./report";

export const PARTS = ["ack", "votes", "scale", "fanout", "footprint", "replicas", "locale"] as const;
export type PartName = (typeof PARTS)[number];

export interface BenchOptions {
  /** Shorter runs and smaller worlds: a smoke run, not figures to publish. */
  quick: boolean;
  only: PartName[];
  /** Seconds per request rate in the ack part. */
  durationS: number;
  /** Community counts for the scale part. */
  scales: number[];
  /** Votes per round in the votes part. */
  votes: number;
  out: string;
  /** A full results file whose figures for the parts run here are replaced with this run's. */
  merge?: string;
  /** Put the results in README.md's Performance section (full runs of every part). */
  readme: boolean;
}

export interface BenchContext {
  options: BenchOptions;
  report: Report;
  log(line: string): void;
}
