import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The key that signs session cookies: SESSION_SECRET, else one generated once and kept in
 * DATA_DIR/session-secret (owner-only), so a restart does not sign everyone out. Never logged.
 */
export function sessionSecret(env: { SESSION_SECRET?: string; DATA_DIR: string }): string {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  const file = join(env.DATA_DIR, "session-secret");
  if (existsSync(file)) {
    const kept = readFileSync(file, "utf8").trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(env.DATA_DIR, { recursive: true });
  const fresh = randomBytes(32).toString("base64url");
  writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return fresh;
}
