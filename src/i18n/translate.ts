import { type MessageFormatElement, parse } from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { DEFAULT_LOCALE, loadCatalogs, type MessageKey, PSEUDO_LOCALE } from "./catalog";
import { resolveLocale } from "./locale";
import { pseudoMessage, pseudoText } from "./pseudo";

export type MessageValue = string | number | Date | boolean | null | undefined;
export type MessageValues = Record<string, MessageValue>;

/** Formats catalog messages for one locale. Values (user text among them) are inserted as they are. */
export interface Translator {
  readonly locale: string;
  t(key: MessageKey, values?: MessageValues): string;
  /** "A, B and C" / "A, B y C", as the language joins a list. */
  list(items: readonly string[]): string;
  number(n: number): string;
}

/**
 * Named formats messages may use: `{when, date, day}` is a calendar day in the reader's order
 * (12/07/2026, 07/12/2026), in UTC like every date Flywheel stores; digits only, so it reads in any language.
 */
const FORMATS = { date: { day: { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "UTC" } } } as const;

// Compiled formatters are kept per locale and key: parsing ICU is the slow part, formatting is cheap.
const compiled = new Map<string, IntlMessageFormat>();
const translators = new Map<string, Translator>();

function sourceOf(locale: string, key: MessageKey): { locale: string; ast: MessageFormatElement[] } {
  const catalogs = loadCatalogs();
  if (locale === PSEUDO_LOCALE) {
    const en = catalogs.get(DEFAULT_LOCALE)!.messages[key];
    if (en === undefined) throw new Error(`message ${key} is missing from the ${DEFAULT_LOCALE} catalog`);
    return { locale: DEFAULT_LOCALE, ast: pseudoMessage(parse(en)) };
  }
  // A partial catalog falls back to English key by key: a sentence in English beats a blank.
  const own = catalogs.get(locale)?.messages[key];
  if (own !== undefined) return { locale, ast: parse(own) };
  const en = catalogs.get(DEFAULT_LOCALE)!.messages[key];
  if (en === undefined) throw new Error(`message ${key} is missing from the ${DEFAULT_LOCALE} catalog`);
  return { locale: DEFAULT_LOCALE, ast: parse(en) };
}

function formatter(locale: string, key: MessageKey): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let f = compiled.get(id);
  if (!f) {
    const src = sourceOf(locale, key);
    f = new IntlMessageFormat(src.ast, locale === PSEUDO_LOCALE ? DEFAULT_LOCALE : src.locale, FORMATS);
    compiled.set(id, f);
  }
  return f;
}

/** The translator for a locale Flywheel speaks (anything else is resolved to the nearest one). */
export function translator(requested: string = DEFAULT_LOCALE): Translator {
  const known = translators.get(requested);
  if (known) return known;
  const locale = resolveLocale([requested]);
  const intlLocale = locale === PSEUDO_LOCALE ? DEFAULT_LOCALE : locale;
  const lists = new Intl.ListFormat(intlLocale, { type: "conjunction" });
  const numbers = new Intl.NumberFormat(intlLocale);
  const tr: Translator = {
    locale,
    t: (key, values) => String(formatter(locale, key).format(values as Record<string, string | number | Date | boolean>)),
    // en-XA accents the list's own words ("and") too, so they read as translated; the items are values.
    list: (items) => (locale === PSEUDO_LOCALE ? lists.formatToParts(items).map((p) => (p.type === "literal" ? pseudoText(p.value) : p.value)).join("") : lists.format(items)),
    number: (n) => numbers.format(n),
  };
  translators.set(requested, tr);
  return tr;
}
