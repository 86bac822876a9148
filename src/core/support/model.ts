// Shared vocabulary of support tickets: where their threads live, how to load one whole, who may
// act on it, and the outbox helpers every support module posts through.
import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { Prisma, TicketPriority, TicketStatus } from "../../generated/prisma/client";
import type { MessageKey } from "../../i18n/catalog";
import { translator, type Translator } from "../../i18n/translate";
import type { Actor, Services } from "../context";
import { UserError } from "../errors";
import { enqueue } from "../outbox";
import { personLocale, translatorForPlace } from "../people/locale";
import type { Place, Reply } from "../reply";

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const satisfies readonly TicketPriority[];
export const RATINGS = ["helpful", "not-helpful"] as const;
export type Rating = (typeof RATINGS)[number];

export const SUMMARY_MIN = 3;
export const SUMMARY_MAX = 150;
export const DETAILS_MAX = 4000;
/** Discord caps a message at 2000 characters; a relayed message keeps room for its "who said it" prefix. */
export const RELAY_MAX = 1800;

export const STATUS_KEY = {
  open: "support.status.open",
  waiting_on_member: "support.status.waiting",
  resolved: "support.status.resolved",
} as const satisfies Record<TicketStatus, MessageKey>;

export const PRIORITY_KEY = {
  low: "support.priority.low",
  normal: "support.priority.normal",
  high: "support.priority.high",
  urgent: "support.priority.urgent",
} as const satisfies Record<TicketPriority, MessageKey>;

/** Staff read in the support space's language: it belongs to no community, so the organization's. */
export const staffTranslator = (config: FlywheelConfig): Translator => translatorForPlace(config, supportSpace(config) ?? { platform: "shell" });

/** What the member reads (their thread, their DM) speaks their community's language. */
export const memberTranslator = (config: FlywheelConfig, t: { community: { slug: string } }): Translator =>
  translator(personLocale(config, { communitySlug: t.community.slug }));

/**
 * A Place plus the outbox row whose message starts the ticket's thread there. Stored as the
 * ticket's memberPlace / staffPlace JSON; replies post with parentId = rootOutboxId.
 */
export interface TicketPlace extends Place {
  rootOutboxId?: number;
}

export function asTicketPlace(v: Prisma.JsonValue | null | undefined): TicketPlace | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const p = v as unknown as TicketPlace;
  return typeof p.platform === "string" && (p.channel || p.user) ? p : undefined;
}

/** A DM ticket has no channel thread: replies go to the member's DM. */
export const isDm = (p: Place): boolean => !p.channel && Boolean(p.user);

/**
 * Outbox keys of messages meant for the member: their thread root, relayed replies
 * (`ticket:<id>:msg:<n>:member`) and action notices (`ticket:<id>:event:<n>:member`).
 */
export function memberBoundTicket(key: string): number | undefined {
  const m = /^ticket:(\d+):(?:member-root|(?:msg|event):\d+:member)$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

/**
 * The shared space where staff triage, from the config file. One platform is used even when
 * several are named: Slack, then Discord, then the terminal.
 */
export function supportSpace(config: FlywheelConfig): Place | undefined {
  const s = config.support;
  if (s?.slack) return { platform: "slack", workspace: s.slack.team, channel: s.slack.channel };
  if (s?.discord) return { platform: "discord", workspace: s.discord.guild, channel: s.discord.channel };
  if (s?.shell) return { platform: "shell", channel: s.shell.channel };
  return undefined;
}

/** Outbox keys of the two thread roots; the relay finds a ticket from a thread through them. */
export const rootKey = (ticketId: number, side: "staff" | "member") => `ticket:${ticketId}:${side}-root`;
export function parseRootKey(key: string): { ticketId: number; side: "staff" | "member" } | undefined {
  const m = /^ticket:(\d+):(staff|member)-root$/.exec(key);
  return m ? { ticketId: Number(m[1]), side: m[2] as "staff" | "member" } : undefined;
}

export const ticketInclude = {
  community: true,
  requester: { select: { id: true, displayName: true } },
  assignee: { select: { id: true, displayName: true } },
  githubItems: { orderBy: { id: "asc" } },
} satisfies Prisma.SupportTicketInclude;

export type FullTicket = Prisma.SupportTicketGetPayload<{ include: typeof ticketInclude }>;

/**
 * A ticket with what its card shows. The relations are read one after another rather than with
 * an include: inside a transaction Prisma would send an include's queries concurrently on the
 * one connection, which node-postgres deprecates.
 */
export async function loadTicket(db: Tx, id: number): Promise<FullTicket> {
  const t = await db.supportTicket.findUnique({ where: { id } });
  if (!t) throw new UserError({ key: "support.noSuchTicket", values: { id } });
  const community = await db.community.findUniqueOrThrow({ where: { id: t.communityId } });
  const requester = await db.person.findUniqueOrThrow({ where: { id: t.requesterId }, select: ticketInclude.requester.select });
  const assignee = t.assigneeId ? await db.person.findUnique({ where: { id: t.assigneeId }, select: ticketInclude.assignee.select }) : null;
  const githubItems = await db.githubItem.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
  return { ...t, community, requester, assignee, githubItems };
}

/** Staff actions are refused to everyone else here too, whatever command or button asked. */
export function requireStaff(actor: Actor): void {
  if (actor.role !== "staff") throw new UserError({ key: "people.refusal.staff" });
}

/** Where a message for the member goes: their DM, or the thread under the ticket's message in their channel. */
export function memberTarget(t: { memberPlace: Prisma.JsonValue }): { place: Place; parentId?: number } | undefined {
  const p = asTicketPlace(t.memberPlace);
  if (!p) return undefined;
  if (isDm(p)) return { place: { platform: p.platform, workspace: p.workspace, user: p.user } };
  const { rootOutboxId, ...place } = p;
  // Without a root (never the case for channel tickets) the message goes where the ticket was opened.
  return rootOutboxId ? { place: { ...place, user: undefined }, parentId: rootOutboxId } : { place: { ...place, user: undefined } };
}

/** Where a message for staff goes: the ticket's thread in the support space, when there is one. */
export function staffTarget(t: { staffPlace: Prisma.JsonValue }): { place: Place; parentId?: number; rootOutboxId?: number } | undefined {
  const p = asTicketPlace(t.staffPlace);
  if (!p?.rootOutboxId) return undefined;
  const { rootOutboxId, ...place } = p;
  return { place, parentId: rootOutboxId, rootOutboxId };
}

/**
 * Records a message to send, due by the services' clock (so a test clock and the worker agree).
 * The key makes a replay harmless.
 */
export function post(tx: Tx, services: Services, key: string, target: { place: Place; parentId?: number }, reply: Reply, editOfId?: number): Promise<number> {
  return enqueue(tx, { key, place: target.place, reply, parentId: editOfId ? undefined : target.parentId, editOfId, notBefore: services.clock.now() });
}

/** Prisma's unique-constraint error (a redelivered platform message, a second escalation). */
export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
