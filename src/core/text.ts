/** Small text helpers shared by core and the adapters. */

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Trims to at most max characters, ending with an ellipsis when cut. */
export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`);

/** Parses "12", "#12" or " #12 " as a request/ticket number. */
export const parseNumberRef = (v: unknown): unknown =>
  typeof v === "string" && /^\s*#?\d+\s*$/.test(v) ? Number(v.replace(/[#\s]/g, "")) : v;

/** Quotes a command argument when it has spaces or quotes, for command lines carried by buttons. */
export const quoteArg = (s: string): string => (/[\s"'|]/.test(s) ? `"${s.replace(/(["\\])/g, "\\$1")}"` : s);
