import { createHmac, randomUUID } from "node:crypto";
import definitions from "@octokit/webhooks-examples";
import type { WebhookEventMap, WebhookEventName } from "@octokit/webhooks-types";

/** A recorded example payload from @octokit/webhooks-examples (a fresh copy to edit). */
export function example<N extends WebhookEventName>(name: N, action: string, pick: (p: WebhookEventMap[N]) => boolean = () => true): WebhookEventMap[N] {
  const def = definitions.find((d) => d.name === name);
  const found = def?.examples.find((e) => (e as { action?: string }).action === action && pick(e as WebhookEventMap[N]));
  if (!found) throw new Error(`no ${name}.${action} example`);
  return structuredClone(found) as WebhookEventMap[N];
}

export const sign = (secret: string, body: string): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

export interface Delivered {
  status: number;
  body: { ok?: boolean; outcome?: string; error?: string };
  delivery: string;
}

/**
 * POSTs a webhook the way GitHub does: the exact bytes signed with the secret, the event name
 * and a delivery id. opts.body sends other bytes than the ones signed (a tampered body).
 */
export async function deliver(
  port: number,
  secret: string,
  event: string,
  payload: unknown,
  opts: { delivery?: string; body?: string; signature?: string | null } = {},
): Promise<Delivered> {
  const raw = JSON.stringify(payload);
  const delivery = opts.delivery ?? randomUUID();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/standin",
    "x-github-event": event,
    "x-github-delivery": delivery,
  };
  const signature = opts.signature === undefined ? sign(secret, raw) : opts.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  const res = await fetch(`http://127.0.0.1:${port}/github/webhooks`, { method: "POST", headers, body: opts.body ?? raw });
  return { status: res.status, body: (await res.json()) as Delivered["body"], delivery };
}
