import { type types, webApi } from "@slack/bolt";
import type { Logger } from "pino";
import type { Db } from "../../db/client";
import { firstTimeSeen } from "../../core/dedupe";
import type { Place } from "../../core/reply";
import { type Deliverer, type Delivery, PermanentFailure, RetryLater } from "../../delivery/deliverer";
import { renderMessage } from "./render";

type WebClient = webApi.WebClient;

/** Marks our messages so a retry can find one that was posted although Slack's answer got lost. */
export const OUTBOX_EVENT_TYPE = "flywheel_outbox";
const MARKER_SOURCE = "slack-outbox";

/** Slack errors that retrying cannot fix: the row goes dead (and staff hear of it) at once. */
const HOPELESS = new Set([
  "channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "no_text", "invalid_blocks", "invalid_blocks_format",
  "restricted_action", "restricted_action_read_only_channel", "restricted_action_thread_only_channel", "restricted_action_non_threadable_channel",
  "cannot_reply_to_message", "message_not_found", "cant_update_message", "edit_window_closed", "user_not_found", "user_disabled",
  "cannot_dm_bot", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "not_authed", "missing_scope", "no_permission",
  "team_access_not_granted", "invalid_metadata_format", "invalid_metadata_schema", "too_many_attachments", "duplicate_channel_not_found",
]);

/**
 * Errors on a direct message meaning the person cannot get one from the bot
 * (https://api.slack.com/methods/conversations.open, https://api.slack.com/methods/chat.postMessage#errors);
 * channel_not_found there is the IM of a person who is gone.
 */
const DM_REFUSED = new Set(["cannot_dm_bot", "user_not_found", "user_disabled", "user_not_visible", "channel_not_found"]);

/** Turns a Web API failure into what the outbox worker understands; toUser: the message was a DM. */
function classify(e: unknown, toUser = false): Error {
  if (toUser && e instanceof webApi.WebAPIPlatformError && DM_REFUSED.has(String(e.data.error)))
    return new PermanentFailure(`slack refused the direct message: ${String(e.data.error)}`, "dm_refused");
  if (e instanceof webApi.WebAPIRateLimitedError) return new RetryLater(e.retryAfter * 1000, `slack rate limited; retry after ${e.retryAfter}s`);
  if (e instanceof webApi.WebAPIPlatformError) {
    const code = String(e.data.error);
    if (code === "ratelimited") return new RetryLater(30_000, "slack rate limited");
    if (code === "not_in_channel") return new PermanentFailure("slack refused the message: not_in_channel (invite the bot to that channel)");
    if (HOPELESS.has(code)) return new PermanentFailure(`slack refused the message: ${code}`);
    return new Error(`slack error: ${code}`);
  }
  if (e instanceof webApi.WebAPIHTTPError) return new Error(`slack answered HTTP ${e.statusCode}`);
  if (e instanceof webApi.WebAPIRequestError) return new Error(`slack unreachable: ${e.original.message}`);
  return e instanceof Error ? e : new Error(String(e));
}

/** Errors after which Slack certainly did not post: no need to look for the message next time. */
const certainlyNotPosted = (e: unknown) => e instanceof webApi.WebAPIRateLimitedError || e instanceof webApi.WebAPIPlatformError;

interface SlackMessageSummary {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * Posts outbox rows with chat.postMessage (thread_ts for threads, a DM when the place is a user)
 * and edits with chat.update, a channel's messages paced (channelPaceMs). 429s become
 * RetryLater(Retry-After); 5xx and network errors are left to the worker's backoff.
 *
 * A message is never posted twice for one row: each post carries the row's idempotency key as
 * message metadata, and a row whose earlier attempt may have reached Slack (a 5xx, a timeout, a
 * crash before the row was marked delivered) first looks for that key in the conversation.
 */
export class SlackDeliverer implements Deliverer {
  readonly platform = "slack" as const;
  /**
   * Slack allows chat.postMessage about once a second per channel (short bursts tolerated); the
   * worker keeps a channel's posts this far apart instead of drawing 429s whose Retry-After,
   * in whole seconds, would cost more than the wait.
   */
  readonly channelPaceMs: number;
  private dmChannels = new Map<string, string>();

  /** Builds a person's Home tab as it is now (rows with reply.home). */
  private home?: (user: string, team: string | undefined) => Promise<types.HomeView>;

