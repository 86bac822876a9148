import type { Translator } from "../../i18n/translate";
import { type RankedRequest, statusLabel } from "./requests";
import type { Button, Section } from "../reply";
import { truncate } from "../text";

/** The buttons every request card carries. */
export const requestButtons = (t: Translator, id: number): Button[] => [
  { label: t.t("requests.button.upvote"), command: `upvote ${id}`, style: "primary" },
  { label: t.t("requests.button.unvote"), command: `unvote ${id}` },
  { label: t.t("requests.button.details"), command: `request-show ${id}` },
];

/** `#12 Faster image builds — 5 communities · 23 votes · 3 pledges — planned` */
export function rankedLine(t: Translator, r: RankedRequest): string {
  return t.t("requests.rankedLine", { number: r.id, title: truncate(r.title, 80), communities: r.communities, votes: r.votes, pledges: r.pledges, status: statusLabel(t, r.status) });
}

export const requestSection = (t: Translator, r: RankedRequest): Section => ({ text: rankedLine(t, r), buttons: requestButtons(t, r.id) });
