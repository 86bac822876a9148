import { createHash } from "node:crypto";
import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import { translator, type Translator } from "../../i18n/translate";
import { enqueue } from "../outbox";
import { personLocale, translatorForPlace } from "../people/locale";
import type { Place, Reply } from "../reply";


/**
 * The workspace part of a place's key. A Slack channel has one id in every workspace it joins (a
 * Slack Connect channel), so people of two workspaces speaking there are in one place.
 */
export const workspaceKey = (p: { platform: string; workspace?: string | null; channel?: string | null }): string => (p.platform === "slack" && p.channel ? "" : p.workspace ?? "");

const placeKey = (p: Place) => [p.platform, workspaceKey(p), p.channel ?? "", p.thread ?? "", p.channel ? "" : p.user ?? ""].join("|");
/** A short stable token for a place, to key one outbox row per place. */
export const shortHash = (s: string): string => createHash("sha256").update(s).digest("hex").slice(0, 16);

function asPlace(v: unknown): Place | undefined {
  if (!v || typeof v !== "object") return undefined;
  const p = v as Place;
  return typeof p.platform === "string" && (p.channel || p.user) ? p : undefined;
}

/** A channel's post, addressed to the followers it concerns there. */
export const forFollowers = (t: Translator, reply: Reply, names: string[]): Reply => ({ ...reply, text: `${reply.text}\n${t.t("requests.followers", { names: t.list(names) })}` });

/**
 * Tells the requester, every voter and every follower of a request, where they asked or voted: one message per
 * place (channel or thread), naming the people it concerns, never pinging them, in the language
 * read there: a channel's community's, or in a DM the person's community's.
 * key makes a replay harmless (e.g. "status:<changeId>").
 */
export async function notifyFollowers(tx: Tx, config: FlywheelConfig, requestId: number, key: string, build: (t: Translator, names: string[]) => Reply): Promise<number> {
  const person = { select: { displayName: true, community: { select: { slug: true } } } } as const;
  const r = await tx.featureRequest.findUnique({
    where: { id: requestId },
    select: { origin: true, author: person, votes: { select: { place: true, person } }, follows: { select: { place: true, person } } },
  });
  if (!r) return 0;
  const groups = new Map<string, { place: Place; names: Set<string>; communitySlug?: string }>();
  const add = (p: Place | undefined, who: { displayName: string; community: { slug: string } | null }) => {
    if (!p) return;
    const k = placeKey(p);
    const g = groups.get(k) ?? { place: p, names: new Set<string>(), communitySlug: who.community?.slug };
    g.names.add(who.displayName);
    groups.set(k, g);
  };
  add(asPlace(r.origin), r.author);
  for (const v of r.votes) add(asPlace(v.place), v.person);
  for (const f of r.follows) add(asPlace(f.place), f.person);
  for (const [k, g] of groups) {
    // A channel message concerns everyone there; the user field would turn it into a DM.
    const place: Place = g.place.channel ? { ...g.place, user: undefined } : g.place;
    const t = place.channel ? translatorForPlace(config, place) : translator(personLocale(config, { communitySlug: g.communitySlug }));
    await enqueue(tx, { key: `${key}:${shortHash(k)}`, place, reply: build(t, [...g.names].sort()) });
  }
  return groups.size;
}
