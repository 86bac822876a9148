import { Prisma, type GithubItem, type RequestStatus } from "../../generated/prisma/client";
import type { Translator } from "../../i18n/translate";
import type { Services } from "../context";
import { communityShownTo, personAndCommunityShownTo, type ShownCommunity, type Viewer } from "../people/visibility";
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

type Shown = ShownCommunity & { id: number };
type GithubLine = Pick<GithubItem, "repo" | "number" | "state" | "url" | "suggestedBy">;

/** One row of JSON: everything about the request but the request itself, in one round trip. */
interface DetailRow {
  author: { displayName: string } | null;
  community: Shown | null;
  rank: { communities: number; votes: number; pledges: number } | null;
  wanted: (Shown & { voters: number })[];
  pledges: { amount: number; note: string | null; community: Shown }[];
  feedback: { displayName: string; body: string; community: Shown | null }[];
  history: { createdAt: string; from: RequestStatus; to: RequestStatus; reason: string | null; source: string; sourceRef: string | null }[];
  github: GithubLine[];
  suggested: GithubLine[];
  mergedFrom: { id: number; title: string }[];
  mergedInto: { id: number; title: string } | null;
}

const shown = (alias: string) => Prisma.raw(`json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'private', ${alias}.private, 'tier', ${alias}.tier)`);

/**
 * Everything /request-show tells about one request, with every community and person as the
 * viewer may read them. Read in one statement after the request (bench/: a dozen Prisma queries
 * cost more than the data, each a round trip and a pass through Prisma's query interpreter).
 */
export async function requestDetails(services: Services, id: number, viewer: Viewer, t: Translator) {
  const r = await getRequest(services, id);
  const github = Prisma.raw(`json_build_object('repo', g.repo, 'number', g.number, 'state', g.state, 'url', g.url, 'suggestedBy', g."suggestedBy")`);
  const [d] = await services.db.$queryRaw<DetailRow[]>(Prisma.sql`
    SELECT
      (SELECT json_build_object('displayName', p."displayName") FROM "Person" p WHERE p.id = ${r.authorId}) AS author,
      (SELECT ${shown("c")} FROM "Community" c WHERE c.id = ${r.communityId}) AS community,
      (SELECT json_build_object('communities', k.communities, 'votes', k.votes, 'pledges', k.pledges) FROM "RequestRank" k WHERE k."requestId" = ${r.id}) AS rank,
      -- Most voters first (ties in the order the communities were added), from the kept counts' index.
      (SELECT coalesce(json_agg(w ORDER BY w.voters DESC, w.id), '[]') FROM (
         SELECT c.id, c.name, c.private, c.tier, rc.voters FROM "RequestCommunity" rc JOIN "Community" c ON c.id = rc."communityId"
         WHERE rc."requestId" = ${r.id} ORDER BY rc.voters DESC, rc."communityId" LIMIT ${SHOWN_COMMUNITIES}) w) AS wanted,
      (SELECT coalesce(json_agg(json_build_object('amount', x.amount, 'note', x.note, 'community', x.community) ORDER BY x.amount DESC, x.id), '[]') FROM (
         SELECT p.id, p.amount::float8 AS amount, p.note, ${shown("c")} AS community
         FROM (SELECT * FROM "Pledge" p WHERE p."requestId" = ${r.id} ORDER BY p.amount DESC, p.id LIMIT ${SHOWN_PLEDGES}) p
         JOIN "Community" c ON c.id = p."communityId") x) AS pledges,
      (SELECT coalesce(json_agg(json_build_object('displayName', pe."displayName", 'body', f.body, 'community', CASE WHEN c.id IS NULL THEN NULL ELSE ${shown("c")} END)
                                ORDER BY f."createdAt", f.id), '[]')
         FROM "Feedback" f JOIN "Person" pe ON pe.id = f."personId" LEFT JOIN "Community" c ON c.id = coalesce(f."communityId", pe."communityId")
         WHERE f."requestId" = ${r.id}) AS feedback,
      (SELECT coalesce(json_agg(json_build_object('createdAt', s."createdAt", 'from', s."from", 'to', s."to", 'reason', s.reason, 'source', s.source, 'sourceRef', s."sourceRef")
                                ORDER BY s."createdAt", s.id), '[]')
         FROM "StatusChange" s WHERE s."requestId" = ${r.id}) AS history,
      (SELECT coalesce(json_agg(${github} ORDER BY g.id), '[]') FROM "GithubItem" g WHERE g."requestId" = ${r.id}) AS github,
      -- Mentions on GitHub by people without authority over the roadmap: staff may confirm them.
      (SELECT coalesce(json_agg(${github} ORDER BY g.id), '[]') FROM "GithubItem" g WHERE g."suggestedRequestId" = ${r.id}) AS suggested,
      (SELECT coalesce(json_agg(json_build_object('id', m.id, 'title', m.title) ORDER BY m.id), '[]') FROM "FeatureRequest" m WHERE m."mergedIntoId" = ${r.id}) AS "mergedFrom",
      (SELECT json_build_object('id', m.id, 'title', m.title) FROM "FeatureRequest" m WHERE m.id = ${r.mergedIntoId}) AS "mergedInto"`);
  const breadth: CommunityBreadth[] = d.wanted.map((c) => ({ communityId: c.id, shownAs: communityShownTo(c, viewer, t), voters: c.voters }));
  const communities = d.rank?.communities ?? breadth.length;
  return {
    request: r,
    suggested: d.suggested,
    askedBy: personAndCommunityShownTo({ displayName: d.author?.displayName ?? t.t("people.someone") }, d.community, viewer, t),
    breadth,
    communities,
    /** Communities that want it beyond the ones named in breadth. */
    moreCommunities: Math.max(0, communities - breadth.length),
    votes: d.rank?.votes ?? breadth.reduce((n, c) => n + c.voters, 0),
    pledges: d.pledges.map((p) => ({ by: communityShownTo(p.community, viewer, t), amount: Number(p.amount), note: p.note })),
    morePledges: Math.max(0, (d.rank?.pledges ?? d.pledges.length) - d.pledges.length),
    feedback: d.feedback.map((f) => ({ by: personAndCommunityShownTo({ displayName: f.displayName }, f.community, viewer, t), body: f.body })),
    // JSON carries the wall-clock UTC text Prisma would have read as a Date.
    history: d.history.map((h) => ({ ...h, createdAt: new Date(`${h.createdAt}Z`) })),
    github: d.github,
    mergedFrom: d.mergedFrom,
    mergedInto: d.mergedInto,
  };
}

export type RequestDetails = Awaited<ReturnType<typeof requestDetails>>;
