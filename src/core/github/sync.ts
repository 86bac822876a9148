// The rules that make the roadmap follow GitHub: which request a GitHub issue or pull request
// belongs to and what its state means for the request's status (credit rules: github-credit.ts).
// Callers (src/github: webhooks and backfill) hand over plain data; no Octokit types here.

import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import { announceStatusChange, announceToChannels, listNames, requestAudience } from "../requests/announce";
import type { Services } from "../context";
import { type BuiltBy, builtByLedger, builtLine, creditClosedIssue, creditMergedPull, type MergedPull, shippedCredits } from "./credit";
import { allItemRefs, type GhItem, itemKey, normalizeRepo, requestMentions, type ItemRef, type PullExtras } from "./refs";
import { notifyFollowers } from "../requests/notify";
import { changeStatus } from "../requests/lifecycle";
import { STATUS_LABEL } from "../requests/requests";
import { truncate } from "../text";


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

