import type { App as BoltApp, types } from "@slack/bolt";
import { translatorForPlace } from "../../core/people/locale";
import { previewCard, requestPreview } from "../../core/roadmap/preview";
import { getPublicRequest } from "../../core/roadmap/roadmap";
import { deadline, within } from "./budget";
import { renderMessage } from "./render";
import type { SlackRuntime } from "./runtime";

type LinkUnfurls = Record<string, { blocks: types.KnownBlock[] }>;

/** Slack sends at most this many links per link_shared event; more is not Slack's. */
const MAX_LINKS = 10;

/**
 * The request a link names when it is one of this bot's roadmap pages: <PUBLIC_URL>/roadmap/<n>,
 * with or without a trailing slash, query or fragment. Any other link is not ours to unfurl.
 */
export function roadmapNumber(link: string, publicUrl: string): number | undefined {
  let u: URL;
  let base: URL;
  try {
    u = new URL(link);
    base = new URL(publicUrl);
  } catch {
    return undefined;
  }
  if (u.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
  const prefix = base.pathname.replace(/\/+$/, "");
  const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/roadmap/(\\d{1,10})/?$`).exec(u.pathname);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) && n >= 1 && n <= 2_147_483_647 ? n : undefined;
}

/**
 * Link previews: a roadmap link pasted in Slack (`link_shared`, for the app's unfurl_domains)
 * unfurls into the request's card with its Upvote button (`chat.unfurl`), built from the same
 * public view as the page, so a private community is never named. The words are the channel's
 * community's language. A link to a request that does not exist is left alone, with a log line.
 * https://docs.slack.dev/messaging/unfurling-links-in-messages
 */
export function registerUnfurls(bolt: BoltApp, rt: SlackRuntime): void {
  bolt.event("link_shared", async ({ event, body, client }) => {
    const left = deadline(rt.ackBudgetMs);
    const { services } = rt.app;
    const base = services.publicUrl;
    if (!base) {
      rt.log.info("slack link_shared but PUBLIC_URL is not set: roadmap links cannot be recognised; not unfurled");
      return;
    }
    const links = (Array.isArray(event.links) ? event.links : []).slice(0, MAX_LINKS).filter((l) => typeof l?.url === "string");
    const done = rt.background.run("unfurl", async () => {
      const t = translatorForPlace(services.config, { platform: "slack", workspace: body.team_id, channel: event.channel });
      const unfurls: LinkUnfurls = {};
      for (const { url } of links) {
        const n = roadmapNumber(url, base);
        if (n === undefined) continue;
        const d = await getPublicRequest(services, n, t);
        if (!d) {
          rt.log.info({ url, number: n }, "slack link to a request that does not exist; not unfurled");
          continue;
        }
        unfurls[url] = { blocks: renderMessage(previewCard(t, requestPreview(t, d, base))).blocks };
      }
      if (!Object.keys(unfurls).length) return;
      // A link still in the composer has no message yet: Slack names it by unfurl_id and source.
      const source = event.source === "composer" || event.source === "conversations_history" ? event.source : undefined;
      if (event.unfurl_id && source) await client.chat.unfurl({ unfurl_id: event.unfurl_id, source, unfurls });
      else await client.chat.unfurl({ channel: event.channel, ts: event.message_ts, unfurls });
    });
    await within(done, left());
  });
}
