import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import type { Translator } from "../../i18n/translate";
import type { Localized } from "../errors";
import { translatorForPlace } from "../people/locale";
import { mayName, type PublicPerson, publicPersonText, type ShownCommunity, tierPhrase } from "../people/visibility";
import { enqueue } from "../outbox";
import type { Place, Reply } from "../reply";
import { shortHash, workspaceKey } from "./notify";
import { statusLabel } from "./requests";
import { truncate } from "../text";

/**
 * Communities as a channel post names them, in first-seen order, each once: a public one by
 * name, private ones by tier only, counted together ("2 Essential members") so they stay countable.
 */
export function publicNames(t: Translator, communities: ShownCommunity[]): string[] {
  const groups = new Map<string, { c: ShownCommunity; count: number }>();
  for (const c of communities) {
    const k = mayName(c, "public") ? `name:${c.name}` : `tier:${c.tier}`;
    const g = groups.get(k) ?? { c, count: 0 };
    g.count++;
    groups.set(k, g);
  }
  return [...groups.values()].map(({ c, count }) => (mayName(c, "public") ? c.name : tierPhrase(t, c.tier, count)));
}

export interface RequestAudience {
  /** The community that asked (the author's), and those that voted and pledged, each once. */
  askedBy: ShownCommunity[];
  votedBy: ShownCommunity[];
  pledgedBy: ShownCommunity[];
}

/** Which communities asked for, voted for and pledged to a request (named per reader with publicNames). */
export async function requestAudience(tx: Tx, requestId: number): Promise<RequestAudience> {
  const r = await tx.featureRequest.findUnique({
    where: { id: requestId },
    select: {
      community: { select: { name: true, tier: true, private: true } },
      votes: { select: { community: { select: { id: true, name: true, tier: true, private: true } } }, orderBy: { id: "asc" } },
      pledges: { select: { community: { select: { id: true, name: true, tier: true, private: true } } }, orderBy: { id: "asc" } },
    },
  });
  if (!r) return { askedBy: [], votedBy: [], pledgedBy: [] };
  const distinct = <T extends { id: number }>(xs: T[]) => [...new Map(xs.map((x) => [x.id, x])).values()];
  return {
    askedBy: [r.community],
    votedBy: distinct(r.votes.map((v) => v.community)),
    pledgedBy: distinct(r.pledges.map((p) => p.community)),
  };
}

interface PlaceLike {
  platform?: unknown;
  workspace?: unknown;
  channel?: unknown;
  thread?: unknown;
}
const channelKey = (p: { platform: string; workspace?: string | null; channel: string }) => `${p.platform}|${workspaceKey(p)}|${p.channel}`;

type SpaceRow = { platform: Place["platform"]; workspace: string; channel: string };

/** A post composed for the place it goes to, in the language read there. */
export type PostBuilder = (t: Translator) => Reply;

/** Queues one post to a configured space (a channel), in its community's language; key + the channel make a replay harmless. */
export async function postToSpace(tx: Tx, config: FlywheelConfig, space: SpaceRow, key: string, build: PostBuilder): Promise<void> {
  const place: Place = { platform: space.platform, workspace: space.workspace || undefined, channel: space.channel };
  await enqueue(tx, { key: `${key}:${shortHash(channelKey(space))}`, place, reply: build(translatorForPlace(config, place)) });
}

/** Channels (not threads) where the requester or a voter asked: they hear about it there already. */
async function followerChannels(tx: Tx, requestId: number): Promise<Set<string>> {
  const r = await tx.featureRequest.findUnique({ where: { id: requestId }, select: { origin: true, votes: { select: { place: true } } } });
  const keys = new Set<string>();
  for (const v of [r?.origin, ...(r?.votes.map((x) => x.place) ?? [])]) {
    const p = v as PlaceLike | null | undefined;
    if (p && typeof p.platform === "string" && typeof p.channel === "string" && p.channel && !p.thread)
      keys.add(channelKey({ platform: p.platform, workspace: typeof p.workspace === "string" ? p.workspace : "", channel: p.channel }));
  }
  return keys;
}

