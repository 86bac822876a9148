import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { type Body, BodyBudget, type BodyRules, MiB, readBody } from "./body";

/** Reads the request's body within the server's budget for bodies in flight (see body.ts). */
export type BodyReader = (rules: BodyRules) => Promise<Body | undefined>;

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, readBody: BodyReader) => void | Promise<void>;

/** One endpoint on the one HTTP server. */
export interface Route {
  method: string;
  /** Exact path, or a prefix when it ends with "/*". */
  path: string;
  handler: Handler;
}

/**
 * The one HTTP server: Slack's events, GitHub's webhooks, health, metrics, the roadmap and the
 * local admin endpoint all mount here, so a deployment opens one port.
 */
export class HttpServer {
  private routes: Route[] = [];
  readonly server: Server;
  /** Shared by every endpoint that reads a body, so forged posts at any rate stay within it. */
  readonly bodies: BodyBudget;

  constructor(
    private log: Logger,
    opts: { bodyBudget?: number } = {},
  ) {
    // Idle keep-alive connections outlive a load balancer's (60 s on the common ones) and a busy
    // client's reuse: closing first races the next request on that socket (a reset, or a 502).
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => void this.handle(req, res));
    this.server.headersTimeout = 66_000;
    this.bodies = new BodyBudget(opts.bodyBudget ?? DEFAULT_BODY_BUDGET);
  }

  /**
   * The one way an endpoint reads a request body: bounded by its limit and the shared budget.
   * Undefined when refused (already answered: 413 or 503 + Retry-After) or abandoned by the client.
   */
  readBody(req: IncomingMessage, res: ServerResponse, rules: BodyRules): Promise<Body | undefined> {
    return readBody(req, res, this.bodies, rules);
  }

  route(method: string, path: string, handler: Handler): void {
    this.routes.push({ method: method.toUpperCase(), path, handler });
  }

  private match(method: string, path: string): Route | undefined {
    return this.routes.find(
      (r) => (r.method === method || r.method === "*") && (r.path === path || (r.path.endsWith("/*") && path.startsWith(r.path.slice(0, -1)))),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const route = this.match(method, url.pathname);
    try {
      if (!route) {
        const known = this.routes.some((r) => r.path === url.pathname);
        sendJson(res, known ? 405 : 404, { error: known ? "method not allowed" : "not found" });
        return;
      }
      await route.handler(req, res, url, (rules) => this.readBody(req, res, rules));
    } catch (e) {
      this.log.error({ err: e, path: url.pathname }, "http handler failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    }
  }

  async listen(port: number, host = "0.0.0.0"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Bodies buffered at once across all requests. A body is briefly held twice while its chunks are
 * joined, so forged traffic at any rate adds at most twice this to memory: 64 MiB.
 */
export const DEFAULT_BODY_BUDGET = 32 * MiB;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
