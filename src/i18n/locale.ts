import { DEFAULT_LOCALE, supportedLocales } from "./catalog";

function canonical(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, "-"))[0];
  } catch {
    return undefined;
  }
}

/**
 * The first candidate Flywheel speaks, most specific first: "es-MX" is served by "es", "en-XA"
 * only by itself. Candidates come in order of preference (the person's own, their community's,
 * the organization's); unknown or malformed tags are skipped.
 */
export function resolveLocale(candidates: readonly (string | null | undefined)[], supported: readonly string[] = supportedLocales()): string {
  const lower = new Map(supported.map((s) => [s.toLowerCase(), s]));
  for (const c of candidates) {
    const tag = c && canonical(c);
    if (!tag) continue;
    const exact = lower.get(tag.toLowerCase());
    if (exact) return exact;
    const language = lower.get(tag.split("-")[0].toLowerCase());
    if (language) return language;
  }
  return supported.includes(DEFAULT_LOCALE) ? DEFAULT_LOCALE : supported[0];
}

/** A browser's Accept-Language header, best first ("es-MX,es;q=0.9,en;q=0.5" → es-MX, es, en). */
export function acceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.tag && x.tag !== "*" && x.q > 0 && Number.isFinite(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((x) => x.tag);
}
