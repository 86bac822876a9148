import type { Logger } from "pino";
import { cleanText } from "./clean-text";
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

/**
 * The port between the platforms that see thread messages and the features that want them: a
 * platform publishes without knowing who listens, a feature subscribes without knowing which
 * platform spoke.
 */
export class ThreadMessages {
  private readonly handlers: ThreadMessageHandler[] = [];

  constructor(private readonly log: Logger) {}

  subscribe(handler: ThreadMessageHandler): void {
    this.handlers.push(handler);
  }

  /** Whether anyone listens: a platform asks for message access (Discord's privileged intent) only then. */
  get followed(): boolean {
    return this.handlers.length > 0;
  }

  /** Hands the message to every subscriber; one failing subscriber does not stop the others. */
  async publish(said: ThreadMessage): Promise<void> {
    // Thread and DM messages from every platform are cleaned here, once, like command options.
    const m = { ...said, text: cleanText(said.text) };
    for (const handler of this.handlers) {
      try {
        await handler(m);
      } catch (e) {
        this.log.error({ err: e }, "thread message handler failed");
      }
    }
  }
}
