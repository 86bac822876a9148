import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emptyPostgresDatabase } from "./helpers/db";
import { cleanEnv, freePort, stopChild, watch } from "./helpers/program";

// One database, always: `flywheel exec` never writes to another database than the running bot's.
// Drives the BUILT program (npm test builds it first).
const BIN = join(__dirname, "..", "bin", "flywheel.js");

let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(() => {
  if (!existsSync(join(__dirname, "..", "dist", "src", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it)");
  dir = mkdtempSync(join(tmpdir(), "flywheel-onedb-"));
  writeFileSync(join(dir, "flywheel.yml"), "communities:\n  - { slug: alpha, name: Alpha University }\n");
});
afterAll(async () => {
  for (const c of children) await stopChild(c);
  rmSync(dir, { recursive: true, force: true });
});

/** A folder to run the program in, with its own .env (the settings both the bot and exec read). */
function place(name: string, dotenv: Record<string, string>): string {
  const cwd = join(dir, name);
  mkdirSync(cwd, { recursive: true });
  const lines = { FLYWHEEL_CONFIG: join(dir, "flywheel.yml"), HOST: "127.0.0.1", LOG_LEVEL: "warn", ...dotenv };
  writeFileSync(join(cwd, ".env"), Object.entries(lines).map(([k, v]) => `${k}=${v}`).join("\n") + "\n");
  return cwd;
}

async function startBot(cwd: string, extra: NodeJS.ProcessEnv = {}): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, [BIN, "start", "--no-shell"], { cwd, env: { ...cleanEnv(), ...extra } });
  children.push(child);
  await watch(child).waitFor(/Flywheel is running on/, 90_000);
  return child;
}

const exec = (cwd: string, args: string[], extra: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [BIN, "exec", ...args], { cwd, env: { ...cleanEnv(), ...extra }, encoding: "utf8", timeout: 60_000 });

test("exec in another folder, on another embedded database, is refused while a bot holds the port; with the bot's settings it goes through the bot", async () => {
  const port = String(await freePort());
  const botDir = place("bot", { PORT: port, DATA_DIR: "./data" });
  const bot = await startBot(botDir);

  // Same .env port, another DATA_DIR: found on its port, refused, nothing written anywhere.
  const elsewhere = place("elsewhere", { PORT: port, DATA_DIR: "./data" });
  const refused = exec(elsewhere, ["--as", "ana", "--community", "alpha", "/request Offline mode"]);
  expect(refused.status).toBe(1);
  expect(refused.stdout).toBe("");
  expect(refused.stderr.trim().split("\n")).toEqual([
    `flywheel: not run: the running bot (pid ${bot.pid}, port ${port}) uses the embedded PGlite database in ${join(botDir, "data", "pglite")}, ` +
      `but this command would use the embedded PGlite database in ${join(elsewhere, "data", "pglite")}; give it the bot's DATABASE_URL and DATA_DIR (e.g. in .env), or stop the bot.`,
  ]);
  expect(existsSync(join(elsewhere, "data"))).toBe(false);

  // The bot's own folder and .env: through the bot, and --verbose says so.
  const filed = exec(botDir, ["--verbose", "--as", "ana", "--community", "alpha", "/request Offline mode"]);
  expect(filed.stdout).toContain("Filed #1 Offline mode");
  expect(filed.stderr.trim()).toBe(`flywheel: database: the embedded PGlite database in ${join(botDir, "data", "pglite")} (through the running bot, pid ${bot.pid})`);
  expect(filed.status).toBe(0);
  await stopChild(bot);

  // No bot: exec opens the database itself, and names it.
  const alone = exec(botDir, ["--verbose", "--as", "bob", "--community", "alpha", "/upvote 1"]);
  expect(alone.stdout).toContain("Your vote for #1 is counted");
  expect(alone.stderr.trim()).toBe(`flywheel: database: the embedded PGlite database in ${join(botDir, "data", "pglite")}`);
}, 240_000);

(process.env.TEST_DATABASE_URL ? test : test.skip)(
  "a bot on PostgreSQL: exec without its DATABASE_URL is refused, naming both databases without the password; with it, it goes through the bot",
  async () => {
    const db = await emptyPostgresDatabase();
    try {
      const u = new URL(db.url);
      u.password = "s3cret-pw";
      const url = u.toString();
      const port = String(await freePort());
      const botDir = place("pg", { PORT: port, DATA_DIR: "./data" });
      // The bot gets DATABASE_URL from its shell, not from .env: the case the issue describes.
      const bot = await startBot(botDir, { DATABASE_URL: url });

      const refused = exec(botDir, ["--as", "ana", "--community", "alpha", "/request Dark mode"]);
      expect(refused.status).toBe(1);
      const line = refused.stderr.trim();
      expect(line.split("\n")).toHaveLength(1);
      expect(line).toContain(`uses PostgreSQL postgresql://${u.username}@${u.hostname}:${u.port || 5432}${u.pathname}`);
      expect(line).toContain(`would use the embedded PGlite database in ${join(botDir, "data", "pglite")}`);
      expect(line).not.toContain("s3cret-pw");
      expect(existsSync(join(botDir, "data", "pglite"))).toBe(false);

      // Another folder and DATA_DIR, found on the port alone: refused the same way.
      const other = place("pg-other", { PORT: port, DATA_DIR: "./data" });
      const byPort = exec(other, ["--as", "ana", "--community", "alpha", "/request Dark mode"]);
      expect(byPort.status).toBe(1);
      expect(byPort.stderr).toContain(`the running bot (pid ${bot.pid}, port ${port}) uses PostgreSQL`);
      expect(existsSync(join(other, "data"))).toBe(false);

      const filed = exec(botDir, ["--verbose", "--as", "ana", "--community", "alpha", "/request Dark mode"], { DATABASE_URL: url });
      expect(filed.stdout).toContain("Filed #1 Dark mode");
      expect(filed.stderr).toContain(`flywheel: database: PostgreSQL postgresql://${u.username}@`);
      expect(filed.stderr).toContain(`(through the running bot, pid ${bot.pid})`);
      expect(filed.stderr).not.toContain("s3cret-pw");
      await stopChild(bot);
    } finally {
      await db.drop();
    }
  },
  240_000,
);
