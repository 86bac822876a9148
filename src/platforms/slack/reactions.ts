import type { App as BoltApp, types, webApi } from "@slack/bolt";
import { firstTimeSeen } from "../../core/dedupe";
import { fileByReaction, type ReactedMessage, reactionKind } from "../../core/reactions";
import { deadline, within } from "./budget";
import { isDeliveryId, type SlackRuntime } from "./runtime";
import { isSlackId } from "./speaker";
import { fromSlackText } from "./text";

/** The fields of a message from conversations.history / conversations.replies that filing reads. */
interface HistoryMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  thread_ts?: string;
  team?: string;
}

/** Errors that mean "the bot may not read this", not "Slack is down" (https://api.slack.com/methods/conversations.history#errors). */
const CANNOT_READ = new Set(["not_in_channel", "channel_not_found", "missing_scope", "thread_not_found", "access_denied", "is_archived"]);

/**
 * `reaction_added` (https://api.slack.com/events/reaction_added) with a filing emoji (names, like
 * `bulb` and `ticket`): the message is read with conversations.history (a reply in a thread with
 * conversations.replies), linked with chat.getPermalink, and handed to core. Needs the
 * reactions:read scope, and channels:history / groups:history to read the message.
 */
export function registerReactions(bolt: BoltApp, rt: SlackRuntime): void {
  bolt.event("reaction_added", async ({ event, body, context, client }) => {
    const left = deadline(rt.ackBudgetMs);
    const e: types.ReactionAddedEvent = event;
    const kind = reactionKind(rt.app.services.config, "slack", e.reaction);
    const team = body.team_id;
    const channel = e.item?.channel;
    const ts = e.item?.ts;
    // Reactions on files, the bot's own, and DMs with the bot (D…: nobody's community channel) file nothing.
    if (!kind || e.item?.type !== "message" || e.user === context.botUserId || !isSlackId(e.user) || !isSlackId(team) || !isSlackId(channel) || channel.startsWith("D")) return;
    if (typeof ts !== "string" || !/^\d+\.\d+$/.test(ts) || !isDeliveryId(body.event_id)) return;
    const done = rt.background.run("reaction", async () => {
      if (!(await firstTimeSeen(rt.app.services.db, `event:${body.event_id}`, "slack"))) return;
      const m = await readMessage(client, channel, ts, rt);
      const profile = await rt.names.profileOf(e.user);
      const reactor = { platform: "slack" as const, externalId: e.user, displayName: profile.name ?? "", workspace: team, channel, locale: profile.locale };
      const thread = m?.thread_ts && m.thread_ts !== ts ? m.thread_ts : undefined;
      const place = { platform: "slack" as const, workspace: team, channel, thread };
      const message = m ? await asReacted(client, rt, m, channel, ts, team) : undefined;
      const outcome = await fileByReaction(rt.app.services, { kind, reactor, place, messageId: ts, answerThread: thread ?? ts, message });
      rt.log.info({ outcome: outcome.kind, kind, message: ts, by: e.user }, "slack filing reaction handled");
    });
    await within(done, left());
  });
}

/** The message itself, or undefined when Slack will not let the bot read it. */
async function readMessage(client: webApi.WebClient, channel: string, ts: string, rt: SlackRuntime): Promise<HistoryMessage | undefined> {
  try {
    const top = await client.conversations.history({ channel, latest: ts, inclusive: true, limit: 1 });
    const found = (top.messages as HistoryMessage[] | undefined)?.find((x) => x.ts === ts);
    if (found) return found;
    // A reply in a thread is not in the channel's history: the thread has it.
    const replies = await client.conversations.replies({ channel, ts, latest: ts, inclusive: true, limit: 1 });
    return (replies.messages as HistoryMessage[] | undefined)?.find((x) => x.ts === ts);
  } catch (e) {
    const code = (e as { data?: { error?: string } }).data?.error;
    if (!code || !CANNOT_READ.has(code)) throw e;
    rt.log.info({ channel, ts, error: code }, "could not read a reacted-to slack message");
    return undefined;
  }
}

async function asReacted(client: webApi.WebClient, rt: SlackRuntime, m: HistoryMessage, channel: string, ts: string, team: string): Promise<ReactedMessage> {
  const author = m.user ?? m.bot_id ?? "";
  const bot = Boolean(m.bot_id) || m.subtype === "bot_message" || !m.user;
  const name = m.user && !bot ? await rt.names.nameOf(m.user) : undefined;
  let url: string | undefined;
  try {
    url = (await client.chat.getPermalink({ channel, message_ts: ts })).permalink;
  } catch (e) {
    rt.log.warn({ err: e, channel, ts }, "no permalink for a filed slack message");
  }
  return {
    author: { platform: "slack", externalId: author, displayName: name ?? "", workspace: m.team ?? team, channel },
    authorIsBot: bot,
    text: fromSlackText(m.text ?? ""),
    url,
  };
}
