import type { Webhooks } from "@octokit/webhooks";
import type { PullExtras } from "../../core/github/refs";
import { itemLabeled, itemOpenedOrEdited, pullClosedUnmerged, pullMerged } from "../../core/github/sync";
import { pullItem, user } from "../payload";
import type { EventDeps } from "./deps";
import { happened } from "./happened";

/** pull_request: an opened PR naming a request links it (in progress); a merge credits and ships. */
export function onPullRequest(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on(["pull_request.opened", "pull_request.edited", "pull_request.reopened", "pull_request.ready_for_review"], (e) => {
    const repo = e.payload.repository.full_name;
    const item = pullItem(repo, e.payload.pull_request);
    return run({ ...e, happened: happened(`pull_request.${e.payload.action}`, item, e.payload.pull_request.updated_at) }, repo, (tx) => itemOpenedOrEdited(services, tx, item));
  });
  webhooks.on("pull_request.labeled", (e) => {
    const repo = e.payload.repository.full_name;
    const item = pullItem(repo, e.payload.pull_request);
    const label = e.payload.label?.name;
    return run({ ...e, happened: happened("pull_request.labeled", item, e.payload.pull_request.updated_at, label) }, repo, async (tx) => {
      if (label) await itemLabeled(services, tx, item, label);
    });
  });
  webhooks.on("pull_request.closed", (e) => {
    const repo = e.payload.repository.full_name;
    const pr = e.payload.pull_request;
    const item = pullItem(repo, pr);
    if (!pr.merged) return run({ ...e, happened: happened("pull_request.closed", item, pr.closed_at) }, repo, (tx) => pullClosedUnmerged(services, tx, item));
    const mergedAt = pr.merged_at ? new Date(pr.merged_at) : services.clock.now();
    // The payload names neither the commits' co-authors nor the reviewers: ask the API when we can.
    const prepare = async (): Promise<PullExtras> => {
      if (!services.github?.pullDetails) return {};
      try {
        return await services.github.pullDetails(repo, pr.number);
      } catch (err) {
        services.log.warn({ pr: `${repo}#${pr.number}`, reason: err instanceof Error ? err.message : String(err) }, "could not fetch commits and reviews; crediting from the webhook alone");
        return {};
      }
    };
    // One merge is one merge commit, whichever hook delivers it.
    const merged = happened("pull_request.merged", item, pr.merge_commit_sha ?? pr.merged_at);
    return run({ ...e, happened: merged }, repo, (tx, extras: PullExtras) => pullMerged(services, tx, { ...item, mergedAt }, extras, user(pr.merged_by ?? e.payload.sender)), prepare);
  });
}
