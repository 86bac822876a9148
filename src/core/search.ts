import { Prisma } from "../generated/prisma/client";
import type { Actor, Services } from "./context";
import { truncate } from "./text";

/** One autocomplete answer: what the person sees, and the value the option gets. */
export interface Suggestion<V extends string | number = string | number> {
  label: string;
  value: V;
}

/** Requests that still take votes: what "open requests" means to someone typing a number. */
const VOTABLE = ["open", "planned", "in_progress"];

/** Escapes LIKE wildcards so "100%" or "a_b" match literally. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Open requests for a number picker: "12" or "#12" matches numbers starting with 12, words
 * match titles (substring or stemmed full-text). Best first: title prefix, then most voted.
 * An empty query lists the most-voted open requests.
 */
export async function suggestRequests(services: Services, query: string, limit = 25): Promise<Suggestion<number>[]> {
  const q = query.trim().replace(/^#/, "").slice(0, 100);
  const numeric = /^\d+$/.test(q);
  const filter = !q
    ? Prisma.empty
    : numeric
      ? Prisma.sql`AND (r.id::text LIKE ${`${q}%`} OR r.title ILIKE ${`%${likeEscape(q)}%`})`
      : Prisma.sql`AND (r.title ILIKE ${`%${likeEscape(q)}%`} OR to_tsvector('english', r.title) @@ plainto_tsquery('english', ${q}))`;
  const rows = await services.db.$queryRaw<{ id: number; title: string }[]>(Prisma.sql`
    SELECT r.id, r.title
    FROM "FeatureRequest" r
    LEFT JOIN (SELECT "requestId", count(*) AS n FROM "Vote" GROUP BY "requestId") v ON v."requestId" = r.id
    WHERE r.status::text IN (${Prisma.join(VOTABLE)}) ${filter}
    ORDER BY ${numeric ? Prisma.sql`(r.id::text = ${q}) DESC,` : Prisma.empty}
             ${q ? Prisma.sql`(r.title ILIKE ${`${likeEscape(q)}%`}) DESC,` : Prisma.empty}
             coalesce(v.n, 0) DESC, r.id ASC
    LIMIT ${Math.max(1, Math.min(limit, 25))}`);
  return rows.map((r) => ({ label: truncate(`#${r.id} ${r.title}`, 100), value: r.id }));
}

/**
 * Community slugs for a community picker. Private communities are left out, except the
 * asker's own (naming a private community to everyone would reveal it).
 */
export async function suggestCommunities(services: Services, query: string, actor?: Pick<Actor, "communityId">, limit = 25): Promise<Suggestion<string>[]> {
  const q = query.trim().toLowerCase().slice(0, 100);
  const rows = await services.db.community.findMany({
    where: {
      active: true,
      AND: [
        { OR: [{ private: false }, ...(actor?.communityId ? [{ id: actor.communityId }] : [])] },
        ...(q ? [{ OR: [{ slug: { contains: q } }, { name: { contains: q, mode: "insensitive" as const } }] }] : []),
      ],
    },
    orderBy: { slug: "asc" },
    take: Math.max(1, Math.min(limit, 25)),
  });
  return rows.map((c) => ({ label: truncate(`${c.slug} — ${c.name}`, 100), value: c.slug }));
}

/**
 * Unresolved support tickets for a ticket picker: staff see every community's, anyone else
 * only their own community's.
 */
export async function suggestTickets(services: Services, query: string, actor: Pick<Actor, "role" | "communityId">, limit = 25): Promise<Suggestion<number>[]> {
  if (actor.role !== "staff" && actor.communityId === null) return [];
  const q = query.trim().replace(/^#/, "").slice(0, 100);
  const numeric = /^\d{1,9}$/.test(q);
  const rows = await services.db.supportTicket.findMany({
    where: {
      status: { not: "resolved" },
      ...(actor.role === "staff" ? {} : { communityId: actor.communityId! }),
      ...(q ? { OR: [{ summary: { contains: q, mode: "insensitive" as const } }, ...(numeric ? [{ id: Number(q) }] : [])] } : {}),
    },
    orderBy: { id: "desc" },
    take: Math.max(1, Math.min(limit, 25)),
  });
  return rows.map((t) => ({ label: truncate(`#${t.id} ${t.summary}`, 100), value: t.id }));
}
