import { itemKey } from "../../core/github/refs";

/**
 * What happened, in words every delivery of one event shares (unlike X-GitHub-Delivery): the
 * event and action, the item, and what tells this occurrence from the next one (a timestamp,
 * a merge commit, a label). Webhooks sends it along with the event to run().
 */
export const happened = (event: string, item: { repo: string; number: number } | string, ...when: (string | number | null | undefined)[]): string =>
  [event, typeof item === "string" ? item : itemKey(item), ...when.map((w) => w ?? "")].join("|");
