import type { webApi } from "@slack/bolt";
import { request } from "undici";
import type { Reply } from "../../core/reply";
import { renderMessage, type SlackMessage } from "./render";

type WebClient = webApi.WebClient;

/** Where an answer to one person goes: their response_url when Slack gave one, else the channel, else a DM. */
export interface AnswerTarget {
  client: WebClient;
  user: string;
  responseUrl?: string;
  channel?: string;
  thread?: string;
}

/** The body of a slash-command ack or a response_url post. */
export function responseBody(reply: Reply): SlackMessage & { response_type: "ephemeral" | "in_channel" } {
  return { response_type: reply.ephemeral ? "ephemeral" : "in_channel", ...renderMessage(reply) };
}

/**
 * Posts to a response_url (valid 30 minutes, 5 times), as Bolt's respond() does, but never hangs.
 * undici's request rather than fetch: every command's answer goes this way, and fetch's web
 * streams cost several times the CPU on the path that competes with the next command's ack.
 */
export async function postToResponseUrl(url: string, body: object): Promise<void> {
  const res = await request(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  await res.body.dump();
  if (res.statusCode < 200 || res.statusCode > 299) throw new ResponseUrlRefused(res.statusCode);
}

/** Slack answered, and said no (an expired or used-up response_url): nothing was posted. */
export class ResponseUrlRefused extends Error {
  constructor(readonly status: number) {
    super(`response_url answered ${status}`);
  }
}

/**
 * Answers the person who typed, clicked, submitted or mentioned: ephemeral replies stay theirs
 * alone. A response_url Slack refuses (expired, used up) falls back to the channel, so the answer
 * is not lost; one that may have been posted (a timeout) is not repeated.
 */
export async function answer(reply: Reply, to: AnswerTarget): Promise<void> {
  const message = renderMessage(reply);
  const thread = to.thread ? { thread_ts: to.thread } : {};
  if (to.responseUrl) {
    try {
      await postToResponseUrl(to.responseUrl, { ...responseBody(reply), replace_original: false, ...thread });
      return;
    } catch (e) {
      if (!(e instanceof ResponseUrlRefused)) throw e;
    }
  }
  if (to.channel && reply.ephemeral) {
    await to.client.chat.postEphemeral({ channel: to.channel, user: to.user, ...message, ...thread });
  } else if (to.channel) {
    await to.client.chat.postMessage({ channel: to.channel, ...message, ...thread });
  } else {
    await to.client.chat.postMessage({ channel: to.user, ...message });
  }
}
