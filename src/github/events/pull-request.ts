import type { Webhooks } from "@octokit/webhooks";
import type { PullExtras } from "../../core/github/refs";
import { itemLabeled, itemOpenedOrEdited, pullClosedUnmerged, pullMerged } from "../../core/github/sync";
import { pullItem } from "../payload";
import type { EventDeps } from "./deps";

/** pull_request: an opened PR naming a request links it (in progress); a merge credits and ships. */
export function onPullRequest(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on(["pull_request.opened", "pull_request.edited", "pull_request.reopened", "pull_request.ready_for_review"], (e) => {
    const repo = e.payload.repository.full_name;
    return run(e, repo, (tx) => itemOpenedOrEdited(services, tx, pullItem(repo, e.payload.pull_request)));
  });
  webhooks.on("pull_request.labeled", (e) => {
    const repo = e.payload.repository.full_name;
    const label = e.payload.label?.name;
    return run(e, repo, async (tx) => {
      if (label) await itemLabeled(services, tx, pullItem(repo, e.payload.pull_request), label);
    });
  });
  webhooks.on("pull_request.closed", (e) => {
    const repo = e.payload.repository.full_name;
    const pr = e.payload.pull_request;
    if (!pr.merged) return run(e, repo, (tx) => pullClosedUnmerged(services, tx, pullItem(repo, pr)));
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
    return run(e, repo, (tx, extras: PullExtras) => pullMerged(services, tx, { ...pullItem(repo, pr), mergedAt }, extras), prepare);
  });
}
