import { Prisma } from "../../generated/prisma/client";
import type { Actor, Services } from "../context";
import { UserError } from "../errors";
import { followMerges } from "./requests";

/**
 * A community's standing co-funding interest in a request: one pledge per community, replaced by
 * a new amount, withdrawn with 0. Stewards pledge for their own community; staff name one.
 */
export async function pledge(
  services: Services,
  actor: Actor,
  input: { requestId: number; amount: number; note?: string; communitySlug?: string },
): Promise<{ kind: "pledged" | "updated" | "withdrawn" | "none"; requestId: number; community: string }> {
  const me = await services.db.person.findUniqueOrThrow({ where: { id: actor.personId } });
  // A steward pledges for the community they steward, wherever they type the command.
  let communityId = actor.role === "steward" ? me.communityId : actor.communityId;
  if (input.communitySlug) {
    const c = await services.db.community.findUnique({ where: { slug: input.communitySlug } });
    if (!c || !c.active) throw new UserError({ key: "requests.pledge.noCommunity", values: { slug: input.communitySlug } });
    if (actor.role !== "staff" && c.id !== communityId) throw new UserError({ key: "requests.pledge.ownCommunityOnly" });
    communityId = c.id;
  }
  if (communityId === null) throw new UserError({ key: "requests.pledge.sayWhich", values: { flag: "--community" } });
  const community = await services.db.community.findUniqueOrThrow({ where: { id: communityId } });
  const r = await followMerges(services, input.requestId);
  if (input.amount === 0) {
    const res = await services.db.pledge.deleteMany({ where: { requestId: r.id, communityId } });
    return { kind: res.count ? "withdrawn" : "none", requestId: r.id, community: community.name };
  }
  if (r.status === "shipped" || r.status === "declined") throw new UserError({ key: "requests.pledge.closed", values: { number: r.id, status: r.status } });
  const before = await services.db.pledge.findUnique({ where: { requestId_communityId: { requestId: r.id, communityId } } });
  const now = services.clock.now();
  await services.db.pledge.upsert({
    where: { requestId_communityId: { requestId: r.id, communityId } },
    create: { requestId: r.id, communityId, personId: actor.personId, amount: new Prisma.Decimal(input.amount), note: input.note ?? null, createdAt: now, updatedAt: now },
    update: { personId: actor.personId, amount: new Prisma.Decimal(input.amount), note: input.note ?? null, updatedAt: now },
  });
  return { kind: before ? "updated" : "pledged", requestId: r.id, community: community.name };
}
