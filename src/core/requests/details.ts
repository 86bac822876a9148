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

/** Everything /request-show tells about one request, with every community and person as the viewer may read them. */
export async function requestDetails(services: Services, id: number, viewer: Viewer, t: Translator) {
  const r = await getRequest(services, id);
  const db = services.db;
  const [author, community, perCommunity, pledges, feedback, history, github, mergedFrom, mergedInto] = await Promise.all([
    db.person.findUnique({ where: { id: r.authorId }, select: { displayName: true } }),
    db.community.findUnique({ where: { id: r.communityId } }),
    db.vote.groupBy({ by: ["communityId"], where: { requestId: r.id }, _count: { _all: true } }),
    db.pledge.findMany({ where: { requestId: r.id }, include: { community: true }, orderBy: { amount: "desc" } }),
    db.feedback.findMany({ where: { requestId: r.id }, include: { person: { select: { displayName: true, community: true } }, community: true }, orderBy: { createdAt: "asc" } }),
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
      return { communityId: c.id, slug: c.slug, shownAs: communityShownTo(c, viewer, t), voters: p._count._all };
    })
    .sort((a, b) => b.voters - a.voters || a.slug.localeCompare(b.slug))
    .map(({ slug: _slug, ...c }) => c);
  return {
    request: r,
    suggested,
    askedBy: personAndCommunityShownTo({ displayName: author?.displayName ?? t.t("people.someone") }, community, viewer, t),
    breadth,
    votes: breadth.reduce((n, c) => n + c.voters, 0),
    pledges: pledges.map((p) => ({ by: communityShownTo(p.community, viewer, t), amount: Number(p.amount), note: p.note })),
    feedback: feedback.map((f) => ({ by: personAndCommunityShownTo(f.person, f.community ?? f.person.community, viewer, t), body: f.body })),
    history,
    github,
    mergedFrom,
    mergedInto,
  };
}

export type RequestDetails = Awaited<ReturnType<typeof requestDetails>>;
