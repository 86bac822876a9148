// The life of a support ticket: opened by a member, triaged by staff (claim, assign, priority,
// escalate to GitHub, waiting on member, resolve, reopen), rated by the member. Every action
// is one transaction that updates the ticket, records the event in its history, re-renders the
// staff card in place (an outbox edit) and tells the member when it concerns them.
import type { Tx } from "../../db/client";
import type { Prisma, TicketPriority } from "../../generated/prisma/client";
import type { Actor, Services } from "../context";
import { type Localized, UserError } from "../errors";
import type { Translator } from "../../i18n/translate";
import { scrubSecrets } from "../../log";
import type { Place, Reply } from "../reply";
import { needCommunity } from "../requests/requests";
import { refreshHomes } from "../home/refresh";
import { defuseMentions, truncate } from "../text";
import { memberResolvedButtons, memberRoot, memberView, resolvedForMember, staffCard } from "./cards";
import {
  type FullTicket,
  isDm,
  isUniqueViolation,
  loadTicket,
  memberTarget,
  memberTranslator,
  post,
  type Rating,
  requireStaff,
  rootKey,
  staffTarget,
  staffTranslator,
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
  if (!place.channel && !place.user) throw new UserError({ key: "support.noPlace" });
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
    const full = await loadTicket(tx, t.id);
    if (!isDm(member)) member.rootOutboxId = await post(tx, services, rootKey(t.id, "member"), { place: member }, memberRoot(t, actor.displayName, memberTranslator(services.config, full)));
    let staff: TicketPlace | null = null;
    if (support) {
      staff = { ...support, rootOutboxId: await post(tx, services, rootKey(t.id, "staff"), { place: support }, staffCard(full, staffTranslator(services.config))) };
    }
    await refreshHomes(tx, now, { ticket: t.id });
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
  /** What happened, or why nothing did; the command words it in the asker's language. */
  message: Localized;
}

interface Plan {
  data: Prisma.SupportTicketUncheckedUpdateInput;
  /** What happened, in the ticket's history and the answer: "Sam claimed #12". */
  event: Localized;
  toMember?: Reply;
  toStaff?: Reply;
}

/** Who reads what an action posts: staff in the support space's language, the member in theirs. */
interface Readers {
  staff: Translator;
  member: Translator;
}

const nothing = (key: Localized["key"], values?: Localized["values"]): Localized => ({ key, values });

/**
 * Runs one action under a row lock, so two clicks at once apply one after the other. plan
 * returns a string instead of a Plan when there is nothing to do (the reason is the answer).
 */
