// A private ticket's DM the bot cannot post to (the member left the server, blocks DMs from the
// bot, their account is gone). Staff hear of it once, on the ticket's card and in its thread;
// every message meant for the member still ends dead with the platform's reason, not retried.
import type { Services } from "../context";
import type { Prisma } from "../../generated/prisma/client";
import { defuseMentions, truncate } from "../text";
import { staffCard } from "./cards";
import { loadTicket, memberBoundTicket, post, staffTarget, staffTranslator } from "./model";

/** An outbox row that failed for good, as the delivery worker reports it. */
export interface FailedDelivery {
  id: number;
  key: string;
  error: string;
  /** "dm_refused" when the platform said the person cannot be sent a direct message. */
  reason?: string;
}

/**
 * Runs in the transaction that marks the row dead. Returns true when the failure was a private
 * ticket's refused DM and is handled here (reported once), so no generic alert is needed.
 */
export async function ticketDeliveryFailed(tx: Prisma.TransactionClient, services: Services, row: FailedDelivery): Promise<boolean> {
  const id = memberBoundTicket(row.key);
  if (id === undefined || row.reason !== "dm_refused") return false;
  const t = await tx.supportTicket.findUnique({ where: { id }, select: { private: true, memberUnreachable: true } });
  if (!t?.private) return false;
  if (t.memberUnreachable) return true;
  const reason = truncate(row.error, 200);
  await tx.supportTicket.update({ where: { id }, data: { memberUnreachable: reason } });
  const after = await loadTicket(tx, id);
  const staff = staffTarget(after);
  if (staff) {
    const tr = staffTranslator(services.config);
    await post(tx, services, `ticket:${id}:unreachable:${row.id}`, staff, {
      text: defuseMentions(tr.t("support.unreachable", { who: after.requester.displayName, id, reason })),
    });
    await post(tx, services, `ticket:${id}:card:unreachable:${row.id}`, staff, staffCard(after, tr), staff.rootOutboxId);
  }
  services.log.warn({ ticketId: id, outboxId: row.id }, "a private ticket's member cannot be reached by DM");
  return true;
}
