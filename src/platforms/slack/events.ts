import { withSlackNames } from "./command-names";
import type { App as BoltApp, types } from "@slack/bolt";
import { dispatchLine } from "../../command-kit/dispatch";
import { firstTimeSeen } from "../../core/dedupe";
import { answer } from "./answer";
import { deadline, within } from "./budget";
import { isDeliveryId, noteUnknownTeam, once, type SlackRuntime } from "./runtime";
import { speakerTranslator } from "../language";
import { isSlackId, slackSpeaker, userTeamOf } from "./speaker";
import { fromSlackText } from "./text";

type MessageEvent = types.MessageEvent;

/** Message subtypes that are something a person or bot said (not joins, edits, deletions). */
const SAID = new Set([undefined, "bot_message", "thread_broadcast", "file_share", "me_message"]);

/** The fields of a message event we use, whatever its subtype. */
function said(e: MessageEvent): { user?: string; botId?: string; name?: string; text: string; ts: string; thread?: string; team?: string; channel: string; dm: boolean } | undefined {
  if (!SAID.has(e.subtype)) return undefined;
  const m = e as MessageEvent & { user?: string; bot_id?: string; username?: string; text?: string; thread_ts?: string; team?: string; user_team?: string; bot_profile?: { name?: string } };
  return {
    user: m.user,
    botId: m.bot_id,
    name: m.username ?? m.bot_profile?.name,
    text: m.text ?? "",
    ts: m.ts,
    thread: m.thread_ts,
    team: userTeamOf(m.user_team, m.team),
    channel: m.channel,
    dm: "channel_type" in m && m.channel_type === "im",
  };
}

export function registerEvents(bolt: BoltApp, rt: SlackRuntime): void {
  /**
   * "@Flywheel upvote 12": a mention runs the rest of the message as a command line and answers
   * in the thread. Slash commands do not work inside threads; this does. A retried event (its
   * event_id already seen) is not applied twice.
   */
  bolt.event("app_mention", async ({ event, body, context, client }) => {
    const left = deadline(rt.ackBudgetMs);
    const team = userTeamOf(event.user_team, event.team, body.team_id);
    const user = event.user;
    if (event.bot_id || !isSlackId(user) || !team || !isSlackId(event.channel) || !isDeliveryId(body.event_id)) return;
    const line = fromSlackText(event.text.replace(context.botUserId ? new RegExp(`<@${context.botUserId}(\\|[^>]*)?>`, "g") : /^\s*<@[^>]+>/, ""));
    const thread = event.thread_ts ?? event.ts;
    const done = rt.background.run("mention", async () => {
      const profile = await rt.names.profileOf(user);
      const name = event.user_profile?.display_name || event.user_profile?.real_name || profile.name;
      const { speaker, place } = slackSpeaker({ user, name, team, channel: event.channel, thread });
      noteUnknownTeam(rt, team, event.channel);
      const asker = { ...speaker, locale: profile.locale };
      const reply = await once(rt, `event:${body.event_id}`, () => dispatchLine(rt.app.services, line, asker, place), speakerTranslator(rt.app.services.config, asker));
      if (reply) await answer(withSlackNames(reply, rt.app.env.SLACK_COMMAND_PREFIX), { client, user, channel: event.channel, thread });
    });
    await within(done, left());
  });

  /**
   * Plain messages in threads and DMs go to the thread-message subscribers (the support relay).
   * Messages from bots are passed on flagged, so they are never mistaken for a person.
   */
  bolt.event("message", async ({ event, body }) => {
    const left = deadline(rt.ackBudgetMs);
    const m = said(event);
    if (!m || !isSlackId(m.channel) || !(m.dm || (m.thread && m.thread !== m.ts))) return;
    const author = m.user ?? m.botId;
    const team = m.team ?? body.team_id;
    if (!isSlackId(author) || !isSlackId(team) || !isDeliveryId(body.event_id)) return;
    const done = rt.background.run("thread message", async () => {
      if (!(await firstTimeSeen(rt.app.services.db, `event:${body.event_id}`, "slack"))) return;
      const name = m.name ?? (m.user && !m.botId ? await rt.names.nameOf(m.user) : undefined);
      const { speaker, place } = slackSpeaker({ user: author, name, team, channel: m.channel, thread: m.thread, dm: m.dm });
      await rt.app.threads.publish({
        speaker,
        place,
        text: fromSlackText(m.text),
        externalId: m.ts,
        fromBot: Boolean(m.botId) || event.subtype === "bot_message",
      });
    });
    await within(done, left());
  });
}
