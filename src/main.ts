// First: it must hold before any other module loads (see heap.ts).
import { startupDone } from "./heap";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { createWriteStream, mkdirSync } from "node:fs";
import { type FlywheelConfig, loadConfigFile } from "./config/file";
import { ConfigError, loadEnv, type Env } from "./config/env";
import { startApp } from "./app";
import { databaseTarget } from "./db/target";
import { releaseLock, writeLock } from "./cli/local";
import { createLogger } from "./log";
import { shellDeliverer } from "./platforms/shell/deliverer";
import { translatorForPlace } from "./core/people/locale";
import { startRepl } from "./platforms/shell/repl";
import { ShellScreen } from "./platforms/shell/screen";
import { mountAdmin } from "./server/admin";

/** Starts the bot and resolves with the exit code when it stops (signal, or /quit in the shell). */
export async function startBot(env: Env, opts: { shell?: boolean } = {}): Promise<number> {
  const chat = Boolean(env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN);
  const wantShell = opts.shell ?? (!chat && process.stdin.isTTY === true);
  // Log lines would draw over the prompt and what is being typed: with a prompt, they go to a file.
  const logFile = wantShell ? join(env.DATA_DIR, "flywheel.log") : undefined;
  const log = createLogger(env.LOG_LEVEL, logFile ? appendTo(logFile) : undefined);
  const embedded = !env.DATABASE_URL;
  const database = databaseTarget(env);
  let lock: ReturnType<typeof writeLock> | undefined;
  try {
    lock = writeLock(env.DATA_DIR, { database });
  } catch (e) {
    // Replicas of one PostgreSQL bot may share a folder; an embedded database has one owner.
    if (embedded) {
      process.stderr.write(`flywheel: ${(e as Error).message}; use \`flywheel exec\` to talk to it, or stop it first.\n`);
      return 1;
    }
  }
  const screen = new ShellScreen(process.stdout);
  let app;
  try {
    // Loaded here too so the terminal prints each notification in its community's language.
    const { config } = loadConfigFile(env.FLYWHEEL_CONFIG);
    app = await startApp({ env, config, log, deliverers: [shellDeliverer((s) => screen.print(s), (place) => translatorForPlace(config, place))] });
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
    lock = writeLock(env.DATA_DIR, { port: app.port, database });
  }
  const { services } = app;
  mountAdmin(app.http, {
    token: lock?.token,
    database,
    // The CLI (commander and every subcommand) loads on the first command, not with the bot.
    runCli: async (argv, out, err) => (await import("./cli/program")).runCli(argv, { out, err, services, env }),
  });
  startupDone();
  log.info({ port: app.port, database: app.database.kind, platforms: [...app.platforms.keys()] }, "Flywheel is running");
  const logs = logFile ? ` Logs go to ${logFile}.` : "";
  process.stdout.write(`Flywheel is running on http://127.0.0.1:${app.port} (health: /healthz, database: ${app.database.kind}).${logs}${wantShell ? "" : " Ctrl-C stops it."}\n`);

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
      const name = terminalUser(env, app.services.config);
      void startRepl(app.services, { input: process.stdin, output: process.stdout, screen }, { name }).then(() => stop(0).then(resolve));
    }
  });
  return done;
}

/**
 * Who types at the prompt: FLYWHEEL_USER, else the first terminal staff member of flywheel.yml
 * (`admin` in the built-in config), so the person who started the bot can run staff commands.
 * Only with neither, the account name.
 */
export function terminalUser(env: Pick<Env, "FLYWHEEL_USER">, config: FlywheelConfig): string {
  return env.FLYWHEEL_USER ?? config.staff.find((s) => s.shell)?.shell ?? safeUser();
}

function appendTo(file: string): NodeJS.WritableStream {
  mkdirSync(dirname(file), { recursive: true });
  return createWriteStream(file, { flags: "a" });
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
