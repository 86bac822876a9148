// The relay between a ticket's two threads: the staff thread in the shared support space and the
// member's thread (or DM). Every human message is stored once as a TicketMessage; what staff
// (or a helper from another community) says reaches the member, what the member says reaches
// staff, each prefixed with who said it. "!note ..." in the staff thread stays there.
import type { Services, Actor, PlatformName } from "../context";
import { addCredits } from "../credit/ledger";
import { isUserError, type Localized, UserError } from "../errors";
import { resolveActor } from "../people/identity";
import { communityShownTo, personAndCommunityShownTo, type Viewer } from "../people/visibility";
import type { ThreadMessage, ThreadMessages } from "../inbound";
import type { Place, Reply } from "../reply";
import { defuseMentions, truncate } from "../text";
import { staffCard } from "./cards";
import {
  asTicketPlace,
  isDm,
  isUniqueViolation,
  loadTicket,
  memberTarget,
  memberTranslator,
  parseRootKey,
  post,
  RELAY_MAX,
  requireStaff,
  staffTarget,
  staffTranslator,
} from "./model";

/** A staff reply starting with this is an internal note: stored, shown to staff, never relayed. */
const NOTE = /^\s*!note\b[:\s]*/i;
/** A member's DM reaches their latest DM ticket while it is open, or for this long after it was resolved. */
const DM_AFTER_RESOLVED_MS = 7 * 24 * 3600_000;

/** A speaker's community as an optional part of a relayed line. */
const communityOf = (name: string | undefined) => ({ community: name ?? "", hasCommunity: name ? "yes" : "no" });

export type Said = "staff" | "member" | "command";

export interface TicketMessageInput {
  ticketId: number;
  actor: Actor;
  /** Where it was said: the staff thread, the member's thread or DM, or typed as /ticket reply|note. */
  said: Said;
  text: string;
  platform: PlatformName;
  /** The platform's message id: a redelivered message is recorded and relayed once. */
  externalId?: string;
  /** /ticket note: internal whatever the text says. */
  note?: boolean;
}

export type RelayOutcome =
  | { kind: "duplicate" }
  | {
      kind: "recorded";
      messageId: number;
      side: "member" | "staff" | "helper";
      internal: boolean;
      relayedTo: ("member" | "staff")[];
      firstResponse: boolean;
      credited: boolean;
    };

/**
 * Stores one message of a ticket and relays it to the other side. Staff messages set the first
 * response time (notes and bots never do); a member's reply takes a ticket out of "waiting on
 * member"; a non-staff person from another community who answers is credited (kind question).
 */
