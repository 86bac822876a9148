import type { IncomingMessage } from "node:http";
import type { App } from "../app";
import type { DatabaseTarget } from "../db/target";
import { sameToken } from "../cli/local";
import { KiB } from "./body";
import { sendJson } from "./http";

/** A CLI command line is never more than a few hundred bytes. */
export const ADMIN_BODY_LIMIT = 64 * KiB;

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const fromLoopback = (req: IncomingMessage) => LOOPBACK.has(req.socket.remoteAddress ?? "");

/**
 * GET /admin/database: which database this bot writes to (named without its password), so a CLI
 * that finds the bot on its port can refuse to write to another one. Loopback only.
 *
 * POST /admin/cli: the CLI's commands, run inside this process so they share its embedded
 * database. Loopback only, and only with the secret from the lock file in DATA_DIR.
 */
export function mountAdmin(app: App, opts: { token?: string; database: DatabaseTarget }): void {
  app.http.route("GET", "/admin/database", async (req, res) => {
    if (!fromLoopback(req)) {
      sendJson(res, 403, { error: "forbidden" });
      return;
    }
    sendJson(res, 200, { flywheel: true, pid: process.pid, database: opts.database });
  });
  const token = opts.token;
  if (!token) return;
  app.http.route("POST", "/admin/cli", async (req, res) => {
    if (!fromLoopback(req) || !sameToken(String(req.headers["x-flywheel-admin"] ?? ""), token)) {
      sendJson(res, 403, { error: "forbidden" });
      return;
    }
    const body = await app.http.readBody(req, res, { limit: ADMIN_BODY_LIMIT });
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
    // The CLI (commander and every subcommand) loads on the first command, not with the bot.
    const { runCli } = await import("../cli/program");
    const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), services: app.services, env: app.env });
    sendJson(res, 200, { code, stdout: out.join("\n"), stderr: err.join("\n") });
  });
}
