import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import { communityShownTo, type ShownCommunity } from "../people/visibility";
import { enqueue } from "../outbox";
import type { Place, Reply } from "../reply";
import { shortHash } from "./notify";
import { STATUS_LABEL } from "./requests";
import { truncate } from "../text";

/** A channel post is read by many: a private community is named by its tier only. */
const shownInPublic = (c: ShownCommunity): string => communityShownTo(c, "public");

/** "A, B and C" */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Names in first-seen order, each once (several private members of one tier stay countable). */
const uniqueNames = (names: string[]): string[] => {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return [...counts].map(([n, k]) => (k > 1 && /^an? /.test(n) ? `${k} ${n.replace(/^an? /, "")}s` : n));
};

export interface RequestAudience {
  /** Communities that asked (the author's) or voted, public names. */
  askedBy: string[];
  votedBy: string[];
  pledgedBy: string[];
}

/** Which communities asked for, voted for and pledged to a request, named for a public post. */
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
    askedBy: [shownInPublic(r.community)],
    votedBy: uniqueNames(distinct(r.votes.map((v) => v.community)).map(shownInPublic)),
    pledgedBy: uniqueNames(distinct(r.pledges.map((p) => p.community)).map(shownInPublic)),
  };
}

interface PlaceLike {
  platform?: unknown;
  workspace?: unknown;
  channel?: unknown;
  thread?: unknown;
}
const channelKey = (p: { platform: string; workspace?: string | null; channel: string }) => `${p.platform}|${p.workspace ?? ""}|${p.channel}`;

type SpaceRow = { platform: Place["platform"]; workspace: string; channel: string };

/** Queues one post to a configured space (a channel); key + the channel make a replay harmless. */
export async function postToSpace(tx: Tx, space: SpaceRow, key: string, reply: Reply): Promise<void> {
  const place: Place = { platform: space.platform, workspace: space.workspace || undefined, channel: space.channel };
  await enqueue(tx, { key: `${key}:${shortHash(channelKey(space))}`, place, reply });
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
 * voted for it, and to the roadmap channel when the config names one. A channel where a
 * follower already gets the same news (changeStatus tells them where they asked) is skipped,
 * so nobody reads it twice. key makes a replay harmless. Returns how many posts were queued.
 */
export async function announceToChannels(tx: Tx, requestId: number, key: string, reply: Reply): Promise<number> {
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
    await postToSpace(tx, s, key, reply);
    queued++;
  }
  return queued;
}

export interface BuiltBy {
  built: string[];
  reviewed: string[];
}

export const builtLine = (b: BuiltBy): string =>
  [b.built.length ? `Built by ${listNames(b.built)}` : "", b.reviewed.length ? `reviewed by ${listNames(b.reviewed)}` : ""].filter(Boolean).join("; ");

/** Who a status change concerns, under its headline: who wants it, or on shipping who built, asked, voted and pledged. */
export async function statusExtra(tx: Tx, requestId: number, to: RequestStatus, builtBy: BuiltBy): Promise<string> {
  const a = await requestAudience(tx, requestId);
  if (to !== "shipped") return a.votedBy.length ? `Wanted by ${listNames(a.votedBy)}.` : "";
  const built = builtLine(builtBy);
  const who = [`Asked by ${listNames(a.askedBy)}`, a.votedBy.length ? `voted for by ${listNames(a.votedBy)}` : "", a.pledgedBy.length ? `pledged by ${listNames(a.pledgedBy)}` : ""]
    .filter(Boolean)
    .join(" · ");
  return [built ? `${built}.` : "", `${who}.`].filter(Boolean).join("\n");
}

export interface StatusNews {
  request: { id: number; title: string };
  to: RequestStatus;
  reason?: string;
  sourceRef?: string;
  extra?: string;
}

/** The one text of a status change: "Roadmap update: #N … is now …", for channels and followers alike. */
export function statusReply(n: StatusNews): Reply {
  const why = n.reason ? ` — ${truncate(n.reason, 300)}` : "";
  const via = n.sourceRef ? `\n${n.sourceRef}` : "";
  return {
    text: `Roadmap update: #${n.request.id} ${n.request.title} is now ${STATUS_LABEL[n.to]}${why}.${via}${n.extra ? `\n${n.extra}` : ""}`,
    title: `#${n.request.id} is now ${STATUS_LABEL[n.to]}`,
    buttons: [{ label: "Details", command: `request-show ${n.request.id}` }],
  };
}
