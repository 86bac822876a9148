import { type RankedRequest, STATUS_LABEL } from "./requests";
import type { Button, Section } from "../reply";
import { plural, truncate } from "../text";

/** The buttons every request card carries. */
export const requestButtons = (id: number): Button[] => [
  { label: "Upvote", command: `upvote ${id}`, style: "primary" },
  { label: "Unvote", command: `unvote ${id}` },
  { label: "Details", command: `request-show ${id}` },
];

/** `#12 Faster image builds — 5 communities · 23 votes · 3 pledges — planned` */
export function rankedLine(r: RankedRequest): string {
  return `#${r.id} ${truncate(r.title, 80)} — ${plural(r.communities, "community", "communities")} · ${plural(r.votes, "vote")} · ${plural(r.pledges, "pledge")} — ${STATUS_LABEL[r.status]}`;
}

export const requestSection = (r: RankedRequest): Section => ({ text: rankedLine(r), buttons: requestButtons(r.id) });
