import type { Command } from "commander";
import type { Env } from "../config/env";
import { loadConfigFile } from "../config/file";
import { manifestLink, manifestYaml } from "../platforms/slack/manifest";
import type { CliIO } from "./io";

/** `flywheel slack manifest <baseUrl>`: the Slack app manifest, generated from commands/. */
export function registerSlack(program: Command, io: CliIO, setCode: (n: number) => void, env?: Env): void {
  const slack = program.command("slack").description("Slack app set-up");
  slack
    .command("manifest")
    .description("print the Slack app manifest (YAML) to paste at api.slack.com/apps > Create New App > From a manifest")
    .argument("[baseUrl]", "the bot's public base URL, e.g. https://bot.example.org (default: PUBLIC_URL)")
    .option("--socket-mode", "for Socket Mode (SLACK_APP_TOKEN): no request URLs needed")
    .option("--name <name>", "the app's name in Slack", "Flywheel")
    .option("--prefix <prefix>", "put before every command but /flywheel, e.g. fw- for /fw-request (default: SLACK_COMMAND_PREFIX)")
    .option("--link", "print Slack's one-click 'create app from manifest' link instead of YAML")
    .action((baseUrl: string | undefined, o: { socketMode?: boolean; name: string; prefix?: string; link?: boolean }) => {
      try {
        // Descriptions in the organization's default language (flywheel.yml's top-level `locale:`).
        const locale = env ? loadConfigFile(env.FLYWHEEL_CONFIG).config.locale : undefined;
        const opts = { baseUrl: baseUrl ?? env?.PUBLIC_URL, publicUrl: env?.PUBLIC_URL, socketMode: o.socketMode, name: o.name, prefix: o.prefix ?? env?.SLACK_COMMAND_PREFIX, locale };
        io.out(o.link ? manifestLink(opts) : manifestYaml(opts).trimEnd());
      } catch (e) {
        io.err(`flywheel slack manifest: ${(e as Error).message}`);
        setCode(2);
      }
    });
}
