// A community's forum channel (on Discord) is its request board: each new post becomes a request
// (or, when a similar open request exists, waits for its author's "File anyway"), the post's tag
// follows the request's status, replies in it are feedback, and a request filed elsewhere can be
// opened there for discussion. Platforms say what happened in the forum; this decides the rest.
import type { CommunityConfig, FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { RequestStatus } from "../../generated/prisma/client";
import type { Translator } from "../../i18n/translate";
import type { Actor, Services } from "../context";
import { firstTimeSeen } from "../dedupe";
import { UserError } from "../errors";
import type { ThreadMessage, ThreadMessages } from "../inbound";
import { enqueue } from "../outbox";
import { resolveActor, type Speaker } from "../people/identity";
import { isUniqueViolation } from "../support/model";
import { translatorForPlace } from "../people/locale";
import type { Place, Reply } from "../reply";
import { truncate } from "../text";
import { requestButtons } from "./cards";
import { createRequest, DETAILS_MAX, findSimilar, followMerges, LISTABLE_STATUSES, statusLabel, TITLE_MAX, TITLE_MIN } from "./requests";

/** The community whose forum a channel is, if it is one. */
export function forumCommunity(config: FlywheelConfig, place: Pick<Place, "platform" | "workspace" | "channel">): CommunityConfig | undefined {
  if (place.platform !== "discord" || !place.channel) return undefined;
  return config.communities.find((c) => c.discord?.forum === place.channel && c.discord?.guild === place.workspace);
}

/** Every forum channel named in the config: the platform follows replies in their posts. */
export const forumChannels = (config: FlywheelConfig): string[] => config.communities.flatMap((c) => (c.discord?.forum ? [c.discord.forum] : []));

const forumPlace = (c: CommunityConfig): Place => ({ platform: "discord", workspace: c.discord!.guild, channel: c.discord!.forum });

/** The status tag of a request's post, as the forum's readers name the statuses. */
const statusTopic = (t: Translator, status: RequestStatus) => ({ status: statusLabel(t, status), statuses: LISTABLE_STATUSES.map((s) => statusLabel(t, s)) });

export interface NewPost {
  author: Speaker;
  /** The forum (channel) and the post (thread). */
  place: Place & { channel: string; thread: string };
  title: string;
  /** The post's first message; empty when it has no text (an image alone) or could not be read. */
  body: string;
  /** A link to the post. */
  url?: string;
}

export type PostOutcome = "filed" | "similar" | "seen" | "ignored" | "refused";

/**
 * A new post in a forum: filed as a request for its author (the post's title and first message),
 * unless a similar open request exists: then the bot answers in the post with it, an Upvote button
 * and a "File anyway" button only the author's click files with. Seen once per post, however often
 * the platform tells of it.
 */
export async function fileForumPost(services: Services, post: NewPost): Promise<PostOutcome> {
  const { config, db, log } = services;
  const community = forumCommunity(config, post.place);
  if (!community) {
    log.info({ channel: post.place.channel, workspace: post.place.workspace }, "a post in a forum no community names; ignored");
    return "ignored";
  }
  if (await db.forumPost.findUnique({ where: { thread: post.place.thread } })) return "seen";
  const t = translatorForPlace(config, post.place);
  const answer = (what: string, reply: Reply) => enqueue(db, { key: `forum:${post.place.thread}:${what}`, place: post.place, reply });
  const title = post.title.trim();
  if (title.length < TITLE_MIN || title.length > TITLE_MAX) {
    await answer("title", { text: t.t("forum.badTitle", { min: TITLE_MIN, max: TITLE_MAX }) });
    return "refused";
  }
  const author = await resolveActor(services, post.author);
  const body = truncate(post.body.trim(), DETAILS_MAX);
  if (!body) log.info({ thread: post.place.thread }, "a forum post with no text in its first message: filed with its title alone");
  const similar = await findSimilar(services, title);
  const row = { platform: post.place.platform, workspace: post.place.workspace ?? "", forum: post.place.channel, thread: post.place.thread, authorId: author.personId, title, body, createdAt: services.clock.now() };
  // The gateway may tell of a post twice (a resumed session): the unique thread keeps one.
  const claim = (state: "pending" | "filing") =>
    db.forumPost.create({ data: { ...row, state } }).catch((e: unknown) => {
      if (isUniqueViolation(e)) return undefined;
      throw e;
    });
  if (similar.length) {
    if (!(await claim("pending"))) return "seen";
    await answer("similar", {
      text: t.t("forum.similar", { list: similar.map((s) => `#${s.id} ${s.title}`).join("\n") }),
      sections: similar.map((s) => ({ text: `#${s.id} ${s.title}`, buttons: [{ label: t.t("forum.upvoteButton", { number: s.id }), command: `upvote ${s.id}`, style: "primary" as const }] })),
      buttons: [{ label: t.t("forum.fileAnyway"), command: `forum file ${post.place.thread}` }],
    });
    return "similar";
  }
  const created = await claim("filing");
  if (!created) return "seen";
  await fileAsRequest(services, created.id, author, post.place, title, body, post.url);
  return "filed";
}

/** Files a post as its author's request; the post gets the request's card (its Upvote button) and its status tag. */
async function fileAsRequest(services: Services, postId: number, author: Actor, place: Place & { thread: string }, title: string, body: string, url?: string): Promise<number> {
  const r = await createRequest(services, author, { title, details: body || undefined, place, sourceUrl: url });
  const t = translatorForPlace(services.config, place);
  await services.db.$transaction(async (tx) => {
    await tx.forumPost.update({ where: { id: postId }, data: { state: "filed", requestId: r.id } });
    await enqueue(tx, {
      key: `forum:${place.thread}:filed`,
      place,
      reply: { text: t.t("forum.filed", { number: r.id, author: author.displayName, upvote: `/upvote ${r.id}` }), title: `#${r.id} ${r.title}`, buttons: requestButtons(t, r.id) },
    });
    await enqueue(tx, { key: `forum:${place.thread}:tag:open`, place, reply: { text: statusLabel(t, "open"), topic: statusTopic(t, "open") } });
  });
  return r.id;
}

/** "File anyway", pressed in a post that looked like an existing request: only its author may. */
export async function fileAnyway(services: Services, actor: Actor, thread: string): Promise<{ requestId: number; already: boolean }> {
  const post = await services.db.forumPost.findUnique({ where: { thread } });
  if (!post) throw new UserError({ key: "forum.noSuchPost" });
  if (post.requestId) return { requestId: post.requestId, already: true };
  if (post.authorId !== actor.personId) throw new UserError({ key: "forum.onlyAuthor" });
  // One click files: the state moves under a condition, so a double click files once.
  const claimed = await services.db.forumPost.updateMany({ where: { id: post.id, state: "pending" }, data: { state: "filing" } });
  if (!claimed.count) throw new UserError({ key: "forum.beingFiled" });
  const place = { platform: post.platform, workspace: post.workspace || undefined, channel: post.forum, thread };
  try {
    return { requestId: await fileAsRequest(services, post.id, actor, place, post.title, post.body, forumUrl(place)), already: false };
  } catch (e) {
    await services.db.forumPost.update({ where: { id: post.id }, data: { state: "pending" } });
    throw e;
  }
}

const forumUrl = (p: Place & { thread: string }) => (p.platform === "discord" && p.workspace ? `https://discord.com/channels/${p.workspace}/${p.thread}` : undefined);

/**
 * "Discuss in forum": opens a post for a request filed elsewhere in the asker's community's forum
 * (the post's first message is the request's card), once per forum. Returns the post's link when
 * it already exists.
 */
export async function openForumPost(services: Services, actor: Actor, requestId: number): Promise<{ requestId: number; opened: boolean; url?: string }> {
  const community = services.config.communities.find((c) => c.slug === actor.communitySlug);
  if (!community?.discord?.forum) throw new UserError({ key: "forum.noForum" });
  const r = await followMerges(services, requestId);
  const place = forumPlace(community);
  const existing = await services.db.forumPost.findFirst({ where: { requestId: r.id, forum: place.channel! }, orderBy: { id: "asc" } });
  if (existing) {
    const thread = existing.thread ?? (existing.outboxId ? (await services.db.outboxMessage.findUnique({ where: { id: existing.outboxId } }))?.thread : null);
    return { requestId: r.id, opened: false, url: thread ? forumUrl({ ...place, thread }) : undefined };
  }
  const t = translatorForPlace(services.config, place);
  await services.db.$transaction(async (tx) => {
    const outboxId = await enqueue(tx, {
      key: `forum:open:${place.channel}:${r.id}`,
      place,
      reply: {
        text: [t.t("forum.opened", { number: r.id, upvote: `/upvote ${r.id}` }), r.body ? truncate(r.body, 1500) : ""].filter(Boolean).join("\n\n"),
        title: `#${r.id} ${r.title}`,
        buttons: requestButtons(t, r.id),
        topic: { title: truncate(`#${r.id} ${r.title}`, 100), ...statusTopic(t, r.status === "merged" ? "open" : r.status) },
      },
    });
    await tx.forumPost.create({
      data: { platform: "discord", workspace: place.workspace ?? "", forum: place.channel!, state: "filed", requestId: r.id, authorId: actor.personId, title: r.title, outboxId, createdAt: services.clock.now() },
    });
  });
  return { requestId: r.id, opened: true };
}

/** Whether the asker's community has a forum where this request has no post yet ("Discuss in forum" is worth offering). */
export async function mayOpenForumPost(services: Services, actor: Actor, requestId: number): Promise<boolean> {
  const forum = services.config.communities.find((c) => c.slug === actor.communitySlug)?.discord?.forum;
  if (!forum) return false;
  return !(await services.db.forumPost.findFirst({ where: { requestId, forum }, select: { id: true } }));
}

/**
 * Part of every status change (changeStatus): each forum post of the request gets the new status
 * tag, through the outbox like the announcements. A post the bot opened and has not delivered yet
 * is tagged after it is (the row waits for its parent).
 */
export async function tagForumPosts(tx: Tx, config: FlywheelConfig, requestId: number, changeId: number, to: RequestStatus): Promise<number> {
  if (to === "merged") return 0;
  const posts = await tx.forumPost.findMany({ where: { requestId, state: "filed" }, orderBy: { id: "asc" } });
  for (const p of posts) {
    const place: Place = { platform: p.platform, workspace: p.workspace || undefined, channel: p.forum, thread: p.thread ?? undefined };
    const t = translatorForPlace(config, place);
    await enqueue(tx, {
      key: `forum:tag:${changeId}:${p.id}`,
      place,
      parentId: p.thread ? undefined : (p.outboxId ?? undefined),
      reply: { text: statusLabel(t, to), topic: statusTopic(t, to) },
    });
  }
  return posts.length;
}

/** The filed post a thread is, whether a person opened it or the bot did (its thread known once delivered). */
async function postOfThread(services: Services, place: Place): Promise<{ requestId: number | null; thread: string } | undefined> {
  if (!place.thread || !place.channel) return undefined;
  const byThread = await services.db.forumPost.findUnique({ where: { thread: place.thread } });
  if (byThread) return { requestId: byThread.requestId, thread: place.thread };
  const opened = await services.db.outboxMessage.findFirst({ where: { platform: place.platform, thread: place.thread, channel: place.channel, parentId: null, editOfId: null }, orderBy: { id: "asc" } });
  const post = opened ? await services.db.forumPost.findUnique({ where: { outboxId: opened.id } }) : null;
  if (!post) return undefined;
  await services.db.forumPost.update({ where: { id: post.id }, data: { thread: place.thread } });
  return { requestId: post.requestId, thread: place.thread };
}

/**
 * Replies in a filed post are feedback on its request, from their writer and community, each
 * once. The post's first message (its body, already the request's details) and bots are not.
 */
export async function recordForumReply(services: Services, m: ThreadMessage): Promise<boolean> {
  if (m.fromBot || !m.text.trim() || !forumCommunity(services.config, m.place)) return false;
  const post = await postOfThread(services, m.place);
  if (!post?.requestId || m.externalId === post.thread) return false;
  if (!(await firstTimeSeen(services.db, `${m.place.thread}:${m.externalId}`, m.place.platform, "forum reply"))) return false;
  const actor = await resolveActor(services, m.speaker);
  const r = await followMerges(services, post.requestId);
  await services.db.feedback.create({ data: { requestId: r.id, personId: actor.personId, communityId: actor.communityId, body: truncate(m.text.trim(), 2000), createdAt: services.clock.now() } });
  services.log.info({ request: r.id, thread: m.place.thread }, "forum reply recorded as feedback");
  return true;
}

/** Feeds forum replies to recordForumReply (the port the support relay also listens on). */
export function subscribeForumFeedback(services: Services, threads: ThreadMessages): void {
  if (!forumChannels(services.config).length) return;
  threads.subscribe(async (m) => {
    await recordForumReply(services, m);
  });
}
