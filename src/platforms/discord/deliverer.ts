import { createHash } from "node:crypto";
import { type APIChannel, type APIMessage, DiscordAPIError, RateLimitError, type REST, type RESTPostAPIChannelMessageJSONBody, Routes } from "discord.js";
import type { Reply } from "../../core/reply";
import { truncate } from "../../core/text";
import { type Delivered, type Deliverer, type Delivery, PermanentFailure, RetryLater } from "../../delivery/deliverer";
import { markTopic, openTopic } from "./forum";
import { renderMessage } from "./render";

/** Discord error codes this deliverer acts on (https://discord.com/developers/docs/topics/opcodes-and-status-codes). */
const UNKNOWN_CHANNEL = 10003;
const THREAD_ALREADY_CREATED = 160004;
/** "Cannot send messages to this user": they left every shared server or turned DMs off. */
const CANNOT_MESSAGE_USER = 50007;
/** "Cannot execute action on this channel type": e.g. a thread asked for in a DM. */
const WRONG_CHANNEL_TYPE = 50024;

/**
 * Discord's nonce (at most 25 characters) derived from the outbox key. With enforce_nonce,
 * Discord returns the message it already created for a nonce instead of posting again, so a
 * retry after a lost response (timeout, crash before the row was marked) never posts twice.
 */
export const nonceOf = (key: string): string => createHash("sha256").update(key).digest("base64url").slice(0, 25);

/**
 * Sends outbox rows through discord.js REST, which queues per route and waits out short rate
 * limits itself. Long ones (see INLINE_RATE_LIMIT_MS) come back as RetryLater; hopeless 4xx
 * (unknown channel, missing access) as PermanentFailure; everything else is retried with backoff.
 */
export function discordDeliverer(rest: REST, opts: { botId?: () => string | undefined } = {}): Deliverer {
  const dms = new Map<string, string>();
  const dmChannel = async (user: string): Promise<string> => {
    let id = dms.get(user);
    if (!id) {
      id = ((await rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as APIChannel).id;
      dms.set(user, id);
    }
    return id;
  };

  const deliver = async (d: Delivery): Promise<Delivered> => {
    // Outbox messages are channel posts: "only you can see this" means nothing here.
    const { content, embeds, components, allowed_mentions } = renderMessage(d.reply);
    const body: RESTPostAPIChannelMessageJSONBody = { content: content ?? "", embeds, components, allowed_mentions };
    // A DM has no threads (Discord answers 50024): a person's place is their DM, thread or not.
    const direct = !d.place.channel && d.place.user;
    // Forum posts: opening one for a request, or its status tag following the request. A retry of
    // an opening looks for the post first: the failed attempt may have created it (no nonce there).
    const topic = d.reply.topic;
    if (topic && d.place.channel) {
      if (topic.title && !d.place.thread)
        return openTopic(rest, d.place.channel, topic, { content, embeds, components, allowed_mentions }, { guildId: d.place.workspace, botId: opts.botId?.(), inDoubt: d.inDoubt || d.attempt > 1 });
      if (!topic.title && d.place.thread) return markTopic(rest, d.place.channel, d.place.thread, topic);
    }

    if (d.editExternalId) {
      const where = direct ? await dmChannel(direct) : (d.place.thread ?? d.place.channel);
      if (!where) throw new PermanentFailure("the message to edit has no Discord channel");
      await rest.patch(Routes.channelMessage(where, d.editExternalId), { body });
      return { externalId: d.editExternalId, thread: d.place.thread };
    }

    const post = (channel: string) =>
      rest.post(Routes.channelMessages(channel), { body: { ...body, nonce: nonceOf(d.key), enforce_nonce: true } }) as Promise<APIMessage>;

    if (direct) {
      try {
        return { externalId: (await post(await dmChannel(direct))).id };
      } catch (e) {
        if (e instanceof DiscordAPIError && e.code === CANNOT_MESSAGE_USER)
          throw new PermanentFailure(`Discord refused the direct message (code ${e.code}: the person left the server or does not accept DMs from the bot)`, "dm_refused");
        throw e;
      }
    }
    if (d.place.thread) {
      const thread = d.place.thread;
      try {
        return { externalId: (await post(thread)).id, thread };
      } catch (e) {
        // The thread is the id of the message it grows from; it does not exist until opened.
        if (!(e instanceof DiscordAPIError && e.code === UNKNOWN_CHANNEL && d.place.channel)) throw e;
        try {
          await openThread(rest, d.place.channel, thread, d.reply);
        } catch (opening) {
          // A ticket stored against a DM channel (before DMs were told apart): answer in the DM itself.
          if (opening instanceof DiscordAPIError && opening.code === WRONG_CHANNEL_TYPE) return { externalId: (await post(d.place.channel)).id };
          throw opening;
        }
        return { externalId: (await post(thread)).id, thread };
      }
    }
    if (!d.place.channel) throw new PermanentFailure("the outbox row names no Discord channel, thread or user");
    return { externalId: (await post(d.place.channel)).id };
  };

  return {
    platform: "discord",
    async deliver(d) {
      try {
        return await deliver(d);
      } catch (e) {
        throw classify(e);
      }
    },
  };
}

/**
 * Opens a thread on a message the bot posted; its id is the message's id. It is named after
 * that message (its embed title), so people see what the thread is about.
 */
async function openThread(rest: REST, channel: string, messageId: string, reply: Reply): Promise<void> {
  const parent = (await rest.get(Routes.channelMessage(channel, messageId))) as APIMessage;
  const embed = parent.embeds[0];
  const name = truncate((embed?.title || embed?.description || parent.content || reply.title || reply.text || "Thread").split("\n")[0].trim() || "Thread", 100);
  try {
    await rest.post(Routes.threads(channel, messageId), { body: { name, auto_archive_duration: 10080 } });
  } catch (e) {
    // Another delivery opened it first: the thread is there, which is all we need.
    if (!(e instanceof DiscordAPIError && e.code === THREAD_ALREADY_CREATED)) throw e;
  }
}

/** Maps discord.js errors to what the outbox worker understands. */
export function classify(e: unknown): Error {
  if (e instanceof RateLimitError) return new RetryLater(Math.max(0, e.retryAfter), `Discord rate limit on ${e.route} (${e.retryAfter} ms)`);
  if (e instanceof DiscordAPIError) {
    if (e.status === 429) return new RetryLater(1000, "Discord rate limit");
    if (e.status >= 400 && e.status < 500 && e.status !== 408) return new PermanentFailure(`Discord refused it (HTTP ${e.status}, code ${e.code}): ${e.message}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}
