// The rules that make the roadmap follow GitHub: which request a GitHub issue or pull request
// belongs to, what its state means for the request's status, and who earns credit. Callers
// (src/github: webhooks and backfill) hand over plain data; nothing here knows Octokit types.

import type { FlywheelConfig } from "../config/file";
import type { Prisma, RequestStatus } from "../generated/prisma/client";
import { announceStatusChange, announceToChannels, listNames, requestAudience } from "./announce";
import type { Services } from "./context";
import { addCredits, type Credit } from "./credit";
import { allItemRefs, closingRefs, type CoAuthor, coAuthors, type GhItem, type GhUser, isBotLogin, type PullExtras, itemKey, normalizeRepo, requestMentions, type ItemRef } from "./github-refs";

export type { GhItem, GhUser, PullExtras };
import { personForGithubLogin } from "./github-identity";
import { notifyFollowers } from "./notify";
import { changeStatus } from "./status";
import { STATUS_LABEL } from "./requests";
import { truncate } from "./text";

type Tx = Prisma.TransactionClient;

type Linked = { id: number; requestId: number | null; state: string; url: string; kind: string };

/** Events from repos outside config.github.repos (when it lists any) are none of our business. */
export function repoFollowed(config: FlywheelConfig, repo: string): boolean {
  const list = config.github.repos.map(normalizeRepo);
  return list.length === 0 || list.includes(normalizeRepo(repo));
}

const lookup = <T extends string>(map: Record<string, T>, name: string): T | undefined => {
  const key = Object.keys(map).find((k) => k.trim().toLowerCase() === name.trim().toLowerCase());
  return key === undefined ? undefined : map[key];
};
export const statusForLabel = (config: FlywheelConfig, label: string) => lookup(config.github.labels, label);
export const statusForProjectOption = (config: FlywheelConfig, option: string) => lookup(config.github.projectStatus, option);

const RANK: Record<RequestStatus, number> = { open: 0, planned: 1, in_progress: 2, shipped: 3, declined: 3, merged: 4 };

/** The furthest status the labels of an item map to, if any. */
export function statusFromLabels(config: FlywheelConfig, labels: string[] = []): RequestStatus | undefined {
  let best: RequestStatus | undefined;
  for (const l of labels) {
    const s = statusForLabel(config, l);
    if (s && (!best || RANK[s] > RANK[best])) best = s;
  }
  return best;
}

/** A request by number, following merges to the one that survived; null when there is none. */
async function liveRequest(tx: Tx, id: number): Promise<{ id: number; status: RequestStatus; title: string } | null> {
  let r = await tx.featureRequest.findUnique({ where: { id }, select: { id: true, status: true, title: true, mergedIntoId: true } });
  for (let hops = 0; r && r.status === "merged" && r.mergedIntoId && hops < 20; hops++)
    r = await tx.featureRequest.findUnique({ where: { id: r.mergedIntoId }, select: { id: true, status: true, title: true, mergedIntoId: true } });
  return r && r.status !== "merged" ? r : null;
}

const itemFields = (item: GhItem) => ({
  kind: item.kind,
  url: item.url,
  title: truncate(item.title, 300),
  state: item.state,
  ...(item.nodeId ? { nodeId: item.nodeId } : {}),
});

/** Links an item to a request (staff command, backfill, a mention); returns the request it was linked to before. */
export async function linkItem(tx: Tx, item: GhItem, requestId: number): Promise<{ previous: number | null }> {
  const where = { repo_number: { repo: normalizeRepo(item.repo), number: item.number } };
  const before = await tx.githubItem.findUnique({ where, select: { requestId: true } });
  await tx.githubItem.upsert({
    where,
    create: { repo: normalizeRepo(item.repo), number: item.number, ...itemFields(item), requestId },
    update: { ...itemFields(item), requestId },
  });
  return { previous: before?.requestId ?? null };
}

/**
 * Keeps a known item's title/state current and links an unlinked one to the first existing
 * request its text names ("Flywheel #12" or a roadmap URL). Unknown, unmentioning items leave
 * no trace. Returns the row (linked or not) and whether this call linked it.
 */
