import { DiscordAPIError, type Message, type MessageReaction, type PartialMessage, type PartialMessageReaction, type PartialUser, type User } from "discord.js";
import type { Logger } from "pino";
import type { Services } from "../../core/context";
import { fileByReaction, type ReactedMessage, reactionKind } from "../../core/reactions";
import { messageSpeaker, placeOf } from "./speaker";

/**
 * A reaction added in a guild (MESSAGE_REACTION_ADD, https://discord.com/developers/docs/events/gateway-events#message-reaction-add)
 * with a filing emoji: the message is read (it is usually not cached: GET
 * /channels/{channel}/messages/{message}) and handed to core, which decides the rest.
 */
export async function onReaction(services: Services, log: Logger, reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
  const kind = reactionKind(services.config, "discord", reaction.emoji.name);
  if (!kind || user.bot) return;
  const m = reaction.message;
  // A DM is nobody's community channel.
  if (!m.guildId) return;
  const read = await readMessage(m, log);
  const place = placeOf(m.guildId, m.channelId, read?.channel ?? m.channel);
  const member = m.guild?.members.cache.get(user.id);
  const reactor = {
    platform: "discord" as const,
    externalId: user.id,
    displayName: member?.displayName || user.globalName || user.username || user.id,
    workspace: m.guildId,
    channel: m.channelId,
  };
  const outcome = await fileByReaction(services, { kind, reactor, place, messageId: m.id, answerThread: place.thread ?? m.id, message: read ? asReacted(read) : undefined });
  log.info({ outcome: outcome.kind, kind, message: m.id, by: user.id }, "discord filing reaction handled");
}

/** The whole message, or undefined when Discord will not give it to the bot (no access, deleted). */
async function readMessage(m: Message | PartialMessage, log: Logger): Promise<Message | undefined> {
  if (!m.partial) return m;
  try {
    return await m.fetch();
  } catch (e) {
    if (!(e instanceof DiscordAPIError)) throw e;
    log.info({ channel: m.channelId, message: m.id, code: e.code, status: e.status }, "could not read a reacted-to discord message");
    return undefined;
  }
}

const asReacted = (m: Message): ReactedMessage => ({
  author: messageSpeaker(m),
  authorIsBot: m.author.bot || m.system || Boolean(m.webhookId),
  text: m.content,
  url: m.url,
});
