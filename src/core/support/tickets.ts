// The life of a support ticket: opened by a member, triaged by staff (claim, assign, priority,
// escalate to GitHub, waiting on member, resolve, reopen), rated by the member. Every action
// is one transaction that updates the ticket, records the event in its history, re-renders the
// staff card in place (an outbox edit) and tells the member when it concerns them.
import type { Tx } from "../../db/client";
import type { Prisma, TicketPriority } from "../../generated/prisma/client";
import type { Actor, Services } from "../context";
import { UserError } from "../errors";
import { scrubSecrets } from "../../log";
import type { Place, Reply } from "../reply";
import { needCommunity } from "../requests/requests";
import { defuseMentions, truncate } from "../text";
import { memberRoot, memberView, resolvedForMember, staffCard } from "./cards";
import {
  type FullTicket,
  isDm,
  isUniqueViolation,
  loadTicket,
  memberTarget,
  post,
  type Rating,
  requireStaff,
  rootKey,
  staffTarget,
  supportSpace,
  type TicketPlace,
} from "./model";
import { findStaffPerson } from "./staff";
import { communityShownTo } from "../people/visibility";

export interface OpenTicketInput {
  summary: string;
  details?: string;
  /** Where the member asked: replies come back to this channel's thread, or to their DM. */
  place: Place;
  /** Keep the conversation in the member's DM even when asked in a channel. */
  private?: boolean;
}

/**
 * Opens a ticket for the member's community: a thread root in their channel (or nothing extra
 * in a DM, where the answer itself says it), and the staff card in the support space, which
 * may be on another platform than the member.
 */
export async function openTicket(services: Services, actor: Actor, input: OpenTicketInput): Promise<FullTicket> {
  const communityId = needCommunity(actor);
  const { place } = input;
  if (!place.channel && !place.user) throw new UserError("I can't tell where to answer you; open the ticket from a channel or a DM with me.");
  // Private: the conversation goes to the member's own DM, whatever channel they asked in.
  const dmUser = place.channel && !input.private ? undefined : place.channel ? actor.externalId : place.user;
  const member: TicketPlace = dmUser
    ? { platform: place.platform, workspace: place.workspace, user: dmUser }
    : { platform: place.platform, workspace: place.workspace, channel: place.channel, thread: place.thread };
  const support = supportSpace(services.config);
  const now = services.clock.now();
  const id = await services.db.$transaction(async (tx) => {
    const t = await tx.supportTicket.create({
      data: {
        communityId,
        requesterId: actor.personId,
        summary: input.summary,
        details: input.details ?? "",
        memberPlace: member as unknown as Prisma.InputJsonValue,
        createdAt: now,
        awaitingStaffSince: now,
        private: isDm(member),
        memberActiveAt: now,
      },
    });
    await tx.ticketMessage.create({
      data: {
        ticketId: t.id,
        authorId: actor.personId,
        side: "member",
        body: input.details ? `${input.summary}\n\n${input.details}` : input.summary,
        platform: place.platform,
        createdAt: now,
      },
    });
    if (!isDm(member)) member.rootOutboxId = await post(tx, services, rootKey(t.id, "member"), { place: member }, memberRoot(t, actor.displayName));
    let staff: TicketPlace | null = null;
    if (support) {
      const full = await loadTicket(tx, t.id);
      staff = { ...support, rootOutboxId: await post(tx, services, rootKey(t.id, "staff"), { place: support }, staffCard(full)) };
    }
    await tx.supportTicket.update({
      where: { id: t.id },
      data: {
        memberPlace: member as unknown as Prisma.InputJsonValue,
        ...(staff ? { staffPlace: staff as unknown as Prisma.InputJsonValue } : {}),
      },
    });
    return t.id;
  });
  if (!support) services.log.warn({ ticketId: id }, "no support space in flywheel.yml: the ticket has no staff thread");
  return loadTicket(services.db, id);
}

export interface ActionResult {
  ticket: FullTicket;
  /** False when the action changed nothing (already claimed, already resolved...). */
  changed: boolean;
  message: string;
}

