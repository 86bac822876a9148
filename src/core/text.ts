/** Small text helpers shared by core and the adapters. */
import type { Translator } from "../i18n/translate";

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Trims to at most max characters, ending with an ellipsis when cut. */
export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`);

/** Parses "12", "#12" or " #12 " as a request/ticket number. */
export const parseNumberRef = (v: unknown): unknown =>
  typeof v === "string" && /^\s*#?\d+\s*$/.test(v) ? Number(v.replace(/[#\s]/g, "")) : v;

/** Quotes a command argument when it has spaces or quotes, for command lines carried by buttons. */
export const quoteArg = (s: string): string => (/[\s"'|]/.test(s) ? `"${s.replace(/(["\\])/g, "\\$1")}"` : s);

/**
 * Breaks mass-ping syntax in text relayed between people (support threads), whichever platform
 * it came from and goes to: @everyone / @here / @channel, Slack's <!here> and <!subteam^…>,
 * Discord's role mention <@&id>. A zero-width space keeps it readable. Adapters escape too;
 * a relay crosses platforms, so core defuses it once more.
 */
export const defuseMentions = (s: string): string =>
  s.replace(/@(everyone|here|channel)\b/gi, "@\u200b$1").replace(/<!/g, "<\u200b!").replace(/<@&/g, "<@\u200b&");

/** "45s", "14m", "2h 05m", "3d 4h": a duration for people, with the units the reader's language abbreviates. */
export function formatDuration(ms: number, t: Translator): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t.t("text.duration.seconds", { s });
  const m = Math.floor(s / 60);
  if (m < 60) return t.t("text.duration.minutes", { m });
  const h = Math.floor(m / 60);
  if (h < 24) return t.t("text.duration.hours", { h, m: m % 60 });
  return t.t("text.duration.days", { d: Math.floor(h / 24), h: h % 24 });
}
