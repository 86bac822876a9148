// The rules that make the roadmap follow GitHub: which request a GitHub issue or pull request
// belongs to and what its state means for the request's status (credit rules: github-credit.ts).
// Callers (src/github: webhooks and backfill) hand over plain data; no Octokit types here.

import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import { announceToChannels, type BuiltBy, builtLine, postToSpace } from "../requests/announce";
import type { Translator } from "../../i18n/translate";
import type { Localized } from "../errors";
import type { Services } from "../context";
import type { Reply } from "../reply";
import { isMaintainer } from "./authority";
import { creditClosedIssue, creditMergedPull, type MergedPull } from "./credit";
import { allItemRefs, type GhItem, type GhUser, itemKey, normalizeRepo, requestMentions, type ItemRef, type PullExtras } from "./refs";
import { forFollowers, notifyFollowers } from "../requests/notify";
import { changeStatus } from "../requests/lifecycle";
import { truncate } from "../text";


type Linked = { id: number; requestId: number | null; suggestedRequestId: number | null; state: string; url: string; kind: string };

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
  stateReason: item.state === "closed" ? (item.stateReason ?? null) : null,
  ...(item.nodeId ? { nodeId: item.nodeId } : {}),
});

/** Links an item to a request (staff command, backfill, a mention); returns the request it was linked to before. */
export async function linkItem(tx: Tx, item: GhItem, requestId: number): Promise<{ previous: number | null }> {
  const where = { repo_number: { repo: normalizeRepo(item.repo), number: item.number } };
  const before = await tx.githubItem.findUnique({ where, select: { requestId: true } });
  await tx.githubItem.upsert({
    where,
    create: { repo: normalizeRepo(item.repo), number: item.number, ...itemFields(item), requestId },
    update: { ...itemFields(item), requestId, suggestedRequestId: null, suggestedBy: null },
  });
  return { previous: before?.requestId ?? null };
}

/** Text naming requests, and who wrote it (an item's author for its body, a commenter for a comment). */
export interface Mention {
  text: string;
  by: GhUser | null | undefined;
}

/**
 * Keeps a mention without authority as a suggestion, and shows it once to staff in the staff
 * space with a Confirm button. It moves nothing until confirmed (/github confirm).
 */
async function suggestLink(tx: Tx, config: FlywheelConfig, item: GhItem, request: { id: number; title: string }, by: GhUser | null | undefined): Promise<void> {
  const repo = normalizeRepo(item.repo);
  const key = itemKey(item);
  const suggested = { suggestedRequestId: request.id, suggestedBy: by?.login ?? null };
  await tx.githubItem.upsert({
    where: { repo_number: { repo, number: item.number } },
    create: { repo, number: item.number, ...itemFields(item), ...suggested },
    update: { ...itemFields(item), ...suggested },
  });
  const reply = (t: Translator): Reply => ({
    text: `${t.t("github.suggested", {
      item: key,
      hasTitle: item.title ? "yes" : "no",
      title: truncate(item.title, 120),
      hasBy: by ? "yes" : "no",
      by: by?.login,
      number: request.id,
      request: request.title,
    })}\n${item.url}`,
    title: t.t("github.suggestedTitle", { number: request.id }),
    buttons: [
      { label: t.t("github.button.confirm"), command: `github confirm ${request.id} ${key}`, style: "primary" },
      { label: t.t("requests.button.details"), command: `request-show ${request.id}` },
    ],
  });
  const staff = await tx.space.findMany({ where: { purpose: "support" }, orderBy: { id: "asc" } });
  for (const s of staff) await postToSpace(tx, config, s, `suggest:${key}:${request.id}`, reply);
}

/**
 * Keeps a known item's title/state current, and for an unlinked one reads the first existing
 * request the text names ("Flywheel #12" or a roadmap URL): a maintainer's mention links it, anyone
 * else's is a suggestion for staff. Unknown, unmentioning items leave no trace. Returns the row
 * (linked or not) and whether this call linked it.
 */
export async function recordItem(services: Services, tx: Tx, item: GhItem, mention: Mention = { text: item.body ?? "", by: item.author }): Promise<{ row: Linked | null; newlyLinked: boolean }> {
  const where = { repo_number: { repo: normalizeRepo(item.repo), number: item.number } };
  let row = await tx.githubItem.findUnique({ where });
  if (!row?.requestId) {
    let named: { id: number; title: string } | null = null;
    for (const id of requestMentions(mention.text, services.publicUrl)) if ((named = await liveRequest(tx, id))) break;
    if (named && (await isMaintainer(tx, services.config, mention.by))) {
      await linkItem(tx, item, named.id);
      return { row: await tx.githubItem.findUnique({ where }), newlyLinked: true };
    }
    if (named && row?.suggestedRequestId !== named.id) {
      await suggestLink(tx, services.config, item, named, mention.by);
      row = await tx.githubItem.findUnique({ where });
    }
  }
  if (!row) return { row: null, newlyLinked: false };
  return { row: await tx.githubItem.update({ where: { id: row.id }, data: itemFields(item) }), newlyLinked: false };
}

