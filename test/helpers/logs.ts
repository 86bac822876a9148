import { Writable } from "node:stream";
import type { Logger } from "pino";
import { createLogger } from "../../src/log";

/**
 * A logger whose lines are kept, parsed, in `logs`: a test waits for the line that proves
 * something happened (a duplicate was recognised) instead of hoping it happened by now.
 * `echo` also prints them (for a puzzling test).
 */
export function recordingLogger(level: string, echo?: NodeJS.WritableStream): { log: Logger; logs: Record<string, unknown>[] } {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      echo?.write(chunk);
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger(level, sink), logs };
}

/** Resolves once cond() holds, checking every 20 ms (jest's timeout bounds the wait). */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

/** Resolves with the first log line matching, past or future. */
export async function waitForLog(logs: Record<string, unknown>[], match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  await until(() => logs.some(match));
  return logs.find(match)!;
}