interface Plan {
  data: Prisma.SupportTicketUncheckedUpdateInput;
  /** What happened, in the ticket's history and the answer: "Sam claimed #12". */
  event: string;
  toMember?: Reply;
  toStaff?: Reply;
}

/**
 * Runs one action under a row lock, so two clicks at once apply one after the other. plan
 * returns a string instead of a Plan when there is nothing to do (the reason is the answer).
 */
async function applyAction(
  services: Services,
  actor: Actor,
  id: number,
  plan: (t: FullTicket, tx: Tx) => Promise<Plan | string> | Plan | string,
): Promise<ActionResult> {
  return services.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SupportTicket" WHERE id = ${id} FOR UPDATE`;
    const before = await loadTicket(tx, id);
    const p = await plan(before, tx);
    if (typeof p === "string") return { ticket: before, changed: false, message: p };
    await tx.supportTicket.update({ where: { id }, data: p.data });
    const event = await tx.ticketMessage.create({
      data: { ticketId: id, authorId: actor.personId, side: "bot", internal: true, body: p.event, platform: actor.platform, createdAt: services.clock.now() },
    });
    const after = await loadTicket(tx, id);
    const staff = staffTarget(after);
    if (staff) {
      await post(tx, services, `ticket:${id}:card:${event.id}`, staff, staffCard(after), staff.rootOutboxId);
      if (p.toStaff) await post(tx, services, `ticket:${id}:event:${event.id}:staff`, staff, p.toStaff);
    }
    const member = memberTarget(after);
    if (member && p.toMember) await post(tx, services, `ticket:${id}:event:${event.id}:member`, member, p.toMember);
    return { ticket: after, changed: true, message: p.event };
  });
}

/** "in this thread" for a channel ticket, "here" for a DM ticket. */
const whereToReply = (t: FullTicket) => (memberTarget(t)?.parentId ? "in this thread" : "here");

export async function claimTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  requireStaff(actor);
  return assignTo(services, actor, id, { personId: actor.personId, displayName: actor.displayName });
}

export async function assignTicket(services: Services, actor: Actor, id: number, who: string): Promise<ActionResult> {
  requireStaff(actor);
  await loadTicket(services.db, id); // a missing ticket is named before a missing person
  return assignTo(services, actor, id, await findStaffPerson(services, who));
}

function assignTo(services: Services, actor: Actor, id: number, to: { personId: number; displayName: string }): Promise<ActionResult> {
  return applyAction(services, actor, id, (t) => {
    if (t.assigneeId === to.personId) return `#${id} is already assigned to ${to.displayName}.`;
    const self = to.personId === actor.personId;
    const from = t.assignee && t.assignee.id !== to.personId ? ` (was ${t.assignee.displayName})` : "";
    return {
      data: { assigneeId: to.personId },
      event: self ? `${actor.displayName} claimed #${id}${from}.` : `${actor.displayName} assigned #${id} to ${to.displayName}${from}.`,
    };
  });
}

export async function setPriority(services: Services, actor: Actor, id: number, priority: TicketPriority): Promise<ActionResult> {
  requireStaff(actor);
  return applyAction(services, actor, id, (t) =>
    t.priority === priority
      ? `#${id} already has ${priority} priority.`
      : { data: { priority }, event: `${actor.displayName} set #${id} to ${priority} priority (was ${t.priority}).` },
  );
}

export async function markWaiting(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  requireStaff(actor);
  return applyAction(services, actor, id, (t) => {
    if (t.status === "waiting_on_member") return `#${id} is already waiting on the member.`;
    if (t.status === "resolved") return `#${id} is resolved; reopen it first.`;
    return {
      data: { status: "waiting_on_member" },
      event: `${actor.displayName} marked #${id} as waiting on the member.`,
      toMember: { text: `⏳ Staff is waiting for your answer on ticket #${id} (${defuseMentions(truncate(t.summary, 100))}). Reply ${whereToReply(t)} when you can.` },
    };
  });
}

export async function resolveTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  requireStaff(actor);
  const now = services.clock.now();
  return applyAction(services, actor, id, (t) => {
    if (t.status === "resolved") return `#${id} is already resolved.`;
    return {
      data: { status: "resolved", resolvedAt: now },
      event: `${actor.displayName} resolved #${id}.`,
      toStaff: { text: `✅ ${actor.displayName} resolved #${id}. The member was asked to rate it.` },
      toMember: resolvedForMember(t, actor.displayName),
    };
  });
}

