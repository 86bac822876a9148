import { connect } from "node:net";
import { githubWebhookRoute, GITHUB_BODY_LIMIT } from "../src/github/webhooks";
import { createLogger } from "../src/log";
import { SLACK_BODY_LIMIT } from "../src/platforms/slack/bolt";
import { ADMIN_BODY_LIMIT, mountAdmin } from "../src/server/admin";
import { KiB, RETRY_AFTER_SECONDS } from "../src/server/body";
import { HttpServer, sendJson } from "../src/server/http";
import { DB_TARGETS } from "./helpers/db";
import { example, sign } from "./helpers/github";
import { ANA, postCommand, signature, slashCommand, startSlackHarness, type SlackHarness } from "./helpers/slack";

interface RawAnswer {
  /** Everything the server wrote before the connection closed. */
  text: string;
  status: number;
}

/**
 * A request over a bare socket: headers, then whatever body writes. Resolves when the SERVER
 * closes the connection, so a server that kept waiting for the rest of a body would hang the test.
 */
function rawRequest(port: number, path: string, headers: Record<string, string | number>, body: (write: (b: Buffer | string) => void) => void): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("error", () => undefined); // a reset after the answer still ends in "close"
    socket.on("close", () => resolve({ text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0) }));
    const head = Object.entries({ host: "127.0.0.1", ...headers }).map(([k, v]) => `${k}: ${v}`);
    socket.write(`POST ${path} HTTP/1.1\r\n${head.join("\r\n")}\r\n\r\n`);
    body((b) => socket.write(b));
  });
}

/** Writes `total` bytes as chunked transfer-encoding, never sending the closing chunk. */
const chunked = (total: number, piece = 64 * KiB) => (write: (b: Buffer | string) => void) => {
  for (let sent = 0; sent < total; sent += piece) {
    const n = Math.min(piece, total - sent);
    write(`${n.toString(16)}\r\n`);
    write(Buffer.alloc(n, 0x61));
    write("\r\n");
  }
};

const until = async (ok: () => boolean): Promise<void> => {
  while (!ok()) await new Promise((r) => setImmediate(r));
};

describe("the shared body reader on the HTTP server", () => {
  const LIMIT = 600;
  const BUDGET = 1000;
  let server: HttpServer;
  let port: number;
  const handled: number[] = [];

  beforeAll(async () => {
    server = new HttpServer(createLogger("silent"), { bodyBudget: BUDGET });
    server.route("POST", "/echo", async (req, res) => {
      const body = await server.readBody(req, res, { limit: LIMIT });
      if (!body) return;
      handled.push(body.bytes.length);
      sendJson(res, 200, { bytes: body.bytes.length });
    });
    port = await server.listen(0, "127.0.0.1");
  });
  afterAll(() => server.close());

  test("a body one byte over the limit is refused with 413, the read stops there and the connection closes", async () => {
    const over = await rawRequest(port, "/echo", { "transfer-encoding": "chunked" }, chunked(LIMIT + 1, 100));
    expect(over.status).toBe(413);
    expect(over.text.toLowerCase()).toContain("connection: close");
    const declared = await rawRequest(port, "/echo", { "content-length": LIMIT + 1 }, () => undefined);
    expect(declared.status).toBe(413);
    expect(handled).toEqual([]);
    // Exactly the limit is fine, and what the refused requests held is given back.
    const res = await fetch(`http://127.0.0.1:${port}/echo`, { method: "POST", body: "a".repeat(LIMIT) });
    expect(await res.json()).toEqual({ bytes: LIMIT });
    await until(() => server.bodies.inUse === 0);
  });

  test("with the in-flight budget spent a further request gets 503 + Retry-After; once answered, bodies fit again", async () => {
    const sockets = [0, 1].map(() => connect(port, "127.0.0.1"));
    const answers = sockets.map(
      (s) =>
        new Promise<string>((resolve) => {
          let text = "";
          s.on("data", (d) => (text += d.toString()));
          s.on("end", () => resolve(text));
        }),
    );
    for (const s of sockets) s.write(`POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 500\r\nconnection: close\r\n\r\n${"b".repeat(499)}`);
    await until(() => server.bodies.inUse === 998);
    const refused = await fetch(`http://127.0.0.1:${port}/echo`, { method: "POST", body: "c".repeat(10) });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    for (const s of sockets) s.end("b");
    for (const a of answers) expect(await a).toMatch(/^HTTP\/1\.1 200[\s\S]*\{"bytes":500\}$/);
    await until(() => server.bodies.inUse === 0);
    const again = await fetch(`http://127.0.0.1:${port}/echo`, { method: "POST", body: "c".repeat(10) });
    expect(await again.json()).toEqual({ bytes: 10 });
    expect(handled).toEqual([LIMIT, 500, 500, 10]);
  });
});

