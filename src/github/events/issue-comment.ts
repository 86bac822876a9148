import type { Webhooks } from "@octokit/webhooks";
import { commentPosted } from "../../core/github/sync";
import { issueItem } from "../payload";
import type { EventDeps } from "./deps";

/** issue_comment.created: "This is Flywheel #12" in a comment links the issue or PR it is on. */
export function onIssueComment(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on("issue_comment.created", (e) => {
    const repo = e.payload.repository.full_name;
    return run(e, repo, (tx) => commentPosted(services, tx, issueItem(repo, e.payload.issue), e.payload.comment.body ?? ""));
  });
}
