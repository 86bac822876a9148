import type { webApi } from "@slack/bolt";
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

/** Posts to a response_url (valid 30 minutes, 5 times), as Bolt's respond() does, but never hangs. */
export async function postToResponseUrl(url: string, body: object): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
}

/** Answers the person who clicked, submitted or mentioned: ephemeral replies stay theirs alone. */
export async function answer(reply: Reply, to: AnswerTarget): Promise<void> {
  const message = renderMessage(reply);
  const thread = to.thread ? { thread_ts: to.thread } : {};
  if (to.responseUrl) {
    await postToResponseUrl(to.responseUrl, { ...responseBody(reply), replace_original: false, ...thread });
  } else if (to.channel && reply.ephemeral) {
    await to.client.chat.postEphemeral({ channel: to.channel, user: to.user, ...message, ...thread });
  } else if (to.channel) {
    await to.client.chat.postMessage({ channel: to.channel, ...message, ...thread });
  } else {
    await to.client.chat.postMessage({ channel: to.user, ...message });
  }
}
