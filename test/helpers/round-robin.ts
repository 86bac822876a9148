import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small load balancer on loopback: each request goes to the next backend in turn. A backend
 * that refuses the connection (its process is gone) is skipped and the request tried on the next,
 * as a load balancer's health check would; nothing had reached it, so nothing is sent twice.
 */
export class RoundRobin {
  private next = 0;
  private server!: Server;
  port = 0;
  /** Which backend answered each request, by port: the test checks the load was spread. */
  readonly served = new Map<number, number>();
  /** Backends that refused a connection: taken out of the rotation, as a failed health check does. */
  readonly down = new Set<number>();

  constructor(readonly backends: number[]) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const attempt = (left: number) => {
          const up = this.backends.filter((b) => !this.down.has(b));
          const port = up[this.next++ % up.length];
          const out = request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
            this.served.set(port, (this.served.get(port) ?? 0) + 1);
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          out.on("error", (e: NodeJS.ErrnoException) => {
            // A fresh connection per request (agent: false): a refused one is a backend that is down.
            if (e.code === "ECONNREFUSED") this.down.add(port);
            if (e.code === "ECONNREFUSED" && left > 1) return attempt(left - 1);
            if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
            res.end(`proxy: ${e.code ?? e.message}`);
          });
          out.end(body);
        };
        attempt(this.backends.length);
      });
    });
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
