import type { Message } from "discord.js";
import type { ThreadMessage } from "../../core/inbound";
import { messageSpeaker } from "./speaker";

/**
 * A plain message as the support relay sees it, or undefined when the bot does not follow its
 * place. The bot follows DMs, threads it started (support threads open from its own posts) and
 * threads it was added to; other channels' chatter is none of its business.
 */
export function threadMessageOf(m: Message, botId: string): ThreadMessage | undefined {
  if (m.system || m.webhookId) return undefined;
  const channel = m.channel;
  if (channel.isDMBased()) {
    return {
      speaker: messageSpeaker(m),
      place: { platform: "discord", user: m.author.id },
      text: m.content,
      externalId: m.id,
      fromBot: m.author.bot,
    };
  }
  if (channel.isThread() && (channel.ownerId === botId || channel.joined)) {
    return {
      speaker: messageSpeaker(m),
      place: { platform: "discord", workspace: m.guildId ?? undefined, channel: channel.parentId ?? undefined, thread: channel.id },
      text: m.content,
      externalId: m.id,
      fromBot: m.author.bot,
    };
  }
  return undefined;
}
