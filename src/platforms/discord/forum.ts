import {
  type APIGuildForumChannel,
  type APIGuildForumTag,
  type APIThreadChannel,
  type REST,
  type RESTGetAPIGuildThreadsResult,
  type RESTPostAPIGuildForumThreadsJSONBody,
  Routes,
} from "discord.js";
import type { Topic } from "../../core/reply";
import { truncate } from "../../core/text";
import { type Delivered, PermanentFailure } from "../../delivery/deliverer";
import type { DiscordMessage } from "./render";

/**
 * Discord's forum limits (https://discord.com/developers/docs/resources/channel#forum-tag-object and
 * #modify-channel-json-params-guild-channel / -thread): a tag name is at most 20 characters, a
 * forum has at most 20 tags, a post at most 5 applied tags; a post's name is 1-100 characters.
 */
export const FORUM = { tagName: 20, tags: 20, applied: 5, postName: 100 } as const;

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === truncate(b.trim(), FORUM.tagName).toLocaleLowerCase();

/**
 * The forum's tag for a status, created when missing: the forum's available_tags are replaced
 * as a whole (PATCH /channels/{forum}), so the existing ones are sent back with their ids.
 */
async function statusTag(rest: REST, forumId: string, status: string): Promise<{ tag: APIGuildForumTag; tags: APIGuildForumTag[] }> {
  const forum = (await rest.get(Routes.channel(forumId))) as APIGuildForumChannel;
  const tags = forum.available_tags ?? [];
  const found = tags.find((t) => sameName(t.name, status));
  if (found) return { tag: found, tags };
  if (tags.length >= FORUM.tags) throw new PermanentFailure(`the forum ${forumId} has ${FORUM.tags} tags already; no room for "${status}"`);
  const body = { available_tags: [...tags, { name: truncate(status, FORUM.tagName), moderated: true }] };
  const updated = (await rest.patch(Routes.channel(forumId), { body })) as APIGuildForumChannel;
  const tag = updated.available_tags.find((t) => sameName(t.name, status));
  if (!tag) throw new Error(`Discord did not keep the forum tag "${status}"`);
  return { tag, tags: updated.available_tags };
}

/**
 * Opens a forum post (POST /channels/{forum}/threads) whose first message is the reply, tagged with
 * its status. Creating a thread takes no nonce, so after an attempt that may have reached Discord
 * (inDoubt) the guild's active threads are asked first for the bot's post of that name.
 */
export async function openTopic(rest: REST, forumId: string, topic: Topic, message: DiscordMessage, opts: { guildId?: string; botId?: string; inDoubt?: boolean } = {}): Promise<Delivered> {
  const name = truncate(topic.title?.trim() || "…", FORUM.postName);
  if (opts.inDoubt && opts.guildId) {
    const active = (await rest.get(Routes.guildActiveThreads(opts.guildId))) as RESTGetAPIGuildThreadsResult;
    const mine = active.threads.find((c) => "parent_id" in c && c.parent_id === forumId && c.name === name && (!opts.botId || ("owner_id" in c && c.owner_id === opts.botId)));
    if (mine) return { externalId: mine.id, thread: mine.id };
  }
  const applied = topic.status ? [(await statusTag(rest, forumId, topic.status)).tag.id] : [];
  const body: RESTPostAPIGuildForumThreadsJSONBody = {
    name,
    message: { content: message.content, embeds: message.embeds, components: message.components, allowed_mentions: message.allowed_mentions },
    applied_tags: applied,
  };
  const thread = (await rest.post(Routes.threads(forumId), { body })) as APIThreadChannel;
  return { externalId: thread.id, thread: thread.id };
}

/** Marks a forum post with its status tag, replacing the status tag it had and keeping the others. */
export async function markTopic(rest: REST, forumId: string, threadId: string, topic: Topic): Promise<Delivered> {
  if (!topic.status) throw new PermanentFailure("a topic mark without a status");
  const { tag, tags } = await statusTag(rest, forumId, topic.status);
  const statuses = new Set(tags.filter((t) => (topic.statuses ?? []).some((s) => sameName(t.name, s))).map((t) => t.id));
  const thread = (await rest.get(Routes.channel(threadId))) as APIThreadChannel;
  const kept = (thread.applied_tags ?? []).filter((id) => !statuses.has(id) && id !== tag.id);
  await rest.patch(Routes.channel(threadId), { body: { applied_tags: [...kept.slice(0, FORUM.applied - 1), tag.id] } });
  return { externalId: threadId, thread: threadId };
}
