import type { Report } from "./report";

export const PARTS = ["ack", "votes", "scale", "fanout", "footprint", "replicas", "locale", "roadmap", "web", "discord", "slack-surfaces"] as const;
export type PartName = (typeof PARTS)[number];

export interface BenchOptions {
  /** Shorter runs and smaller worlds: a smoke run, not figures to publish. */
  quick: boolean;
  only: PartName[];
  /** Seconds per measured slice (a rate, a side) in the parts that load the bot over time: ack, replicas, roadmap, web, discord, slack-surfaces. */
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

/** A full default run must finish within this on a quiet 2-core machine (issue #22). */
export const BUDGET_S = 600;

/**
 * Seconds a part takes on a quiet 2-core machine with these options: set-up (databases, the built
 * bot and its floor starting) plus what it measures. From the parts' own `(N s)` lines of full runs;
 * the run prints the sum first and each part's elapsed time beside its estimate at the end.
 */
export function estimateS(part: PartName, o: Pick<BenchOptions, "quick" | "durationS" | "scales" | "votes">): number {
  const d = o.durationS;
  switch (part) {
    case "ack":
      return 12 + (o.quick ? 2 : 3) * 2 * d;
    case "votes":
      // Three paths × three rounds × two databases; ~40 s per 1,000 votes a round since the rank
      // triggers (2026-12-08, load ~2: /upvote ~600/s on PostgreSQL, ~170/s on PGlite).
      return 5 + (40 * o.votes) / 1_000;
    case "scale":
      // Seeding and measuring grow with the world: a few s for 50 communities, ~40 s for 500, ~5 min for 5,000 (61 s of it seeding); ~6 min in all.
      return 10 + o.scales.reduce((t, n) => t + Math.max(3, (n / 5000) * 300 + (n >= 500 ? 10 : 0)), 0);
    case "fanout":
      return 15;
    case "footprint":
      return o.quick ? 10 : 30;
    case "replicas":
      return 35 + 5 * d;
    case "locale":
      return o.quick ? 6 : 14;
    case "roadmap":
      return 15 + 8 * d;
    case "web":
      return 12 + 4 * d;
    case "discord":
      return 8 + (o.quick ? 1 : 3) * 2 * d;
    case "slack-surfaces":
      return 12 + 4 * d;
  }
}
