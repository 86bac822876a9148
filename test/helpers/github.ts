import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import definitions from "@octokit/webhooks-examples";
import type {
  IssuesClosedEvent,
  IssuesLabeledEvent,
  IssuesMilestonedEvent,
  IssuesOpenedEvent,
  IssuesReopenedEvent,
  PullRequestClosedEvent,
  PullRequestOpenedEvent,
  WebhookEventMap,
  WebhookEventName,
} from "@octokit/webhooks-types";
import { startApp, type App } from "../../src/app";
import { loadEnv } from "../../src/config/env";
import { parseConfig } from "../../src/config/file";
import { ManualClock } from "../../src/core/clock";
import { type DB_TARGETS, freshDatabase, TEST_CONFIG_YAML } from "./db";
import { GithubStandin } from "../standins/github";

/** A recorded example payload from @octokit/webhooks-examples (a fresh copy to edit). */
export function example<N extends WebhookEventName>(name: N, action: string, pick: (p: WebhookEventMap[N]) => boolean = () => true): WebhookEventMap[N] {
  const def = definitions.find((d) => d.name === name);
  const found = def?.examples.find((e) => (e as { action?: string }).action === action && pick(e as WebhookEventMap[N]));
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found) as WebhookEventMap[N];
}

export const sign = (secret: string, body: string): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

export interface Delivered {
  status: number;
  body: { ok?: boolean; outcome?: string; error?: string };
  delivery: string;
}

/**
 * POSTs a webhook the way GitHub does: the exact bytes signed with the secret, the event name
 * and a delivery id. opts.body sends other bytes than the ones signed (a tampered body).
 */
export async function deliver(
  port: number,
  secret: string,
  event: string,
  payload: unknown,
  opts: { delivery?: string; body?: string; signature?: string | null } = {},
): Promise<Delivered> {
  const raw = JSON.stringify(payload);
  const delivery = opts.delivery ?? randomUUID();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/standin",
    "x-github-event": event,
    "x-github-delivery": delivery,
  };
  const signature = opts.signature === undefined ? sign(secret, raw) : opts.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await fetch(`http://127.0.0.1:${port}/github/webhooks`, { method: "POST", headers, body: opts.body ?? raw });
  return { status: res.status, body: (await res.json()) as Delivered["body"], delivery };
}

/** The repository of the recorded examples, and its key as Flywheel stores it. */
export const REPO = "Codertocat/Hello-World";
export const KEY = "codertocat/hello-world";

export const issueUrl = (n: number) => `https://github.com/${REPO}/issues/${n}`;
export const pullUrl = (n: number) => `https://github.com/${REPO}/pull/${n}`;
export const nodeIdOf = (n: number) => `I_${REPO.replace("/", "_")}_${n}`;

type Association = "OWNER" | "MEMBER" | "COLLABORATOR" | "CONTRIBUTOR" | "FIRST_TIME_CONTRIBUTOR" | "FIRST_TIMER" | "MANNEQUIN" | "NONE";

export interface IssueShape {
  title?: string;
  body?: string | null;
  labels?: string[];
  login?: string;
  type?: "User" | "Bot";
  /** The author's association with the repository (the examples' author, Codertocat, is its OWNER). */
  association?: Association;
  /** Who did it (closed it): the examples' sender is Codertocat. */
  sender?: string;
}

const withSender = <T extends { sender: object }>(p: T, login?: string): T => {
  if (login) (p as { sender: { login: string } }).sender = { ...p.sender, login } as { login: string };
  return p;
};

/** Puts one of our issues into a recorded issue payload. */
export function asIssue<T extends { issue: object; repository: { full_name: string }; sender: object }>(p: T, n: number, s: IssueShape = {}): T {
  const issue = p.issue as Record<string, unknown> & { user: { login: string; type: string } };
  Object.assign(issue, {
    number: n,
    html_url: issueUrl(n),
    node_id: nodeIdOf(n),
    title: s.title ?? `Issue ${n}`,
    body: s.body === undefined ? "" : s.body,
    labels: (s.labels ?? []).map((name, i) => ({ id: i + 1, node_id: `L${i}`, url: "", name, color: "ededed", default: false, description: null })),
  });
  delete issue.pull_request;
  if (s.login) issue.user = { ...issue.user, login: s.login, type: s.type ?? "User" };
  if (s.association) issue.author_association = s.association;
  return withSender(p, s.sender);
}

