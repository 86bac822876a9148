import type { Webhooks } from "@octokit/webhooks";
import { recordReview } from "../../core/github/credit";
import { pullItem } from "../payload";
import type { EventDeps } from "./deps";

/** pull_request_review.submitted: the reviewer is remembered and credited when the PR merges. */
export function onPullRequestReview(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on("pull_request_review.submitted", (e) => {
    const repo = e.payload.repository.full_name;
    const { review, pull_request: pr } = e.payload;
    if (!review.user) return run(e, repo, async () => {});
    const reviewer = { login: review.user.login, type: review.user.type };
    const at = review.submitted_at ? new Date(review.submitted_at) : services.clock.now();
    const mergedAt = pr.merged_at ? new Date(pr.merged_at) : null;
    return run(e, repo, (tx) => recordReview(services, tx, { ...pullItem(repo, pr), mergedAt }, reviewer, review.state, at));
  });
}
