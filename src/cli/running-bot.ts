import type { Env } from "../config/env";
import { databaseTarget, type DatabaseTarget } from "../db/target";
import { readLock } from "./local";

/** A Flywheel bot running on this machine, as the CLI finds it. */
export interface RunningBot {
  pid: number;
  port?: number;
  /** The admin secret, known only from the lock file: without it the bot takes no commands. */
  token?: string;
  database: DatabaseTarget;
}

/**
 * The bot this CLI's settings point at: the lock file in DATA_DIR first, else whatever Flywheel
 * answers on PORT (a bot started from another folder, with its own DATA_DIR, still holds that port).
 */
export async function findRunningBot(env: Pick<Env, "DATA_DIR" | "PORT">): Promise<RunningBot | undefined> {
  const lock = readLock(env.DATA_DIR);
  if (lock) {
    // Bots older than the database field in the lock only ever locked their embedded database.
    return { pid: lock.pid, port: lock.port, token: lock.token, database: lock.database ?? databaseTarget({ DATA_DIR: env.DATA_DIR }) };
  }
  return env.PORT ? askPort(env.PORT) : undefined;
}

async function askPort(port: number): Promise<RunningBot | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/admin/database`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { flywheel?: unknown; pid?: unknown; database?: Partial<DatabaseTarget> };
    if (body.flywheel !== true || typeof body.pid !== "number") return undefined;
    if (typeof body.database?.key !== "string" || typeof body.database.label !== "string") return undefined;
    return { pid: body.pid, port, database: { key: body.database.key, label: body.database.label } };
  } catch {
    return undefined; // nothing listens there, or it is not a Flywheel
  }
}

/** One line naming both databases, when the CLI would write to another one than the bot. */
export function otherDatabase(bot: RunningBot, mine: DatabaseTarget): string | undefined {
  if (bot.database.key === mine.key) return undefined;
  const where = bot.port ? `pid ${bot.pid}, port ${bot.port}` : `pid ${bot.pid}`;
  return (
    `flywheel: not run: the running bot (${where}) uses ${bot.database.label}, but this command would use ${mine.label}; ` +
    "give it the bot's DATABASE_URL and DATA_DIR (e.g. in .env), or stop the bot."
  );
}
