import { userInfo } from "node:os";
import { ConfigError, loadEnv, type Env } from "./config/env";
import { startApp } from "./app";
import { releaseLock, writeLock } from "./cli/local";
import { createLogger } from "./log";
import { shellDeliverer } from "./platforms/shell/deliverer";
import { startRepl } from "./platforms/shell/repl";
import { mountAdmin } from "./server/admin";

/** Starts the bot and resolves with the exit code when it stops (signal, or /quit in the shell). */
export async function startBot(env: Env, opts: { shell?: boolean } = {}): Promise<number> {
  const log = createLogger(env.LOG_LEVEL);
  const chat = Boolean(env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN);
  const wantShell = opts.shell ?? (!chat && process.stdin.isTTY === true);
  const embedded = !env.DATABASE_URL;
  let lock: ReturnType<typeof writeLock> | undefined;
  if (embedded) {
    try {
      lock = writeLock(env.DATA_DIR);
    } catch (e) {
      process.stderr.write(`flywheel: ${(e as Error).message}; use \`flywheel exec\` to talk to it, or stop it first.\n`);
      return 1;
    }
  }
  const write = (s: string) => process.stdout.write(s);
  let app;
  try {
    app = await startApp({ env, log, deliverers: [shellDeliverer(write)] });
  } catch (e) {
    if (lock) releaseLock(env.DATA_DIR, lock);
    if (e instanceof ConfigError) {
      process.stderr.write(`flywheel: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (lock) {
    const held = lock;
    releaseLock(env.DATA_DIR, held);
    lock = writeLock(env.DATA_DIR, app.port);
    const { services } = app;
    // The CLI (commander and every subcommand) loads on the first command, not with the bot.
    mountAdmin(app.http, lock.token, async (argv, out, err) => (await import("./cli/program")).runCli(argv, { out, err, services, env }));
  }
  log.info({ port: app.port, database: app.database.kind, platforms: [...app.platforms.keys()] }, "Flywheel is running");
  process.stdout.write(`Flywheel is running on http://127.0.0.1:${app.port} (health: /healthz, database: ${app.database.kind}).${wantShell ? "" : " Ctrl-C stops it."}\n`);

  let stopping: Promise<number> | undefined;
  const stop = (code: number) =>
    (stopping ??= (async () => {
      await app.stop();
      if (lock) releaseLock(env.DATA_DIR, lock);
      return code;
    })());
  const done = new Promise<number>((resolve) => {
    process.once("SIGINT", () => void stop(0).then(resolve));
    process.once("SIGTERM", () => void stop(0).then(resolve));
    if (wantShell) {
      const name = process.env.FLYWHEEL_USER || safeUser();
      void startRepl(app.services, { input: process.stdin, output: process.stdout }, { name }).then(() => stop(0).then(resolve));
    }
  });
  return done;
}

const safeUser = () => {
  try {
    return userInfo().username || "me";
  } catch {
    return "me";
  }
};

/** `node dist/src/main.js`: what `npm start` runs. */
if (require.main === module) {
  void (async () => {
    let env: Env;
    try {
      env = loadEnv();
    } catch (e) {
      if (e instanceof ConfigError) {
        process.stderr.write(`flywheel: ${e.message}\n`);
        process.exit(2);
      }
      throw e;
    }
    const code = await startBot(env);
    process.exit(code);
  })().catch((e: unknown) => {
    process.stderr.write(`flywheel: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
