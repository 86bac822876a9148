// What tickets look like: the staff card that starts (and is edited in place at the top of) the
// staff thread, the member's thread root, and the resolution message with its rating buttons.
// Every text is rendered for its reader: staff cards in the support space's language, what the
// member reads in their community's; member-written text goes in as a value, untranslated.
import type { MessageKey } from "../../i18n/catalog";
import type { Translator } from "../../i18n/translate";
import type { Button, Field, Place, Reply } from "../reply";
import { defuseMentions, formatDuration, truncate } from "../text";
import { asTicketPlace, type FullTicket, PRIORITY_KEY, type Rating, STATUS_KEY } from "./model";

/** Member-written text shown in a card: cut to size, mass pings defused. */
const said = (text: string, max: number) => defuseMentions(truncate(text, max));

const RATING_KEY = { helpful: "support.rating.helpful", "not-helpful": "support.rating.notHelpful" } as const satisfies Record<Rating, MessageKey>;
export const ratingLabel = (tr: Translator, r: string): string => tr.t(RATING_KEY[r === "helpful" ? "helpful" : "not-helpful"]);

/** Buttons carry command lines: clicking one runs it as the person who clicked (staff only). */
export function staffButtons(t: FullTicket, tr: Translator): Button[] {
  if (t.status === "resolved") return [{ label: tr.t("support.button.reopen"), command: `ticket reopen ${t.id}` }];
  const buttons: Button[] = [{ label: tr.t(t.assigneeId ? "support.button.takeOver" : "support.button.claim"), command: `ticket claim ${t.id}`, style: "primary" }];
  if (t.status === "open") buttons.push({ label: tr.t("support.button.waiting"), command: `ticket waiting ${t.id}` });
  buttons.push({ label: tr.t("support.button.resolve"), command: `ticket resolve ${t.id}` });
  if (!t.githubItems.length) buttons.push({ label: tr.t("support.button.escalate"), command: `ticket escalate ${t.id}` });
  return buttons;
}

export const priorityButtons = (t: FullTicket, tr: Translator): Button[] =>
  (Object.keys(PRIORITY_KEY) as (keyof typeof PRIORITY_KEY)[])
    .filter((p) => p !== t.priority)
    .map((p) => ({
      label: tr.t("support.button.priority", { priority: tr.t(PRIORITY_KEY[p]) }),
      command: `ticket priority ${t.id} ${p}`,
      ...(p === "urgent" ? { style: "danger" as const } : {}),
    }));

const after = (tr: Translator, from: Date, to: Date) => tr.t("support.field.after", { duration: formatDuration(to.getTime() - from.getTime(), tr) });

/** The card's facts; the member's view leaves out the community (it is theirs). */
export function ticketFields(t: FullTicket, tr: Translator, opts: { community?: boolean } = {}): Field[] {
  const fields: Field[] = [
    ...(opts.community === false ? [] : [{ label: tr.t("support.field.community"), value: tr.t("support.field.communityValue", { name: t.community.name, tier: t.community.tier }) }]),
    { label: tr.t("support.field.from"), value: said(t.requester.displayName, 80) },
    { label: tr.t("support.field.status"), value: tr.t(STATUS_KEY[t.status]) },
    { label: tr.t("support.field.priority"), value: tr.t(PRIORITY_KEY[t.priority]) },
    { label: tr.t("support.field.assignee"), value: t.assignee?.displayName ?? tr.t("support.unassigned") },
    { label: tr.t("support.field.firstResponse"), value: t.firstResponseAt ? after(tr, t.createdAt, t.firstResponseAt) : tr.t("support.noneYet") },
  ];
  if (t.resolvedAt) fields.push({ label: tr.t("support.field.resolved"), value: after(tr, t.createdAt, t.resolvedAt) });
  if (t.reopenCount) fields.push({ label: tr.t("support.field.reopened"), value: tr.t("support.field.reopenedValue", { count: t.reopenCount }) });
  for (const g of t.githubItems) fields.push({ label: tr.t("support.field.github"), value: `${g.repo}#${g.number} ${g.url}` });
  if (t.rating) fields.push({ label: tr.t("support.field.rating"), value: ratingLabel(tr, t.rating) });
  if (t.private) fields.push({ label: tr.t("support.field.private"), value: tr.t("support.field.privateValue", { platform: platformName(tr, t.memberPlace) }) });
  if (t.memberUnreachable) fields.push({ label: tr.t("support.field.unreachable"), value: `⚠️ ${t.memberUnreachable}` });
  return fields;
}

