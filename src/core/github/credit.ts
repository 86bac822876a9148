// Who earns credit for GitHub work (all-contributors' kinds): merged pull requests (code,
// review), bug reports closed as completed (bug), shipped requests (ideas, financial).
import type { Tx } from "../../db/client";
import type { BuiltBy } from "../requests/announce";
import type { Services } from "../context";
import { addCredits, type Credit } from "../credit/ledger";
import { closingRefs, type CoAuthor, coAuthors, type GhItem, type GhUser, isBotLogin, itemKey, normalizeRepo, type PullExtras } from "./refs";
import { personForGithubLogin } from "./identity";
import { distinctPublic, publicPerson, type PublicPerson } from "../people/visibility";
import { truncate } from "../text";


interface Resolved {
  credit: Credit;
  name: PublicPerson;
}

/** A credit for a GitHub login: to the chat person it belongs to, else to the login itself. */
async function creditFor(services: Services, tx: Tx, login: string, c: Omit<Credit, "personId" | "githubLogin" | "communityId">): Promise<Resolved> {
  const p = await personForGithubLogin(tx, services.config, login);
  if (p) {
    const community = p.communityId === null ? null : await tx.community.findUnique({ where: { id: p.communityId } });
    return { credit: { ...c, personId: p.personId, communityId: p.communityId ?? undefined }, name: publicPerson(p, community) };
  }
  return { credit: { ...c, githubLogin: login.toLowerCase() }, name: { name: login } };
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
  const builtNames = distinctPublic(built.map((r) => r.name));
  return { requestIds, builtBy: { built: builtNames, reviewed: distinctPublic([...builtNames, ...reviewed.map((r) => r.name)]).slice(builtNames.length) }, credited };
}

/** Credit the reporter of a bug issue closed as completed; a linked issue's idea is the requester's. */
export async function creditClosedIssue(services: Services, tx: Tx, item: GhItem, closedAt: Date): Promise<number> {
  if (item.kind !== "issue" || !item.author || isBotLogin(item.author.login, item.author.type)) return 0;
  const row = await tx.githubItem.findUnique({ where: { repo_number: { repo: normalizeRepo(item.repo), number: item.number } } });
  if (row?.requestId) return 0;
  const credit = await creditFor(services, tx, item.author.login, { kind: "bug", source: `github:issue:${itemKey(item)}`, note: `${itemKey(item)} ${truncate(item.title, 200)}`, at: closedAt });
  return addCredits(tx, [credit.credit]);
}

/** Remembers who reviewed a pull request (credited when it merges), or credits them now if it already merged. */
export async function recordReview(services: Services, tx: Tx, pr: GhItem & { mergedAt?: Date | null }, reviewer: GhUser, state: string, at: Date): Promise<void> {
  if (isBotLogin(reviewer.login, reviewer.type) || state.toLowerCase() === "dismissed") return;
  const login = reviewer.login.toLowerCase();
  if (pr.author && pr.author.login.toLowerCase() === login) return; // answering one's own PR is not a review
  const repo = normalizeRepo(pr.repo);
  await tx.githubReview.upsert({
    where: { repo_number_login: { repo, number: pr.number, login } },
    create: { repo, number: pr.number, login, state: state.toLowerCase(), submittedAt: at },
    update: { state: state.toLowerCase() },
  });
  if (!pr.mergedAt) return;
  const own = await tx.githubItem.findUnique({ where: { repo_number: { repo, number: pr.number } } });
  const c = await creditFor(services, tx, reviewer.login, {
    kind: "review",
    source: `github:pr:${itemKey(pr)}`,
    note: `${itemKey(pr)} ${truncate(pr.title, 200)}`,
    at,
    requestId: own?.requestId ?? undefined,
  });
  await addCredits(tx, [c.credit]);
}
