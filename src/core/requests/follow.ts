import type { Prisma } from "../../generated/prisma/client";
import type { Actor, Services } from "../context";
import type { Place } from "../reply";
import { followMerges } from "./requests";

/**
 * /follow: be told about a request's changes without voting for it, where the person asked (a
 * channel; from the web, a DM on their platform). notifyFollowers tells followers with the
 * requester and voters. Following a merged request follows the one it was merged into.
 */
export async function follow(services: Services, actor: Actor, id: number, place: Place): Promise<{ requestId: number; kind: "following" | "moved" }> {
  const r = await followMerges(services, id);
  const at = place as unknown as Prisma.InputJsonValue;
  const existing = await services.db.follow.findUnique({ where: { requestId_personId: { requestId: r.id, personId: actor.personId } } });
  await services.db.follow.upsert({
    where: { requestId_personId: { requestId: r.id, personId: actor.personId } },
    create: { requestId: r.id, personId: actor.personId, place: at, createdAt: services.clock.now() },
    update: { place: at },
  });
  return { requestId: r.id, kind: existing ? "moved" : "following" };
}

export async function unfollow(services: Services, actor: Actor, id: number): Promise<{ requestId: number; removed: boolean }> {
  const r = await followMerges(services, id);
  const gone = await services.db.follow.deleteMany({ where: { requestId: r.id, personId: actor.personId } });
  return { requestId: r.id, removed: gone.count > 0 };
}
