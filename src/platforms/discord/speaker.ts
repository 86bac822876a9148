import { type BaseInteraction, type Channel, type GuildMember, InteractionContextType, type Message, type User } from "discord.js";
import type { Speaker } from "../../core/people/identity";
import type { Place } from "../../core/reply";

type MemberLike = GuildMember | { nick?: string | null } | null | undefined;

/** The name people see: server nickname, else the global display name, else the username. */
function displayName(user: User, member: MemberLike): string {
  const nick = member && "displayName" in member ? member.displayName : member && "nick" in member ? member.nick : undefined;
  return nick || user.globalName || user.username || user.id;
}

/**
 * Where something happened. In a thread, the channel is the thread's parent and thread the
 * thread's id, so notifications about it go back into that thread.
 */
export function placeOf(guildId: string | null, channelId: string | null, channel: Channel | null): Place {
  const place: Place = { platform: "discord", workspace: guildId ?? undefined, channel: channelId ?? undefined };
  if (channel?.isThread() && channel.parentId) {
    place.channel = channel.parentId;
    place.thread = channel.id;
  }
  return place;
}

/**
 * Who is asking and where: the Discord user in a guild. identity.ts maps the guild to a
 * configured community and the user to a Person (staff when flywheel.yml names their id).
 */
export function interactionSpeaker(i: BaseInteraction): { speaker: Speaker; place: Place } {
  // In the bot's DM the place is the person (a DM has no threads): core keeps the conversation there.
  const dm = i.context === InteractionContextType.BotDM || (!i.guildId && Boolean(i.channel?.isDMBased()));
  const place: Place = dm ? { platform: "discord", user: i.user.id } : placeOf(i.guildId, i.channelId, i.channel);
  const speaker: Speaker = {
    platform: "discord",
    externalId: i.user.id,
    displayName: displayName(i.user, i.member as MemberLike),
    workspace: i.guildId ?? undefined,
    channel: i.channelId ?? undefined,
    // The person's Discord client language ("es-ES"); guild_locale is only the server's default.
    locale: i.locale,
  };
  return { speaker, place };
}

export function messageSpeaker(m: Message): Speaker {
  return {
    platform: "discord",
    externalId: m.author.id,
    displayName: displayName(m.author, m.member),
    workspace: m.guildId ?? undefined,
    channel: m.channelId,
  };
}
