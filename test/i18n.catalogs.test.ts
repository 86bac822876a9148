import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isStructurallySame, parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { parseConfig } from "../src/config/file";
import { personLocale, placeLocale } from "../src/core/people/locale";
import { DEFAULT_LOCALE, loadCatalogs, type MessageKey, PSEUDO_LOCALE, supportedLocales } from "../src/i18n/catalog";
import { acceptLanguage, resolveLocale } from "../src/i18n/locale";
import { pseudoText } from "../src/i18n/pseudo";
import { translator } from "../src/i18n/translate";

const ROOT = join(__dirname, "..");
const catalogs = loadCatalogs();
const en = catalogs.get(DEFAULT_LOCALE)!.messages as Record<MessageKey, string>;
const keys = Object.keys(en) as MessageKey[];

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === "generated" ? [] : sourceFiles(join(dir, e.name))) : /\.ts$/.test(e.name) ? [join(ROOT, dir, e.name)] : [],
  );
const code = ["src", "commands"].flatMap(sourceFiles).map((f) => readFileSync(f, "utf8")).join("\n");

/** Sample values for every argument a message takes: non-Latin, so they never pass for English. */
function sampleValues(ast: MessageFormatElement[], out: Record<string, string | number | Date> = {}) {
  for (const e of ast) {
    if (e.type === TYPE.argument) out[e.value] ??= "Ω";
    if (e.type === TYPE.number || e.type === TYPE.plural) out[e.value] = 3;
    if (e.type === TYPE.date || e.type === TYPE.time) out[e.value] = new Date(Date.UTC(2026, 11, 7));
    if (e.type === TYPE.select) out[e.value] ??= Object.keys(e.options)[0];
    if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) sampleValues(o.value, out);
    if (e.type === TYPE.tag) sampleValues(e.children, out);
  }
  return out;
}

describe("message catalogs", () => {
  test("English and Spanish are complete; every complete catalog has exactly the English keys", () => {
    expect(catalogs.get("es")?.complete).toBe(true);
    for (const c of catalogs.values()) {
      if (!c.complete) continue;
      expect({ locale: c.locale, missing: keys.filter((k) => !(k in c.messages)) }).toEqual({ locale: c.locale, missing: [] });
      expect({ locale: c.locale, unknown: Object.keys(c.messages).filter((k) => !(k in en)) }).toEqual({ locale: c.locale, unknown: [] });
    }
  });

  test("every translation is valid ICU and takes the same arguments as the English text", () => {
    for (const c of catalogs.values())
      for (const [key, text] of Object.entries(c.messages) as [MessageKey, string][]) {
        const same = isStructurallySame(parse(en[key]), parse(text));
        expect({ locale: c.locale, key, ok: same.success, why: same.success ? undefined : String(same.error) }).toEqual({ locale: c.locale, key, ok: true, why: undefined });
      }
  });

  test("every key the catalogs hold is used by the code, written out as a literal", () => {
    const unused = keys.filter((k) => !code.includes(`"${k}"`));
    expect(unused).toEqual([]);
  });

  test("every key the code names as a literal exists (a typo is caught even where TypeScript cannot see the key)", () => {
    const named = [...code.matchAll(/\bt\(\s*"([a-z][\w-]*(?:\.[\w-]+)+)"/g)].map((m) => m[1]);
    expect(named.filter((k) => !(k in en))).toEqual([]);
  });

  test("en-XA accents every catalog word and keeps user values as they are", () => {
    const xa = translator(PSEUDO_LOCALE);
    expect(xa.locale).toBe(PSEUDO_LOCALE);
    for (const key of keys) {
      const text = xa.t(key, sampleValues(parse(en[key])));
      expect(text.startsWith("[") && text.endsWith("]")).toBe(true);
      // No run of plain Latin letters survives: a hard-coded word would show as one.
      expect({ key, latin: text.match(/[A-Za-z]{2,}/g) }).toEqual({ key, latin: null });
    }
    expect(translator(PSEUDO_LOCALE).t("common.unknownCommand", { command: "/frob", help: "/help" })).toContain("/frob");
    expect(pseudoText("Thanks")).toBe("Ŧħȧȧƞķş");
  });

  test("plurals, numbers and currencies follow the reader's language", () => {
    expect(translator("en").number(12000)).toBe("12,000");
    expect(translator("es").number(12000)).toBe("12.000");
    expect(translator("es").list(["A", "B", "C"])).toBe("A, B y C");
    expect(translator("en").list(["A", "B", "C"])).toBe("A, B, and C");
  });
});

describe("locale resolution", () => {
  test("the first candidate Flywheel speaks wins, by language when the region is unknown", () => {
    expect(resolveLocale(["es-MX", "en"])).toBe("es");
    expect(resolveLocale([undefined, null, "fr", "es"])).toBe("es");
    expect(resolveLocale(["en-XA"])).toBe(PSEUDO_LOCALE);
    expect(resolveLocale(["not a locale!!", "de"])).toBe(DEFAULT_LOCALE);
    expect(resolveLocale(["pt_BR"], ["en", "pt"])).toBe("pt");
    expect(supportedLocales()).toEqual(expect.arrayContaining(["en", "es", PSEUDO_LOCALE]));
  });

  test("Accept-Language is read best first, by weight then order", () => {
    expect(acceptLanguage("fr-CH, fr;q=0.9, es;q=0.95, *;q=0.5")).toEqual(["fr-CH", "es", "fr"]);
    expect(acceptLanguage("en;q=0, es")).toEqual(["es"]);
    expect(acceptLanguage(undefined)).toEqual([]);
    expect(resolveLocale(acceptLanguage("de-DE,es;q=0.8"))).toBe("es");
  });
});

describe("the language of a person and of a place", () => {
  const config = parseConfig(`
locale: es
communities:
  - { slug: alpha, name: Alpha, slack: { team: T1, channel: C1 }, locale: en }
  - { slug: beta, name: Beta, discord: { guild: "9", channel: "8" } }
`);

  test("own language first, then the community's, then the organization's", () => {
    expect(personLocale(config, { own: ["es-AR"], communitySlug: "alpha" })).toBe("es");
    expect(personLocale(config, { own: [undefined], communitySlug: "alpha" })).toBe("en");
    expect(personLocale(config, { communitySlug: "beta" })).toBe("es");
    expect(personLocale(config, { own: ["ja"] })).toBe("es");
  });

  test("a channel post speaks its community's language", () => {
    expect(placeLocale(config, { platform: "slack", workspace: "T1", channel: "C1" })).toBe("en");
    expect(placeLocale(config, { platform: "discord", workspace: "9", channel: "8" })).toBe("es");
    expect(placeLocale(config, { platform: "slack", workspace: "T404", channel: "C9" })).toBe("es");
  });

  test("a language Flywheel does not speak is refused in flywheel.yml, naming the field", () => {
    expect(() => parseConfig("locale: xx\n")).toThrow(/locale.*expected a language Flywheel speaks: en, es, en-XA/);
    expect(parseConfig("").locale).toBe("en");
  });
});
