import type { Webhooks } from "@octokit/webhooks";
import { projectStatusChanged } from "../../core/github/sync";
import type { EventDeps } from "./deps";
import { happened } from "./happened";

/** The option a single-select change moved to ({id, name} in current payloads). */
const optionName = (v: unknown): string | undefined =>
  v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string" ? (v as { name: string }).name : undefined;

/**
 * projects_v2_item.edited: a linked issue's card moved to another Status option. Projects belong
 * to an organization, not a repository: the item is found by its content's node id.
 */
export function onProjectsV2Item(webhooks: Webhooks, { services, run }: EventDeps): void {
  webhooks.on("projects_v2_item.edited", (e) => {
    const changes = e.payload.changes as { field_value?: { field_name?: string; field_type?: string; to?: unknown } } | undefined;
    const field = changes?.field_value;
    const option = optionName(field?.to);
    const nodeId = e.payload.projects_v2_item.content_node_id;
    // Older payloads say that a field changed but not to what: nothing to map then.
    const isStatus = !field?.field_name || field.field_name.trim().toLowerCase() === "status";
    const item = e.payload.projects_v2_item;
    return run({ ...e, happened: happened("projects_v2_item.edited", `project-item:${item.id}`, item.updated_at, option) }, null, async (tx) => {
      if (option && isStatus && nodeId) await projectStatusChanged(services, tx, nodeId, option);
    });
  });
}
