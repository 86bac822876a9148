import type { RequestStatus, Tier } from "../../generated/prisma/client";
import type { Services } from "../context";

/**
 * One community's public page (/roadmap/c/<slug>): what it asked for, wanted (its members voted),
 * pledged and received (shipped requests it wanted, credits). Private or inactive communities
 * have no such page: null, like an unknown slug, so the page cannot tell them apart.
 */

export interface CommunityRequestRef {
  number: number;
  title: string;
  status: RequestStatus;
}

export interface CommunityPageData {
  slug: string;
  name: string;
  tier: Tier;
  asked: CommunityRequestRef[];
  wanted: CommunityRequestRef[];
  pledged: (CommunityRequestRef & { amount: number })[];
  received: CommunityRequestRef[];
  credits: { kind: string; number: number | null; title: string | null; at: Date }[];
}

/** Each list shows its latest this many: a page, not an export. */
const LIMIT = 50;

const ref = (r: { id: number; title: string; status: RequestStatus }): CommunityRequestRef => ({ number: r.id, title: r.title, status: r.status });
const request = { select: { id: true, title: true, status: true } } as const;

export async function communityRoadmap(services: Services, slug: string): Promise<CommunityPageData | null> {
  const { db } = services;
  const c = await db.community.findUnique({ where: { slug } });
  if (!c || !c.active || c.private) return null;
  const [asked, wanted, pledges, received, credits] = await Promise.all([
    db.featureRequest.findMany({ where: { communityId: c.id, status: { not: "merged" } }, orderBy: { id: "desc" }, take: LIMIT, select: request.select }),
    db.requestCommunity.findMany({ where: { communityId: c.id, request: { status: { notIn: ["merged", "shipped"] } } }, orderBy: { requestId: "desc" }, take: LIMIT, select: { request } }),
    db.pledge.findMany({ where: { communityId: c.id, request: { status: { not: "merged" } } }, orderBy: { updatedAt: "desc" }, take: LIMIT, select: { amount: true, request } }),
    db.requestCommunity.findMany({ where: { communityId: c.id, request: { status: "shipped" } }, orderBy: { requestId: "desc" }, take: LIMIT, select: { request } }),
    db.contribution.findMany({ where: { communityId: c.id }, orderBy: { createdAt: "desc" }, take: LIMIT, select: { kind: true, createdAt: true, request: request } }),
  ]);
  return {
    slug: c.slug,
    name: c.name,
    tier: c.tier,
    asked: asked.map(ref),
    wanted: wanted.map((w) => ref(w.request)),
    pledged: pledges.map((p) => ({ ...ref(p.request), amount: Number(p.amount) })),
    received: received.map((w) => ref(w.request)),
    credits: credits.map((x) => ({ kind: x.kind, number: x.request?.id ?? null, title: x.request?.title ?? null, at: x.createdAt })),
  };
}
