import { type AnyThreadChannel, DiscordAPIError, type Message } from "discord.js";
import type { Logger } from "pino";
import type { Services } from "../../core/context";
import type { Speaker } from "../../core/people/identity";
import { fileForumPost, forumChannels } from "../../core/requests/forum";
import { messageSpeaker } from "./speaker";

/**
 * A new post in a configured forum channel (THREAD_CREATE with newly_created, its parent a
 * GUILD_FORUM channel: https://discord.com/developers/docs/topics/threads#forums). The post's
 * first message has the thread's id (GET /channels/{thread}/messages/{thread}); its title is the
 * thread's name. Core files it or answers with a similar request.
 */
export async function onForumPost(services: Services, log: Logger, thread: AnyThreadChannel, newlyCreated: boolean): Promise<void> {
  if (!newlyCreated || !thread.parentId || !forumChannels(services.config).includes(thread.parentId)) return;
  // The bot's own posts ("Discuss in forum") are requests already.
  if (thread.ownerId && thread.ownerId === thread.client.user?.id) return;
  const starter = await starterOf(thread, log);
  const author: Speaker = starter
    ? messageSpeaker(starter)
    : { platform: "discord", externalId: thread.ownerId ?? "", displayName: "", workspace: thread.guildId, channel: thread.id };
  if (!author.externalId) {
    log.info({ thread: thread.id }, "a discord forum post without an owner; ignored");
    return;
  }
  const outcome = await fileForumPost(services, {
    author,
    place: { platform: "discord", workspace: thread.guildId, channel: thread.parentId, thread: thread.id },
    title: thread.name,
    body: starter?.content ?? "",
    url: thread.url,
  });
  log.info({ outcome, thread: thread.id, forum: thread.parentId }, "discord forum post handled");
}

/** The post's first message, or null when Discord does not give it (deleted at once, no access). */
async function starterOf(thread: AnyThreadChannel, log: Logger): Promise<Message | null> {
  try {
    return await thread.fetchStarterMessage();
  } catch (e) {
    if (!(e instanceof DiscordAPIError)) throw e;
    log.info({ thread: thread.id, code: e.code }, "could not read a discord forum post's first message; filing it with its title");
    return null;
  }
}