export async function recordItem(services: Services, tx: Tx, item: GhItem, extraText = ""): Promise<{ row: Linked | null; newlyLinked: boolean }> {
  const where = { repo_number: { repo: normalizeRepo(item.repo), number: item.number } };
  const row = await tx.githubItem.findUnique({ where });
  if (!row?.requestId) {
    for (const id of requestMentions(`${item.body ?? ""}\n${extraText}`, services.publicUrl)) {
      const live = await liveRequest(tx, id);
      if (!live) continue;
      await linkItem(tx, item, live.id);
      return { row: await tx.githubItem.findUnique({ where }), newlyLinked: true };
    }
  }
  if (!row) return { row: null, newlyLinked: false };
  return { row: await tx.githubItem.update({ where: { id: row.id }, data: itemFields(item) }), newlyLinked: false };
}

interface Why {
  reason: string;
  sourceRef: string;
  /** Names for a shipped announcement when the caller knows them (a merged PR). */
  builtBy?: BuiltBy;
}

export interface BuiltBy {
  built: string[];
  reviewed: string[];
}

/** Who built a request: everyone credited code or review for work linked to it. */
async function builtByLedger(tx: Tx, requestId: number): Promise<BuiltBy> {
  const rows = await tx.contribution.findMany({
    where: { requestId, kind: { in: ["code", "review"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { kind: true, githubLogin: true, person: { select: { displayName: true } } },
  });
  const names = (kind: string) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => r.person?.displayName ?? r.githubLogin ?? ""))].filter(Boolean);
  const built = names("code");
  return { built, reviewed: names("review").filter((n) => !built.includes(n)) };
}

const builtLine = (b: BuiltBy): string =>
  [b.built.length ? `Built by ${listNames(b.built)}` : "", b.reviewed.length ? `reviewed by ${listNames(b.reviewed)}` : ""].filter(Boolean).join("; ");

/** The lines every follower and channel reads under a status change. */
async function statusExtra(tx: Tx, requestId: number, to: RequestStatus, builtBy?: BuiltBy): Promise<string> {
  const a = await requestAudience(tx, requestId);
  if (to !== "shipped") return a.votedBy.length ? `Wanted by ${listNames(a.votedBy)}.` : "";
  const built = builtLine(builtBy && (builtBy.built.length || builtBy.reviewed.length) ? builtBy : await builtByLedger(tx, requestId));
  const who = [`Asked by ${listNames(a.askedBy)}`, a.votedBy.length ? `voted for by ${listNames(a.votedBy)}` : "", a.pledgedBy.length ? `pledged by ${listNames(a.pledgedBy)}` : ""]
    .filter(Boolean)
    .join(" · ");
  return [built ? `${built}.` : "", `${who}.`].filter(Boolean).join("\n");
}

/** Ideas for the requester, financial for every pledging community: earned when a request ships. */
async function shippedCredits(tx: Tx, requestId: number, at: Date): Promise<number> {
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

export type MoveOutcome = "changed" | "same" | "none";

/**
 * Moves a request because of something on GitHub: history with its GitHub source, followers
 * told where they asked (changeStatus), the communities' and the roadmap channels told, and on
 * shipping the requester and pledgers credited.
 */
export async function moveRequest(services: Services, tx: Tx, requestId: number, to: RequestStatus, why: Why): Promise<MoveOutcome> {
  const live = await liveRequest(tx, requestId);
  if (!live) return "none";
  if (live.status === to) return "same";
  const extra = await statusExtra(tx, live.id, to, why.builtBy);
  const res = await changeStatus(services, { requestId: live.id, to, reason: why.reason, source: "github", sourceRef: why.sourceRef, extra: extra || undefined }, tx);
  if (!res.changed) return "same";
  await announceStatusChange(tx, { requestId: live.id, changeId: res.changeId, to, reason: why.reason, sourceRef: why.sourceRef, extra: extra || undefined });
  if (to === "shipped") await shippedCredits(tx, live.id, services.clock.now());
  services.log.info({ request: live.id, from: res.from, to, source: why.sourceRef }, "request status follows GitHub");
  return "changed";
}

/** After linking, an item's own state may already say more than the request does: move forward only. */
export async function afterLink(services: Services, tx: Tx, item: GhItem, requestId: number): Promise<void> {
  if (item.state !== "open") return;
  let target = statusFromLabels(services.config, item.labels);
  if (item.kind === "pr" && (!target || RANK[target] < RANK.in_progress)) target = "in_progress";
  const live = await liveRequest(tx, requestId);
  if (target && live && RANK[target] > RANK[live.status])
    await moveRequest(services, tx, live.id, target, { reason: `${item.kind === "pr" ? "pull request" : "issue"} ${itemKey(item)} is ${STATUS_LABEL[target]}`, sourceRef: item.url });
}

/** issues.opened / edited, pull_request.opened / edited / reopened: link by mention, then catch up. */
export async function itemOpenedOrEdited(services: Services, tx: Tx, item: GhItem): Promise<void> {
  const { row, newlyLinked } = await recordItem(services, tx, item);
  if (row?.requestId && (newlyLinked || item.kind === "pr")) await afterLink(services, tx, item, row.requestId);
}

/** issue_comment.created: a comment naming a request links the issue or PR it is on. */
export async function commentPosted(services: Services, tx: Tx, item: GhItem, comment: string): Promise<void> {
  const { row, newlyLinked } = await recordItem(services, tx, item, comment);
  if (row?.requestId && newlyLinked) await afterLink(services, tx, item, row.requestId);
}

/** issues.labeled / pull_request.labeled: a mapped label on an open linked item sets the status. */
export async function itemLabeled(services: Services, tx: Tx, item: GhItem, label: string): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  const to = statusForLabel(services.config, label);
  if (!row?.requestId || !to || item.state !== "open") return;
  await moveRequest(services, tx, row.requestId, to, { reason: `labeled "${truncate(label, 50)}" on ${itemKey(item)}`, sourceRef: item.url });
}

