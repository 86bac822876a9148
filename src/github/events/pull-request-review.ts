import type { Webhooks } from "@octokit/webhooks";
import { recordReview } from "../../core/github/credit";
import { pullItem } from "../payload";
import type { EventDeps } from "./deps";
import { happened } from "./happened";

/** pull_request_review.submitted: the reviewer is remembered and credited when the PR merges. */
export function onPullRequestReview(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on("pull_request_review.submitted", (e) => {
    const repo = e.payload.repository.full_name;
    const { review, pull_request: pr } = e.payload;
    const event = { ...e, happened: happened("pull_request_review.submitted", `review:${review.id}`) };
    if (!review.user) return run(event, repo, async () => {});
    const reviewer = { login: review.user.login, type: review.user.type };
    const at = review.submitted_at ? new Date(review.submitted_at) : services.clock.now();
    const mergedAt = pr.merged_at ? new Date(pr.merged_at) : null;
    return run(event, repo, (tx) => recordReview(services, tx, { ...pullItem(repo, pr), mergedAt }, reviewer, review.state, at));
  });
}
