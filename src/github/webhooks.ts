import { Webhooks } from "@octokit/webhooks";
import type { Services } from "../core/context";
import { firstTimeSeen } from "../core/dedupe";
import { repoFollowed } from "../core/github/sync";
import { readBody, sendJson, type Route } from "../server/http";
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

/**
 * POST /github/webhooks on the one HTTP server. The RAW body is verified against
 * X-Hub-Signature-256 (a re-serialised body would not match): 401 when it does not, and nothing
 * changes. 200 for handled, duplicate and ignored deliveries alike; 500 when handling failed
 * (it rolled back, so GitHub's redelivery retries it).
 */
export function githubWebhookRoute(services: Services, secret: string): Route {
  const outcomes = new Map<string, Outcome>();
  const webhooks = createWebhooks(services, secret, outcomes);
  const handler: Route["handler"] = async (req, res) => {
    const id = header(req.headers["x-github-delivery"]);
    const name = header(req.headers["x-github-event"]);
    const signature = header(req.headers["x-hub-signature-256"]);
    if (!id || !name) {
      sendJson(res, 400, { error: "expected the X-GitHub-Delivery and X-GitHub-Event headers" });
      return;
    }
    if (!signature) {
      sendJson(res, 401, { error: "missing X-Hub-Signature-256: set the webhook's secret" });
      return;
    }
    let body: string;
    try {
      body = (await readBody(req, 25 * 1024 * 1024)).toString("utf8");
    } catch {
      sendJson(res, 413, { error: "payload too large" });
      return;
    }
    try {
      await webhooks.verifyAndReceive({ id, name, payload: body, signature });
    } catch (e) {
      outcomes.delete(id);
      const message = e instanceof Error ? e.message : String(e);
      if (/signature does not match/i.test(message)) {
        services.log.warn({ delivery: id, event: name }, "GitHub webhook with a bad signature refused");
        sendJson(res, 401, { error: "signature does not match" });
        return;
      }
      if (/invalid json/i.test(message)) {
        sendJson(res, 400, { error: "invalid JSON" });
        return;
      }
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
