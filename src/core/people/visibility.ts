// How a community, and a person of it, is shown to whoever reads an answer, card, post or page.
// A private community is named only to its own members and to staff; everyone else reads its
// tier ("an Essential member") and no one of it by name. Every reader-facing text asks here.
import type { Tier } from "../../generated/prisma/client";
import type { Actor } from "../context";
import { TIER_LABEL } from "./communities";

/** Who reads: one person of a community (or staff), or "public" for a post many people read. */
export type Viewer = { communityId: number | null; isStaff: boolean } | "public";

export interface ShownCommunity {
  /** Absent where only a public view is ever asked for (the roadmap pages). */
  id?: number;
  name: string;
  private: boolean;
  tier: Tier;
}

export const viewerOf = (actor: Pick<Actor, "communityId" | "role">): Viewer => ({ communityId: actor.communityId, isStaff: actor.role === "staff" });

/** Whether the viewer may read the community's name: it is public, or they are staff or of it. */
export function mayName(c: ShownCommunity, viewer: Viewer): boolean {
  if (!c.private) return true;
  if (viewer === "public") return false;
  return viewer.isStaff || (c.id !== undefined && c.id === viewer.communityId);
}

/** "a Premier member", "an Essential member": a private community as outsiders read it. */
export function tierPhrase(tier: Tier): string {
  const label = TIER_LABEL[tier];
  return `${/^[AEIOU]/.test(label) ? "an" : "a"} ${label} member`;
}

export const communityShownTo = (c: ShownCommunity, viewer: Viewer): string => (mayName(c, viewer) ? c.name : tierPhrase(c.tier));

/**
 * A person as the viewer may read them: by name unless they speak for a private community the
 * viewer is outside of; then "someone from" its tier phrase (a name would tell the community).
 */
export const personShownTo = (person: { displayName: string }, community: ShownCommunity | null | undefined, viewer: Viewer): string =>
  !community || mayName(community, viewer) ? person.displayName : `someone from ${tierPhrase(community.tier)}`;

/** "Pat (Alpha University)", or "someone from an Essential member" where neither may be named. */
export const personAndCommunityShownTo = (person: { displayName: string }, community: ShownCommunity | null | undefined, viewer: Viewer): string =>
  !community ? person.displayName : mayName(community, viewer) ? `${person.displayName} (${community.name})` : personShownTo(person, community, viewer);
