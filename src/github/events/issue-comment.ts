import type { Webhooks } from "@octokit/webhooks";
import { commentPosted } from "../../core/github/sync";
import { issueItem, user } from "../payload";
import type { EventDeps } from "./deps";
import { happened } from "./happened";

/** issue_comment.created: "This is Flywheel #12" in a maintainer's comment links the issue or PR it is on; anyone else's suggests it. */
export function onIssueComment(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on("issue_comment.created", (e) => {
    const repo = e.payload.repository.full_name;
    const { comment } = e.payload;
    const mention = { text: comment.body ?? "", by: user(comment.user, comment.author_association) };
    return run({ ...e, happened: happened("issue_comment.created", `comment:${comment.id}`) }, repo, (tx) => commentPosted(services, tx, issueItem(repo, e.payload.issue), mention));
  });
}