async function applyAction(
  services: Services,
  actor: Actor,
  id: number,
  plan: (t: FullTicket, read: Readers, tx: Tx) => Promise<Plan | Localized> | Plan | Localized,
): Promise<ActionResult> {
  return services.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "SupportTicket" WHERE id = ${id} FOR UPDATE`;
    const before = await loadTicket(tx, id);
    const read: Readers = { staff: staffTranslator(services.config), member: memberTranslator(services.config, before) };
    const p = await plan(before, read, tx);
    if (!("data" in p)) return { ticket: before, changed: false, message: p };
    await tx.supportTicket.update({ where: { id }, data: p.data });
    await refreshHomes(tx, services.clock.now(), { ticket: id });
    // The history is staff's record: kept in their language.
    const body = read.staff.t(p.event.key, p.event.values);
    const event = await tx.ticketMessage.create({
      data: { ticketId: id, authorId: actor.personId, side: "bot", internal: true, body, platform: actor.platform, createdAt: services.clock.now() },
    });
    const after = await loadTicket(tx, id);
    const staff = staffTarget(after);
    if (staff) {
      await post(tx, services, `ticket:${id}:card:${event.id}`, staff, staffCard(after, read.staff), staff.rootOutboxId);
      if (p.toStaff) await post(tx, services, `ticket:${id}:event:${event.id}:staff`, staff, p.toStaff);
    }
    const member = memberTarget(after);
    if (member && p.toMember) await post(tx, services, `ticket:${id}:event:${event.id}:member`, member, p.toMember);
    return { ticket: after, changed: true, message: p.event };
  });
}

/** In this thread (a channel ticket) or here (a DM ticket): a select argument of the member's messages. */
const whereToReply = (t: FullTicket) => (memberTarget(t)?.parentId ? "thread" : "here");
/** The ticket's summary as the member's messages quote it. */
const quoted = (t: FullTicket) => defuseMentions(truncate(t.summary, 100));

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
    if (t.assigneeId === to.personId) return nothing("support.alreadyAssigned", { id, who: to.displayName });
    const self = to.personId === actor.personId;
    const was = t.assignee && t.assignee.id !== to.personId ? t.assignee.displayName : "";
    const values = { by: actor.displayName, id, to: to.displayName, was, hadOne: was ? "yes" : "no" };
    return { data: { assigneeId: to.personId }, event: self ? nothing("support.event.claimed", values) : nothing("support.event.assigned", values) };
  });
}

export async function setPriority(services: Services, actor: Actor, id: number, priority: TicketPriority): Promise<ActionResult> {
  requireStaff(actor);
  return applyAction(services, actor, id, (t) =>
    t.priority === priority
      ? nothing("support.alreadyPriority", { id, priority })
      : { data: { priority }, event: nothing("support.event.priority", { by: actor.displayName, id, priority, was: t.priority }) },
  );
}

export async function markWaiting(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  requireStaff(actor);
  return applyAction(services, actor, id, (t, read) => {
    if (t.status === "waiting_on_member") return nothing("support.alreadyWaiting", { id });
    if (t.status === "resolved") return nothing("support.resolvedReopenFirst", { id });
    return {
      data: { status: "waiting_on_member" },
      event: nothing("support.event.waiting", { by: actor.displayName, id }),
      toMember: { text: read.member.t("support.member.waiting", { id, summary: quoted(t), where: whereToReply(t) }) },
    };
  });
}

export async function resolveTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  requireStaff(actor);
  const now = services.clock.now();
  return applyAction(services, actor, id, (t, read) => {
    if (t.status === "resolved") return nothing("support.alreadyResolved", { id });
    return {
      data: { status: "resolved", resolvedAt: now },
      event: nothing("support.event.resolved", { by: actor.displayName, id }),
      toStaff: { text: read.staff.t("support.staff.resolved", { by: actor.displayName, id }) },
      toMember: resolvedForMember(t, actor.displayName, read.member),
    };
  });
}

/** Staff reopen any ticket; the member may reopen their own private one from their DM (its Reopen button). */
export async function reopenTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  if (actor.role !== "staff") await requireOwnPrivate(services, actor, id);
  const byMember = actor.role !== "staff";
  const now = services.clock.now();
  return applyAction(services, actor, id, (t, read) => {
    if (t.status !== "resolved") return nothing("support.notResolved", { id });
    return {
      // It needs more work: the SLA reminders start again from now, until staff answer.
      data: {
        status: "open", resolvedAt: null, reopenCount: { increment: 1 }, awaitingStaffSince: now, reminderLevel: 0, lastReminderAt: null,
        ...(byMember ? { memberActiveAt: now } : {}),
      },
      event: nothing("support.event.reopened", { by: actor.displayName, id }),
      toStaff: { text: read.staff.t("support.staff.reopened", { by: actor.displayName, member: byMember ? "yes" : "no", id }) },
      toMember: {
        text: read.member.t(byMember ? "support.member.youReopened" : "support.member.staffReopened", { id, summary: quoted(t), where: whereToReply(t) }),
      },
    };
  });
}

/** /ticket close: the member says their private ticket is solved, from their DM. */
export async function closeTicket(services: Services, actor: Actor, id: number): Promise<ActionResult> {
  if (actor.role === "staff") return resolveTicket(services, actor, id);
  await requireOwnPrivate(services, actor, id);
  const now = services.clock.now();
  return applyAction(services, actor, id, (t, read) => {
    if (t.status === "resolved") return nothing("support.alreadyClosed", { id });
    return {
      data: { status: "resolved", resolvedAt: now, memberActiveAt: now },
      event: nothing("support.event.closed", { by: actor.displayName, id }),
      toStaff: { text: read.staff.t("support.staff.closed", { by: actor.displayName, id }) },
      toMember: { text: read.member.t("support.member.youClosed", { id, summary: quoted(t) }), buttons: memberResolvedButtons(t, read.member) },
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
  if (t.requesterId !== actor.personId) throw new UserError({ key: "support.rateNotYours", values: { id } });
  return applyAction(services, actor, id, (cur, read) => {
    if (cur.status !== "resolved") return nothing("support.rateOnceResolved", { id });
    if (cur.rating === rating) return nothing("support.alreadyRated", { id, rating });
    return {
      data: { rating },
      event: nothing("support.event.rated", { by: actor.displayName, id, rating }),
      toStaff: { text: read.staff.t("support.event.rated", { by: actor.displayName, id, rating }) },
    };
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
    return { ticket: t, changed: false, message: nothing("support.alreadyEscalated", { id, link: `${g.repo}#${g.number}`, url: g.url }) };
  }
  const github = services.github;
  if (!github) throw new UserError({ key: "support.githubNotConfigured", values: { token: "GITHUB_TOKEN", ...REPO_SETTING } });
  const repo = services.config.github.defaultRepo ?? services.config.github.repos[0];
  if (!repo) throw new UserError({ key: "support.noGithubRepo", values: REPO_SETTING });

  const lockKey = `ticket-escalation:${id}`;
  await takeEscalationLock(services, lockKey, actor.personId);
  let issue: { number: number; url: string; title: string };
  try {
    // Engineers read the issue: in the organization's language, like the staff space.
    const staffTr = staffTranslator(services.config);
    // A GitHub issue may be public: a private ticket's words stay in Flywheel, only its number goes.
    const title = t.private ? staffTr.t("support.issue.privateTitle", { id }) : staffTr.t("support.issue.title", { id, summary: noGithubMentions(truncate(t.summary, 200)) });
    issue = await github.createIssue(repo, title, issueBody(t, actor, staffTr));
  } catch (e) {
    await services.db.syncState.delete({ where: { key: lockKey } }).catch(() => undefined);
    services.log.warn({ ticketId: id, err: scrubSecrets(e instanceof Error ? e.message : String(e)) }, "GitHub issue creation failed");
    throw new UserError({ key: "support.githubFailed", values: { reason: scrubSecrets(e instanceof Error ? e.message : String(e)).slice(0, 200) } });
  }
  const link = `${repo}#${issue.number}`;
  return applyAction(services, actor, id, async (_cur, read, tx) => {
    await tx.githubItem.upsert({
      where: { repo_number: { repo, number: issue.number } },
      create: { repo, number: issue.number, kind: "issue", url: issue.url, title: issue.title, ticketId: id },
      update: { ticketId: id, url: issue.url, title: issue.title },
    });
    return {
      data: {},
      event: nothing("support.event.escalated", { by: actor.displayName, id, link, url: issue.url }),
      toStaff: { text: read.staff.t("support.staff.escalated", { by: actor.displayName, id, link }), sections: [{ title: `${link} ${truncate(issue.title, 100)}`, url: issue.url }] },
      toMember: { text: read.member.t("support.member.escalated", { id, link, url: issue.url }) },
    };
  });
}

