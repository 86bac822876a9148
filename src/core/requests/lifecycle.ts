import type { Prisma, RequestStatus } from "../../generated/prisma/client";
import type { Services } from "../context";
import { UserError } from "../errors";
import { notifyFollowers } from "./notify";
import { STATUS_LABEL } from "./requests";
import { truncate } from "../text";

export interface StatusChangeInput {
  requestId: number;
  to: RequestStatus;
  reason?: string;
  /** command | github | merge */
  source?: string;
  /** e.g. the GitHub URL that caused it */
  sourceRef?: string;
  actorId?: number;
  /** Extra lines for the announcement (credits for a shipped request). */
  extra?: string;
}

export type StatusChangeResult = { changed: false; status: RequestStatus } | { changed: true; from: RequestStatus; to: RequestStatus; changeId: number };

/**
 * Moves a request to a new status, records it in the history with its source, and tells the
 * requester and every voter where they asked. Setting the status it already has changes nothing.
 */
export async function changeStatus(services: Services, input: StatusChangeInput, tx?: Prisma.TransactionClient): Promise<StatusChangeResult> {
  const run = async (db: Prisma.TransactionClient): Promise<StatusChangeResult> => {
    const r = await db.featureRequest.findUnique({ where: { id: input.requestId } });
    if (!r) throw new UserError(`There is no request #${input.requestId}.`);
    if (r.status === "merged" && input.to !== "merged") throw new UserError(`#${r.id} was merged into #${r.mergedIntoId}; change that one instead.`);
    if (r.status === input.to) return { changed: false, status: r.status };
    await db.featureRequest.update({ where: { id: r.id }, data: { status: input.to } });
    const change = await db.statusChange.create({
      data: {
        requestId: r.id,
        from: r.status,
        to: input.to,
        reason: input.reason ?? null,
        source: input.source ?? "command",
        sourceRef: input.sourceRef ?? null,
        actorId: input.actorId ?? null,
        createdAt: services.clock.now(),
      },
    });
    if (input.to !== "merged") {
      const why = input.reason ? ` — ${truncate(input.reason, 300)}` : "";
      const via = input.sourceRef ? `\n${input.sourceRef}` : "";
      await notifyFollowers(db, r.id, `status:${change.id}`, (names) => ({
        text: `Roadmap update: #${r.id} ${r.title} is now ${STATUS_LABEL[input.to]}${why}.${via}${input.extra ? `\n${input.extra}` : ""}\n(You asked or voted for it: ${names.join(", ")}.)`,
        title: `#${r.id} is now ${STATUS_LABEL[input.to]}`,
        buttons: [{ label: "Details", command: `request-show ${r.id}` }],
      }));
    }
    return { changed: true, from: r.status, to: input.to, changeId: change.id };
  };
  return tx ? run(tx) : services.db.$transaction(run);
}
