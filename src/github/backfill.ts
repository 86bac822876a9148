import { SingleBar } from "cli-progress";
import type { Services } from "../core/context";
import { itemKey, normalizeRepo } from "../core/github/refs";
import { creditClosedIssue, creditMergedPull } from "../core/github/credit";
import { recordItem } from "../core/github/sync";
import type { Prisma, RequestStatus } from "../generated/prisma/client";
import type { Octokit } from "./client";
import { githubErrorMessage, rateLimitReset } from "./errors";
import { pullExtras, split } from "./gateway";
import { issueItem, pullItem } from "./payload";

type Phase = "pulls" | "issues";

/** Where an unfinished backfill stopped: the next page of each list (sorted by last update, newest first). */
interface Cursor {
  phase: Phase;
  page: number;
  startedAt: string;
}

export interface BackfillOptions {
  repo: string;
  since?: Date;
  perPage?: number;
  /** Where the progress bar draws (a terminal's stderr); none when unset. */
  progress?: NodeJS.WritableStream;
}

export interface BackfillResult {
  pulls: number;
  issues: number;
  credits: number;
  links: number;
  /** Set when GitHub's rate limit stopped it: run it again after this time to go on. */
  pausedUntil?: Date;
  resumedAt?: { phase: Phase; page: number };
  /** Linked requests whose GitHub work is done while the request still looks open. */
  lagging: { requestId: number; title: string; status: RequestStatus; item: string }[];
}

export class BackfillError extends Error {}

const cursorKey = (repo: string, since?: Date) => `github:backfill:${normalizeRepo(repo)}:${since ? since.toISOString().slice(0, 10) : "all"}`;

const lastPage = (link: string | undefined): number | undefined => {
  const m = link ? /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link) : null;
  return m ? Number(m[1]) : undefined;
};

/**
 * Imports a repository's past: merged pull requests (author, co-authors and reviewers credited,
 * "Flywheel #12" links made) and closed issues (reporters of completed ones credited, links).
 * Statuses are left alone: history is not news. Every item is its own transaction and every
 * page moves a cursor in SyncState, so a stop (rate limit, Ctrl-C) resumes where it was, and
 * running it twice adds nothing twice. A finished run clears the cursor.
 */
export async function backfill(services: Services, octokit: Octokit, o: BackfillOptions): Promise<BackfillResult> {
  const repo = normalizeRepo(o.repo);
  const key = cursorKey(repo, o.since);
  const perPage = o.perPage ?? 100;
  const saved = await services.db.syncState.findUnique({ where: { key } });
  const cursor: Cursor = (saved?.value as unknown as Cursor | undefined) ?? { phase: "pulls", page: 1, startedAt: services.clock.now().toISOString() };
  const result: BackfillResult = { pulls: 0, issues: 0, credits: 0, links: 0, lagging: [] };
  if (saved) result.resumedAt = { phase: cursor.phase, page: cursor.page };
  const save = (c: Cursor) =>
    services.db.syncState.upsert({ where: { key }, create: { key, value: c as unknown as Prisma.InputJsonValue }, update: { value: c as unknown as Prisma.InputJsonValue } });

  const bar = o.progress
    ? new SingleBar({ stream: o.progress, format: `${repo} {phase} [{bar}] {value}/{total} pages | {items} items`, hideCursor: null, fps: 5 })
    : undefined;
  const tx = <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => services.db.$transaction(fn, { timeout: 60_000, maxWait: 30_000 });

  const phases: Phase[] = cursor.phase === "pulls" ? ["pulls", "issues"] : ["issues"];
  try {
    for (const phase of phases) {
      let page = phase === cursor.phase ? cursor.page : 1;
      const common = { ...split(repo), state: "closed" as const, sort: "updated" as const, direction: "desc" as const, per_page: perPage, page };
      const pages =
        phase === "pulls"
          ? octokit.paginate.iterator(octokit.rest.pulls.list, common)
          : octokit.paginate.iterator(octokit.rest.issues.listForRepo, { ...common, ...(o.since ? { since: o.since.toISOString() } : {}) });
      bar?.start(page, page - 1, { phase, items: 0 });
      let items = 0;
      let reachedSince = false;
      for await (const response of pages) {
        bar?.setTotal(Math.max(lastPage(response.headers.link) ?? page, page));
        for (const raw of response.data) {
          if (phase === "pulls") {
            const pr = raw as Parameters<typeof pullItem>[1] & { merged_at: string | null; updated_at: string };
            if (o.since && new Date(pr.updated_at) < o.since) {
              reachedSince = true; // newest first: everything after this is older
              break;
            }
            if (!pr.merged_at || (o.since && new Date(pr.merged_at) < o.since)) continue;
            const item = pullItem(repo, pr);
            const extras = await pullExtras(octokit, repo, pr.number);
            await tx(async (t) => {
              const { newlyLinked } = await recordItem(services, t, item);
              const { credited } = await creditMergedPull(services, t, { ...item, mergedAt: new Date(pr.merged_at!) }, extras);
              result.links += newlyLinked ? 1 : 0;
              result.credits += credited;
            });
            result.pulls++;
          } else {
            const issue = raw as Parameters<typeof issueItem>[1] & { closed_at: string | null; state_reason?: string | null };
            if (issue.pull_request) continue; // the issues list includes pull requests
            if (o.since && issue.closed_at && new Date(issue.closed_at) < o.since) continue;
            const item = issueItem(repo, issue);
            await tx(async (t) => {
              const { newlyLinked } = await recordItem(services, t, item);
              result.links += newlyLinked ? 1 : 0;
              if (issue.state_reason !== "not_planned" && issue.state_reason !== "duplicate")
                result.credits += await creditClosedIssue(services, t, item, issue.closed_at ? new Date(issue.closed_at) : services.clock.now());
            });
            result.issues++;
          }
          items++;
        }
        page++;
        await save({ ...cursor, phase, page });
        bar?.update(page - 1, { phase, items });
        if (reachedSince) break;
      }
      bar?.setTotal(page - 1);
      bar?.update(page - 1, { phase, items });
      bar?.stop();
    }
  } catch (e) {
    bar?.stop();
    const reset = rateLimitReset(e, services.clock.now());
    if (reset) return { ...result, pausedUntil: reset };
    throw new BackfillError(githubErrorMessage(e, repo));
  }
  await services.db.syncState.deleteMany({ where: { key } });

  const done = await services.db.githubItem.findMany({
    where: { repo, state: { in: ["merged", "closed"] }, request: { status: { in: ["open", "planned", "in_progress"] } } },
    select: { repo: true, number: true, state: true, request: { select: { id: true, title: true, status: true } } },
    orderBy: { number: "asc" },
  });
  result.lagging = done.map((d) => ({ requestId: d.request!.id, title: d.request!.title, status: d.request!.status, item: `${itemKey(d)} ${d.state}` }));
  return result;
}