/** issues.milestoned: an open request whose issue lands on a milestone is planned. */
export async function itemMilestoned(services: Services, tx: Tx, item: GhItem, milestone: string): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  if (!row?.requestId || item.state !== "open") return;
  const live = await liveRequest(tx, row.requestId);
  if (live?.status !== "open") return;
  await moveRequest(services, tx, live.id, "planned", { reason: `${itemKey(item)} added to milestone ${truncate(milestone, 80)}`, sourceRef: item.url });
}

/** projects_v2_item.edited: the Status field of a linked item's project card, mapped by config. */
export async function projectStatusChanged(services: Services, tx: Tx, nodeId: string, option: string): Promise<void> {
  const to = statusForProjectOption(services.config, option);
  if (!to) return;
  const row = await tx.githubItem.findFirst({ where: { nodeId, requestId: { not: null } } });
  if (!row?.requestId) return;
  await moveRequest(services, tx, row.requestId, to, { reason: `project status "${truncate(option, 50)}" on ${row.repo}#${row.number}`, sourceRef: row.url });
}

/** Credit the reporter of a bug issue closed as completed; a linked issue's idea is the requester's. */
export async function creditClosedIssue(services: Services, tx: Tx, item: GhItem, closedAt: Date): Promise<number> {
  if (item.kind !== "issue" || !item.author || isBotLogin(item.author.login, item.author.type)) return 0;
  const row = await tx.githubItem.findUnique({ where: { repo_number: { repo: normalizeRepo(item.repo), number: item.number } } });
  if (row?.requestId) return 0;
  const credit = await creditFor(services, tx, item.author.login, { kind: "bug", source: `github:issue:${itemKey(item)}`, note: `${itemKey(item)} ${truncate(item.title, 200)}`, at: closedAt });
  return addCredits(tx, [credit.credit]);
}

/**
 * issues.closed: completed ships the linked request, not planned declines it, a duplicate leaves
 * it alone (the demand is still there). An unlinked completed issue credits its reporter (bug).
 */
export async function issueClosed(services: Services, tx: Tx, item: GhItem, stateReason: string | null | undefined, closedAt: Date): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  if (stateReason === "duplicate") return;
  const completed = stateReason !== "not_planned";
  if (!row?.requestId) {
    if (completed) await creditClosedIssue(services, tx, item, closedAt);
    return;
  }
  await moveRequest(services, tx, row.requestId, completed ? "shipped" : "declined", {
    reason: `${itemKey(item)} was closed as ${completed ? "completed" : "not planned"}`,
    sourceRef: item.url,
  });
}

/** issues.reopened: the request goes back to what it was before GitHub closed it (or what the labels say). */
export async function issueReopened(services: Services, tx: Tx, item: GhItem): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  if (!row?.requestId) return;
  const live = await liveRequest(tx, row.requestId);
  if (!live || (live.status !== "shipped" && live.status !== "declined")) return;
  const last = await tx.statusChange.findFirst({ where: { requestId: live.id, to: live.status }, orderBy: { id: "desc" } });
  const before = last && last.from !== "shipped" && last.from !== "declined" && last.from !== "merged" ? last.from : undefined;
  const to = statusFromLabels(services.config, item.labels) ?? before ?? "open";
  await moveRequest(services, tx, live.id, to === "shipped" || to === "declined" ? "open" : to, { reason: `${itemKey(item)} was reopened`, sourceRef: item.url });
}