const PLATFORM_KEY = {
  slack: "support.platform.slack",
  discord: "support.platform.discord",
  shell: "support.platform.shell",
  github: "support.platform.github",
} as const satisfies Record<Place["platform"], MessageKey>;
const platformName = (tr: Translator, memberPlace: FullTicket["memberPlace"]) => tr.t(PLATFORM_KEY[asTicketPlace(memberPlace)?.platform ?? "shell"]);

/** One line a person can read anywhere (notification text, the terminal). */
export function ticketLine(t: FullTicket, tr: Translator): string {
  return tr.t("support.ticketLine", {
    private: t.private ? "yes" : "no",
    assigned: t.assignee ? "yes" : "no",
    id: t.id,
    from: said(t.requester.displayName, 80),
    community: t.community.name,
    summary: said(t.summary, 120),
    status: tr.t(STATUS_KEY[t.status]),
    priority: tr.t(PRIORITY_KEY[t.priority]),
    assignee: t.assignee?.displayName ?? "",
  });
}

const fieldsLine = (tr: Translator, fields: Field[]) => fields.map((f) => tr.t("support.fieldPair", { label: f.label, value: f.value })).join(" · ");

/** The staff thread's first message; every action re-renders it and edits it in place. */
export function staffCard(t: FullTicket, tr: Translator): Reply {
  const fields = ticketFields(t, tr);
  const details = t.details ? `\n${said(t.details, 300)}` : "";
  return {
    text: `${ticketLine(t, tr)}${details}\n${fieldsLine(tr, fields)}`,
    title: `${t.private ? "🔒" : "🎫"} #${t.id} ${said(t.summary, 120)}`,
    sections: [
      { text: t.details ? said(t.details, 1500) : undefined, fields, buttons: staffButtons(t, tr) },
      { title: tr.t("support.field.priority"), buttons: priorityButtons(t, tr) },
    ],
  };
}

/** What the member (or staff, without buttons) sees for /ticket show. */
export function memberView(t: FullTicket, tr: Translator): Reply {
  const fields = ticketFields(t, tr, { community: false });
  return { text: `${ticketLine(t, tr)}\n${fieldsLine(tr, fields)}`, title: `#${t.id} ${said(t.summary, 120)}`, ephemeral: true };
}

/** Starts the member's thread in their channel: staff answers arrive under it. */
export const memberRoot = (t: { id: number; summary: string }, requester: string, tr: Translator): Reply => ({
  text: tr.t("support.memberRoot", { id: t.id, from: said(requester, 80), summary: said(t.summary, 150) }),
  title: tr.t("support.ticketTitle", { id: t.id }),
});

export const ratingButtons = (id: number, tr: Translator): Button[] => [
  { label: tr.t("support.button.helpful"), command: `ticket rate ${id} helpful`, style: "primary" },
  { label: tr.t("support.button.notHelpful"), command: `ticket rate ${id} not-helpful` },
];

/** The rating buttons, plus a way back for a private ticket, whose DM has no staff card to click. */
export const memberResolvedButtons = (t: FullTicket, tr: Translator): Button[] =>
  t.private ? [...ratingButtons(t.id, tr), { label: tr.t("support.button.reopen"), command: `ticket reopen ${t.id}` }] : ratingButtons(t.id, tr);

/** Staff resolved the ticket: the member is asked, in one click, whether it helped. */
export const resolvedForMember = (t: FullTicket, by: string, tr: Translator): Reply => ({
  text: tr.t("support.resolvedForMember", { by, id: t.id, summary: said(t.summary, 100) }),
  buttons: memberResolvedButtons(t, tr),
});

/** How each platform names a direct message with the bot, for answers that say where replies go. */
const DM_KEY = {
  slack: "support.dm.slack",
  discord: "support.dm.discord",
  shell: "support.dm.shell",
  github: "support.platform.github",
} as const satisfies Record<Place["platform"], MessageKey>;

/** The /support answer: where staff answers will really appear, for this platform and place. */
export function whereAnswersGo(t: FullTicket, askedIn: Place, hasStaffSpace: boolean, tr: Translator): string {
  const member = asTicketPlace(t.memberPlace);
  let where: string;
  if (!member) where = "";
  else if (member.platform === "shell") where = tr.t("support.where.terminal", { command: "/ticket reply" });
  else if (t.private && askedIn.channel) where = tr.t("support.where.privateFromChannel", { dm: tr.t(DM_KEY[member.platform]) });
  else if (t.private) where = tr.t("support.where.privateHere");
  else if (member.platform === "discord") where = tr.t("support.where.discordThread");
  else where = tr.t("support.where.slackThread");
  return hasStaffSpace ? where : `${where} ${tr.t("support.where.noStaffSpace", { command: `/ticket show ${t.id}` })}`.trim();
}
