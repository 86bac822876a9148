import type { Speaker } from "../../core/people/identity";
import type { Place } from "../../core/reply";

/** The terminal user: a shell account named by --as (or $USER), in the chosen community. */
export function shellSpeaker(name: string, community?: string): { speaker: Speaker; place: Place } {
  return {
    speaker: { platform: "shell", externalId: name, displayName: name, communitySlug: community },
    place: { platform: "shell", channel: community ?? "terminal", user: undefined },
  };
}
