import type { Speaker } from "./people/identity";
import type { Place } from "./reply";

/**
 * A plain (non-command) message a platform saw in a thread or DM the bot follows, e.g. a reply
 * in a support thread. Platforms publish these; features (support relay) subscribe.
 */
export interface ThreadMessage {
  speaker: Speaker;
  /** Where it was said; thread is the thread's root id on that platform. */
  place: Place;
  text: string;
  /** The platform's id of this message (dedupe, edits). */
  externalId: string;
  /** True for messages from bots (ours included): never counted as a staff response, never relayed. */
  fromBot?: boolean;
}

export type ThreadMessageHandler = (m: ThreadMessage) => Promise<void>;