/**
 * The request a closed or merged item moves: the one it is linked to, or the one it suggests when
 * whoever closed or merged it has authority (which links it from then on).
 */
async function requestMovedBy(services: Services, tx: Tx, item: GhItem, row: Linked | null, closedBy: GhUser | null | undefined): Promise<number | null> {
  if (row?.requestId) return row.requestId;
  if (!row?.suggestedRequestId || !(await isMaintainer(tx, services.config, closedBy))) return null;
  await linkItem(tx, item, row.suggestedRequestId);
  return row.suggestedRequestId;
}

interface Why {
  reason: Localized;
  sourceRef: string;
  /** Names for a shipped announcement when the caller knows them (a merged PR). */
  builtBy?: BuiltBy;
  /** The staff person who caused it (confirming a suggested link). */
  actorId?: number;
}

export type MoveOutcome = "changed" | "same" | "none";

/** Moves a request because of something on GitHub: the lifecycle's one status change, with source github. */
export async function moveRequest(services: Services, tx: Tx, requestId: number, to: RequestStatus, why: Why): Promise<MoveOutcome> {
  const live = await liveRequest(tx, requestId);
  if (!live) return "none";
  if (live.status === to) return "same";
  const res = await changeStatus(services, { requestId: live.id, to, reason: why.reason, source: "github", sourceRef: why.sourceRef, builtBy: why.builtBy, actorId: why.actorId }, tx);
  return res.changed ? "changed" : "same";
}

/** What closing an item says about its request: completed ships, not planned declines; a duplicate or an unmerged PR says nothing. */
export function statusForClosed(item: Pick<GhItem, "kind" | "state" | "stateReason">): "shipped" | "declined" | undefined {
  if (item.state === "merged") return "shipped";
  if (item.state !== "closed" || item.kind !== "issue" || item.stateReason === "duplicate") return undefined;
  return item.stateReason === "not_planned" ? "declined" : "shipped";
}

const closedReason = (item: GhItem, to: "shipped" | "declined"): Localized =>
  item.state === "merged"
    ? { key: "github.reason.merged", values: { item: itemKey(item), title: truncate(item.title, 120) } }
    : { key: "github.reason.closed", values: { item: itemKey(item), how: to === "shipped" ? "completed" : "not_planned" } };

/** Applies an item's current state to a request it was just linked to: open moves forward, closed or merged finishes it. */
export async function applyItemState(services: Services, tx: Tx, item: GhItem, requestId: number, actorId?: number): Promise<void> {
  const to = statusForClosed(item);
  if (to) await moveRequest(services, tx, requestId, to, { reason: closedReason(item, to), sourceRef: item.url, actorId });
  else await afterLink(services, tx, item, requestId, actorId);
}

/** After linking, an item's own state may already say more than the request does: move forward only. */
export async function afterLink(services: Services, tx: Tx, item: GhItem, requestId: number, actorId?: number): Promise<void> {
  if (item.state !== "open") return;
  let target = statusFromLabels(services.config, item.labels);
  if (item.kind === "pr" && (!target || RANK[target] < RANK.in_progress)) target = "in_progress";
  const live = await liveRequest(tx, requestId);
  if (target && live && RANK[target] > RANK[live.status])
    await moveRequest(services, tx, live.id, target, { reason: { key: "github.reason.itemState", values: { kind: item.kind, item: itemKey(item), status: target } }, sourceRef: item.url, actorId });
}

/** issues.opened / edited, pull_request.opened / edited / reopened: link by mention, then catch up. */
export async function itemOpenedOrEdited(services: Services, tx: Tx, item: GhItem): Promise<void> {
  const { row, newlyLinked } = await recordItem(services, tx, item);
  if (row?.requestId && (newlyLinked || item.kind === "pr")) await afterLink(services, tx, item, row.requestId);
}

/** issue_comment.created: a comment naming a request links the issue or PR it is on. */
export async function commentPosted(services: Services, tx: Tx, item: GhItem, comment: Mention): Promise<void> {
  const { row, newlyLinked } = await recordItem(services, tx, item, comment);
  if (row?.requestId && newlyLinked) await afterLink(services, tx, item, row.requestId);
}