interface Resolved {
  credit: Credit;
  name: string;
}

/** A credit for a GitHub login: to the chat person it belongs to, else to the login itself. */
async function creditFor(services: Services, tx: Tx, login: string, c: Omit<Credit, "personId" | "githubLogin" | "communityId">): Promise<Resolved> {
  const p = await personForGithubLogin(tx, services.config, login);
  if (p) return { credit: { ...c, personId: p.personId, communityId: p.communityId ?? undefined }, name: p.displayName };
  return { credit: { ...c, githubLogin: login.toLowerCase() }, name: login };
}

export interface MergedPull extends GhItem {
  mergedAt: Date;
}

/**
 * Credits a merged pull request: its author and Co-authored-by co-authors (code), its reviewers
 * (review). Returns the requests it ships (its own link and the linked issues it closes) and
 * the names credited, for the announcement.
 */
export async function creditMergedPull(services: Services, tx: Tx, pr: MergedPull, extras: PullExtras = {}): Promise<{ requestIds: number[]; builtBy: BuiltBy; credited: number }> {
  const key = itemKey(pr);
  const requestIds: number[] = [];
  const own = await tx.githubItem.findUnique({ where: { repo_number: { repo: normalizeRepo(pr.repo), number: pr.number } } });
  if (own?.requestId) requestIds.push(own.requestId);
  for (const ref of closingRefs(pr.body, pr.repo)) {
    const linked = await tx.githubItem.findUnique({ where: { repo_number: { repo: ref.repo, number: ref.number } } });
    if (linked?.requestId && !requestIds.includes(linked.requestId)) requestIds.push(linked.requestId);
  }
  const requestId = requestIds[0];
  const source = `github:pr:${key}`;
  const note = `${key} ${truncate(pr.title, 200)}`;
  const base = { source, note, at: pr.mergedAt, requestId };

  // Logins as GitHub spells them (for the announcement), compared without case.
  const authors: string[] = [];
  const has = (list: string[], login: string) => list.some((l) => l.toLowerCase() === login.toLowerCase());
  if (pr.author && !isBotLogin(pr.author.login, pr.author.type)) authors.push(pr.author.login);
  const trailers: CoAuthor[] = [pr.body ?? "", ...(extras.commitMessages ?? [])].flatMap((t) => coAuthors(t));
  for (const c of trailers) {
    const login = c.login ?? extras.loginsByEmail?.get(c.email);
    if (!login) {
      services.log.info({ pr: key }, "co-author without a GitHub login is not credited");
      continue;
    }
    if (!isBotLogin(login) && !has(authors, login)) authors.push(login);
  }
  const stored = await tx.githubReview.findMany({ where: { repo: normalizeRepo(pr.repo), number: pr.number }, orderBy: { submittedAt: "asc" } });
  const reviewers: string[] = [];
  for (const l of [...(extras.reviewers ?? []), ...stored.map((r) => r.login)]) if (!has(authors, l) && !has(reviewers, l) && !isBotLogin(l)) reviewers.push(l);

  const built: Resolved[] = [];
  for (const login of authors) built.push(await creditFor(services, tx, login, { ...base, kind: "code" }));
  const reviewed: Resolved[] = [];
  for (const login of reviewers) reviewed.push(await creditFor(services, tx, login, { ...base, kind: "review" }));
  const credited = await addCredits(tx, [...built, ...reviewed].map((r) => r.credit));
  const names = (rs: Resolved[]) => [...new Set(rs.map((r) => r.name))];
  return { requestIds, builtBy: { built: names(built), reviewed: names(reviewed).filter((n) => !names(built).includes(n)) }, credited };
}

/**
 * pull_request.closed with merged: credits, then every request it ships moves to shipped. A
 * request that already shipped (its issue closed first) gets a short credits post instead, so
 * the builders are named either way.
 */
