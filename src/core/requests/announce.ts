import { createHash } from "node:crypto";
import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import { communityShownTo, type ShownCommunity } from "../people/visibility";
import { enqueue } from "../outbox";
import type { Place, Reply } from "../reply";
import { STATUS_LABEL } from "./requests";
import { truncate } from "../text";

const shortHash = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);

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
    const place: Place = { platform: s.platform, workspace: s.workspace || undefined, channel: s.channel };
    await enqueue(tx, { key: `${key}:${shortHash(k)}`, place, reply });
    queued++;
  }
  return queued;
}

export interface StatusAnnouncement {
  requestId: number;
  changeId: number;
  to: RequestStatus;
  reason?: string;
  sourceRef?: string;
  /** The same extra lines the followers got (communities, credits). */
  extra?: string;
}

/** The roadmap post for a status change, in the words changeStatus uses for followers. */
export async function announceStatusChange(tx: Tx, a: StatusAnnouncement): Promise<number> {
  const r = await tx.featureRequest.findUnique({ where: { id: a.requestId }, select: { id: true, title: true } });
  if (!r) return 0;
  const why = a.reason ? ` — ${truncate(a.reason, 300)}` : "";
  const via = a.sourceRef ? `\n${a.sourceRef}` : "";
  const reply: Reply = {
    text: `Roadmap update: #${r.id} ${r.title} is now ${STATUS_LABEL[a.to]}${why}.${via}${a.extra ? `\n${a.extra}` : ""}`,
    title: `#${r.id} is now ${STATUS_LABEL[a.to]}`,
    buttons: [{ label: "Details", command: `request-show ${r.id}` }],
  };
  return announceToChannels(tx, r.id, `announce:${a.changeId}`, reply);
}
