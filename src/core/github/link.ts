// Staff actions that tie a request to GitHub: link an existing issue or PR, or open an issue.
import { publicNames, requestAudience } from "../requests/announce";
import type { RequestStatus } from "../../generated/prisma/client";
import { translator } from "../../i18n/translate";
import type { Actor, Services } from "../context";
import { UserError } from "../errors";
import { type GhItem, isRepoName, itemKey, normalizeRepo, parseItemRef } from "./refs";
import { afterLink, applyItemState, linkItem, repoFollowed } from "./sync";
import { STATUS_CHANGE_TX } from "../requests/lifecycle";
import { followMerges } from "../requests/requests";
import { truncate } from "../text";

const notFollowed = (repo: string) => new UserError({ key: "github.notFollowed", values: { repo } });

/** GitHub notifies whoever an @name in an issue names: user text must not ping anyone there. */
export const defuseMentions = (text: string): string => text.replace(/@(?=[A-Za-z0-9_-])/g, "@\u200b");

/** owner/repo#12, a URL, or #12 in the default repository; a friendly error otherwise. */
function readRef(services: Services, refText: string) {
  const gh = services.config.github;
  const ref = parseItemRef(refText, gh.defaultRepo ?? (gh.repos.length === 1 ? gh.repos[0] : undefined));
  if (!ref) throw new UserError({ key: "github.badRef", values: { text: truncate(refText, 80) } });
  return ref;
}

export interface LinkOutcome {
  requestId: number;
  title: string;
  item: GhItem;
  previous: number | null;
  status: RequestStatus;
}

/**
 * Links a request to an issue or PR given as owner/repo#12, a URL, or #12 in the default repo.
 * With a token the item is read from GitHub first (it must exist), and an open item's labels
 * (or a PR's being open) move the request forward at once.
 */
export async function linkRequest(services: Services, requestId: number, refText: string): Promise<LinkOutcome> {
  const ref = readRef(services, refText);
  if (!repoFollowed(services.config, ref.repo)) throw notFollowed(ref.repo);
  const r = await followMerges(services, requestId);
  const typedUrl = /^https?:\/\//i.test(refText.trim()) ? refText.trim().replace(/[?#].*$/, "") : undefined;
  const item: GhItem = services.github?.getItem
    ? await services.github.getItem(ref.repo, ref.number)
    : {
        repo: ref.repo,
        number: ref.number,
        kind: ref.kind ?? "issue",
        url: typedUrl ?? `https://github.com/${ref.repo}/${ref.kind === "pr" ? "pull" : "issues"}/${ref.number}`,
        title: "",
        state: "open",
      };
  const { previous } = await services.db.$transaction(async (tx) => {
    const out = await linkItem(tx, { ...item, repo: ref.repo }, r.id);
    await afterLink(services, tx, item, r.id);
    return out;
  }, STATUS_CHANGE_TX);
  const now = await services.db.featureRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } });
  return { requestId: r.id, title: r.title, item, previous, status: now.status };
}

/** The issue body, in the organization's language: the request's details, who wants it (private members by tier only), a way back. */
async function issueBody(services: Services, r: { id: number; body: string }): Promise<string> {
  const t = translator(services.config.locale);
  const a = await requestAudience(services.db, r.id);
  const votes = await services.db.vote.count({ where: { requestId: r.id } });
  const back = services.publicUrl ? `${services.publicUrl.replace(/\/+$/, "")}/roadmap/${r.id}` : undefined;
  const voted = publicNames(t, a.votedBy);
  return [
    r.body.trim() ? defuseMentions(r.body.trim()) : t.t("github.issue.noDetails"),
    "",
    "---",
    t.t("github.issue.requestedBy", { number: r.id, names: t.list(publicNames(t, a.askedBy)) }),
    t.t("github.issue.wantedBy", { communities: a.votedBy.length, votes, names: t.list(voted) }),
    ...(a.pledgedBy.length ? [t.t("github.issue.pledgedBy", { names: t.list(publicNames(t, a.pledgedBy)) })] : []),
    ...(back ? [t.t("github.issue.detailsLink", { url: back })] : []),
    "",
    t.t("github.issue.footer"),
  ].join("\n");
}

