import type { Logger } from "pino";

export type Outcome<T> = { done: true; value: T } | { done: false };

/**
 * Waits for work at most ms. Slack wants an answer within 3 seconds; whatever is not done by
 * then is answered later (response_url, chat.postMessage) while the work carries on.
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<Outcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then((value): Outcome<T> => ({ done: true, value })), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Work that outlives the Slack request that started it. Failures are logged (the person already
 * got an answer or will), and stopping waits for what is in flight so the database stays open.
 */
export class Background {
  private pending = new Set<Promise<unknown>>();

  constructor(private log: Logger) {}

  /** Tracks work; the returned promise never rejects (undefined on failure). */
  run<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    const p: Promise<T | undefined> = (async () => {
      try {
        return await work();
      } catch (e) {
        this.log.error({ err: e, what }, "slack background work failed");
        return undefined;
      }
    })();
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
    return p;
  }

  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }
}

/** The time left of one Slack request's budget, for work done in several steps. */
export function deadline(ms: number): () => number {
  const end = Date.now() + ms;
  return () => Math.max(0, end - Date.now());
}
