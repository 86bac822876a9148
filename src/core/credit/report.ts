// Reading the credit ledger: who did what (all-contributors' kinds), per person or community.
import type { Prisma } from "../../generated/prisma/client";
import type { Translator } from "../../i18n/translate";
import type { Actor, Services } from "../context";
import { UserError } from "../errors";
import { communityShownTo, mayName, personShownTo, viewerOf } from "../people/visibility";
import { truncate } from "../text";

export type CreditTarget =
  | { kind: "person"; personId: number; name: string; logins: string[] }
  | { kind: "community"; communityId: number; name: string }
  | { kind: "login"; login: string };

const KIND_ORDER = ["code", "review", "ideas", "bug", "question", "financial", "userTesting", "doc"];
const LIST_MAX = 15;

/** "2026-01-31" as the start of that day in UTC; a clear error for anything else. */
export function parseSince(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3]))
    throw new UserError({ key: "credit.badDate", values: { text: truncate(text, 40) } });
  return d;
}

/**
 * Finds whose credits to show from what someone typed: "me", a community slug, a person's name,
 * chat handle or linked GitHub login, or a GitHub login that is in the ledger on its own.
 */
export async function findCreditTarget(services: Services, actor: Actor, text: string): Promise<CreditTarget> {
  const { db } = services;
  const q = text.trim().replace(/^@/, "");
  if (!q) throw new UserError({ key: "credit.nameSomeone" });
  const withLogins = async (personId: number, name: string): Promise<CreditTarget> => {
    const logins = await db.account.findMany({ where: { personId, platform: "github" }, select: { externalId: true } });
    return { kind: "person", personId, name, logins: logins.map((l) => l.externalId.toLowerCase()) };
  };
  if (q.toLowerCase() === "me") return withLogins(actor.personId, actor.displayName);

  const viewer = viewerOf(actor);
  const community = await db.community.findUnique({ where: { slug: q.toLowerCase() } });
  if (community) {
    if (!mayName(community, viewer)) throw new UserError({ key: "credit.private", values: { slug: q.toLowerCase() } });
    return { kind: "community", communityId: community.id, name: community.name };
  }
  const insensitive = { equals: q, mode: "insensitive" as const };
  const accounts = await db.account.findMany({
    where: { OR: [{ externalId: insensitive }, { handle: insensitive }] },
    select: { person: { select: { id: true, displayName: true, community: true } } },
  });
  const named = await db.person.findMany({ where: { displayName: insensitive }, select: { id: true, displayName: true, community: true } });
  // People of a private community are not found by outsiders: their credits would tell who they are.
  const people = [...new Map([...accounts.map((a) => a.person), ...named].map((p) => [p.id, p])).values()].filter((p) => !p.community || mayName(p.community, viewer));
  if (people.length === 1) return withLogins(people[0].id, people[0].displayName);
  if (people.length > 1)
    throw new UserError({ key: "credit.several", values: { text: truncate(q, 40), names: people.slice(0, 5).map((p) => p.displayName).join(", ") } });
  const login = q.toLowerCase();
  if (await db.contribution.findFirst({ where: { githubLogin: login }, select: { id: true } })) return { kind: "login", login };
  throw new UserError({ key: "credit.unknown", values: { text: truncate(q, 40), credits: "/credits" } });
}

type Row = Prisma.ContributionGetPayload<{ include: { person: { include: { community: true } }; community: true } }>;

const countLine = (t: Translator, rows: { kind: string }[]): string => {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => KIND_ORDER.indexOf(a[0]) - KIND_ORDER.indexOf(b[0]))
    .map(([kind, count]) => t.t("credit.kindCount", { kind, count }))
    .join(" · ");
};

/** The same work reached a person twice (credited to their login before it was linked): count it once. */
const onePerSourceAndKind = (rows: Row[]): Row[] => [...new Map(rows.map((r) => [`${r.source}|${r.kind}`, r])).values()];

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The ledger for one target, or everyone's totals, in the reader's language; since limits it to credits from that day on. */
export async function creditsReport(services: Services, actor: Actor, target: CreditTarget | undefined, t: Translator, since?: Date): Promise<string> {
  const { db } = services;
  const when: Prisma.ContributionWhereInput = since ? { createdAt: { gte: since } } : {};
  const range = { hasSince: since ? "yes" : "no", since: since ? day(since) : "" };
  const include = { person: { include: { community: true } }, community: true } as const;
  const viewer = viewerOf(actor);
  const loginName = (login: string | null) => t.t("credit.githubLogin", { login });

  if (!target) {
    const rows = await db.contribution.findMany({ where: when, include, orderBy: { id: "asc" } });
    if (!rows.length) return t.t("credit.noneYet", range);
    const groups = new Map<string, { name: string; rows: Row[] }>();
    for (const r of rows) {
      const name = r.person ? personShownTo(r.person, r.person.community, viewer, t) : r.community ? communityShownTo(r.community, viewer, t) : loginName(r.githubLogin);
      const g = groups.get(r.subject) ?? { name, rows: [] };
      g.rows.push(r);
      groups.set(r.subject, g);
    }
    const ranked = [...groups.values()].sort((a, b) => b.rows.length - a.rows.length || a.name.localeCompare(b.name));
    const lines = ranked.slice(0, LIST_MAX).map((g) => t.t("credit.line", { name: g.name, counts: countLine(t, g.rows) }));
    if (ranked.length > LIST_MAX) lines.push(t.t("credit.more", { count: ranked.length - LIST_MAX }));
    return [t.t("credit.everyone", { ...range, count: rows.length }), ...lines].join("\n");
  }

  const where: Prisma.ContributionWhereInput =
    target.kind === "person"
      ? { OR: [{ personId: target.personId }, ...(target.logins.length ? [{ githubLogin: { in: target.logins } }] : [])] }
      : target.kind === "community"
        ? { communityId: target.communityId }
        : { githubLogin: target.login };
  const rows = onePerSourceAndKind(await db.contribution.findMany({ where: { AND: [where, when] }, include, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }));
  const name = target.kind === "login" ? loginName(target.login) : target.name;
  if (!rows.length) return t.t("credit.noneFor", { name, ...range });
  const lines = rows.slice(0, LIST_MAX).map((r) => {
    const who = target.kind === "community" && r.person ? r.person.displayName : "";
    return t.t("credit.entry", { day: day(r.createdAt), kind: t.t("credit.kind", { kind: r.kind }), hasWho: who ? "yes" : "no", who, note: r.note ?? r.source });
  });
  if (rows.length > LIST_MAX) lines.push(t.t("credit.earlier", { count: rows.length - LIST_MAX }));
  return [t.t("credit.for", { name, ...range, counts: countLine(t, rows) }), ...lines].join("\n");
}
