// A reaction files a message: 🎫 opens a support ticket, 💡 files a feature request, on behalf of
// the message's author and their community, through the same functions as /support and /request.
// Platforms only say who reacted with what to which message, and what that message says.
import type { FlywheelConfig } from "../config/file";
import type { Localized } from "./errors";
import { isUserError } from "./errors";
import { translator, type Translator } from "../i18n/translate";
import type { Actor, PlatformName, RoleName, Services } from "./context";
import { cleanText } from "./clean-text";
import { enqueue } from "./outbox";
import { communityForPlace, resolveActor, type Speaker } from "./people/identity";
import { personLocale, translatorForPlace } from "./people/locale";
import { hasRole, refusal } from "./people/permissions";
import type { Place, Reply } from "./reply";
import { requestButtons } from "./requests/cards";
import { createRequest, DETAILS_MAX, TITLE_MAX, TITLE_MIN } from "./requests/requests";
import { isUniqueViolation, SUMMARY_MAX, SUMMARY_MIN } from "./support/model";
import { openTicket } from "./support/tickets";
import { truncate } from "./text";

export type ReactionKind = "request" | "ticket";

/** Which kind a reaction files, or undefined for any other emoji. Slack's skin tones (`::skin-tone-2`) do not matter. */
export function reactionKind(config: FlywheelConfig, platform: PlatformName, emoji: string | null | undefined): ReactionKind | undefined {
  if (!emoji) return undefined;
  const r = config.reactions;
  const name = platform === "slack" ? emoji.split("::")[0].replace(/^:|:$/g, "") : emoji;
  // Discord sends a Unicode emoji as itself, with or without the variation selector U+FE0F.
  const same = (a: string, b: string) => a.replace(/\uFE0F/g, "") === b.replace(/\uFE0F/g, "");
  for (const kind of ["ticket", "request"] as const) {
    const want = platform === "slack" ? r[kind].slack : r[kind].emoji;
    if (same(name, want)) return kind;
  }
  return undefined;
}

const NEEDED: Record<FlywheelConfig["reactions"]["who"], RoleName> = { anyone: "member", stewards: "steward", staff: "staff" };

/** The message reacted to, as the platform read it. */
export interface ReactedMessage {
  author: Speaker;
  /** A bot's or the system's message: there is no person to file it for. */
  authorIsBot: boolean;
  text: string;
  /** A link back to the message (Discord's message URL, Slack's permalink). */
  url?: string;
}

export interface Reaction {
  kind: ReactionKind;
  reactor: Speaker;
  /** Where the message is: its channel, and the thread it is in when it is a reply. */
  place: Place;
  /** The platform's id of the message (Slack ts, Discord message id). */
  messageId: string;
  /** The thread where answers about the message go (the message's own thread, or the one it is in). */
  answerThread: string;
  /** Undefined when the bot could not read it (not in the channel, no history access, deleted). */
  message?: ReactedMessage;
}

export type ReactionOutcome =
  | { kind: "filed"; requestId?: number; ticketId?: number }
  | { kind: "already"; requestId?: number; ticketId?: number }
  | { kind: "refused" | "unreadable" | "unfit" | "ignored" };

/**
 * Files a reacted-to message once, whoever reacts and however often: a row per message and kind
 * is claimed first (unique in the database), so two reactions at once file one item. The author
 * gets the request or ticket, answered in the message's thread; the person who reacted is told
 * in a direct message (the outbox), as are refusals and messages that cannot be filed.
 */
