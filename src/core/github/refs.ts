// Reading GitHub references out of text: "owner/repo#12" and issue/PR URLs, "Flywheel #12"
// mentions of requests, closing keywords, Co-authored-by trailers. Pure functions, no I/O.

/** One GitHub issue or pull request. repo is "owner/name", lowercased (GitHub ignores case). */
export interface ItemRef {
  repo: string;
  number: number;
  /** Known from a URL (/issues/ or /pull/); "owner/repo#12" does not say. */
  kind?: "issue" | "pr";
}

export interface GhUser {
  login: string;
  /** "User" | "Bot" | "Organization" as GitHub says. */
  type?: string | null;
  /** Their author_association with the repository (OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE...), when the payload says. */
  association?: string | null;
}

/** What Flywheel needs to know about a GitHub issue or pull request. */
export interface GhItem {
  repo: string;
  number: number;
  kind: "issue" | "pr";
  url: string;
  title: string;
  body?: string | null;
  state: "open" | "closed" | "merged";
  /** Why a closed issue closed: completed | not_planned | duplicate. */
  stateReason?: string | null;
  nodeId?: string | null;
  author?: GhUser | null;
  labels?: string[];
}

/** What a merged PR's webhook payload lacks, fetched from the API when a token is set. */
export interface PullExtras {
  /** Co-authored-by trailers of its commits (the PR description's are read here too). */
  commitMessages?: string[];
  /** Commit author e-mail -> login, to recognise co-authors who also committed. */
  loginsByEmail?: Map<string, string>;
  /** Logins that reviewed it, per the API. */
  reviewers?: string[];
}

const REPO_RE = /^[\w.-]+\/[\w.-]+$/;
export const isRepoName = (s: string): boolean => REPO_RE.test(s);
export const normalizeRepo = (repo: string): string => repo.trim().toLowerCase();
export const itemKey = (r: { repo: string; number: number }): string => `${normalizeRepo(r.repo)}#${r.number}`;

/**
 * Parses what a person types to name an issue or PR: "owner/repo#12", an issue or pull request
 * URL on github.com or a GitHub Enterprise host, or "#12" / "12" in the default repo.
 */
export function parseItemRef(text: string, defaultRepo?: string): ItemRef | undefined {
  const s = text.trim();
  let m = /^([\w.-]+\/[\w.-]+)#(\d+)$/.exec(s);
  if (m) return { repo: normalizeRepo(m[1]), number: Number(m[2]) };
  m = /^https?:\/\/[^/\s]+\/(?:api\/v3\/repos\/)?([\w.-]+\/[\w.-]+)\/(issues|pull|pulls)\/(\d+)(?:[/?#]\S*)?$/i.exec(s);
  if (m) return { repo: normalizeRepo(m[1]), number: Number(m[3]), kind: m[2].toLowerCase() === "issues" ? "issue" : "pr" };
  m = /^#?(\d+)$/.exec(s);
  if (m && defaultRepo) return { repo: normalizeRepo(defaultRepo), number: Number(m[1]) };
  return undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Requests a GitHub text names: "Flywheel #12" (any case, "Flywheel#12" too) or a link to the
 * request on this bot's public pages (PUBLIC_URL/roadmap/12 or /requests/12). In order, once each.
 */
export function requestMentions(text: string | null | undefined, publicUrl?: string): number[] {
  if (!text) return [];
  const found: { at: number; id: number }[] = [];
  for (const m of text.matchAll(/\bflywheel\s*#(\d{1,9})\b/gi)) found.push({ at: m.index ?? 0, id: Number(m[1]) });
  if (publicUrl) {
    const base = escapeRe(publicUrl.replace(/\/+$/, ""));
    for (const m of text.matchAll(new RegExp(`${base}/(?:roadmap|requests)/(\\d{1,9})\\b`, "gi"))) found.push({ at: m.index ?? 0, id: Number(m[1]) });
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.id))];
}

/**
 * Issues a pull request or release text closes with GitHub's keywords ("Fixes #12",
 * "closes owner/repo#3", "Resolves https://github.com/o/r/issues/4"). "#12" means repo's own.
 */
export function closingRefs(text: string | null | undefined, repo: string): ItemRef[] {
  if (!text) return [];
  const re = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:([\w.-]+\/[\w.-]+)?#(\d+)|https?:\/\/[^/\s]+\/([\w.-]+\/[\w.-]+)\/(?:issues|pull)\/(\d+))/gi;
  const out = new Map<string, ItemRef>();
  for (const m of text.matchAll(re)) {
    const ref = m[2] ? { repo: normalizeRepo(m[1] ?? repo), number: Number(m[2]) } : { repo: normalizeRepo(m[3]), number: Number(m[4]) };
    out.set(itemKey(ref), ref);
  }
  return [...out.values()];
}

/** Every issue/PR a text refers to at all ("#12", "owner/repo#12", URLs): release notes use these. */
export function allItemRefs(text: string | null | undefined, repo: string): ItemRef[] {
  if (!text) return [];
  const out = new Map<string, ItemRef>();
  // "#12" not preceded by "Flywheel " (that is a request, not an issue) nor part of a word.
  for (const m of text.matchAll(/(?<![\w/])(?<!flywheel\s*)([\w.-]+\/[\w.-]+)?#(\d+)\b/gi)) {
    const ref = { repo: normalizeRepo(m[1] ?? repo), number: Number(m[2]) };
    out.set(itemKey(ref), ref);
  }
  for (const m of text.matchAll(/https?:\/\/[^/\s]+\/([\w.-]+\/[\w.-]+)\/(?:issues|pull)\/(\d+)/gi)) {
    const ref = { repo: normalizeRepo(m[1]), number: Number(m[2]) };
    out.set(itemKey(ref), ref);
  }
  return [...out.values()];
}

export interface CoAuthor {
  name: string;
  email: string;
  /** Known when the address is GitHub's no-reply one (12345+login@users.noreply.github.com). */
  login?: string;
}

/** Co-authored-by trailers of a commit message or PR description, once per address. */
export function coAuthors(text: string | null | undefined): CoAuthor[] {
  if (!text) return [];
  const out = new Map<string, CoAuthor>();
  for (const m of text.matchAll(/^\s*co-authored-by:\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/gim)) {
    const email = m[2].toLowerCase();
    const noreply = /^(?:\d+\+)?([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)@users\.noreply\./i.exec(email);
    out.set(email, { name: m[1], email, login: noreply ? noreply[1].toLowerCase() : undefined });
  }
  return [...out.values()];
}

/** Bots (dependabot[bot], github-actions[bot]) earn no credit. */
export const isBotLogin = (login: string, type?: string | null): boolean => type === "Bot" || /\[bot\]$/i.test(login);
