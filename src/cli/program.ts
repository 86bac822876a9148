import { Command, CommanderError } from "commander";
import { ConfigError, loadEnv, type Env } from "../config/env";
import { loadConfigFile } from "../config/file";
import { systemClock } from "../core/clock";
import { syncCommunities } from "../core/people/communities";
import type { Services } from "../core/context";
import { openDatabase, type Database } from "../db/client";
import { databaseTarget } from "../db/target";
import { createLogger } from "../log";
import { registerDigest } from "./digest";
import { registerDiscord } from "./discord";
import { registerExec } from "./exec";
import { registerExport } from "./export";
import { registerGithub } from "./github";
import type { CliIO } from "./io";
import { findRunningBot, otherDatabase } from "./running-bot";
import { registerSlack } from "./slack";

/** Subcommands that touch the database: forwarded to a running bot that holds the embedded one. */
const DB_COMMANDS = new Set(["exec", "export", "digest", "github"]);

export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  /** Set when running inside the bot (admin endpoint): use its services, never forward. */
  services?: Services;
  env?: Env;
  /** Where progress bars draw (defaults to stderr when not running inside the bot). */
  progress?: NodeJS.WritableStream;
  /**
   * `flywheel start`, given by the binary: the bot's admin endpoint runs this CLI, so the CLI
   * does not import the bot (that would be a cycle). Absent inside the running bot.
   */
  start?: (env: Env, opts: { shell?: boolean }) => Promise<number>;
}

/** The whole `flywheel` command line; returns the exit code instead of exiting. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  let code = 0;
  const setCode = (n: number) => {
    code = n;
  };
  let env: Env;
  try {
    env = ctx.env ?? loadEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      ctx.err(`flywheel: ${e.message}`);
      return 2;
    }
    throw e;
  }

  // One database, always: a command never writes to another database than the running bot's.
  const database = databaseTarget(env);
  if (!ctx.services && DB_COMMANDS.has(argv[0] ?? "")) {
    const bot = await findRunningBot(env);
    if (bot) {
      const refusal = otherDatabase(bot, database);
      if (refusal) {
        ctx.err(refusal);
        return 1;
      }
      if (bot.port && bot.token) return forward(bot.port, bot.token, argv, ctx);
      if (!env.DATABASE_URL) {
        ctx.err(`flywheel: a Flywheel process (pid ${bot.pid}) is using ${env.DATA_DIR} and takes no commands; stop it first.`);
        return 1;
      }
    }
  }

  let opened: Database | undefined;
  const io: CliIO = {
    out: ctx.out,
    err: ctx.err,
    progress: ctx.progress ?? (ctx.services ? undefined : process.stderr),
    database: ctx.services ? `${database.label} (through the running bot, pid ${process.pid})` : database.label,
    async services() {
      if (ctx.services) return ctx.services;
      const { config } = loadConfigFile(env.FLYWHEEL_CONFIG);
      opened = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR }, { migrate: true });
      await syncCommunities(opened.prisma, config);
      return { db: opened.prisma, clock: systemClock, config, log: createLogger(env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL), publicUrl: env.PUBLIC_URL };
    },
  };

  const program = new Command("flywheel")
    .description("Flywheel: community feature requests, support triage, roadmap and credit on Slack, Discord and GitHub")
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) })
    .showHelpAfterError("(run flywheel --help to see every command)");
  program
    .command("start", { isDefault: true })
    .description("start the bot (the terminal bot when no Slack or Discord token is set)")
    .option("--no-shell", "never open the interactive prompt")
    .option("--shell", "open the interactive prompt even when stdin is not a terminal")
    .action(async (o: { shell?: boolean }) => {
      if (!ctx.start) {
        ctx.err("flywheel: `start` is not available here; run `flywheel start` in a terminal.");
        setCode(2);
        return;
      }
      setCode(await ctx.start(env, { shell: o.shell }));
    });
  registerExec(program, io, setCode);
  registerExport(program, io, setCode);
  registerGithub(program, io, setCode, env);
  registerSlack(program, io, setCode, env);
  registerDigest(program, io, setCode);
  registerDiscord(program, io, setCode, env);

  // `start` is the default command, so commander would read a mistyped command as an argument of
  // `start` ("too many arguments"); say what really happened instead.
  const first = argv[0];
  const known = new Set(["help", ...program.commands.flatMap((c) => [c.name(), ...c.aliases()])]);
  if (first !== undefined && !first.startsWith("-") && !known.has(first)) {
    ctx.err(`flywheel: unknown command '${first}'. Commands: ${[...known].filter((k) => k !== "help").join(", ")}; flywheel --help explains each.`);
    return 2;
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof ConfigError) {
      ctx.err(`flywheel: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    await opened?.close();
  }
  return code;
}

/** Sends a CLI command to the running bot's loopback admin endpoint and relays its output. */
async function forward(port: number, token: string, argv: string[], ctx: CliContext): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/admin/cli`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-flywheel-admin": token },
      body: JSON.stringify({ argv }),
    });
    const body = (await res.json()) as { code: number; stdout: string; stderr: string };
    if (body.stdout) ctx.out(body.stdout);
    if (body.stderr) ctx.err(body.stderr);
    return body.code;
  } catch (e) {
    ctx.err(`flywheel: the running bot on port ${port} did not answer (${(e as Error).message}).`);
    return 1;
  }
}