/** Staff reopen any ticket; the member may reopen their own private one from their DM (its Reopen button). */
export async function reopenTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  if (actor.role !== "staff") await requireOwnPrivate(services, actor, id);
  const byMember = actor.role !== "staff";
  const now = services.clock.now();
  return applyAction(services, actor, id, (t) => {
    if (t.status !== "resolved") return `#${id} is not resolved, so there is nothing to reopen.`;
    return {
      // It needs more work: the SLA reminders start again from now, until staff answer.
      data: {
        status: "open", resolvedAt: null, reopenCount: { increment: 1 }, awaitingStaffSince: now, reminderLevel: 0, lastReminderAt: null,
        ...(byMember ? { memberActiveAt: now } : {}),
      },
      event: `${actor.displayName} reopened #${id}.`,
      toStaff: { text: `🔁 ${actor.displayName}${byMember ? " (the member)" : ""} reopened #${id}.` },
      toMember: {
        text: byMember
          ? `🔁 You reopened ticket #${id} (${defuseMentions(truncate(t.summary, 100))}); staff were told. Write ${whereToReply(t)} to add details.`
          : `🔁 Staff reopened ticket #${id} (${defuseMentions(truncate(t.summary, 100))}). Replies continue ${whereToReply(t)}.`,
      },
    };
  });
}

/** /ticket close: the member says their private ticket is solved, from their DM. */
export async function closeTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  if (actor.role === "staff") return resolveTicket(services, actor, id);
  await requireOwnPrivate(services, actor, id);
  const now = services.clock.now();
  return applyAction(services, actor, id, (t) => {
    if (t.status === "resolved") return `#${id} is already closed.`;
    return {
      data: { status: "resolved", resolvedAt: now, memberActiveAt: now },
      event: `${actor.displayName} closed #${id}.`,
      toStaff: { text: `✅ ${actor.displayName} (the member) closed #${id} as solved.` },
      toMember: { ...resolvedForMember(t, "You"), text: `✅ You closed ticket #${id} (${defuseMentions(truncate(t.summary, 100))}). Was our help useful? One click tells us.` },
    };
  });
}

/**
 * Members act on their own ticket only where no staff card is in reach: a private one. Anything
 * else stays the staff-only action it always was, with the same refusal.
 */
async function requireOwnPrivate(services: Services, actor: Actor, id: number): Promise<void> {
  const t = await loadTicket(services.db, id);
  if (t.requesterId !== actor.personId || !t.private) requireStaff(actor);
}

/** The member's one-click verdict on a resolved ticket; they may change their mind. */
export async function rateTicket(services: Services, actor: Actor, id: number, rating: Rating): Promise<ActionResult> {
  const t = await loadTicket(services.db, id);
  if (t.requesterId !== actor.personId) throw new UserError(`Only the person who opened ticket #${id} can rate it.`);
  return applyAction(services, actor, id, (cur) => {
    if (cur.status !== "resolved") return `You can rate ticket #${id} once it is resolved.`;
    if (cur.rating === rating) return `You already rated ticket #${id} as ${rating.replace("-", " ")}. Thank you!`;
    const label = rating === "helpful" ? "👍 helpful" : "👎 not helpful";
    return { data: { rating }, event: `${actor.displayName} rated #${id}: ${label}.`, toStaff: { text: `${actor.displayName} rated #${id}: ${label}.` } };
  });
}

/**
 * Opens a GitHub issue for the ticket and links it back (a GithubItem with ticketId, shown on
 * the card). A lock row keeps two clicks from opening two issues; a GitHub failure releases
 * it, so trying again works.
 */
