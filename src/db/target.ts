import { resolve } from "node:path";

/** Which database a process opens, decided once from its settings (DATABASE_URL, else DATA_DIR). */
export interface DatabaseTarget {
  /** Equal for two processes exactly when they write to the same database. */
  key: string;
  /** Names the database for people: no password, no query string. */
  label: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function databaseTarget(settings: { DATABASE_URL?: string; DATA_DIR: string }): DatabaseTarget {
  if (settings.DATABASE_URL) return postgresTarget(settings.DATABASE_URL);
  const dir = resolve(settings.DATA_DIR, "pglite");
  return { key: `pglite:${dir}`, label: `the embedded PGlite database in ${dir}` };
}

function postgresTarget(url: string): DatabaseTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Unparsable: compare it whole, but never show it (it may hold a password).
    return { key: `postgresql:${url}`, label: "PostgreSQL (an unreadable DATABASE_URL)" };
  }
  const host = LOOPBACK_HOSTS.has(u.hostname.toLowerCase()) ? "127.0.0.1" : u.hostname.toLowerCase();
  const port = u.port || "5432";
  const name = decodeURIComponent(u.pathname.replace(/^\//, "")) || decodeURIComponent(u.username) || "postgres";
  const user = u.username ? `${decodeURIComponent(u.username)}@` : "";
  return { key: `postgresql://${host}:${port}/${name}`, label: `PostgreSQL postgresql://${user}${u.hostname}:${port}/${name}` };
}