  constructor(
    private client: WebClient,
    private db: Db,
    private log: Logger,
    opts: { channelPaceMs?: number; home?: (user: string, team: string | undefined) => Promise<types.HomeView> } = {},
  ) {
    this.channelPaceMs = opts.channelPaceMs ?? 1000;
    this.home = opts.home;
  }

  async deliver(d: Delivery): Promise<{ externalId?: string }> {
    if (d.reply.home) return this.publishHome(d.place);
    const channel = await this.channelOf(d.place);
    const message = renderMessage(d.reply);
    if (d.editExternalId) {
      try {
        await this.client.chat.update({ channel, ts: d.editExternalId, ...message });
      } catch (e) {
        throw classify(e);
      }
      return { externalId: d.editExternalId };
    }

    const markerId = `${d.id}`;
    if (!(await firstTimeSeen(this.db, markerId, MARKER_SOURCE, "post"))) {
      const since = (await this.db.webhookDelivery.findUnique({ where: { id: `${MARKER_SOURCE}:${markerId}` } }))?.receivedAt;
      const found = await this.findPosted(channel, d, since);
      if (found) {
        this.log.info({ outboxId: d.id, ts: found }, "slack message was already posted by an earlier attempt; not posting again");
        return { externalId: found };
      }
    }
    try {
      const res = await this.client.chat.postMessage({
        channel,
        ...message,
        ...(d.place.thread ? { thread_ts: d.place.thread } : {}),
        unfurl_links: false,
        metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key: d.key } },
      });
      return { externalId: res.ts };
    } catch (e) {
      if (certainlyNotPosted(e)) await this.db.webhookDelivery.deleteMany({ where: { id: `${MARKER_SOURCE}:${markerId}` } });
      // The IM may be gone with its person: open it afresh next time rather than trust the cache.
      if (d.place.user && !d.place.channel) this.dmChannels.delete(d.place.user);
      throw classify(e, !d.place.channel);
    }
  }

  /**
   * Republishes a person's Home tab (views.publish) from the data as it is now: whatever changed
   * since the row was queued is on it, so a retry or a late delivery is never stale.
   * https://docs.slack.dev/reference/methods/views.publish
   */
  private async publishHome(place: Place): Promise<{ externalId?: string }> {
    if (!place.user) throw new PermanentFailure("a home page row names no person");
    if (!this.home) throw new PermanentFailure("this Slack deliverer cannot build home pages");
    const view = await this.home(place.user, place.workspace);
    try {
      const res = await this.client.views.publish({ user_id: place.user, view });
      return { externalId: res.view?.id };
    } catch (e) {
      throw classify(e);
    }
  }

  /** A DM goes to the bot's IM channel with that user (conversations.open), so history and edits work. */
  private async channelOf(place: Place): Promise<string> {
    if (place.channel) return place.channel;
    if (!place.user) throw new PermanentFailure("slack message has neither a channel nor a user to send it to");
    const known = this.dmChannels.get(place.user);
    if (known) return known;
    try {
      const res = await this.client.conversations.open({ users: place.user });
      const id = res.channel?.id;
      if (!id) throw new Error("conversations.open returned no channel");
      this.dmChannels.set(place.user, id);
      return id;
    } catch (e) {
      throw classify(e, true);
    }
  }

  /**
   * Looks through the conversation (the thread, when posting in one) since the first attempt for
   * a message carrying this row's key. Up to 1000 messages: retries happen within minutes.
   */
  private async findPosted(channel: string, d: Delivery, since?: Date): Promise<string | undefined> {
    const oldest = since ? ((since.getTime() - 120_000) / 1000).toFixed(6) : undefined;
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 5; page++) {
        const common = { channel, limit: 200, include_all_metadata: true, ...(oldest ? { oldest } : {}), ...(cursor ? { cursor } : {}) };
        const res = d.place.thread
          ? await this.client.conversations.replies({ ...common, ts: d.place.thread })
          : await this.client.conversations.history(common);
        const messages = (res.messages ?? []) as SlackMessageSummary[];
        const hit = messages.find((m) => m.metadata?.event_type === OUTBOX_EVENT_TYPE && m.metadata.event_payload?.key === d.key);
        if (hit?.ts) return hit.ts;
        cursor = res.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
    } catch (e) {
      // Not knowing whether it was posted, we do not post: the worker tries again later.
      throw classify(e);
    }
    return undefined;
  }
}
