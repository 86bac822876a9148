import type { Services } from "../context";
import { getRequest } from "./requests";

export interface CommunityBreadth {
  communityId: number;
  slug: string;
  name: string;
  tier: string;
  private: boolean;
  /** How many of its members voted. */
  voters: number;
}

/** Everything /request-show tells about one request. */
export async function requestDetails(services: Services, id: number) {
  const r = await getRequest(services, id);
  const db = services.db;
  const [author, community, perCommunity, pledges, feedback, history, github, mergedFrom, mergedInto] = await Promise.all([
    db.person.findUnique({ where: { id: r.authorId }, select: { displayName: true } }),
    db.community.findUnique({ where: { id: r.communityId } }),
    db.vote.groupBy({ by: ["communityId"], where: { requestId: r.id }, _count: { _all: true } }),
    db.pledge.findMany({ where: { requestId: r.id }, include: { community: true }, orderBy: { amount: "desc" } }),
    db.feedback.findMany({ where: { requestId: r.id }, include: { person: { select: { displayName: true } }, community: true }, orderBy: { createdAt: "asc" } }),
    db.statusChange.findMany({ where: { requestId: r.id }, orderBy: { createdAt: "asc" } }),
    db.githubItem.findMany({ where: { requestId: r.id }, orderBy: { id: "asc" } }),
    db.featureRequest.findMany({ where: { mergedIntoId: r.id }, select: { id: true, title: true } }),
    r.mergedIntoId ? db.featureRequest.findUnique({ where: { id: r.mergedIntoId }, select: { id: true, title: true } }) : null,
  ]);
  // Mentions on GitHub by people without authority over the roadmap: staff may confirm them.
  const suggested = await db.githubItem.findMany({ where: { suggestedRequestId: r.id }, orderBy: { id: "asc" } });
  const communities = await db.community.findMany({ where: { id: { in: perCommunity.map((c) => c.communityId) } } });
  const byId = new Map(communities.map((c) => [c.id, c]));
  const breadth: CommunityBreadth[] = perCommunity
    .map((p) => {
      const c = byId.get(p.communityId)!;
      return { communityId: c.id, slug: c.slug, name: c.name, tier: c.tier, private: c.private, voters: p._count._all };
    })
    .sort((a, b) => b.voters - a.voters || a.slug.localeCompare(b.slug));
  return {
    request: r,
    suggested,
    author: author?.displayName ?? "someone",
    community,
    breadth,
    votes: breadth.reduce((n, c) => n + c.voters, 0),
    pledges,
    feedback,
    history,
    github,
    mergedFrom,
    mergedInto,
  };
}

export type RequestDetails = Awaited<ReturnType<typeof requestDetails>>;
