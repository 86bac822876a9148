// How a community, and a person of it, is shown to whoever reads an answer, card, post or page.
// A private community is named only to its own members and to staff; everyone else reads its
// tier ("an Essential member") and no one of it by name. Every reader-facing text asks here.
import type { Tier } from "../../generated/prisma/client";
import type { Translator } from "../../i18n/translate";
import type { Actor } from "../context";

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

/** "a Premier member", "an Essential member", "2 Essential members": private communities as outsiders read them. */
export const tierPhrase = (t: Translator, tier: Tier, count = 1): string => t.t("people.tier", { tier, count });

export const communityShownTo = (c: ShownCommunity, viewer: Viewer, t: Translator): string => (mayName(c, viewer) ? c.name : tierPhrase(t, c.tier));

/**
 * A person as the viewer may read them: by name unless they speak for a private community the
 * viewer is outside of; then "someone from" its tier phrase (a name would tell the community).
 */
export const personShownTo = (person: { displayName: string }, community: ShownCommunity | null | undefined, viewer: Viewer, t: Translator): string =>
  !community || mayName(community, viewer) ? person.displayName : t.t("people.someoneFrom", { tier: community.tier });

/** "Pat (Alpha University)", or "someone from an Essential member" where neither may be named. */
export const personAndCommunityShownTo = (person: { displayName: string }, community: ShownCommunity | null | undefined, viewer: Viewer, t: Translator): string =>
  !community
    ? person.displayName
    : mayName(community, viewer)
      ? t.t("people.withCommunity", { person: person.displayName, community: community.name })
      : personShownTo(person, community, viewer, t);

/** A person as a post many read names them, worded per reader: by name, or "someone from" their private community's tier. */
export type PublicPerson = { name: string } | { someoneFrom: Tier };

export const publicPerson = (person: { displayName: string }, community: ShownCommunity | null | undefined): PublicPerson =>
  !community || mayName(community, "public") ? { name: person.displayName } : { someoneFrom: community.tier };

export const publicPersonText = (t: Translator, p: PublicPerson): string => ("name" in p ? p.name : t.t("people.someoneFrom", { tier: p.someoneFrom }));

/** Each public person once, in first-seen order (people of one private tier read the same). */
export const distinctPublic = (people: PublicPerson[]): PublicPerson[] => [...new Map(people.map((p) => ["name" in p ? `name:${p.name}` : `tier:${p.someoneFrom}`, p])).values()];
