// A local GitHub REST API stand-in on 127.0.0.1: just the routes Flywheel calls, answering in
// GitHub's shapes (Link pagination headers, 404 bodies, a 403 rate-limit answer), so the real
// Octokit runs against it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandinUser {
  login: string;
  type?: "User" | "Bot";
}

export interface StandinIssue {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  state_reason?: "completed" | "not_planned" | "duplicate" | "reopened" | null;
  user: StandinUser;
  /** GitHub's author_association; by default OWNER for the repository owner, NONE for anyone else. */
  author_association?: string;
  labels?: string[];
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
}

export interface StandinPull {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  merged_at: string | null;
  user: StandinUser;
  author_association?: string;
  created_at: string;
  updated_at: string;
  closed_at?: string | null;
  reviews?: { user: StandinUser; state: "APPROVED" | "COMMENTED" | "CHANGES_REQUESTED" | "DISMISSED" }[];
  commits?: { message: string; author: { name: string; email: string }; login?: string }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: unknown;
}

interface Repo {
  /** As GitHub spells it; requests may use any case. */
  name: string;
  issues: StandinIssue[];
  pulls: StandinPull[];
}

const association = (fullName: string, i: { user: StandinUser; author_association?: string }) =>
  i.author_association ?? (fullName.split("/")[0].toLowerCase() === i.user.login.toLowerCase() ? "OWNER" : "NONE");
const user = (u: StandinUser) => ({ login: u.login, id: u.login.length * 1000 + 7, node_id: `U_${u.login}`, type: u.type ?? "User", site_admin: false });

export class GithubStandin {
  private server: Server;
  private repos = new Map<string, Repo>();
  readonly requests: RecordedRequest[] = [];
  /** Answer 403 "rate limit exceeded" once this many more requests were served; undefined: never. */
  rateLimitAfter: number | undefined;
  /** Epoch seconds the rate-limit answer names as x-ratelimit-reset. */
  rateLimitReset = Math.floor(Date.UTC(2026, 10, 23, 10, 30) / 1000);
  url = "";
  private nextNumber = 100;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  repo(fullName: string): Repo {
    const key = fullName.toLowerCase();
    let r = this.repos.get(key);
    if (!r) {
      r = { name: fullName, issues: [], pulls: [] };
      this.repos.set(key, r);
    }
    return r;
  }

  addIssue(fullName: string, issue: StandinIssue): void {
    this.repo(fullName).issues.push(issue);
    this.nextNumber = Math.max(this.nextNumber, issue.number + 1);
  }

  addPull(fullName: string, pull: StandinPull): void {
    this.repo(fullName).pulls.push(pull);
    this.nextNumber = Math.max(this.nextNumber, pull.number + 1);
  }

  issue(fullName: string, number: number): StandinIssue | undefined {
    return this.repo(fullName).issues.find((i) => i.number === number);
  }

  private htmlUrl(fullName: string, kind: "issues" | "pull", n: number) {
    return `https://github.com/${fullName}/${kind}/${n}`;
  }

  private issueJson(fullName: string, i: StandinIssue) {
    return {
      id: i.number * 10 + 1,
      node_id: `I_${fullName.replace("/", "_")}_${i.number}`,
      number: i.number,
      title: i.title,
      body: i.body,
      state: i.state,
      state_reason: i.state_reason ?? null,
      html_url: this.htmlUrl(fullName, "issues", i.number),
      url: `${this.url}/repos/${fullName}/issues/${i.number}`,
      user: user(i.user),
      author_association: association(fullName, i),
      labels: (i.labels ?? []).map((name, k) => ({ id: k + 1, name, color: "ededed", default: false, description: null })),
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at ?? null,
      comments: 0,
    };
  }

  private pullAsIssueJson(fullName: string, p: StandinPull) {
    return {
      ...this.issueJson(fullName, { ...p, labels: [] }),
      node_id: `PR_${fullName.replace("/", "_")}_${p.number}`,
      html_url: this.htmlUrl(fullName, "pull", p.number),
      pull_request: { url: `${this.url}/repos/${fullName}/pulls/${p.number}`, html_url: this.htmlUrl(fullName, "pull", p.number), merged_at: p.merged_at },
    };
  }

  private pullJson(fullName: string, p: StandinPull) {
    return {
      id: p.number * 10 + 2,
      node_id: `PR_${fullName.replace("/", "_")}_${p.number}`,
      number: p.number,
      title: p.title,
      body: p.body,
      state: p.state,
      html_url: this.htmlUrl(fullName, "pull", p.number),
      url: `${this.url}/repos/${fullName}/pulls/${p.number}`,
      user: user(p.user),
      author_association: association(fullName, p),
      labels: [],
      created_at: p.created_at,
      updated_at: p.updated_at,
      closed_at: p.closed_at ?? null,
      merged_at: p.merged_at,
    };
  }

