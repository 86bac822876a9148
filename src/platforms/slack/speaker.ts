import type { Speaker } from "../../core/people/identity";
import type { Place } from "../../core/reply";

/** Who is speaking and where, as Slack says it. The team picks the community (or the channel, in a shared workspace). */
export interface SlackOrigin {
  user: string;
  name?: string;
  team: string;
  channel?: string;
  thread?: string;
  /** The channel is the person's IM with the bot (message events say so with channel_type "im"). */
  dm?: boolean;
}

/** Slack IM conversations (a person with the bot) have ids starting with D; channels C, group DMs G. */
const isImChannel = (channel: string | undefined): boolean => Boolean(channel?.startsWith("D"));

export function slackSpeaker(o: SlackOrigin): { speaker: Speaker; place: Place } {
  // In the IM with the bot the place is the person: core keeps DM conversations out of channels.
  const dm = !o.channel || o.dm === true || isImChannel(o.channel);
  return {
    // Message events carry no name: left empty, identity uses the name the person is known by
    // (not the raw id, which would reach members on the other platform as "U0... (staff)").
    speaker: { platform: "slack", externalId: o.user, displayName: o.name ?? "", workspace: o.team, channel: o.channel },
    place: dm ? { platform: "slack", workspace: o.team, user: o.user, thread: o.thread } : { platform: "slack", workspace: o.team, channel: o.channel, thread: o.thread },
  };
}

const ID = /^[A-Z0-9][A-Z0-9_-]{1,40}$/i;

/** Slack ids are short and alphanumeric; anything else in a payload is refused before it reaches core. */
export const isSlackId = (v: unknown): v is string => typeof v === "string" && ID.test(v);

/**
 * The workspace a person belongs to, which picks the community they speak for. In a Slack Connect
 * channel people of several workspaces meet and the payload's top-level team is the one the app
 * is installed in (https://api.slack.com/apis/channels-between-orgs: "you'll encounter messages
 * and users originating from other teams"), so the user's own team comes first: `user_team` on
 * events (https://docs.slack.dev/reference/events/app_mention, @slack/types AppMentionEvent),
 * `user.team_id` on interactions (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload),
 * and on slash commands `user_team` when Slack sends it, else `team_id`
 * (https://docs.slack.dev/interactivity/implementing-slash-commands).
 */
export function userTeamOf(...candidates: unknown[]): string | undefined {
  return candidates.find(isSlackId);
}