/** Opens a GitHub issue for a request (title, details, who asked, link back) and links it. */
export async function openIssueForRequest(services: Services, actor: Actor, requestId: number, repoText?: string): Promise<LinkOutcome> {
  if (!services.github) throw new UserError({ key: "github.notConnected" });
  const gh = services.config.github;
  const repo = repoText?.trim() || gh.defaultRepo || (gh.repos.length === 1 ? gh.repos[0] : undefined);
  if (!repo) throw new UserError({ key: "github.whichRepo" });
  if (!isRepoName(repo)) throw new UserError({ key: "github.notARepo", values: { text: truncate(repo, 80) } });
  if (!repoFollowed(services.config, repo)) throw notFollowed(normalizeRepo(repo));
  const r = await followMerges(services, requestId);
  if (r.status === "shipped" || r.status === "declined") throw new UserError({ key: "github.nothingToTrack", values: { number: r.id, status: r.status } });
  const existing = await services.db.githubItem.findFirst({ where: { requestId: r.id, kind: "issue" }, orderBy: { id: "asc" } });
  if (existing) throw new UserError({ key: "github.alreadyTracked", values: { number: r.id, item: `${existing.repo}#${existing.number}`, url: existing.url } });
  const created = await services.github.createIssue(repo, defuseMentions(r.title), await issueBody(services, r));
  const item: GhItem = { repo: normalizeRepo(repo), number: created.number, kind: "issue", url: created.url, title: created.title, state: "open", nodeId: created.nodeId ?? null };
  const { previous } = await services.db.$transaction((tx) => linkItem(tx, item, r.id));
  services.log.info({ request: r.id, issue: itemKey(item), by: actor.personId }, "GitHub issue opened for a request");
  return { requestId: r.id, title: r.title, item, previous, status: r.status };
}

/**
 * Staff confirm a suggested link (a mention by someone without authority over the roadmap): the
 * item is linked from now on, credits for its merged work count towards the request, and its
 * current state applies through the one status change, as if a maintainer had linked it.
 */
export async function confirmSuggestion(services: Services, actor: Actor, requestId: number, refText: string): Promise<LinkOutcome> {
  const ref = readRef(services, refText);
  const key = itemKey(ref);
  const r = await followMerges(services, requestId);
  const row = await services.db.githubItem.findUnique({ where: { repo_number: { repo: ref.repo, number: ref.number } } });
  if (row?.requestId === r.id) throw new UserError({ key: "github.alreadyLinked", values: { item: key, number: r.id } });
  if (!row?.suggestedRequestId || (row.suggestedRequestId !== requestId && row.suggestedRequestId !== r.id))
    throw new UserError({ key: "github.noSuggestion", values: { item: key, number: r.id, show: `/request-show ${r.id}` } });
  const kind = row.kind === "pr" ? "pr" : "issue";
  const state = row.state === "merged" || row.state === "closed" ? row.state : "open";
  const item: GhItem = { repo: row.repo, number: row.number, kind, url: row.url, title: row.title, state, stateReason: row.stateReason, nodeId: row.nodeId };
  await services.db.$transaction(async (tx) => {
    await linkItem(tx, item, r.id);
    await tx.contribution.updateMany({ where: { source: `github:pr:${key}`, requestId: null }, data: { requestId: r.id } });
    await applyItemState(services, tx, item, r.id, actor.personId);
  }, STATUS_CHANGE_TX);
  services.log.info({ request: r.id, item: key, by: actor.personId }, "suggested GitHub link confirmed");
  const now = await services.db.featureRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } });
  return { requestId: r.id, title: r.title, item, previous: null, status: now.status };
}
