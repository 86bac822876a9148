import type { Services } from "../context";
import { refreshHomes } from "../home/refresh";
import { UserError } from "../errors";
import { forFollowers, notifyFollowers } from "./notify";
import { getRequest } from "./requests";

export interface MergeResult {
  from: number;
  into: number;
  votesMoved: number;
  duplicateVoters: number;
  pledgesMoved: number;
  feedbackMoved: number;
}

/**
 * Merges a duplicate into the request that survives: votes, pledges and feedback move over with
 * no person or community counted twice, the duplicate points to the survivor, and everyone who
 * asked for or voted on the duplicate is told where their vote went.
 */
export async function mergeRequests(services: Services, fromId: number, intoId: number, actorId: number): Promise<MergeResult> {
  if (fromId === intoId) throw new UserError({ key: "requests.merge.self" });
  const from = await getRequest(services, fromId);
  const into = await getRequest(services, intoId);
  if (from.status === "merged") throw new UserError({ key: "requests.merge.alreadyMerged", values: { number: from.id, into: from.mergedIntoId } });
  if (into.status === "merged") throw new UserError({ key: "requests.merge.targetMerged", values: { number: into.id, into: into.mergedIntoId } });
  return services.db.$transaction(async (tx) => {
    // Tell the duplicate's followers first, while their votes still point at it.
    await notifyFollowers(tx, services.config, from.id, `merge:${from.id}:${into.id}`, (t, names) =>
      forFollowers(
        t,
        {
          text: t.t("requests.merge.notice", { from: from.id, fromTitle: from.title, into: into.id, intoTitle: into.title }),
          title: t.t("requests.merge.title", { from: from.id, into: into.id }),
          buttons: [{ label: t.t("requests.button.detailsOf", { number: into.id }), command: `request-show ${into.id}` }],
        },
        names,
      ),
    );
    const voters = await tx.vote.findMany({ where: { requestId: into.id }, select: { personId: true } });
    const already = new Set(voters.map((v) => v.personId));
    const moving = await tx.vote.findMany({ where: { requestId: from.id } });
    const dup = moving.filter((v) => already.has(v.personId));
    if (dup.length) await tx.vote.deleteMany({ where: { id: { in: dup.map((v) => v.id) } } });
    const moved = await tx.vote.updateMany({ where: { requestId: from.id }, data: { requestId: into.id } });

    const targetPledges = await tx.pledge.findMany({ where: { requestId: into.id } });
    let pledgesMoved = 0;
    for (const p of await tx.pledge.findMany({ where: { requestId: from.id } })) {
      const same = targetPledges.find((t) => t.communityId === p.communityId);
      if (!same) {
        await tx.pledge.update({ where: { id: p.id }, data: { requestId: into.id } });
        pledgesMoved++;
      } else {
        // One standing pledge per community: keep the larger, never the sum of two pledges for one feature.
        if (p.amount.greaterThan(same.amount)) await tx.pledge.update({ where: { id: same.id }, data: { amount: p.amount, note: p.note ?? same.note } });
        await tx.pledge.delete({ where: { id: p.id } });
      }
    }
    const fb = await tx.feedback.updateMany({ where: { requestId: from.id }, data: { requestId: into.id } });
    await tx.githubItem.updateMany({ where: { requestId: from.id }, data: { requestId: into.id } });
    await tx.featureRequest.update({ where: { id: from.id }, data: { status: "merged", mergedIntoId: into.id } });
    await tx.statusChange.create({
      data: { requestId: from.id, from: from.status, to: "merged", reason: `merged into #${into.id}`, source: "merge", actorId, createdAt: services.clock.now() },
    });
    // The duplicate's followers now follow the survivor: refreshing its audience reaches them all.
    await refreshHomes(tx, services.clock.now(), { request: into.id, communities: [from.communityId] });
    return { from: from.id, into: into.id, votesMoved: moved.count, duplicateVoters: dup.length, pledgesMoved, feedbackMoved: fb.count };
  });
}
