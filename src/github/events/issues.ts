import type { Webhooks } from "@octokit/webhooks";
import { issueClosed, issueReopened, itemLabeled, itemMilestoned, itemOpenedOrEdited } from "../../core/github/sync";
import { issueItem, user } from "../payload";
import type { EventDeps } from "./deps";
import { happened } from "./happened";

/** issues: opened/edited link by "Flywheel #12"; labels, milestones, closing and reopening move the linked request. */
export function onIssues(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on(["issues.opened", "issues.edited"], (e) => {
    const repo = e.payload.repository.full_name;
    const item = issueItem(repo, e.payload.issue);
    return run({ ...e, happened: happened(`issues.${e.payload.action}`, item, e.payload.issue.updated_at) }, repo, (tx) => itemOpenedOrEdited(services, tx, item));
  });
  webhooks.on("issues.labeled", (e) => {
    const repo = e.payload.repository.full_name;
    const item = issueItem(repo, e.payload.issue);
    const label = e.payload.label?.name;
    return run({ ...e, happened: happened("issues.labeled", item, e.payload.issue.updated_at, label) }, repo, async (tx) => {
      if (label) await itemLabeled(services, tx, item, label);
    });
  });
  webhooks.on("issues.milestoned", (e) => {
    const repo = e.payload.repository.full_name;
    const item = issueItem(repo, e.payload.issue);
    const milestone = e.payload.milestone.title;
    return run({ ...e, happened: happened("issues.milestoned", item, e.payload.issue.updated_at, milestone) }, repo, (tx) => itemMilestoned(services, tx, item, milestone));
  });
  webhooks.on("issues.closed", (e) => {
    const repo = e.payload.repository.full_name;
    const issue = e.payload.issue;
    const item = issueItem(repo, issue);
    const closedAt = issue.closed_at ? new Date(issue.closed_at) : services.clock.now();
    // The sender closed it; the payload gives no association for them, only their login.
    return run({ ...e, happened: happened("issues.closed", item, issue.closed_at, issue.state_reason) }, repo, (tx) => issueClosed(services, tx, item, closedAt, user(e.payload.sender)));
  });
  webhooks.on("issues.reopened", (e) => {
    const repo = e.payload.repository.full_name;
    const item = issueItem(repo, e.payload.issue);
    return run({ ...e, happened: happened("issues.reopened", item, e.payload.issue.updated_at) }, repo, (tx) => issueReopened(services, tx, item));
  });
}
