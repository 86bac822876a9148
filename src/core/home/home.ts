import type { Tx } from "../../db/client";
import type { Platform } from "../../generated/prisma/client";
import type { Translator } from "../../i18n/translate";
import type { Actor, Services } from "../context";
import { communityShownTo, viewerOf } from "../people/visibility";
import type { Button, Reply, Section } from "../reply";
import { rankedLine } from "../requests/cards";
import { rankRequests, type RankedRequest } from "../requests/requests";
import { truncate } from "../text";

/** Rows per part of the page: four parts of five fit Slack's block limit with their buttons. */
const SHOWN = 5;
const STILL_MOVING = ["open", "planned", "in_progress"] as const;
const ANY_BUT_MERGED = ["open", "planned", "in_progress", "shipped", "declined"] as const;

/** Remembers that a person opened their home page: from now on, changes to it republish it. */
export async function homeOpened(db: Tx, who: { platform: Platform; externalId: string; workspace: string }, at: Date): Promise<void> {
  await db.homeView.upsert({
    where: { platform_externalId: { platform: who.platform, externalId: who.externalId } },
    create: { ...who, openedAt: at },
    update: { workspace: who.workspace, openedAt: at },
  });
}

const details = (t: Translator, id: number): Button => ({ label: t.t("requests.button.details"), command: `request-show ${id}` });

/** Requests in the order asked for (most recent first), ranked lines from rankRequests. */
async function rankedByIds(services: Services, ids: number[]): Promise<RankedRequest[]> {
  if (!ids.length) return [];
  const { rows } = await rankRequests(services, { statuses: [...ANY_BUT_MERGED], ids, pageSize: ids.length });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * One person's home page, platform-neutral: what they asked for and voted for with its status,
 * their open support tickets, and what their community wants most, with the buttons that act on
 * them (the same command lines as every card) and two to start something new. Requests show as
 * counts, never by who voted, and their own community is named to them only as they may read it.
 */
export async function homeFor(services: Services, actor: Actor, t: Translator): Promise<Reply> {
  const { db } = services;
  const [mine, votes, tickets, community] = await Promise.all([
    db.featureRequest.findMany({ where: { authorId: actor.personId, status: { not: "merged" } }, select: { id: true }, orderBy: { id: "desc" }, take: SHOWN }),
    db.vote.findMany({
      where: { personId: actor.personId, request: { authorId: { not: actor.personId }, status: { not: "merged" } } },
      select: { requestId: true },
      orderBy: { id: "desc" },
      take: SHOWN,
    }),
    db.supportTicket.findMany({ where: { requesterId: actor.personId, status: { not: "resolved" } }, select: { id: true, summary: true, status: true }, orderBy: { id: "desc" }, take: SHOWN }),
    actor.communityId === null ? null : db.community.findUnique({ where: { id: actor.communityId }, select: { id: true, slug: true, name: true, private: true, tier: true } }),
  ]);
  const [asked, voted] = await Promise.all([rankedByIds(services, mine.map((r) => r.id)), rankedByIds(services, votes.map((v) => v.requestId))]);
  const wanted = community ? (await rankRequests(services, { statuses: [...STILL_MOVING], communitySlug: community.slug, pageSize: SHOWN })).rows : [];
  const votedFor = new Set(
    wanted.length ? (await db.vote.findMany({ where: { personId: actor.personId, requestId: { in: wanted.map((r) => r.id) } }, select: { requestId: true } })).map((v) => v.requestId) : [],
  );

  const shownCommunity = community ? communityShownTo(community, viewerOf(actor), t) : null;
  const intro = shownCommunity ? t.t("home.intro", { community: shownCommunity }) : t.t("home.introNoCommunity");
  const sections: Section[] = [
    {
      text: intro,
      buttons: [
        { label: t.t("home.button.newRequest"), command: "request", style: "primary" },
        { label: t.t("home.button.openTicket"), command: "support" },
      ],
    },
  ];
  const list = (title: string, empty: string, rows: RankedRequest[], buttons: (r: RankedRequest) => Button[]) => {
    sections.push({ title, ...(rows.length ? {} : { text: empty }) });
    for (const r of rows) sections.push({ text: rankedLine(t, r), buttons: buttons(r) });
  };
  list(t.t("home.mine.title"), t.t("home.mine.none"), asked, (r) => [details(t, r.id)]);
  list(t.t("home.votes.title"), t.t("home.votes.none"), voted, (r) => [details(t, r.id)]);
  sections.push({
    title: t.t("home.tickets.title"),
    text: tickets.length ? tickets.map((x) => t.t("home.tickets.line", { id: x.id, summary: truncate(x.summary, 120), status: x.status })).join("\n") : t.t("home.tickets.none"),
  });
  if (shownCommunity) {
    list(t.t("home.wanted.title", { community: shownCommunity }), t.t("home.wanted.none"), wanted, (r) =>
      votedFor.has(r.id) ? [details(t, r.id)] : [{ label: t.t("requests.button.upvote"), command: `upvote ${r.id}`, style: "primary" }, details(t, r.id)],
    );
  }
  return { title: t.t("home.title"), text: intro, sections };
}