/** issues.labeled / pull_request.labeled: a mapped label on an open linked item sets the status. */
export async function itemLabeled(services: Services, tx: Tx, item: GhItem, label: string): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  const to = statusForLabel(services.config, label);
  if (!row?.requestId || !to || item.state !== "open") return;
  await moveRequest(services, tx, row.requestId, to, { reason: { key: "github.reason.labeled", values: { label: truncate(label, 50), item: itemKey(item) } }, sourceRef: item.url });
}

/** issues.milestoned: an open request whose issue lands on a milestone is planned. */
export async function itemMilestoned(services: Services, tx: Tx, item: GhItem, milestone: string): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  if (!row?.requestId || item.state !== "open") return;
  const live = await liveRequest(tx, row.requestId);
  if (live?.status !== "open") return;
  await moveRequest(services, tx, live.id, "planned", { reason: { key: "github.reason.milestoned", values: { item: itemKey(item), milestone: truncate(milestone, 80) } }, sourceRef: item.url });
}

/** projects_v2_item.edited: the Status field of a linked item's project card, mapped by config. */
export async function projectStatusChanged(services: Services, tx: Tx, nodeId: string, option: string): Promise<void> {
  const to = statusForProjectOption(services.config, option);
  if (!to) return;
  const row = await tx.githubItem.findFirst({ where: { nodeId, requestId: { not: null } } });
  if (!row?.requestId) return;
  await moveRequest(services, tx, row.requestId, to, { reason: { key: "github.reason.project", values: { option: truncate(option, 50), item: `${row.repo}#${row.number}` } }, sourceRef: row.url });
}

/**
 * issues.closed: completed ships the linked request, not planned declines it, a duplicate leaves
 * it alone (the demand is still there). An unlinked completed issue credits its reporter (bug).
 */
export async function issueClosed(services: Services, tx: Tx, item: GhItem, closedAt: Date, closedBy?: GhUser | null): Promise<void> {
  const { row } = await recordItem(services, tx, item);
  const to = statusForClosed(item);
  const requestId = await requestMovedBy(services, tx, item, row, closedBy);
  if (!requestId) {
    if (to === "shipped") await creditClosedIssue(services, tx, item, closedAt);
    return;
  }
  if (to) await moveRequest(services, tx, requestId, to, { reason: closedReason(item, to), sourceRef: item.url });
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
  await moveRequest(services, tx, live.id, to === "shipped" || to === "declined" ? "open" : to, { reason: { key: "github.reason.reopened", values: { item: itemKey(item) } }, sourceRef: item.url });
}

/**
 * pull_request.closed with merged: credits, then every request it ships moves to shipped. A
 * request that already shipped (its issue closed first) gets a short credits post instead, so
 * the builders are named either way.
 */
export async function pullMerged(services: Services, tx: Tx, pr: MergedPull, extras: PullExtras = {}, mergedBy?: GhUser | null): Promise<void> {
  const { row } = await recordItem(services, tx, pr);
  await requestMovedBy(services, tx, pr, row, mergedBy);
  const { requestIds, builtBy } = await creditMergedPull(services, tx, pr, extras);
  for (const id of requestIds) {
    const out = await moveRequest(services, tx, id, "shipped", { reason: closedReason(pr, "shipped"), sourceRef: pr.url, builtBy });
    if (out === "same" && (builtBy.built.length || builtBy.reviewed.length)) {
      const live = await liveRequest(tx, id);
      if (!live) continue;
      await announceToChannels(tx, services.config, live.id, `credits:${live.id}:${itemKey(pr)}`, (t) => ({
        text: `${t.t("github.credits", { number: live.id, title: live.title, builtBy: builtLine(t, builtBy) })}\n${pr.url}`,
        title: t.t("github.creditsTitle", { number: live.id }),
        buttons: [{ label: t.t("requests.button.details"), command: `request-show ${live.id}` }],
      }));
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
      await moveRequest(services, tx, live.id, "shipped", { reason: { key: "github.reason.released", values: { release: label } }, sourceRef: rel.url });
      continue;
    }
    const reply = (t: Translator): Reply => ({
      text: `${t.t("github.released", { number: live.id, title: live.title, release: label })}\n${rel.url}`,
      title: t.t("github.releasedTitle", { number: live.id, release: label }),
      buttons: [{ label: t.t("requests.button.details"), command: `request-show ${live.id}` }],
    });
    await notifyFollowers(tx, services.config, live.id, `release:${normalizeRepo(rel.repo)}:${rel.id}:${live.id}`, (t, names) => forFollowers(t, reply(t), names));
    await announceToChannels(tx, services.config, live.id, `release:${normalizeRepo(rel.repo)}:${rel.id}:${live.id}:channels`, reply);
  }
}

