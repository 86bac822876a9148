import type { Speaker } from "../core/people/identity";
import type { Place } from "../core/reply";

/** One command as an adapter hands it over: typed text or structured options (Discord, modals). */
export interface Invocation {
  command: string;
  text?: string;
  options?: Record<string, unknown>;
  speaker: Speaker;
  place: Place;
}
