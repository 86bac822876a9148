import type { IncomingMessage } from "node:http";
import type { DatabaseTarget } from "../db/target";
import { sameToken } from "../cli/local";
import { KiB } from "./body";
import { sendJson, type HttpServer } from "./http";

/** A CLI command line is never more than a few hundred bytes. */
export const ADMIN_BODY_LIMIT = 64 * KiB;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const fromLoopback = (req: IncomingMessage) => LOOPBACK.has(req.socket.remoteAddress ?? "");

/** Runs one CLI command inside the bot, writing its output lines; resolves with its exit code. */
export type InProcessCli = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

/**
 * GET /admin/database: which database this bot writes to (named without its password), so a CLI
 * that finds the bot on its port can refuse to write to another one. Loopback only.
 *
 * POST /admin/cli: the CLI's commands, run inside this process so they share its embedded
 * database. Loopback only, and only with the secret from the lock file in DATA_DIR.
 */
export function mountAdmin(http: HttpServer, opts: { token?: string; database: DatabaseTarget; runCli?: InProcessCli }): void {
  http.route("GET", "/admin/database", async (req, res) => {
    if (!fromLoopback(req)) {
      sendJson(res, 403, { error: "forbidden" });
      return;
    }
    sendJson(res, 200, { flywheel: true, pid: process.pid, database: opts.database });
  });
  const { token, runCli } = opts;
  if (!token || !runCli) return;
  http.route("POST", "/admin/cli", async (req, res, _url, readBody) => {
    if (!fromLoopback(req) || !sameToken(String(req.headers["x-flywheel-admin"] ?? ""), token)) {
      sendJson(res, 403, { error: "forbidden" });
      return;
    }
    const body = await readBody({ limit: ADMIN_BODY_LIMIT });
    if (!body) return;
    let argv: unknown;
    try {
      argv = (JSON.parse(body.bytes.toString("utf8")) as { argv?: unknown }).argv;
    } catch {
      sendJson(res, 400, { error: "expected JSON {argv: string[]}" });
      return;
    }
    if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string") || argv[0] === "start") {
      sendJson(res, 400, { error: "expected JSON {argv: string[]} naming a CLI command" });
      return;
    }
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, (s) => out.push(s), (s) => err.push(s));
    sendJson(res, 200, { code, stdout: out.join("\n"), stderr: err.join("\n") });
  });
}
