import type { Webhooks } from "@octokit/webhooks";
import { issueClosed, issueReopened, itemLabeled, itemMilestoned, itemOpenedOrEdited } from "../../core/github/sync";
import { issueItem } from "../payload";
import type { EventDeps } from "./deps";

/** issues: opened/edited link by "Flywheel #12"; labels, milestones, closing and reopening move the linked request. */
export function onIssues(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on(["issues.opened", "issues.edited"], (e) => {
    const repo = e.payload.repository.full_name;
    return run(e, repo, (tx) => itemOpenedOrEdited(services, tx, issueItem(repo, e.payload.issue)));
  });
  webhooks.on("issues.labeled", (e) => {
    const repo = e.payload.repository.full_name;
    const label = e.payload.label?.name;
    return run(e, repo, async (tx) => {
      if (label) await itemLabeled(services, tx, issueItem(repo, e.payload.issue), label);
    });
  });
  webhooks.on("issues.milestoned", (e) => {
    const repo = e.payload.repository.full_name;
    return run(e, repo, (tx) => itemMilestoned(services, tx, issueItem(repo, e.payload.issue), e.payload.milestone.title));
  });
  webhooks.on("issues.closed", (e) => {
    const repo = e.payload.repository.full_name;
    const issue = e.payload.issue;
    const closedAt = issue.closed_at ? new Date(issue.closed_at) : services.clock.now();
    return run(e, repo, (tx) => issueClosed(services, tx, issueItem(repo, issue), issue.state_reason, closedAt));
  });
  webhooks.on("issues.reopened", (e) => {
    const repo = e.payload.repository.full_name;
    return run(e, repo, (tx) => issueReopened(services, tx, issueItem(repo, e.payload.issue)));
  });
}
