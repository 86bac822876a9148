import { randomInt } from "node:crypto";
import type { Prisma } from "../../generated/prisma/client";
import type { Actor, Services } from "../context";
import { UserError } from "../errors";

export const LINK_CODE_TTL_MS = 15 * 60 * 1000;
// No 0/O/1/I: codes are read from one screen and typed on another.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export async function createLinkCode(services: Services, actor: Actor): Promise<{ code: string; expiresAt: Date }> {
  const now = services.clock.now();
  const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await services.db.linkCode.create({ data: { code, personId: actor.personId, expiresAt, createdAt: now } });
  return { code, expiresAt };
}

const ROLE_RANK = { member: 0, steward: 1, staff: 2 } as const;

/**
 * Joins the person typing the code into the person who asked for it: accounts, votes, pledges,
 * feedback, requests, tickets and credit move over; a request both had voted for keeps one vote.
 */
export async function redeemLinkCode(services: Services, actor: Actor, rawCode: string): Promise<{ personId: number; votesMerged: number; duplicateVotes: number }> {
  const code = rawCode.trim().toUpperCase().replace(/[\s-]/g, "");
  const now = services.clock.now();
  return services.db.$transaction(async (tx) => {
    const link = await tx.linkCode.findUnique({ where: { code } });
    if (!link || link.usedAt) throw new UserError({ key: "people.link.invalid", values: { link: "/link" } });
    if (link.expiresAt <= now) throw new UserError({ key: "people.link.expired", values: { minutes: LINK_CODE_TTL_MS / 60_000, link: "/link" } });
    const keep = link.personId;
    const drop = actor.personId;
    // Claim the code first: of two concurrent redemptions, only one gets here.
    const claimed = await tx.linkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new UserError({ key: "people.link.used" });
    if (keep === drop) return { personId: keep, votesMerged: 0, duplicateVotes: 0 };
    const result = await mergePeople(tx, keep, drop);
    return { personId: keep, ...result };
  });
}

async function mergePeople(tx: Prisma.TransactionClient, keep: number, drop: number) {
  const [a, b] = await Promise.all([tx.person.findUniqueOrThrow({ where: { id: keep } }), tx.person.findUniqueOrThrow({ where: { id: drop } })]);
  const kept = new Set((await tx.vote.findMany({ where: { personId: keep }, select: { requestId: true } })).map((v) => v.requestId));
  const dupVotes = await tx.vote.findMany({ where: { personId: drop, requestId: { in: [...kept] } }, select: { id: true } });
  if (dupVotes.length) await tx.vote.deleteMany({ where: { id: { in: dupVotes.map((v) => v.id) } } });
  const moved = await tx.vote.updateMany({ where: { personId: drop }, data: { personId: keep } });
  await tx.account.updateMany({ where: { personId: drop }, data: { personId: keep } });
  await tx.pledge.updateMany({ where: { personId: drop }, data: { personId: keep } });
  await tx.feedback.updateMany({ where: { personId: drop }, data: { personId: keep } });
  // A request both followed keeps the kept person's follow.
  await tx.follow.deleteMany({ where: { personId: drop, request: { follows: { some: { personId: keep } } } } });
  await tx.follow.updateMany({ where: { personId: drop }, data: { personId: keep } });
  // Their browsers stay signed in, as the joined person.
  await tx.webSession.updateMany({ where: { personId: drop }, data: { personId: keep } });
  await tx.featureRequest.updateMany({ where: { authorId: drop }, data: { authorId: keep } });
  await tx.supportTicket.updateMany({ where: { requesterId: drop }, data: { requesterId: keep } });
  await tx.supportTicket.updateMany({ where: { assigneeId: drop }, data: { assigneeId: keep } });
  await tx.ticketMessage.updateMany({ where: { authorId: drop }, data: { authorId: keep } });
  await tx.statusChange.updateMany({ where: { actorId: drop }, data: { actorId: keep } });
  await tx.linkCode.deleteMany({ where: { personId: drop } });
  // Credit: the same source and kind counts once for the joined person.
  const keptCredit = new Set((await tx.contribution.findMany({ where: { personId: keep }, select: { source: true, kind: true } })).map((c) => `${c.source}|${c.kind}`));
  for (const c of await tx.contribution.findMany({ where: { personId: drop } })) {
    if (keptCredit.has(`${c.source}|${c.kind}`)) await tx.contribution.delete({ where: { id: c.id } });
    else await tx.contribution.update({ where: { id: c.id }, data: { personId: keep, subject: `person:${keep}` } });
  }
  const role = ROLE_RANK[b.role] > ROLE_RANK[a.role] ? b.role : a.role;
  await tx.person.update({ where: { id: keep }, data: { role, communityId: a.communityId ?? b.communityId } });
  await tx.person.delete({ where: { id: drop } });
  return { votesMerged: moved.count, duplicateVotes: dupVotes.length };
}
