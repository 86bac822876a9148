import type { Message } from "discord.js";
import type { FlywheelConfig } from "../../config/file";
import type { ThreadMessage } from "../../core/inbound";
import { messageSpeaker } from "./speaker";

/**
 * The channels Flywheel posts in (communities, the support and roadmap spaces) and the communities'
 * request forums (a reply in a post is feedback): threads under them are followed.
 */
export function followedChannels(config: FlywheelConfig): Set<string> {
  const ids = config.communities.flatMap((c) => [c.discord?.channel, c.discord?.forum]);
  ids.push(config.support?.discord?.channel, config.roadmap?.discord?.channel);
  return new Set(ids.filter((x): x is string => Boolean(x)));
}

/**
 * A plain message as the support relay sees it, or undefined when the bot does not follow its
 * place. The bot follows DMs, threads under the channels it posts in (a thread on one of its
 * messages may be opened by a person, so owner alone would miss it), threads it started and
 * threads it was added to. Other channels' chatter is none of its business.
 */
export function threadMessageOf(m: Message, botId: string, followed: Set<string>): ThreadMessage | undefined {
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
  if (channel.isThread() && (followed.has(channel.parentId ?? "") || channel.ownerId === botId || channel.joined)) {
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
