import { readdirSync } from "node:fs";
import { join } from "node:path";
import en from "../../locales/en";

/** Every message key; the English catalog is the source of truth. */
export type MessageKey = keyof typeof en;
/** Whether a text is a catalog key (a schema's message is one, worded when shown). */
export const isMessageKey = (s: string): s is MessageKey => Object.prototype.hasOwnProperty.call(en, s);

/** A complete catalog has every key (TypeScript checks it with `satisfies Catalog`). */
export type Catalog = Record<MessageKey, string>;

export const DEFAULT_LOCALE = "en";
/** Generated from en at load (see pseudo.ts); never a file. */
export const PSEUDO_LOCALE = "en-XA";

/** locales/ sits two levels up from here, in the sources and in dist/ alike. */
export const LOCALES_DIR = join(__dirname, "..", "..", "locales");

export interface LoadedCatalog {
  locale: string;
  messages: Partial<Catalog>;
  /** Declared complete by its file (`export const complete = true`); tests hold it to that. */
  complete: boolean;
}

let cache: Map<string, LoadedCatalog> | undefined;

/** Every catalog file in locales/ (one file per language: adding a language is adding a file). */
export function loadCatalogs(dir = LOCALES_DIR): Map<string, LoadedCatalog> {
  if (cache && dir === LOCALES_DIR) return cache;
  const map = new Map<string, LoadedCatalog>();
  for (const file of readdirSync(dir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts")).sort()) {
    const locale = file.replace(/\.(ts|js)$/, "");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(dir, file)) as { default?: Partial<Catalog>; complete?: boolean };
    if (!mod.default || typeof mod.default !== "object") throw new Error(`locales/${file} does not export a catalog by default`);
    map.set(locale, { locale, messages: mod.default, complete: locale === DEFAULT_LOCALE || mod.complete === true });
  }
  if (!map.has(DEFAULT_LOCALE)) map.set(DEFAULT_LOCALE, { locale: DEFAULT_LOCALE, messages: en, complete: true });
  if (dir === LOCALES_DIR) cache = map;
  return map;
}

/** The locales a person or community can choose: every catalog, plus the pseudo-locale. */
export const supportedLocales = (): string[] => [...loadCatalogs().keys(), PSEUDO_LOCALE];
