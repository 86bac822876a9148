import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CommandDef } from "./define";

/** commands/ sits two levels up from here, in the sources and in dist/ alike. */
export const COMMANDS_DIR = join(__dirname, "..", "..", "commands");

let cache: Map<string, CommandDef<unknown>> | undefined;

/** Loads every commands/*.ts (or .js when built): one file, one slash command. */
export function loadCommands(dir = COMMANDS_DIR): Map<string, CommandDef<unknown>> {
  if (cache && dir === COMMANDS_DIR) return cache;
  const map = new Map<string, CommandDef<unknown>>();
  const files = readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && !f.startsWith("_"))
    .sort();
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, file)) as { default?: CommandDef<unknown> };
    const cmd = mod.default;
    if (!cmd?.name || typeof cmd.run !== "function") throw new Error(`commands/${file} does not export a command by default`);
    if (map.has(cmd.name)) throw new Error(`two commands are named /${cmd.name}`);
    map.set(cmd.name, cmd);
  }
  if (dir === COMMANDS_DIR) cache = map;
  return map;
}

export const commandList = (): CommandDef<unknown>[] => [...loadCommands().values()];