  /** One page of a list, with GitHub's Link header (absolute URLs Octokit follows). */
  private page(res: ServerResponse, path: string, query: Record<string, string>, all: unknown[]): void {
    const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30)));
    const page = Math.max(1, Number(query.page ?? 1));
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => `<${this.url}${path}?${new URLSearchParams({ ...query, page: String(p), per_page: String(perPage) })}>; rel="${rel}"`;
    const links = [
      ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
      ...(page > 1 ? [link(1, "first"), link(page - 1, "prev")] : []),
    ];
    this.send(res, 200, all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(", ") } : {});
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-github-request-id": "STANDIN",
      ...headers,
    });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? "/", this.url);
    const query = Object.fromEntries(u.searchParams);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    this.requests.push({ method: req.method ?? "GET", path: u.pathname, query, authorization: req.headers.authorization, body });

    if (this.rateLimitAfter !== undefined) {
      if (this.rateLimitAfter <= 0) {
        this.send(res, 403, { message: "API rate limit exceeded for user ID 1.", documentation_url: "https://docs.github.com/rest/rate-limit" }, {
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(this.rateLimitReset),
        });
        return;
      }
      this.rateLimitAfter--;
    }

    const m = /^\/repos\/([^/]+)\/([^/]+)\/(issues|pulls)(?:\/(\d+))?(?:\/(reviews|commits))?$/.exec(u.pathname);
    if (!m) return this.send(res, 404, { message: "Not Found" });
    const repo = this.repos.get(`${m[1]}/${m[2]}`.toLowerCase());
    const [kind, num, sub] = [m[3], m[4] ? Number(m[4]) : undefined, m[5]];
    if (!repo) return this.send(res, 404, { message: "Not Found" });
    const fullName = repo.name;

    if (req.method === "POST" && kind === "issues" && num === undefined) {
      if (!body || typeof body.title !== "string" || !body.title) return this.send(res, 422, { message: "Validation Failed" });
      const now = new Date().toISOString();
      const issue: StandinIssue = { number: this.nextNumber++, title: body.title, body: typeof body.body === "string" ? body.body : null, state: "open", user: { login: "flywheel-bot" }, created_at: now, updated_at: now };
      repo.issues.push(issue);
      return this.send(res, 201, this.issueJson(fullName, issue));
    }
    if (req.method !== "GET") return this.send(res, 404, { message: "Not Found" });

    const byUpdated = <T extends { updated_at: string }>(xs: T[]) =>
      [...xs].sort((a, b) => (query.direction === "asc" ? 1 : -1) * (Date.parse(a.updated_at) - Date.parse(b.updated_at)));
    const stateMatches = (s: string) => !query.state || query.state === "all" || query.state === s;

    if (kind === "issues" && num === undefined) {
      const since = query.since ? Date.parse(query.since) : undefined;
      const all = byUpdated([
        ...repo.issues.filter((i) => stateMatches(i.state)).map((i) => ({ updated_at: i.updated_at, json: this.issueJson(fullName, i) })),
        ...repo.pulls.filter((p) => stateMatches(p.state)).map((p) => ({ updated_at: p.updated_at, json: this.pullAsIssueJson(fullName, p) })),
      ]).filter((x) => since === undefined || Date.parse(x.updated_at) >= since);
      return this.page(res, u.pathname, query, all.map((x) => x.json));
    }
    if (kind === "issues") {
      const i = repo.issues.find((x) => x.number === num);
      if (i) return this.send(res, 200, this.issueJson(fullName, i));
      const p = repo.pulls.find((x) => x.number === num);
      return p ? this.send(res, 200, this.pullAsIssueJson(fullName, p)) : this.send(res, 404, { message: "Not Found" });
    }
    if (kind === "pulls" && num === undefined) {
      return this.page(res, u.pathname, query, byUpdated(repo.pulls.filter((p) => stateMatches(p.state))).map((p) => this.pullJson(fullName, p)));
    }
    const p = repo.pulls.find((x) => x.number === num);
    if (!p) return this.send(res, 404, { message: "Not Found" });
    if (sub === "reviews")
      return this.page(res, u.pathname, query, (p.reviews ?? []).map((r, k) => ({ id: k + 1, user: user(r.user), state: r.state, body: "", submitted_at: p.updated_at })));
    if (sub === "commits")
      return this.page(
        res,
        u.pathname,
        query,
        (p.commits ?? []).map((c, k) => ({
          sha: `${p.number}${k}`.padEnd(40, "0"),
          commit: { message: c.message, author: { ...c.author, date: p.created_at }, committer: { name: "GitHub", email: "noreply@github.com", date: p.created_at } },
          author: c.login ? user({ login: c.login }) : null,
          committer: user({ login: "web-flow" }),
        })),
      );
    return this.send(res, 200, this.pullJson(fullName, p));
  }
}
