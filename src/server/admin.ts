import { sameToken } from "../cli/local";
import { readBody, sendJson, type HttpServer } from "./http";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Runs one CLI command inside the bot, writing its output lines; resolves with its exit code. */
export type InProcessCli = (argv: string[], out: (s: string) => void, err: (s: string) => void) => Promise<number>;

/**
 * POST /admin/cli: the CLI's commands, run inside this process so they share its embedded
 * database. Loopback only, and only with the secret from the lock file in DATA_DIR.
 */
export function mountAdmin(http: HttpServer, token: string, runCli: InProcessCli): void {
  http.route("POST", "/admin/cli", async (req, res) => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "") || !sameToken(String(req.headers["x-flywheel-admin"] ?? ""), token)) {
      sendJson(res, 403, { error: "forbidden" });
      return;
    }
    let argv: unknown;
    try {
      argv = (JSON.parse((await readBody(req, 64 * 1024)).toString("utf8")) as { argv?: unknown }).argv;
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
