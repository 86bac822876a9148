import type { GithubGateway } from "../core/context";
import type { PullExtras } from "../core/github/refs";
import type { Octokit } from "./client";
import { explained } from "./errors";
import { issueItem } from "./payload";

export const split = (repo: string) => {
  const [owner, name] = repo.split("/");
  return { owner, repo: name };
};

/** Core's GitHub operations on a real Octokit; failures come back as friendly UserErrors. */
export function octokitGateway(octokit: Octokit): Required<GithubGateway> {
  return {
    async createIssue(repo, title, body) {
      const { data } = await explained(repo, () => octokit.rest.issues.create({ ...split(repo), title, body }));
      return { number: data.number, url: data.html_url, title: data.title, nodeId: data.node_id };
    },
    async getItem(repo, number) {
      const { data } = await explained(`${repo}#${number}`, () => octokit.rest.issues.get({ ...split(repo), issue_number: number }));
      return issueItem(repo, data);
    },
    pullDetails: (repo, number) => explained(`${repo}#${number}`, () => pullExtras(octokit, repo, number)),
  };
}

/** A pull request's commits (messages, author logins by e-mail) and reviewers, every page. */
export async function pullExtras(octokit: Octokit, repo: string, number: number): Promise<PullExtras> {
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, { ...split(repo), pull_number: number, per_page: 100 });
  const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, { ...split(repo), pull_number: number, per_page: 100 });
  const loginsByEmail = new Map<string, string>();
  for (const c of commits) {
    if (c.author?.login && c.commit.author?.email) loginsByEmail.set(c.commit.author.email.toLowerCase(), c.author.login.toLowerCase());
    if (c.committer?.login && c.commit.committer?.email) loginsByEmail.set(c.commit.committer.email.toLowerCase(), c.committer.login.toLowerCase());
  }
  return {
    commitMessages: commits.map((c) => c.commit.message),
    loginsByEmail,
    reviewers: reviews.filter((r) => r.user && r.state !== "DISMISSED" && r.state !== "PENDING").map((r) => r.user!.login),
  };
}
