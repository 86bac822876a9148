/** Small, dependency-free statistics for benchmark samples (milliseconds unless told). */

import { percentile as quantile } from "../../src/core/support/stats";

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarize(samples: number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, min: s[0] ?? NaN, p50: quantile(s, 0.5), p90: quantile(s, 0.9), p99: quantile(s, 0.99), max: s[s.length - 1] ?? NaN, mean };
}

export const median = (xs: number[]): number => quantile([...xs].sort((a, b) => a - b), 0.5);

/** Milliseconds since `start` (a process.hrtime.bigint()). */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Times `fn` once, in milliseconds. */
export async function timeOnce(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return msSince(t);
}

/**
 * Alternates floor and subject `rounds` times (floor first) so a load spike on a shared machine
 * hits both about equally; returns each side's samples.
 */
export async function interleave<T>(rounds: number, floor: (round: number) => Promise<T>, subject: (round: number) => Promise<T>): Promise<{ floor: T[]; subject: T[] }> {
  const out = { floor: [] as T[], subject: [] as T[] };
  for (let i = 0; i < rounds; i++) {
    out.floor.push(await floor(i));
    out.subject.push(await subject(i));
  }
  return out;
}

/** Runs `worker` on `concurrency` lanes until `count` jobs are done; resolves with the wall time in ms. */
export async function runConcurrent(count: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t = process.hrtime.bigint();
  const lane = async () => {
    for (let i = next++; i < count; i = next++) await worker(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return msSince(t);
}
