import type { Speaker } from "../core/people/identity";
import type { Place } from "../core/reply";

/** One command as an adapter hands it over: typed text or structured options (Discord, modals). */
export interface Invocation {
  command: string;
  text?: string;
  options?: Record<string, unknown>;
  speaker: Speaker;
  place: Place;
  /**
   * The speaker's own language when the platform is still asking for it (Slack's users.info):
   * the command's work runs meanwhile, and its answer is worded once this settles.
   */
  ownLocale?: Promise<string | undefined>;
}