export async function pullMerged(services: Services, tx: Tx, pr: MergedPull, extras: PullExtras = {}): Promise<void> {
  await recordItem(services, tx, pr);
  const { requestIds, builtBy } = await creditMergedPull(services, tx, pr, extras);
  for (const id of requestIds) {
    const out = await moveRequest(services, tx, id, "shipped", { reason: `${itemKey(pr)} ${truncate(pr.title, 120)} was merged`, sourceRef: pr.url, builtBy });
    if (out === "same" && (builtBy.built.length || builtBy.reviewed.length)) {
      const live = await liveRequest(tx, id);
      if (!live) continue;
      await announceToChannels(tx, live.id, `credits:${live.id}:${itemKey(pr)}`, {
        text: `Credits for #${live.id} ${live.title} (shipped): ${builtLine(builtBy)}.\n${pr.url}`,
        title: `#${live.id} credits`,
        buttons: [{ label: "Details", command: `request-show ${live.id}` }],
      });
    }
  }
}

/** pull_request.closed without merging: only the item's state changes. */
export async function pullClosedUnmerged(services: Services, tx: Tx, pr: GhItem): Promise<void> {
  await recordItem(services, tx, pr);
}

/** pull_request_review.submitted: remember the reviewer; credit at once if the PR already merged. */
export async function reviewSubmitted(
  services: Services,
  tx: Tx,
  pr: GhItem & { mergedAt?: Date | null },
  reviewer: GhUser,
  state: string,
  at: Date,
): Promise<void> {
  if (isBotLogin(reviewer.login, reviewer.type) || state.toLowerCase() === "dismissed") return;
  const login = reviewer.login.toLowerCase();
  if (pr.author && pr.author.login.toLowerCase() === login) return; // answering one's own PR is not a review
  const repo = normalizeRepo(pr.repo);
  await tx.githubReview.upsert({
    where: { repo_number_login: { repo, number: pr.number, login } },
    create: { repo, number: pr.number, login, state: state.toLowerCase(), submittedAt: at },
    update: { state: state.toLowerCase() },
  });
  if (pr.mergedAt) {
    const own = await tx.githubItem.findUnique({ where: { repo_number: { repo, number: pr.number } } });
    const c = await creditFor(services, tx, login, {
      kind: "review",
      source: `github:pr:${itemKey(pr)}`,
      note: `${itemKey(pr)} ${truncate(pr.title, 200)}`,
      at,
      requestId: own?.requestId ?? undefined,
    });
    await addCredits(tx, [c.credit]);
  }
}

export interface ReleaseInfo {
  repo: string;
  id: number;
  tag: string;
  name?: string | null;
  url: string;
  body?: string | null;
}

/**
 * release.published: requests the notes name (Flywheel #12, or linked issues/PRs that are done)
 * ship if they had not; those that already shipped are announced as available in the release.
 */
export async function releasePublished(services: Services, tx: Tx, rel: ReleaseInfo): Promise<void> {
  const label = truncate(rel.name?.trim() || rel.tag, 80);
  const ids: number[] = [];
  for (const id of requestMentions(rel.body, services.publicUrl)) if (!ids.includes(id)) ids.push(id);
  const refs: ItemRef[] = allItemRefs(rel.body, rel.repo);
  if (refs.length) {
    const rows = await tx.githubItem.findMany({
      where: { OR: refs.map((r) => ({ repo: r.repo, number: r.number })), requestId: { not: null }, state: { in: ["merged", "closed"] } },
    });
    for (const r of rows) if (r.requestId && !ids.includes(r.requestId)) ids.push(r.requestId);
  }
  for (const id of ids) {
    const live = await liveRequest(tx, id);
    if (!live || live.status === "declined") continue;
    if (live.status !== "shipped") {
      await moveRequest(services, tx, live.id, "shipped", { reason: `released in ${label}`, sourceRef: rel.url });
      continue;
    }
    const reply = {
      text: `Released: #${live.id} ${live.title} is available in ${label}.\n${rel.url}`,
      title: `#${live.id} released in ${label}`,
      buttons: [{ label: "Details", command: `request-show ${live.id}` }],
    };
    await notifyFollowers(tx, live.id, `release:${normalizeRepo(rel.repo)}:${rel.id}:${live.id}`, (names) => ({ ...reply, text: `${reply.text}\n(You asked or voted for it: ${names.join(", ")}.)` }));
    await announceToChannels(tx, live.id, `release:${normalizeRepo(rel.repo)}:${rel.id}:${live.id}:channels`, reply);
  }
}