export async function fileByReaction(services: Services, r: Reaction): Promise<ReactionOutcome> {
  const { config, log } = services;
  const where = { platform: r.place.platform, workspace: r.place.workspace, channel: r.place.channel };
  if (!r.place.channel || !communityForPlace(config, where)) {
    log.info({ platform: r.place.platform, workspace: r.place.workspace, channel: r.place.channel }, "a filing reaction outside any community's place; ignored");
    return { kind: "ignored" };
  }
  const reactor = await resolveActor(services, r.reactor);
  if (reactor.communityId === null) {
    log.info({ platform: r.place.platform, workspace: r.place.workspace }, "a filing reaction in an inactive community's place; ignored");
    return { kind: "ignored" };
  }
  const t = translator(personLocale(config, { own: [r.reactor.locale], communitySlug: reactor.communitySlug }));
  const tell = (suffix: string, reply: Reply) =>
    enqueue(services.db, { key: `reaction:${r.place.platform}:${r.place.channel}:${r.messageId}:${r.kind}:${suffix}:${reactor.personId}`, place: dmOf(r.reactor), reply });
  const need = NEEDED[config.reactions.who];
  if (!hasRole(reactor.role, need)) {
    await tell("refused", { text: refusal(t, need) });
    return { kind: "refused" };
  }
  const m = r.message;
  if (!m) {
    log.info({ platform: r.place.platform, channel: r.place.channel, message: r.messageId }, "a filing reaction on a message the bot cannot read");
    await tell("unreadable", { text: t.t("reactions.unreadable", { kind: r.kind }) });
    return { kind: "unreadable" };
  }
  const text = cleanText(m.text).trim();
  const unfit: Localized | undefined = m.authorIsBot
    ? { key: "reactions.botMessage", values: { kind: r.kind } }
    : text.length < (r.kind === "ticket" ? SUMMARY_MIN : TITLE_MIN)
      ? { key: "reactions.noText", values: { kind: r.kind } }
      : undefined;
  if (unfit) {
    await tell("unfit", { text: t.t(unfit.key, unfit.values) });
    return { kind: "unfit" };
  }

  let claim: { id: number };
  try {
    claim = await services.db.reactionFiling.create({
      data: { ...where, workspace: r.place.workspace ?? "", channel: r.place.channel, messageId: r.messageId, kind: r.kind, reactorId: reactor.personId, messageUrl: m.url ?? null, createdAt: services.clock.now() },
      select: { id: true },
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const before = await services.db.reactionFiling.findUnique({
      where: { platform_channel_messageId_kind: { platform: r.place.platform, channel: r.place.channel, messageId: r.messageId, kind: r.kind } },
    });
    await tell("already", { text: t.t("reactions.already", { kind: r.kind, number: before?.requestId ?? before?.ticketId ?? 0, known: before?.requestId || before?.ticketId ? "yes" : "no" }) });
    return { kind: "already", requestId: before?.requestId ?? undefined, ticketId: before?.ticketId ?? undefined };
  }

  const author = await resolveActor(services, m.author);
  const place: Place = { platform: r.place.platform, workspace: r.place.workspace, channel: r.place.channel, thread: r.answerThread };
  let filed: { requestId?: number; ticketId?: number };
  try {
    filed = r.kind === "request" ? await fileRequest(services, author, place, text, m.url) : await fileTicket(services, author, place, text, m.url);
  } catch (e) {
    // Nothing was filed: free the claim, so a fixed message (or a retry after an outage) can be.
    await services.db.reactionFiling.delete({ where: { id: claim.id } }).catch(() => undefined);
    if (!isUserError(e)) throw e;
    await tell("failed", { text: e.localized ? t.t(e.localized.key, e.localized.values) : e.message });
    return { kind: "unfit" };
  }
  await services.db.reactionFiling.update({ where: { id: claim.id }, data: filed });
  const number = filed.requestId ?? filed.ticketId!;
  if (filed.requestId) {
    const here = translatorForPlace(config, place);
    await enqueue(services.db, { key: `reaction:${claim.id}:thread`, place, reply: filedInThread(here, filed.requestId, author, reactor) });
  }
  await tell("filed", { text: t.t("reactions.filed", { kind: r.kind, number, author: author.displayName }), buttons: filed.requestId ? requestButtons(t, filed.requestId).slice(2) : undefined });
  log.info({ kind: r.kind, number, platform: r.place.platform, message: r.messageId }, "message filed by a reaction");
  return { kind: "filed", ...filed };
}

const dmOf = (s: Speaker): Place => ({ platform: s.platform, workspace: s.workspace, user: s.externalId });

/** A headline from a message: its first line, cut at a word when too long; the rest of the message is the details. */
export function headline(text: string, max: number): { head: string; rest: string } {
  const [first, ...more] = text.split("\n");
  // A first line too short to name anything ("Hi", "+1") says nothing alone: the text as one line does.
  const line = first.trim().length < 3 ? text.replace(/\s+/g, " ").trim() : first.trim();
  if (line.length <= max) return { head: line, rest: line === first.trim() ? more.join("\n").trim() : "" };
  const cut = line.slice(0, max - 1);
  const atWord = cut.lastIndexOf(" ") > max / 2 ? cut.slice(0, cut.lastIndexOf(" ")) : cut;
  return { head: `${atWord}…`, rest: text.trim() };
}

async function fileRequest(services: Services, author: Actor, place: Place, text: string, url?: string): Promise<{ requestId: number }> {
  const { head, rest } = headline(text, TITLE_MAX);
  const r = await createRequest(services, author, { title: head, details: truncate(rest, DETAILS_MAX) || undefined, place, sourceUrl: url });
  return { requestId: r.id };
}

async function fileTicket(services: Services, author: Actor, place: Place, text: string, url?: string): Promise<{ ticketId: number }> {
  const { head, rest } = headline(text, SUMMARY_MAX);
  // Staff read the ticket away from the channel: the link takes them to the message itself.
  const details = [truncate(rest, DETAILS_MAX - (url ? url.length + 2 : 0)), url ?? ""].filter(Boolean).join("\n\n");
  const ticket = await openTicket(services, author, { summary: head, details: details || undefined, place });
  return { ticketId: ticket.id };
}

/** The answer under the filed message: what it became, for whom, and how others can want it too. */
function filedInThread(t: Translator, id: number, author: Actor, reactor: Actor): Reply {
  return {
    text: t.t("reactions.filedInThread", { number: id, author: author.displayName, reactor: reactor.displayName, same: author.personId === reactor.personId ? "yes" : "no", upvote: `/upvote ${id}` }),
    buttons: requestButtons(t, id),
  };
}