/**
 * Posts a roadmap message about a request to the channels of every community that asked for or
 * voted for it, and to the roadmap channel when the config names one, each in its community's
 * language. A channel where a follower already gets the same news (changeStatus tells them where
 * they asked) is skipped, so nobody reads it twice. key makes a replay harmless. Returns how many
 * posts were queued.
 */
export async function announceToChannels(tx: Tx, config: FlywheelConfig, requestId: number, key: string, build: PostBuilder): Promise<number> {
  const votes = await tx.vote.findMany({ where: { requestId }, select: { communityId: true }, distinct: ["communityId"] });
  const request = await tx.featureRequest.findUnique({ where: { id: requestId }, select: { communityId: true } });
  const communityIds = [...new Set([...(request ? [request.communityId] : []), ...votes.map((v) => v.communityId)])];
  const spaces = await tx.space.findMany({
    where: { OR: [{ purpose: "community", communityId: { in: communityIds }, community: { active: true } }, { purpose: "roadmap" }] },
    orderBy: { id: "asc" },
  });
  const told = await followerChannels(tx, requestId);
  let queued = 0;
  const seen = new Set<string>();
  for (const s of spaces) {
    const k = channelKey(s);
    if (seen.has(k)) continue;
    seen.add(k);
    if (s.purpose === "community" && told.has(k)) continue;
    await postToSpace(tx, config, s, key, build);
    queued++;
  }
  return queued;
}

export interface BuiltBy {
  built: PublicPerson[];
  reviewed: PublicPerson[];
}

const names = (t: Translator, people: PublicPerson[]) => t.list(people.map((p) => publicPersonText(t, p)));

/** "Built by A and B; reviewed by C", or "" when nobody is known. */
export const builtLine = (t: Translator, b: BuiltBy): string =>
  b.built.length || b.reviewed.length
    ? t.t("requests.builtBy", { hasBuilt: b.built.length ? "yes" : "no", built: names(t, b.built), hasReviewed: b.reviewed.length ? "yes" : "no", reviewed: names(t, b.reviewed) })
    : "";

/** Who a status change concerns: its audience, and on shipping who built it. */
export interface StatusWho {
  audience: RequestAudience;
  builtBy: BuiltBy;
}

/** Who a status change concerns, under its headline: who wants it, or on shipping who built, asked, voted and pledged. */
export function statusExtra(t: Translator, to: RequestStatus, who: StatusWho): string {
  const voted = publicNames(t, who.audience.votedBy);
  if (to !== "shipped") return voted.length ? t.t("requests.wantedBy", { names: t.list(voted) }) : "";
  const built = builtLine(t, who.builtBy);
  const pledged = publicNames(t, who.audience.pledgedBy);
  const asked = t.t("requests.shippedAudience", {
    asked: t.list(publicNames(t, who.audience.askedBy)),
    hasVoted: voted.length ? "yes" : "no",
    voted: t.list(voted),
    hasPledged: pledged.length ? "yes" : "no",
    pledged: t.list(pledged),
  });
  return [built ? `${built}.` : "", asked].filter(Boolean).join("\n");
}

export interface StatusNews {
  request: { id: number; title: string };
  to: RequestStatus;
  /** Staff's own words (a string, shown as typed) or a reason Flywheel composed (shown in the reader's language). */
  reason?: string | Localized;
  sourceRef?: string;
  who?: StatusWho;
}

/** A reason as the reader reads it: a person's words as they are, Flywheel's in the reader's language. */
export const reasonText = (t: Translator, reason: string | Localized): string => (typeof reason === "string" ? reason : t.t(reason.key, reason.values));

/** The one text of a status change: "Roadmap update: #N … is now …", for channels and followers alike. */
export function statusReply(t: Translator, n: StatusNews): Reply {
  const reason = n.reason ? truncate(reasonText(t, n.reason), 300) : "";
  const status = statusLabel(t, n.to);
  const extra = n.who ? statusExtra(t, n.to, n.who) : "";
  const headline = t.t("requests.statusUpdate", { number: n.request.id, title: n.request.title, status, hasReason: reason ? "yes" : "no", reason });
  return {
    text: [headline, n.sourceRef ?? "", extra].filter(Boolean).join("\n"),
    title: t.t("requests.statusTitle", { number: n.request.id, status }),
    buttons: [{ label: t.t("requests.button.details"), command: `request-show ${n.request.id}` }],
  };
}
