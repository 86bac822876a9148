// What tickets look like: the staff card that starts (and is edited in place at the top of) the
// staff thread, the member's thread root, and the resolution message with its rating buttons.
import type { Button, Field, Place, Reply } from "../reply";
import { defuseMentions, formatDuration, truncate } from "../text";
import { asTicketPlace, DM_NAME, type FullTicket, PRIORITIES, STATUS_LABEL } from "./model";

/** Member-written text shown in a card: cut to size, mass pings defused. */
const said = (text: string, max: number) => defuseMentions(truncate(text, max));

const ratingLabel = (r: string) => (r === "helpful" ? "👍 helpful" : "👎 not helpful");

/** Buttons carry command lines: clicking one runs it as the person who clicked (staff only). */
export function staffButtons(t: FullTicket): Button[] {
  if (t.status === "resolved") return [{ label: "Reopen", command: `ticket reopen ${t.id}` }];
  const buttons: Button[] = [{ label: t.assigneeId ? "Take over" : "Claim", command: `ticket claim ${t.id}`, style: "primary" }];
  if (t.status === "open") buttons.push({ label: "Waiting on member", command: `ticket waiting ${t.id}` });
  buttons.push({ label: "Resolve", command: `ticket resolve ${t.id}` });
  if (!t.githubItems.length) buttons.push({ label: "Escalate to GitHub", command: `ticket escalate ${t.id}` });
  return buttons;
}

export const priorityButtons = (t: FullTicket): Button[] =>
  PRIORITIES.filter((p) => p !== t.priority).map((p) => ({
    label: `Priority: ${p}`,
    command: `ticket priority ${t.id} ${p}`,
    ...(p === "urgent" ? { style: "danger" as const } : {}),
  }));

export function ticketFields(t: FullTicket): Field[] {
  const fields: Field[] = [
    { label: "Community", value: `${t.community.name} (${t.community.tier})` },
    { label: "From", value: said(t.requester.displayName, 80) },
    { label: "Status", value: STATUS_LABEL[t.status] },
    { label: "Priority", value: t.priority },
    { label: "Assignee", value: t.assignee?.displayName ?? "unassigned" },
    {
      label: "First staff response",
      value: t.firstResponseAt ? `after ${formatDuration(t.firstResponseAt.getTime() - t.createdAt.getTime())}` : "none yet",
    },
  ];
  if (t.resolvedAt) fields.push({ label: "Resolved", value: `after ${formatDuration(t.resolvedAt.getTime() - t.createdAt.getTime())}` });
  if (t.reopenCount) fields.push({ label: "Re-opened", value: `${t.reopenCount}×` });
  for (const g of t.githubItems) fields.push({ label: "GitHub", value: `${g.repo}#${g.number} ${g.url}` });
  if (t.rating) fields.push({ label: "Rating", value: ratingLabel(t.rating) });
  if (t.private) fields.push({ label: "Private", value: `🔒 the conversation stays in the member's DM on ${platformName(t.memberPlace)}` });
  if (t.memberUnreachable) fields.push({ label: "Member unreachable", value: `⚠️ ${t.memberUnreachable}` });
  return fields;
}

const PLATFORM_NAME: Record<Place["platform"], string> = { slack: "Slack", discord: "Discord", shell: "the terminal", github: "GitHub" };
const platformName = (memberPlace: FullTicket["memberPlace"]) => PLATFORM_NAME[asTicketPlace(memberPlace)?.platform ?? "shell"];

/** One line a person can read anywhere (notification text, the terminal). */
export function ticketLine(t: FullTicket): string {
  const who = t.assignee ? `assigned to ${t.assignee.displayName}` : "unassigned";
  return `${t.private ? "🔒 Private ticket" : "Ticket"} #${t.id} from ${said(t.requester.displayName, 80)} (${t.community.name}): ${said(t.summary, 120)} — ${STATUS_LABEL[t.status]}, ${t.priority} priority, ${who}`;
}

/** The staff thread's first message; every action re-renders it and edits it in place. */
export function staffCard(t: FullTicket): Reply {
  const fields = ticketFields(t);
  const details = t.details ? `\n${said(t.details, 300)}` : "";
  return {
    text: `${ticketLine(t)}${details}\n${fields.map((f) => `${f.label}: ${f.value}`).join(" · ")}`,
    title: `${t.private ? "🔒" : "🎫"} #${t.id} ${said(t.summary, 120)}`,
    sections: [
      { text: t.details ? said(t.details, 1500) : undefined, fields, buttons: staffButtons(t) },
      { title: "Priority", buttons: priorityButtons(t) },
    ],
  };
}

/** What the member (or staff, without buttons) sees for /ticket show. */
export function memberView(t: FullTicket): Reply {
  const fields = ticketFields(t).filter((f) => f.label !== "Community");
  return { text: `${ticketLine(t)}\n${fields.map((f) => `${f.label}: ${f.value}`).join(" · ")}`, title: `#${t.id} ${said(t.summary, 120)}`, ephemeral: true };
}

/** Starts the member's thread in their channel: staff answers arrive under it. */
export const memberRoot = (t: { id: number; summary: string }, requester: string): Reply => ({
  text: `🎫 Support ticket #${t.id} from ${said(requester, 80)}: ${said(t.summary, 150)}\nStaff answers appear in this thread; reply here to add details.`,
  title: `Support ticket #${t.id}`,
});

export const ratingButtons = (id: number): Button[] => [
  { label: "👍 Helpful", command: `ticket rate ${id} helpful`, style: "primary" },
  { label: "👎 Not helpful", command: `ticket rate ${id} not-helpful` },
];

/** Rating buttons, plus a way back for a private ticket, whose DM has no staff card to click. */
export const resolvedForMember = (t: FullTicket, by: string): Reply => ({
  text: `✅ ${by} resolved ticket #${t.id} (${said(t.summary, 100)}). Was this helpful? One click tells us.`,
  buttons: t.private ? [...ratingButtons(t.id), { label: "Reopen", command: `ticket reopen ${t.id}` }] : ratingButtons(t.id),
});

/** The /support answer: where staff answers will really appear, for this platform and place. */
export function whereAnswersGo(t: FullTicket, askedIn: Place, hasStaffSpace: boolean): string {
  const member = asTicketPlace(t.memberPlace);
  let where: string;
  if (!member) where = "";
  else if (member.platform === "shell") where = "Staff answers will be printed in this terminal; add details with /ticket reply.";
  else if (t.private && askedIn.channel)
    where = `This ticket is private: nothing about it is posted in this channel. Staff answers will come to you in ${DM_NAME[member.platform]}; reply there to add details.`;
  else if (t.private) where = "This ticket is private. Staff answers will arrive here, in this direct message; write here to add details.";
  else if (member.platform === "discord")
    where = "Staff answers will appear in a thread on the ticket's message in this channel; reply there to add details.";
  else where = "Staff answers will appear in the thread under the ticket's message in this channel; reply there to add details.";
  return hasStaffSpace ? where : `${where} (No staff support space is configured yet, so staff will see it only with /ticket show ${t.id}.)`.trim();
}