export async function recordTicketMessage(services: Services, m: TicketMessageInput): Promise<RelayOutcome> {
  const { db, clock } = services;
  if (m.externalId && (await db.ticketMessage.findFirst({ where: { ticketId: m.ticketId, platform: m.platform, externalId: m.externalId }, select: { id: true } })))
    return { kind: "duplicate" };
  const internal = m.note === true || (m.said === "staff" && NOTE.test(m.text));
  const body = (internal ? m.text.replace(NOTE, "") : m.text).trim();
  if (!body) throw new UserError({ key: internal ? "support.emptyNote" : "support.emptyMessage" });
  const actor = m.actor;
  const helperCommunity = actor.communityId ? await db.community.findUnique({ where: { id: actor.communityId } }) : null;
  try {
    return await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "SupportTicket" WHERE id = ${m.ticketId} FOR UPDATE`;
      const t = await loadTicket(tx, m.ticketId);
      const now = clock.now();
      const side: "staff" | "member" | "helper" = actor.role === "staff" ? "staff" : actor.personId === t.requesterId ? "member" : "helper";
      const msg = await tx.ticketMessage.create({
        data: { ticketId: t.id, authorId: actor.personId, side, internal, body, platform: m.platform, externalId: m.externalId ?? null, createdAt: now },
      });
      const staff = staffTarget(t);
      const member = memberTarget(t);
      const outcome = { kind: "recorded" as const, messageId: msg.id, side, internal, relayedTo: [] as ("member" | "staff")[], firstResponse: false, credited: false };
      const key = (to: string) => `ticket:${t.id}:msg:${msg.id}:${to}`;
      const staffTr = staffTranslator(services.config);
      const memberTr = memberTranslator(services.config, t);

      if (internal) {
        // A note typed as a command is not in the thread yet: put it there for the other staff.
        if (m.said === "command" && staff) await post(tx, services, key("staff"), staff, { text: defuseMentions(staffTr.t("support.relay.note", { who: actor.displayName, text: truncate(body, RELAY_MAX) })) });
        return outcome;
      }

      // Names are user text too: the whole line is defused.
      const text = truncate(body, RELAY_MAX);
      // The member sees staff and helpers; a helper of a private community stays unnamed to them.
      const memberViewer: Viewer = { communityId: t.communityId, isStaff: false };
      const staffLine = defuseMentions(
        side === "staff"
          ? staffTr.t("support.relay.staffToStaff", { who: actor.displayName, inMemberThread: m.said === "member" ? "yes" : "no", text })
          : staffTr.t("support.relay.toStaff", { who: actor.displayName, ...communityOf(side === "member" ? t.community.name : helperCommunity?.name), text }),
      );

      const toMember = side !== "member" && (m.said === "staff" || m.said === "command");
      const toStaff = m.said === "member" || m.said === "command";
      if (toMember && member) {
        // One DM can hold several tickets: say which one this answer belongs to.
        const values = { who: side === "staff" ? actor.displayName : personAndCommunityShownTo(actor, helperCommunity, memberViewer, memberTr), id: t.id, inDm: member.parentId ? "no" : "yes", text };
        const memberLine = memberTr.t(side === "staff" ? "support.relay.staffToMember" : "support.relay.helperToMember", values);
        await post(tx, services, key("member"), member, { text: defuseMentions(memberLine) });
        outcome.relayedTo.push("member");
      }
      if (toStaff && staff) {
        const reply: Reply = { text: staffLine };
        if (t.status === "resolved" && side !== "staff") {
          reply.text += `\n${staffTr.t("support.relay.resolvedHint", { id: t.id })}`;
          reply.buttons = [{ label: staffTr.t("support.button.reopen"), command: `ticket reopen ${t.id}` }];
        }
        await post(tx, services, key("staff"), staff, reply);
        outcome.relayedTo.push("staff");
      }

      const changes: { firstResponseAt?: Date; awaitingStaffSince?: null; status?: "open"; memberActiveAt?: Date; memberUnreachable?: null } = {};
      // The member's next DM goes to the ticket they last wrote in; writing shows they are reachable again.
      if (side === "member") Object.assign(changes, { memberActiveAt: now }, t.memberUnreachable && m.said === "member" ? { memberUnreachable: null } : {});
      if (side === "staff" && !t.firstResponseAt) {
        changes.firstResponseAt = now;
        outcome.firstResponse = true;
      }
      if (side === "staff" && t.awaitingStaffSince) changes.awaitingStaffSince = null;
      if (side === "member" && t.status === "waiting_on_member") changes.status = "open";
      if (Object.keys(changes).length) {
        await tx.supportTicket.update({ where: { id: t.id }, data: changes });
        if (staff) await post(tx, services, `ticket:${t.id}:card:msg${msg.id}`, staff, staffCard(await loadTicket(tx, t.id), staffTr), staff.rootOutboxId);
      }
      if (side === "helper" && actor.communityId && actor.communityId !== t.communityId) {
        outcome.credited =
          (await addCredits(tx, [
            { kind: "question", source: `ticket:${t.id}`, personId: actor.personId, communityId: actor.communityId, note: staffTr.t("support.credit.note", { id: t.id, community: communityShownTo(t.community, "public", staffTr) }), at: now },
          ])) > 0;
      }
      return outcome;
    });
  } catch (e) {
    // The same platform message arrived twice at once: the other delivery recorded it.
    if (m.externalId && isUniqueViolation(e)) return { kind: "duplicate" };
    throw e;
  }
}

/**
 * Which ticket a thread message belongs to: a thread whose root is one of a ticket's two
 * roots (found through the outbox rows that posted them), or the member's DM with the bot.
 */
export async function findTicketForMessage(services: Services, m: ThreadMessage): Promise<{ ticketId: number; side: "staff" | "member" } | undefined> {
  const p = m.place;
  // A thread in a DM is never a ticket root (DM tickets have none): the person decides below.
  if (p.thread && p.channel) {
    const rows = await services.db.outboxMessage.findMany({
      where: { platform: p.platform, idempotencyKey: { startsWith: "ticket:", endsWith: "-root" }, OR: [{ externalId: p.thread }, { thread: p.thread }] },
      orderBy: { id: "desc" },
      take: 20,
      select: { idempotencyKey: true, channel: true, thread: true },
    });
    for (const r of rows) {
      // A Slack ts can repeat in another channel; a thread with its own id (Discord) cannot.
      if (p.channel && r.channel !== p.channel && r.thread !== p.thread) continue;
      const root = parseRootKey(r.idempotencyKey);
      if (root) return root;
    }
  }
  if (!p.user) return undefined;
  const account = await services.db.account.findUnique({
    where: { platform_externalId: { platform: m.speaker.platform, externalId: m.speaker.externalId } },
    select: { personId: true },
  });
  if (!account) return undefined;
  const t = await dmTicketOf(services, account.personId, p);
  return t ? { ticketId: t, side: "member" } : undefined;
}

/**
 * The ticket a member's DM belongs to: among their tickets kept in this DM, an open one before a
 * recently resolved one, and among those the one they last wrote in or chose (/ticket use).
 */
async function dmTicketOf(services: Services, personId: number, dm: Place): Promise<number | undefined> {
  const since = new Date(services.clock.now().getTime() - DM_AFTER_RESOLVED_MS);
  const tickets = await services.db.supportTicket.findMany({
    where: { requesterId: personId, private: true, OR: [{ status: { not: "resolved" } }, { resolvedAt: { gte: since } }] },
    orderBy: [{ memberActiveAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: 50,
    select: { id: true, memberPlace: true, status: true },
  });
  const here = tickets.filter((x) => {
    const mp = asTicketPlace(x.memberPlace);
    return mp && isDm(mp) && mp.platform === dm.platform && mp.user === dm.user;
  });
  return (here.find((x) => x.status !== "resolved") ?? here[0])?.id;
}

/** A plain thread/DM message from a platform: stored and relayed when it belongs to a ticket. */
export async function handleThreadMessage(services: Services, m: ThreadMessage): Promise<RelayOutcome | undefined> {
  // Bots (this one's relayed copies included) are neither relayed nor a staff response.
  if (m.fromBot || !m.text.trim()) return undefined;
  const found = await findTicketForMessage(services, m);
  if (!found) return undefined;
  const actor = await resolveActor(services, m.speaker);
  try {
    return await recordTicketMessage(services, { ticketId: found.ticketId, actor, said: found.side, text: m.text, platform: m.place.platform, externalId: m.externalId });
  } catch (e) {
    // A bare "!note" in a thread: nothing to keep, nobody to answer.
    if (isUserError(e)) return undefined;
    throw e;
  }
}

/** Subscribes the relay to the platforms' thread messages (called once by startApp). */
export function subscribeSupport(services: Services, threads: Pick<ThreadMessages, "subscribe">): void {
  threads.subscribe(async (m) => {
    await handleThreadMessage(services, m);
  });
}

/** /ticket reply: staff answer the member, or the member adds to their own ticket, without a thread. */
export async function replyByCommand(services: Services, actor: Actor, ticketId: number, text: string, platform: PlatformName): Promise<RelayOutcome> {
  const t = await loadTicket(services.db, ticketId);
  if (actor.role !== "staff" && t.requesterId !== actor.personId) throw new UserError({ key: "support.notYoursToReply", values: { id: ticketId } });
  return recordTicketMessage(services, { ticketId, actor, said: "command", text, platform });
}

/** /ticket note: an internal staff note, shown in the staff thread, never to the member. */
export async function addNote(services: Services, actor: Actor, ticketId: number, text: string, platform: PlatformName): Promise<RelayOutcome> {
  requireStaff(actor);
  await loadTicket(services.db, ticketId);
  return recordTicketMessage(services, { ticketId, actor, said: "command", text, platform, note: true });
}

/** /ticket use: the member picks which of their tickets their next DM messages go to. */
export async function useTicket(services: Services, actor: Actor, ticketId: number): Promise<Localized> {
  const t = await loadTicket(services.db, ticketId);
  if (t.requesterId !== actor.personId) throw new UserError({ key: "support.notYoursToUse", values: { id: ticketId } });
  if (!t.private) return { key: "support.useLivesInThread", values: { id: ticketId } };
  await services.db.supportTicket.update({ where: { id: ticketId }, data: { memberActiveAt: services.clock.now() } });
  return { key: "support.useNowHere", values: { id: ticketId, resolved: t.status === "resolved" ? "yes" : "no" } };
}
