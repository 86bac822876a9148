/**
 * Text people send, cleaned once at the door (command options, modal fields, thread and DM
 * messages) so that what is stored is what is shown, on every platform:
 * - C0/C1 control characters are removed (PostgreSQL refuses NUL; the others render as nothing
 *   or garble terminals); newline and tab stay, and CR/CRLF become a newline;
 * - unpaired surrogates (not encodable as UTF-8) become U+FFFD;
 * - Unicode is normalized to NFC, so "é" typed two ways is one title for search and duplicates;
 * - text made only of invisible characters (zero-width spaces, joiners, BOMs, fillers) is
 *   empty: it reads as nothing, so it is refused like nothing.
 */

const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Whitespace, format characters (\p{Cf}: ZWSP, ZWJ, bidi marks, BOM…) and the blank-looking fillers. */
const INVISIBLE_ONLY = /^[\s\p{Cf}\p{Zs}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0]*$/u;

export function cleanText(s: string): string {
  const text = s.replace(LONE_SURROGATES, "\uFFFD").replace(/\r\n?/g, "\n").replace(CONTROLS, "").normalize("NFC");
  return INVISIBLE_ONLY.test(text) ? "" : text;
}

/**
 * Cleans every string (and every string in an array) among a command's options; the rest as is.
 * A value that cleans to nothing is left out, as a blank form field is: the command's own
 * "missing" answer refuses it, on every platform alike.
 */
export function cleanOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (typeof v === "string") {
      const text = cleanText(v);
      if (text || !v) out[k] = text;
    } else out[k] = Array.isArray(v) ? v.map((x: unknown) => (typeof x === "string" ? cleanText(x) : x)) : v;
  }
  return out;
}
