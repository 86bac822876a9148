import type { Place, Reply } from "../core/reply";

/** What a platform's deliverer gets for one outbox row. */
export interface Delivery {
  id: number;
  key: string;
  place: Place;
  reply: Reply;
  /** The platform id of the message to edit (an edit row), if any. */
  editExternalId?: string;
  attempt: number;
  /**
   * A previous attempt was cut off (the process died, or lost the database) after it may have
   * reached the platform. A deliverer that can look (Slack message metadata, Discord's
   * enforce_nonce with the key as nonce) should make sure it does not post a second copy.
   */
  inDoubt?: boolean;
}

export interface Delivered {
  /** The platform's id of the posted message (Slack ts, Discord message id): threads and edits use it. */
  externalId?: string;
  /** The thread the message now belongs to, when posting it opened one (Discord threads). */
  thread?: string;
}

/** Sends outbox rows to one platform. Throw RetryLater on rate limits, PermanentFailure on 4xx. */
export interface Deliverer {
  platform: Place["platform"];
  /**
   * Least time (ms) between two deliveries to one channel of this platform: a per-channel rate
   * limit the worker keeps to (Slack: about one message a second), rather than meeting it with a
   * 429 and a Retry-After in whole seconds each time. Unset or 0: no pacing (a platform whose
   * client paces itself, like discord.js REST from the rate-limit headers).
   */
  channelPaceMs?: number;
  deliver(d: Delivery): Promise<Delivered>;
}

/** The platform asked us to wait (429 Retry-After). Does not count as a failed attempt. */
export class RetryLater extends Error {
  constructor(public readonly retryAfterMs: number, message = "rate limited") {
    super(message);
    this.name = "RetryLater";
  }
}

/**
 * Why a row failed for good, when a feature acts on it: "dm_refused" is a direct message the
 * person cannot receive (left the server, blocks DMs from the bot, account gone).
 */
export type FailureReason = "dm_refused";

/** Retrying cannot help (channel not found, not allowed): the row goes dead at once. */
export class PermanentFailure extends Error {
  constructor(
    message: string,
    public readonly reason?: FailureReason,
  ) {
    super(message);
    this.name = "PermanentFailure";
  }
}
