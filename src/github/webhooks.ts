import { timingSafeEqual } from "node:crypto";
import { type EmitterWebhookEvent, Webhooks } from "@octokit/webhooks";
import type { Services } from "../core/context";
import { firstTimeSeen } from "../core/dedupe";
import { repoFollowed } from "../core/github/sync";
import { MiB } from "../server/body";
import { sendJson, type Route } from "../server/http";
import type { EventDeps, Run } from "./events/deps";
import { onIssueComment } from "./events/issue-comment";
import { onIssues } from "./events/issues";
import { onProjectsV2Item } from "./events/projects-v2-item";
import { onPullRequest } from "./events/pull-request";
import { onPullRequestReview } from "./events/pull-request-review";
import { onRelease } from "./events/release";

export const WEBHOOK_PATH = "/github/webhooks";

export type Outcome = "handled" | "duplicate" | "ignored";

const actionOf = (payload: unknown): string =>
  payload && typeof payload === "object" && typeof (payload as { action?: unknown }).action === "string" ? (payload as { action: string }).action : "";

/** Builds the verifier with one small handler per event; outcomes[id] says what each delivery did. */
export function createWebhooks(services: Services, secret: string, outcomes: Map<string, Outcome>): Webhooks {
  const webhooks = new Webhooks({ secret });
  const run: Run = async (event, repo, effect, prepare) => {
    const name = [event.name, actionOf(event.payload)].filter(Boolean).join(".");
    services.metrics?.webhookReceived("github", name);
    if (repo && !repoFollowed(services.config, repo)) {
      services.log.info({ delivery: event.id, event: name, repo }, "GitHub event from a repository not in github.repos: ignored");
      outcomes.set(event.id, "ignored");
      return;
    }
    if (await services.db.webhookDelivery.findUnique({ where: { id: `github:${event.id}` }, select: { id: true } })) {
      outcomes.set(event.id, "duplicate");
      return;
    }
    const prepared = (prepare ? await prepare() : undefined) as Parameters<typeof effect>[1];
    const fresh = await services.db.$transaction(
      async (tx) => {
        if (!(await firstTimeSeen(tx, event.id, "github", name))) return false;
        if (!(await firstTimeSeen(tx, event.happened, "github-event", name))) return false;
        await effect(tx, prepared);
        return true;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    outcomes.set(event.id, fresh ? "handled" : "duplicate");
    services.log.info({ delivery: event.id, event: name, repo, outcome: fresh ? "handled" : "duplicate" }, "GitHub event");
  };
  const deps: EventDeps = { services, run };
  onIssues(webhooks, deps);
  onPullRequest(webhooks, deps);
  onPullRequestReview(webhooks, deps);
  onIssueComment(webhooks, deps);
  onProjectsV2Item(webhooks, deps);
  onRelease(webhooks, deps);
  return webhooks;
}

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** GitHub caps webhook payloads at 25 MB and does not deliver larger ones. */
export const GITHUB_BODY_LIMIT = 25 * MiB;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The payload as an object, or undefined when the bytes are not a JSON object. */
function jsonObject(bytes: Buffer): object | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /github/webhooks on the one HTTP server. X-Hub-Signature-256 is checked against an HMAC
 * computed while the RAW body is read (a re-serialised body would not match), so a forged post
 * costs one bounded read: 401 and nothing runs. 200 for handled, duplicate and ignored
 * deliveries alike; 500 when handling failed (it rolled back, so GitHub's redelivery retries it).
 */
export function githubWebhookRoute(services: Services, secret: string): Route {
  const outcomes = new Map<string, Outcome>();
  const webhooks = createWebhooks(services, secret, outcomes);
  const handler: Route["handler"] = async (req, res, _url, readBody) => {
    const id = header(req.headers["x-github-delivery"]);
    const name = header(req.headers["x-github-event"]);
    const signature = SIGNATURE.exec(header(req.headers["x-hub-signature-256"]) ?? "")?.[1];
    if (!id || !name) {
      sendJson(res, 400, { error: "expected the X-GitHub-Delivery and X-GitHub-Event headers" });
      return;
    }
    if (!signature) {
      sendJson(res, 401, { error: "missing or malformed X-Hub-Signature-256: set the webhook's secret" });
      return;
    }
    const body = await readBody({ limit: GITHUB_BODY_LIMIT, hmac: { key: secret } });
    if (!body) return;
    if (!timingSafeEqual(Buffer.from(signature, "hex"), body.hmac!)) {
      services.log.warn({ delivery: id, event: name }, "GitHub webhook with a bad signature refused");
      sendJson(res, 401, { error: "signature does not match" });
      return;
    }
    const payload = jsonObject(body.bytes);
    if (!payload) {
      sendJson(res, 400, { error: "invalid JSON" });
      return;
    }
    try {
      // The header names the event; the handlers registered for it read the payload they expect.
      await webhooks.receive({ id, name, payload } as EmitterWebhookEvent);
    } catch (e) {
      outcomes.delete(id);
      const errors = e instanceof AggregateError ? e.errors : [e];
      services.log.error({ delivery: id, event: name, err: errors[0] }, "GitHub event handling failed; GitHub may redeliver it");
      sendJson(res, 500, { error: "handling failed; redeliver to retry" });
      return;
    }
    const outcome = outcomes.get(id) ?? "ignored";
    outcomes.delete(id);
    sendJson(res, 200, { ok: true, outcome: name === "ping" ? "pong" : outcome });
  };
  return { method: "POST", path: WEBHOOK_PATH, handler };
}
