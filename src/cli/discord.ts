import type { Command } from "commander";
import type { Env } from "../config/env";
import { scrubSecrets } from "../log";
import type { CliIO } from "./io";

/**
 * `flywheel discord register` (npm run discord:register): registers every command of
 * commands/ as Discord application commands. Needs only the token and application id, no
 * database and no gateway, so it runs beside a running bot.
 */
export function registerDiscord(program: Command, io: CliIO, setCode: (n: number) => void, env: Env): void {
  const discord = program.command("discord").description("Discord set-up");
  discord
    .command("register")
    .description("register the slash commands with Discord (to DISCORD_GUILD_ID when set, else globally)")
    .option("--guild <id>", "register to this guild instead of DISCORD_GUILD_ID")
    .option("--global", "register globally even when DISCORD_GUILD_ID is set")
    .action(async (o: { guild?: string; global?: boolean }) => {
      if (!env.DISCORD_TOKEN || !env.DISCORD_APPLICATION_ID) {
        io.err("flywheel: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (the bot token and the application id from the Discord Developer Portal).");
        setCode(2);
        return;
      }
      const guild = o.global ? undefined : (o.guild ?? env.DISCORD_GUILD_ID);
      if (guild !== undefined && !/^\d{5,25}$/.test(guild)) {
        io.err(`flywheel: --guild: expected a Discord guild id (digits), got "${guild}"`);
        setCode(2);
        return;
      }
      // discord.js is ~10 MB of heap and 300 ms to load: only this command needs it, and the
      // bot process loads this file too (its admin endpoint runs the CLI).
      const [{ discordRest }, { registerCommands }] = await Promise.all([import("../platforms/discord/client"), import("../platforms/discord/register")]);
      const rest = discordRest(env);
      try {
        const done = await registerCommands(rest, env.DISCORD_APPLICATION_ID, guild);
        const names = done.map((c) => `/${c.name}`).join(" ");
        io.out(guild ? `Registered ${done.length} commands to guild ${guild}: ${names}` : `Registered ${done.length} commands globally (Discord may take a while to show them everywhere): ${names}`);
      } catch (e) {
        io.err(`flywheel: Discord refused the registration: ${scrubSecrets(e instanceof Error ? e.message : String(e), [env.DISCORD_TOKEN])}`);
        setCode(1);
      } finally {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
      }
    });
}
