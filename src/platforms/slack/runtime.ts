import type { Logger } from "pino";
import { firstTimeSeen } from "../../core/dedupe";
import { errorReply, type Reply } from "../../core/reply";
import type { Background } from "./budget";
import type { SlackNames } from "./names";
import type { PlatformContext } from "../platform";

/** What every Slack listener needs. */
export interface SlackRuntime {
  /** What Slack was started with: settings, core services, the thread-message port. */
  app: PlatformContext;
  log: Logger;
  background: Background;
  /** How long a listener may work before it must answer Slack (which gives up after 3 s). */
  ackBudgetMs: number;
  /** Names for events that carry only a user id. */
  names: SlackNames;
}

/**
 * Runs a command-like piece of work once per Slack delivery id (trigger_id, event_id): a retried
 * or redelivered payload finds the id recorded and does nothing (null). Failures become a
 * friendly reply so the person is never left without an answer.
 */
export function once(rt: SlackRuntime, id: string, work: () => Promise<Reply>): Promise<Reply | null> {
  const run = rt.background.run("slack command", async (): Promise<Reply | null> => {
    try {
      if (!(await firstTimeSeen(rt.app.services.db, id, "slack"))) {
        rt.log.info({ id }, "slack delivery seen before; not applied again");
        return null;
      }
      return await work();
    } catch (e) {
      rt.log.error({ err: e, id }, "slack command failed");
      return errorReply("Something went wrong on our side. Nothing you typed was lost; please try again in a moment.");
    }
  });
  return run.then((r) => r ?? null);
}

/** "Working on it" ack for work that outlives Slack's 3 seconds; the answer follows on its own. */
export const WORKING: Reply = { text: "Working on it…", ephemeral: true };

/** A delivery id Slack gives us (trigger ids look like 123.456.abc). */
export const isDeliveryId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200;
