// What a status change does, whoever causes it (a staff command, a GitHub item, a merged pull
// request, a confirmed suggested link): one function, so every source has the same effects.
import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import type { Services } from "../context";
import { refreshHomes } from "../home/refresh";
import { addCredits, type Credit } from "../credit/ledger";
import { type Localized, UserError } from "../errors";
import { translator } from "../../i18n/translate";
import { distinctPublic, publicPerson } from "../people/visibility";
import { truncate } from "../text";
import { announceToChannels, type BuiltBy, reasonText, requestAudience, statusReply } from "./announce";
import { tagForumPosts } from "./forum";
import { forFollowers, notifyFollowers } from "./notify";

/** command (staff), github (an item, a merge, a confirmed link), merge (requests merged). */
export type StatusSource = "command" | "github" | "merge";

export interface StatusChangeInput {
  requestId: number;
  to: RequestStatus;
  /** Staff's own words, or a reason Flywheel composed (told to each reader in their language). */
  reason?: string | Localized;
  source: StatusSource;
  /** e.g. the GitHub URL that caused it */
  sourceRef?: string;
  actorId?: number;
  /** Who built it, when the source knows (a merged pull request); otherwise the ledger says. */
  builtBy?: BuiltBy;
}

export type StatusChangeResult = { changed: false; status: RequestStatus } | { changed: true; from: RequestStatus; to: RequestStatus; changeId: number };

/** Who built a request: everyone credited code or review for work linked to it. */
export async function builtByLedger(tx: Tx, requestId: number): Promise<BuiltBy> {
  const rows = await tx.contribution.findMany({
    where: { requestId, kind: { in: ["code", "review"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { kind: true, githubLogin: true, person: { select: { displayName: true, community: true } } },
  });
  // Read by many (channel posts): a private community's people are not named.
  const names = (kind: string) =>
    distinctPublic(rows.filter((r) => r.kind === kind && (r.person || r.githubLogin)).map((r) => (r.person ? publicPerson(r.person, r.person.community) : { name: r.githubLogin ?? "" })));
  const built = names("code");
  return { built, reviewed: distinctPublic([...built, ...names("review")]).slice(built.length) };
}

/** Ideas for the requester, financial for every pledging community: earned when a request ships. */
export async function shippedCredits(tx: Tx, requestId: number, at: Date): Promise<number> {
  const r = await tx.featureRequest.findUnique({
    where: { id: requestId },
    select: { id: true, title: true, authorId: true, communityId: true, pledges: { select: { communityId: true } } },
  });
  if (!r) return 0;
  const source = `request:${r.id}:shipped`;
  const note = `#${r.id} ${truncate(r.title, 200)}`;
  const credits: Credit[] = [
    { kind: "ideas", source, personId: r.authorId, communityId: r.communityId, requestId: r.id, note, at },
    ...r.pledges.map((p) => ({ kind: "financial" as const, source, communityId: p.communityId, requestId: r.id, note, at })),
  ];
  return addCredits(tx, credits);
}

/**
 * A status change writes its history, a row per follower place and channel, and credits in one
 * transaction; on a busy embedded PGlite (one query at a time) Prisma's default 5 s can run out.
 */
export const STATUS_CHANGE_TX = { timeout: 60_000, maxWait: 30_000 };

const knows = (b?: BuiltBy): b is BuiltBy => Boolean(b && (b.built.length || b.reviewed.length));

/**
 * Moves a request to a new status and does everything that means: the history records it with
 * its source; the requester and voters are told where they asked; the asking communities'
 * channels and the roadmap channel get the same text; a shipped request credits its requester
 * (ideas) and its pledging communities (financial), and names who built it (code, review).
 * Setting the status it already has changes nothing.
 */
export async function changeStatus(services: Services, input: StatusChangeInput, tx?: Tx): Promise<StatusChangeResult> {
  const run = async (db: Tx): Promise<StatusChangeResult> => {
    const r = await db.featureRequest.findUnique({ where: { id: input.requestId } });
    if (!r) throw new UserError({ key: "requests.notFoundPlain", values: { number: input.requestId } });
    if (r.status === "merged" && input.to !== "merged") throw new UserError({ key: "requests.changeMerged", values: { number: r.id, into: r.mergedIntoId } });
    if (r.status === input.to) return { changed: false, status: r.status };
    const at = services.clock.now();
    await db.featureRequest.update({ where: { id: r.id }, data: { status: input.to } });
    const change = await db.statusChange.create({
      data: {
        requestId: r.id,
        from: r.status,
        to: input.to,
        // The history keeps one text; a composed reason is kept in the organization's language.
        reason: input.reason === undefined ? null : reasonText(translator(services.config.locale), input.reason),
        source: input.source,
        sourceRef: input.sourceRef ?? null,
        actorId: input.actorId ?? null,
        createdAt: at,
      },
    });
    // A merged request lives on in the one it joined: its followers hear about that one.
    if (input.to !== "merged") {
      if (input.to === "shipped") await shippedCredits(db, r.id, at);
      const builtBy = input.to === "shipped" ? (knows(input.builtBy) ? input.builtBy : await builtByLedger(db, r.id)) : { built: [], reviewed: [] };
      const who = { audience: await requestAudience(db, r.id), builtBy };
      const news = { request: r, to: input.to, reason: input.reason, sourceRef: input.sourceRef, who };
      await notifyFollowers(db, services.config, r.id, `status:${change.id}`, (t, names) => forFollowers(t, statusReply(t, news), names));
      await announceToChannels(db, services.config, r.id, `announce:${change.id}`, (t) => statusReply(t, news));
      await tagForumPosts(db, services.config, r.id, change.id, input.to);
    }
    await refreshHomes(db, at, { request: r.id });
    services.log.info({ request: r.id, from: r.status, to: input.to, source: input.source, ref: input.sourceRef }, "request status changed");
    return { changed: true, from: r.status, to: input.to, changeId: change.id };
  };
  return tx ? run(tx) : services.db.$transaction(run, STATUS_CHANGE_TX);
}
