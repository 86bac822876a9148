import type { Translator } from "../../i18n/translate";
import type { Services } from "../context";
import { communityShownTo, personAndCommunityShownTo, type Viewer } from "../people/visibility";
import { getRequest } from "./requests";

export interface CommunityBreadth {
  communityId: number;
  /** The community as the viewer may read it (a private one by its tier, to outsiders). */
  shownAs: string;
  /** How many of its members voted. */
  voters: number;
}

/**
 * How many communities and pledges /request-show names: the most involved ones. A request wanted
 * everywhere has thousands of each (bench/: 5,000 communities, 800 pledges, a 170,000-character
 * answer no chat accepts); the rest are counted ("and 4,980 more"), from RequestRank's totals.
 */
export const SHOWN_COMMUNITIES = 20;
export const SHOWN_PLEDGES = 20;

/** Everything /request-show tells about one request, with every community and person as the viewer may read them. */
export async function requestDetails(services: Services, id: number, viewer: Viewer, t: Translator) {
  const r = await getRequest(services, id);
  const db = services.db;
  const [author, community, rank, perCommunity, pledges, feedback, history, github, mergedFrom, mergedInto, suggested] = await Promise.all([
    db.person.findUnique({ where: { id: r.authorId }, select: { displayName: true } }),
    db.community.findUnique({ where: { id: r.communityId } }),
    db.requestRank.findUnique({ where: { requestId: r.id } }),
    // Most voters first (ties in the order the communities were added), from the kept counts' index.
    db.requestCommunity.findMany({ where: { requestId: r.id }, orderBy: [{ voters: "desc" }, { communityId: "asc" }], take: SHOWN_COMMUNITIES, include: { community: true } }),
    db.pledge.findMany({ where: { requestId: r.id }, include: { community: true }, orderBy: [{ amount: "desc" }, { id: "asc" }], take: SHOWN_PLEDGES }),
    db.feedback.findMany({ where: { requestId: r.id }, include: { person: { select: { displayName: true, community: true } }, community: true }, orderBy: { createdAt: "asc" } }),
    db.statusChange.findMany({ where: { requestId: r.id }, orderBy: { createdAt: "asc" } }),
    db.githubItem.findMany({ where: { requestId: r.id }, orderBy: { id: "asc" } }),
    db.featureRequest.findMany({ where: { mergedIntoId: r.id }, select: { id: true, title: true } }),
    r.mergedIntoId ? db.featureRequest.findUnique({ where: { id: r.mergedIntoId }, select: { id: true, title: true } }) : null,
    // Mentions on GitHub by people without authority over the roadmap: staff may confirm them.
    db.githubItem.findMany({ where: { suggestedRequestId: r.id }, orderBy: { id: "asc" } }),
  ]);
  const breadth: CommunityBreadth[] = perCommunity.map((p) => ({ communityId: p.communityId, shownAs: communityShownTo(p.community, viewer, t), voters: p.voters }));
  const communities = rank?.communities ?? breadth.length;
  const pledgeCount = rank?.pledges ?? pledges.length;
  return {
    request: r,
    suggested,
    askedBy: personAndCommunityShownTo({ displayName: author?.displayName ?? t.t("people.someone") }, community, viewer, t),
    breadth,
    communities,
    /** Communities that want it beyond the ones named in breadth. */
    moreCommunities: Math.max(0, communities - breadth.length),
    votes: rank?.votes ?? breadth.reduce((n, c) => n + c.voters, 0),
    pledges: pledges.map((p) => ({ by: communityShownTo(p.community, viewer, t), amount: Number(p.amount), note: p.note })),
    morePledges: Math.max(0, pledgeCount - pledges.length),
    feedback: feedback.map((f) => ({ by: personAndCommunityShownTo(f.person, f.community ?? f.person.community, viewer, t), body: f.body })),
    history,
    github,
    mergedFrom,
    mergedInto,
  };
}

export type RequestDetails = Awaited<ReturnType<typeof requestDetails>>;
