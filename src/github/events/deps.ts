import type { Services } from "../../core/context";
import type { Prisma } from "../../generated/prisma/client";

/**
 * Runs one event's effects at most once: events from repos we do not follow are ignored;
 * prepare (GitHub API calls) runs outside the transaction; the delivery id and what happened
 * (the same under every delivery: a repository hook and an organization hook both deliver one
 * event) are recorded in the same transaction as the effects, so a redelivery or a second hook
 * changes nothing and a failed handling (rolled back) can be redelivered.
 */
export type Run = <T = undefined>(
  event: { id: string; name: string; payload: unknown; happened: string },
  repo: string | null | undefined,
  effect: (tx: Prisma.TransactionClient, prepared: T) => Promise<void>,
  prepare?: () => Promise<T>,
) => Promise<void>;

export interface EventDeps {
  services: Services;
  run: Run;
}