describe.each(DB_TARGETS)("every inbound endpoint holds to the same rule on %s", (target) => {
  const SECRET = "webhook-secret-for-tests";
  const ADMIN = "admin-token-for-tests";
  let h: SlackHarness;
  let port: number;
  const nowSec = () => Math.floor(Date.now() / 1000);
  const counts = async () => ({
    requests: await h.app.services.db.featureRequest.count(),
    deliveries: await h.app.services.db.webhookDelivery.count(),
    calls: h.standin.calls.length,
    responses: h.standin.responses.length,
  });

  beforeAll(async () => {
    h = await startSlackHarness(target);
    const github = githubWebhookRoute(h.app.services, SECRET);
    h.app.http.route(github.method, github.path, github.handler);
    // Only bounded reads are tried here: a command that got through would answer 200, not 413/503.
    mountAdmin(h.app.http, { token: ADMIN, database: { key: "test", label: "the test database" }, runCli: async () => 0 });
    port = h.app.port;
    // The start-up token check is the one Web API call expected; after it, any call is a side effect.
    await h.standin.waitFor(() => h.standin.calls.find((c) => c.method === "auth.test"));
  });
  afterAll(() => h.close());

  const endpoints = [
    { name: "Slack", path: "/slack/events", limit: SLACK_BODY_LIMIT, headers: () => ({ "x-slack-request-timestamp": nowSec(), "x-slack-signature": "v0=00", "content-type": "application/json" }) },
    { name: "GitHub", path: "/github/webhooks", limit: GITHUB_BODY_LIMIT, headers: () => ({ "x-github-event": "issues", "x-github-delivery": "d-over", "x-hub-signature-256": `sha256=${"0".repeat(64)}` }) },
    { name: "admin", path: "/admin/cli", limit: ADMIN_BODY_LIMIT, headers: () => ({ "x-flywheel-admin": ADMIN }) },
  ];

  test.each(endpoints)("$name: one byte over its limit is refused with 413 and the read stops", async ({ path, limit, headers }) => {
    const before = await counts();
    const streamed = await rawRequest(port, path, { ...headers(), "transfer-encoding": "chunked" }, chunked(limit + 1));
    expect(streamed.status).toBe(413);
    const declared = await rawRequest(port, path, { ...headers(), "content-length": limit + 1 }, () => undefined);
    expect(declared.status).toBe(413);
    expect(await counts()).toEqual(before);
    await until(() => h.app.http.bodies.inUse === 0);
  });

  test("with the shared budget spent, each endpoint answers 503 + Retry-After and nothing happens", async () => {
    const before = await counts();
    const budget = h.app.http.bodies;
    const spent = budget.total - budget.inUse;
    expect(budget.take(spent)).toBe(true);
    try {
      const raw = JSON.stringify(example("issues", "opened"));
      const answers = [
        await postCommand(`http://127.0.0.1:${port}/slack/events`, slashCommand(ANA, "/request", "Budget spent request", h.standin.responseUrl("budget"))),
        await fetch(`http://127.0.0.1:${port}/github/webhooks`, {
          method: "POST",
          headers: { "x-github-event": "issues", "x-github-delivery": "d-budget", "x-hub-signature-256": sign(SECRET, raw) },
          body: raw,
        }),
        await fetch(`http://127.0.0.1:${port}/admin/cli`, { method: "POST", headers: { "x-flywheel-admin": ADMIN }, body: JSON.stringify({ argv: ["export", "requests"] }) }),
      ];
      expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
      for (const a of answers.slice(1)) expect((a as Response).headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
      expect(await counts()).toEqual(before);
    } finally {
      budget.give(spent);
    }
  });

  test("GitHub: a forged signature is refused with 401 after one bounded read, and no handler runs", async () => {
    const before = await counts();
    const raw = JSON.stringify(example("issues", "opened"));
    const forged = await fetch(`http://127.0.0.1:${port}/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": "issues", "x-github-delivery": "d-forged", "x-hub-signature-256": sign("not-the-secret", raw) },
      body: raw,
    });
    expect(forged.status).toBe(401);
    const malformed = await fetch(`http://127.0.0.1:${port}/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": "issues", "x-github-delivery": "d-malformed", "x-hub-signature-256": "sha256=xyz" },
      body: raw,
    });
    expect(malformed.status).toBe(401);
    expect(await counts()).toEqual(before);
    // The same bytes, signed with the secret, are received (the repo is not followed: ignored, recorded as such).
    const real = await fetch(`http://127.0.0.1:${port}/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": "issues", "x-github-delivery": "d-real", "x-hub-signature-256": sign(SECRET, raw) },
      body: raw,
    });
    expect(await real.json()).toMatchObject({ ok: true });
  });

  test("Slack: a correctly signed request dated an hour ahead (or behind) is refused with 401 and nothing happens", async () => {
    const before = await counts();
    for (const skew of [60 * 60, 6 * 60, -60 * 60]) {
      const c = slashCommand(ANA, "/request", `Replayed from the future ${skew}`, h.standin.responseUrl(`skew${skew}`));
      const res = await postCommand(h.url, c, { timestamp: nowSec() + skew });
      expect(res.status).toBe(401);
    }
    expect(await counts()).toEqual(before);
    // Within five minutes either way (clocks drift) it is accepted.
    const ok = await postCommand(h.url, slashCommand(ANA, "/request", "Clock drift is tolerated", h.standin.responseUrl("drift")), { timestamp: nowSec() + 4 * 60 });
    expect(ok.status).toBe(200);
    await h.standin.waitFor(() => h.standin.responses.find((r) => r.id === "drift"));
    expect(await h.app.services.db.featureRequest.count()).toBe(before.requests + 1);
  });

  test("Slack: the signature still covers the bytes the bounded reader handed to Bolt", async () => {
    const body = new URLSearchParams({ ...slashCommand(ANA, "/request", "Tampered after signing", h.standin.responseUrl("t")) }).toString();
    const ts = nowSec();
    const res = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(ts), "x-slack-signature": signature(`${body}x`, ts) },
      body,
    });
    expect(res.status).toBe(401);
  });
});
