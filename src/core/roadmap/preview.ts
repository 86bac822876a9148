import type { Translator } from "../../i18n/translate";
import type { Reply } from "../reply";
import { statusLabel } from "../requests/requests";
import { truncate } from "../text";
import type { PublicRequest } from "./roadmap";

/**
 * What a link to one request's page shows wherever it is previewed (Open Graph and Twitter card
 * meta on the page, Slack's unfurl): built from the page's own public view, so a private
 * community is shown exactly as the page shows it, never by name.
 */
export interface RequestPreview {
  number: number;
  title: string;
  /** The breadth line and the status: "Wanted by 2 communities: Alpha University and an Essential member · 3 votes · planned". */
  description: string;
  url: string;
}

const NAMES_SHOWN = 6;

/** The page of request n under the public base URL. */
export const requestPageUrl = (base: string, n: number): string => `${base.replace(/\/+$/, "")}/roadmap/${n}`;

export function requestPreview(t: Translator, r: PublicRequest, base: string): RequestPreview {
  const names = r.breadth.wantedBy.map((c) => c.name);
  const shown = names.length > NAMES_SHOWN ? t.t("preview.namesAndMore", { names: t.list(names.slice(0, NAMES_SHOWN)), count: names.length - NAMES_SHOWN }) : t.list(names);
  return {
    number: r.number,
    title: t.t("preview.title", { number: r.number, title: truncate(r.title, 150) }),
    description: t.t("preview.description", { status: statusLabel(t, r.status), communities: r.breadth.communities, names: shown, votes: r.votes }),
    url: requestPageUrl(base, r.number),
  };
}

/** The request's card in a chat preview: its title linking to the page, the breadth line, and Upvote. */
export function previewCard(t: Translator, p: RequestPreview): Reply {
  return {
    text: `${p.title} — ${p.description}`,
    sections: [{ title: p.title, url: p.url, text: p.description, buttons: [{ label: t.t("requests.button.upvote"), command: `upvote ${p.number}`, style: "primary" }] }],
  };
}
