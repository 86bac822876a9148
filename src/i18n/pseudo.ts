// en-XA, the pseudo-locale: every catalog text accented, bracketed and about a third longer, so a
// screen in en-XA shows at a glance which words did not come through a catalog (they stay plain
// ASCII) and which layouts break with longer languages. Arguments, plural and select structure
// are kept: only literal text changes, so user data passes through untouched.
import { type MessageFormatElement, TYPE } from "@formatjs/icu-messageformat-parser";

const ACCENTED: Record<string, string> = Object.fromEntries(
  [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c, i) => [c, [..."ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ"][i]]),
);
const VOWELS = /[aeiouyAEIOUY]/;

/** "Thanks" → "Ŧħȧȧƞķş": letters accented, vowels doubled (≈ +30% length, like German or Finnish). */
export function pseudoText(s: string): string {
  let out = "";
  for (const c of s) out += VOWELS.test(c) ? ACCENTED[c] + ACCENTED[c.toLowerCase()] : (ACCENTED[c] ?? c);
  return out;
}

function walk(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((e) => {
    switch (e.type) {
      case TYPE.literal:
        return { ...e, value: pseudoText(e.value) };
      case TYPE.plural:
      case TYPE.select:
        return { ...e, options: Object.fromEntries(Object.entries(e.options).map(([k, o]) => [k, { ...o, value: walk(o.value) }])) };
      case TYPE.tag:
        return { ...e, children: walk(e.children) };
      default:
        return e;
    }
  });
}

/** The pseudo-localized form of a parsed catalog message, bracketed so clipped text shows. */
export function pseudoMessage(ast: MessageFormatElement[]): MessageFormatElement[] {
  return [{ type: TYPE.literal, value: "[" }, ...walk(ast), { type: TYPE.literal, value: "]" }];
}
