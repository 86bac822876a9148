import type { Webhooks } from "@octokit/webhooks";
import { releasePublished } from "../../core/github/sync";
import type { EventDeps } from "./deps";
import { happened } from "./happened";

/** release.published: requests its notes name ship, or are announced as released. */
export function onRelease(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on("release.published", (e) => {
    const repo = e.payload.repository.full_name;
    const r = e.payload.release;
    return run({ ...e, happened: happened("release.published", `release:${r.id}`) }, repo, (tx) => releasePublished(services, tx, { repo, id: r.id, tag: r.tag_name, name: r.name, url: r.html_url, body: r.body }));
  });
}
