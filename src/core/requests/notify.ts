import { createHash } from "node:crypto";
import type { Tx } from "../../db/client";
import { enqueue } from "../outbox";
import type { Place, Reply } from "../reply";


const placeKey = (p: Place) => [p.platform, p.workspace ?? "", p.channel ?? "", p.thread ?? "", p.channel ? "" : p.user ?? ""].join("|");
/** A short stable token for a place, to key one outbox row per place. */
export const shortHash = (s: string): string => createHash("sha256").update(s).digest("hex").slice(0, 16);

function asPlace(v: unknown): Place | undefined {
  if (!v || typeof v !== "object") return undefined;
  const p = v as Place;
  return typeof p.platform === "string" && (p.channel || p.user) ? p : undefined;
}

/** A channel's post, addressed to the followers it concerns there. */
export const forFollowers = (reply: Reply, names: string[]): Reply => ({ ...reply, text: `${reply.text}\n(You asked or voted for it: ${names.join(", ")}.)` });

/**
 * Tells the requester and every voter of a request, where they asked or voted: one message per
 * place (channel or thread), naming the people it concerns, never pinging them.
 * key makes a replay harmless (e.g. "status:<changeId>").
 */
export async function notifyFollowers(tx: Tx, requestId: number, key: string, build: (names: string[]) => Reply): Promise<number> {
  const r = await tx.featureRequest.findUnique({
    where: { id: requestId },
    select: { origin: true, author: { select: { displayName: true } }, votes: { select: { place: true, person: { select: { displayName: true } } } } },
  });
  if (!r) return 0;
  const groups = new Map<string, { place: Place; names: Set<string> }>();
  const add = (p: Place | undefined, name: string) => {
    if (!p) return;
    const k = placeKey(p);
    const g = groups.get(k) ?? { place: p, names: new Set<string>() };
    g.names.add(name);
    groups.set(k, g);
  };
  add(asPlace(r.origin), r.author.displayName);
  for (const v of r.votes) add(asPlace(v.place), v.person.displayName);
  for (const [k, g] of groups) {
    // A channel message concerns everyone there; the user field would turn it into a DM.
    const place: Place = g.place.channel ? { ...g.place, user: undefined } : g.place;
    await enqueue(tx, { key: `${key}:${shortHash(k)}`, place, reply: build([...g.names].sort()) });
  }
  return groups.size;
}
