import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

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

  constructor(private log: Logger) {
    this.server = createServer((req, res) => void this.handle(req, res));
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
      await route.handler(req, res, url);
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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reads a request body (bounded: a chat command or webhook is never megabytes). */
export async function readBody(req: IncomingMessage, limit = 5 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error("request body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
