// GitHub's issue and pull request objects (webhook payloads and REST answers alike) turned into
// the plain GhItem core works with.
import type { GhItem, GhUser } from "../core/github/refs";

interface UserLike {
  login: string;
  type?: string | null;
}

/** The fields Flywheel reads from both issues and pull requests. */
interface ItemLike {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  state?: string | null;
  node_id?: string;
  user?: UserLike | null;
  labels?: readonly unknown[];
  author_association?: string;
  state_reason?: string | null;
}

/** An issue (an issue of a PR carries pull_request). */
export interface IssueLike extends ItemLike {
  pull_request?: { merged_at?: string | null } | null;
}

export interface PullLike extends ItemLike {
  merged?: boolean | null;
  merged_at?: string | null;
}

export const labelNames = (labels: readonly unknown[] = []): string[] =>
  labels
    .map((l) => (typeof l === "string" ? l : l && typeof l === "object" && typeof (l as { name?: unknown }).name === "string" ? (l as { name: string }).name : ""))
    .filter(Boolean);

export const user = (u: UserLike | null | undefined, association?: string): GhUser | null => (u ? { login: u.login, type: u.type ?? null, association: association ?? null } : null);

export function issueItem(repo: string, i: IssueLike): GhItem {
  const pr = Boolean(i.pull_request);
  return {
    repo,
    number: i.number,
    kind: pr ? "pr" : "issue",
    url: i.html_url,
    title: i.title,
    body: i.body ?? "",
    state: i.state === "closed" ? (pr && i.pull_request?.merged_at ? "merged" : "closed") : "open",
    stateReason: i.state === "closed" ? (i.state_reason ?? null) : null,
    nodeId: i.node_id ?? null,
    author: user(i.user, i.author_association),
    labels: labelNames(i.labels),
  };
}

export function pullItem(repo: string, p: PullLike): GhItem {
  return {
    repo,
    number: p.number,
    kind: "pr",
    url: p.html_url,
    title: p.title,
    body: p.body ?? "",
    state: p.merged || p.merged_at ? "merged" : p.state === "closed" ? "closed" : "open",
    nodeId: p.node_id ?? null,
    author: user(p.user, p.author_association),
    labels: labelNames(p.labels),
  };
}