/** Where the repository for escalations is set: named in messages, never translated. */
const REPO_SETTING = { setting: "github.defaultRepo", file: "flywheel.yml" };

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
  throw new UserError({ key: "support.escalationInProgress" });
}

/** A member's "@org/team" or "@login" would notify people on GitHub: a zero-width space keeps it inert. */
const noGithubMentions = (text: string) => text.replace(/@(?=[A-Za-z0-9])/g, "@\u200b");

/** The issue says where it came from; anyone may read a GitHub issue, so it is a public view. */
function issueBody(t: FullTicket, actor: Actor, tr: Translator): string {
  const who = communityShownTo(t.community, "public", tr);
  return [
    tr.t("support.issue.origin", { id: t.id, community: who, priority: t.priority, by: actor.displayName }),
    "",
    ...(t.private ? [tr.t("support.issue.privateBody")] : [`**${noGithubMentions(t.summary)}**`, ...(t.details ? ["", noGithubMentions(t.details)] : [])]),
    "",
    tr.t("support.issue.opened", { when: t.createdAt.toISOString() }),
  ].join("\n");
}

/** A ticket as its requester or staff may see it. */
export async function showTicket(services: Services, actor: Actor, id: number, tr: Translator): Promise<Reply> {
  const t = await loadTicket(services.db, id);
  if (actor.role === "staff") return { ...staffCard(t, tr), ephemeral: true };
  if (t.requesterId !== actor.personId) throw new UserError({ key: "support.notYoursToSee", values: { id } });
  return memberView(t, tr);
}