export const issueEvent = {
  opened: (n: number, s?: IssueShape) => asIssue(example("issues", "opened") as IssuesOpenedEvent, n, s),
  labeled: (n: number, label: string, s?: IssueShape) => {
    const p = asIssue(example("issues", "labeled") as IssuesLabeledEvent, n, { ...s, labels: [...(s?.labels ?? []), label] });
    p.label = { ...p.label!, name: label };
    return p;
  },
  milestoned: (n: number, s?: IssueShape) => asIssue(example("issues", "milestoned") as IssuesMilestonedEvent, n, s),
  reopened: (n: number, s?: IssueShape) => asIssue(example("issues", "reopened") as IssuesReopenedEvent, n, s),
  /** The examples have no closed issue: a reopened one, closed. */
  closed: (n: number, reason: "completed" | "not_planned" | "duplicate", s?: IssueShape & { closedAt?: string }) => {
    const p = asIssue(example("issues", "reopened") as unknown as IssuesClosedEvent, n, s);
    p.action = "closed";
    Object.assign(p.issue, { state: "closed", state_reason: reason, closed_at: s?.closedAt ?? "2026-11-20T12:00:00Z" });
    return p;
  },
};

export interface PullShape {
  login?: string;
  association?: Association;
  /** A fork's pull request comes from another repository. */
  fork?: string;
  /** Who merged it (merged_by, and the sender). */
  mergedBy?: string;
}

function asPull<T extends PullRequestOpenedEvent | PullRequestClosedEvent>(p: T, n: number, body: string, s: PullShape): T {
  Object.assign(p.pull_request, { number: n, html_url: pullUrl(n), node_id: `PR_${n}`, title: `Pull ${n}`, body });
  if (s.login) p.pull_request.user = { ...p.pull_request.user, login: s.login };
  if (s.association) p.pull_request.author_association = s.association;
  if (s.fork && p.pull_request.head.repo) p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: s.fork, fork: true };
  p.number = n;
  return p;
}

export const pullOpened = (n: number, body: string, s: PullShape = {}): PullRequestOpenedEvent => asPull(example("pull_request", "opened") as PullRequestOpenedEvent, n, body, s);

/** The examples have no merged PR: the closed one, merged. */
export function pullMerged(n: number, body: string, login = "Codertocat", s: PullShape = {}): PullRequestClosedEvent {
  const p = asPull(example("pull_request", "closed") as PullRequestClosedEvent, n, body, { login, ...s });
  Object.assign(p.pull_request, { merged: true, merged_at: "2026-11-20T11:00:00Z", merge_commit_sha: `c0ffee${String(n).padStart(34, "0")}` });
  if (s.mergedBy) {
    p.pull_request.merged_by = { ...p.sender, login: s.mergedBy };
    withSender(p, s.mergedBy);
  }
  return p;
}

/** The test config, following the examples' repository, with a roadmap channel. */
export const GITHUB_YAML = `${TEST_CONFIG_YAML}
roadmap:
  slack: { team: T0STAFF, channel: C0ROADMAP }
github:
  repos: [${REPO}]
  defaultRepo: ${REPO}
`;

export interface GithubApp {
  app: App;
  standin: GithubStandin;
  close(): Promise<void>;
}

/** The whole app on a fresh database, its webhooks signed with secret, its Octokit on a GitHub stand-in. */
export async function startGithubApp(target: (typeof DB_TARGETS)[number], o: { secret: string; token: string; clock?: ManualClock }): Promise<GithubApp> {
  const standin = new GithubStandin();
  await standin.start();
  standin.repo(REPO);
  let databaseUrl = "memory:";
  let drop = async () => {};
  if (target === "postgresql") {
    const fresh = await freshDatabase(target);
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  const env = loadEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    DATA_DIR: mkdtempSync(join(tmpdir(), "flywheel-gh-")),
    GITHUB_WEBHOOK_SECRET: o.secret,
    GITHUB_TOKEN: o.token,
    GITHUB_API_URL: standin.url,
  });
  const app = await startApp({ env, config: parseConfig(GITHUB_YAML), databaseUrl, clock: o.clock ?? new ManualClock(), worker: { autostart: false } });
  return {
    app,
    standin,
    async close() {
      await app.stop();
      await drop();
      await standin.close();
    },
  };
}
