import pino, { type Logger } from "pino";

/** Paths that may hold secrets anywhere in a logged object: never printed. */
const REDACT = [
  "token", "*.token", "*.*.token", "authorization", "*.authorization", "headers.authorization", "*.headers.authorization",
  "signingSecret", "*.signingSecret", "secret", "*.secret", "password", "*.password", "env", "*.env",
  "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DISCORD_TOKEN", "GITHUB_TOKEN", "GITHUB_WEBHOOK_SECRET", "DATABASE_URL",
];

/** Token shapes scrubbed from any text we log or show (error messages can quote them). */
const TOKEN_PATTERNS = [
  /xox[abposr]-[A-Za-z0-9-]+/g, /xapp-[A-Za-z0-9-]+/g, /gh[pousr]_[A-Za-z0-9]{20,}/g, /github_pat_[A-Za-z0-9_]{20,}/g, /postgres(?:ql)?:\/\/[^@\s]*:[^@\s]*@/g,
  // Discord bot tokens (id.timestamp.hmac), and interaction tokens inside webhook/callback URLs.
  /[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}/g, /(?<=\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_.-]{20,}/g,
];

export function scrubSecrets(text: string, extra: (string | undefined)[] = []): string {
  let out = text;
  for (const p of TOKEN_PATTERNS) out = out.replace(p, "[redacted]");
  for (const s of extra) if (s && s.length >= 6) out = out.split(s).join("[redacted]");
  return out;
}

export function createLogger(level = "info", destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: "[redacted]" },
      formatters: { log: (o) => JSON.parse(scrubSecrets(JSON.stringify(o))) as Record<string, unknown> },
    },
    destination ?? pino.destination(2),
  );
}