export async function escalateTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  requireStaff(actor);
  const t = await loadTicket(services.db, id);
  if (t.githubItems.length) {
    const g = t.githubItems[0];
    return { ticket: t, changed: false, message: `#${id} is already escalated: ${g.repo}#${g.number} ${g.url}` };
  }
  const github = services.github;
  if (!github) throw new UserError("GitHub is not configured, so I can't open an issue. Set GITHUB_TOKEN and github.defaultRepo in flywheel.yml.");
  const repo = services.config.github.defaultRepo ?? services.config.github.repos[0];
  if (!repo) throw new UserError("No GitHub repository is configured: set github.defaultRepo in flywheel.yml.");

  const lockKey = `ticket-escalation:${id}`;
  await takeEscalationLock(services, lockKey, actor.personId);
  let issue: { number: number; url: string; title: string };
  try {
    issue = await github.createIssue(repo, `[Support #${id}] ${noGithubMentions(truncate(t.summary, 200))}`, issueBody(t, actor));
  } catch (e) {
    await services.db.syncState.delete({ where: { key: lockKey } }).catch(() => undefined);
    services.log.warn({ ticketId: id, err: scrubSecrets(e instanceof Error ? e.message : String(e)) }, "GitHub issue creation failed");
    throw new UserError(`GitHub did not open the issue (${scrubSecrets(e instanceof Error ? e.message : String(e)).slice(0, 200)}). Nothing changed; try again in a moment.`);
  }
  const link = `${repo}#${issue.number}`;
  return applyAction(services, actor, id, async (_cur, tx) => {
    await tx.githubItem.upsert({
      where: { repo_number: { repo, number: issue.number } },
      create: { repo, number: issue.number, kind: "issue", url: issue.url, title: issue.title, ticketId: id },
      update: { ticketId: id, url: issue.url, title: issue.title },
    });
    return {
      data: {},
      event: `${actor.displayName} escalated #${id} to GitHub: ${link} ${issue.url}`,
      toStaff: { text: `🐙 ${actor.displayName} escalated #${id} to GitHub: ${link}`, sections: [{ title: `${link} ${truncate(issue.title, 100)}`, url: issue.url }] },
      toMember: { text: `Staff escalated ticket #${id} to the engineering team on GitHub (${link}: ${issue.url}). We'll keep you posted here.` },
    };
  });
}

/** A lock older than this was left by a process that died mid-escalation: it may be taken over. */
const ESCALATION_LOCK_MS = 5 * 60_000;

async function takeEscalationLock(services: Services, key: string, personId: number): Promise<void> {
  const now = services.clock.now();
  const value = { by: personId, at: now.toISOString() };
  try {
    await services.db.syncState.create({ data: { key, value } });
    return;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  // Stale by the clock that wrote it; the optimistic updatedAt match lets only one taker win.
  const held = await services.db.syncState.findUnique({ where: { key } });
  const at = Date.parse(String((held?.value as { at?: string } | null)?.at ?? ""));
  if (held && Number.isFinite(at) && now.getTime() - at > ESCALATION_LOCK_MS) {
    const taken = await services.db.syncState.updateMany({ where: { key, updatedAt: held.updatedAt }, data: { value } });
    if (taken.count) return;
  }
  throw new UserError("The ticket is being escalated right now; look at its card in a moment.");
}

/** A member's "@org/team" or "@login" would notify people on GitHub: a zero-width space keeps it inert. */
const noGithubMentions = (text: string) => text.replace(/@(?=[A-Za-z0-9])/g, "@\u200b");

/** The issue says where it came from; anyone may read a GitHub issue, so it is a public view. */
function issueBody(t: FullTicket, actor: Actor): string {
  const who = communityShownTo(t.community, "public");
  return [
    `Escalated from Flywheel support ticket #${t.id} (${who}, ${t.priority} priority) by ${actor.displayName}.`,
    "",
    `**${noGithubMentions(t.summary)}**`,
    ...(t.details ? ["", noGithubMentions(t.details)] : []),
    "",
    `Opened ${t.createdAt.toISOString()}.`,
  ].join("\n");
}

/** A ticket as its requester or staff may see it. */
export async function showTicket(services: Services, actor: Actor, id: number): Promise<Reply> {
  const t = await loadTicket(services.db, id);
  if (actor.role === "staff") return { ...staffCard(t), ephemeral: true };
  if (t.requesterId !== actor.personId) throw new UserError(`Ticket #${id} is not yours; only its requester and staff can see it.`);
  return memberView(t);
}
