import { existsSync } from "node:fs";
import { z } from "zod";

const url = (what: string) => z.string().url({ message: `expected ${what}, e.g. http://127.0.0.1:8080/` });
const optional = <T extends z.ZodTypeAny>(s: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), s.optional());

/** Where the config file is looked for when FLYWHEEL_CONFIG is unset; only there may it be missing. */
export const DEFAULT_CONFIG_PATH = "./flywheel.yml";

/** Every environment variable Flywheel reads. .env.example documents each one. */
export const envSchema = z.object({
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, { message: "expected a postgresql:// connection URL" }),
  ),
  DATABASE_READ_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\//, { message: "expected a postgresql:// connection URL of a read replica" }),
  ),
  DATA_DIR: z.string().min(1).default("./data"),
  PORT: z.coerce
    .number({ message: "expected a port number" })
    .int({ message: "expected a whole port number" })
    .min(0, { message: "expected a port number from 0 to 65535" })
    .max(65535, { message: "expected a port number from 0 to 65535" })
    .default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  FLYWHEEL_CONFIG: z.string().min(1).default(DEFAULT_CONFIG_PATH),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  FLYWHEEL_USER: optional(z.string().regex(/^\S{1,64}$/, { message: "expected one word, the terminal user's name (e.g. admin)" })),
  PUBLIC_URL: optional(url("the bot's public base URL")),
  SLACK_BOT_TOKEN: optional(z.string().regex(/^xox[bp]-/, { message: "expected a Slack bot token starting with xoxb-" })),
  SLACK_SIGNING_SECRET: optional(z.string().min(8, { message: "expected the Slack app's signing secret" })),
  SLACK_APP_TOKEN: optional(z.string().regex(/^xapp-/, { message: "expected a Slack app-level token starting with xapp-" })),
  SLACK_API_URL: optional(url("a Slack Web API base URL")),
  SLACK_COMMAND_PREFIX: optional(
    z.string().regex(/^[a-z0-9_-]{1,16}$/, { message: "expected up to 16 of a-z, 0-9, _ and - (e.g. fw-), put before every Slack command but /flywheel" }),
  ),
  SLACK_CHANNEL_PACE_MS: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: "expected milliseconds between two posts in one Slack channel, e.g. 1000" })
      .int({ message: "expected a whole number of milliseconds" })
      .min(0, { message: "expected 0 (no pacing) or more milliseconds" })
      .max(60_000, { message: "expected at most 60000 milliseconds" })
      .default(1000),
  ),
  DISCORD_TOKEN: optional(z.string().min(10, { message: "expected a Discord bot token" })),
  DISCORD_APPLICATION_ID: optional(z.string().regex(/^\d{5,25}$/, { message: "expected a Discord application id (digits)" })),
  DISCORD_API_URL: optional(url("a Discord REST base URL")),
  DISCORD_GUILD_ID: optional(z.string().regex(/^\d{5,25}$/, { message: "expected a Discord guild id (digits)" })),
  DISCORD_PUBLIC_KEY: optional(
    z.string().regex(/^[0-9a-fA-F]{64}$/, { message: "expected the application's public key from the Developer Portal (64 hex characters)" }),
  ),
  DISCORD_GATEWAY: optional(z.enum(["on", "off"], { message: "expected on or off" })),
  DISCORD_REGISTER_ON_START: optional(z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")),
  GITHUB_TOKEN: optional(z.string().min(4, { message: "expected a GitHub token" })),
  GITHUB_WEBHOOK_SECRET: optional(z.string().min(8, { message: "expected the webhook secret (8+ characters)" })),
  GITHUB_API_URL: optional(url("a GitHub API base URL (GitHub Enterprise: https://HOST/api/v3)")),
});

export type Env = z.infer<typeof envSchema>;

/** Thrown when the environment is wrong; the message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Reads the environment (after a .env file, if any); the first bad variable is named in one line. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env, dotenvPath = ".env"): Env {
  if (source === process.env && existsSync(dotenvPath)) {
    // dotenv never overrides what the real environment already says.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("dotenv").config({ path: dotenvPath, quiet: true });
  }
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    throw new ConfigError(`${name}: ${issue.message}`);
  }
  return parsed.data;
}
