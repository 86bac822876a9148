import type { OptionSpec } from "./options";

interface Token {
  value: string;
  start: number;
  end: number;
  quoted: boolean;
}

/**
 * Splits a command line into words; "double", 'single' or “curly” quotes keep spaces and make a
 * word literal (never a flag). A quote only counts when it closes at the end of a word, so the
 * apostrophes of "it's" or "'90s" stay plain text.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"((?:[^"\\]|\\.)*)"(?=\s|$)|'((?:[^'\\]|\\.)*)'(?=\s|$)|“([^”]*)”(?=\s|$)|‘([^’]*)’(?=\s|$)|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const plain = m[5];
    const value = plain ?? (m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1") + (m[3] ?? m[4] ?? "");
    tokens.push({ value, start: m.index, end: m.index + m[0].length, quoted: plain === undefined });
  }
  return tokens;
}

/** Why a typed line could not be read; dispatch words each kind the same way for every command. */
export type Problem =
  | { kind: "unknown-flag"; flag: string; suggestion?: OptionSpec }
  | { kind: "needs-value"; option: OptionSpec }
  | { kind: "given-twice"; option: OptionSpec }
  | { kind: "unexpected"; text: string };

export type Parsed = { ok: true; options: Record<string, unknown> } | { ok: false; problem: Problem };

/** What a command declares about its options, as far as reading them goes. */
export interface OptionShape {
  options: OptionSpec[];
  /** Reads the free words (flags already taken out) when plain positions do not fit the command. */
  readWords?: (words: string[]) => Parsed;
}

export const parsed = (options: Record<string, unknown>): Parsed => ({ ok: true, options });
const failed = (problem: Problem): Parsed => ({ ok: false, problem });
/** Words left over that no option takes. */
export const unexpected = (text: string): Parsed => failed({ kind: "unexpected", text });

/**
 * `--name`, `--name value`, `--name=value`. Phones and Slack turn a typed "--" into an em or en
 * dash, so "—community alpha" is the same flag.
 */
const FLAG = /^(?:--|—|–)([A-Za-z][\w-]*)(?:=([\s\S]*))?$/;
const BOOLEAN_WORDS: Record<string, boolean> = { true: true, yes: true, on: true, "1": true, false: false, no: false, off: false, "0": false };

/** A typed word that looks like a flag: unquoted, `--` (or a dash) and a name. */
const flagOf = (t: Token) => (t.quoted ? undefined : FLAG.exec(t.value));

/** Edit distance up to 2 (a typo), or a prefix: "--comunity" and "--comm" both mean "--community". */
function nearMiss(name: string, specs: OptionSpec[]): OptionSpec | undefined {
  const typo = (a: string, b: string): boolean => {
    if (Math.abs(a.length - b.length) > 2) return false;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row;
    }
    return prev[b.length] <= 2;
  };
  const n = name.toLowerCase();
  return specs.find((s) => (n.length >= 3 && s.name.startsWith(n)) || (s.name.length > 3 && typo(n, s.name)));
}

interface Words {
  flags: Record<string, unknown>;
  /** Everything that is not a flag, in order; `flagLike` marks an unknown `--word`. */
  words: (Token & { flagLike: boolean })[];
}

/**
 * Takes every known flag out of the text, wherever it stands: before, between or after the free
 * words. An unknown `--word` stays a word (prose may say "--dry-run") unless it is a near miss of
 * a real option, which is refused: "--comunity alpha" must never become part of a note.
 */
function pullFlags(text: string, specs: OptionSpec[]): { ok: true; value: Words } | { ok: false; problem: Problem } {
  const tokens = tokenize(text);
  const flags: Record<string, unknown> = {};
  const words: Words["words"] = [];
  for (let i = 0; i < tokens.length; i++) {
    const m = flagOf(tokens[i]);
    const spec = m ? specs.find((s) => s.name === m[1].toLowerCase()) : undefined;
    if (!m || !spec) {
      const suggestion = m && tokens[i].value.startsWith("--") ? nearMiss(m[1], specs) : undefined;
      if (m && suggestion) return { ok: false, problem: { kind: "unknown-flag", flag: `--${m[1]}`, suggestion } };
      words.push({ ...tokens[i], flagLike: Boolean(m && tokens[i].value.startsWith("--")) });
      continue;
    }
    if (spec.name in flags) return { ok: false, problem: { kind: "given-twice", option: spec } };
    const inline = m[2];
    if (spec.type === "boolean") {
      const v = inline === undefined ? true : BOOLEAN_WORDS[inline.toLowerCase()];
      if (v === undefined) return { ok: false, problem: { kind: "needs-value", option: spec } };
      flags[spec.name] = v;
      continue;
    }
    if (inline !== undefined) {
      if (!inline.trim()) return { ok: false, problem: { kind: "needs-value", option: spec } };
      flags[spec.name] = inline;
      continue;
    }
    const next = tokens[i + 1];
    if (!next || flagOf(next)) return { ok: false, problem: { kind: "needs-value", option: spec } };
    flags[spec.name] = next.value;
    i++;
  }
  return { ok: true, value: { flags, words } };
}

/**
 * The free text of a `rest` option as typed: runs of adjacent words keep their spacing and
 * punctuation; where a flag was taken out, one space joins them. A rest given as one quoted
 * word is that word without its quotes.
 */
function restText(text: string, words: Words["words"]): string {
  if (words.length === 1 && words[0].quoted) return words[0].value;
  const runs: string[] = [];
  let from = 0;
  for (let i = 1; i <= words.length; i++) {
    if (i === words.length || text.slice(words[i - 1].end, words[i].start).trim()) {
      runs.push(text.slice(words[from].start, words[i - 1].end));
      from = i;
    }
  }
  return runs.join(" ");
}

/** "Title | details": the first bar splits the rest between the rest option and the `afterBar` one. */
function splitRest(rest: OptionSpec, specs: OptionSpec[], line: string): Record<string, unknown> {
  const details = specs.find((s) => s.afterBar);
  const bar = details ? line.indexOf("|") : -1;
  const head = (bar === -1 ? line : line.slice(0, bar)).trim();
  const tail = bar === -1 ? "" : line.slice(bar + 1).trim();
  return { ...(head ? { [rest.name]: head } : {}), ...(details && tail ? { [details.name]: tail } : {}) };
}

/** Plain positions: each free word fills the next positional option; a `rest` one takes the remainder. */
function byPosition(text: string, words: Words["words"], specs: OptionSpec[]): Parsed {
  const out: Record<string, unknown> = {};
  const slots = specs.filter((s) => !s.keyword && !s.afterBar);
  for (let i = 0; i < words.length; i++) {
    const slot = slots[i];
    if (slot?.rest) return parsed({ ...out, ...splitRest(slot, specs, restText(text, words.slice(i))) });
    if (words[i].flagLike) return failed({ kind: "unknown-flag", flag: words[i].value.replace(/=[\s\S]*$/, "") });
    if (!slot) return unexpected(words.slice(i).map((w) => w.value).join(" "));
    out[slot.name] = words[i].value;
  }
  return parsed(out);
}

/** Options given both as a flag and otherwise are refused: which one was meant is a guess. */
function merge(shape: OptionShape, given: Parsed, flags: Record<string, unknown>): Parsed {
  if (!given.ok) return given;
  const twice = Object.keys(flags).find((k) => given.options[k] !== undefined);
  if (twice) return failed({ kind: "given-twice", option: shape.options.find((s) => s.name === twice)! });
  return parsed({ ...given.options, ...flags });
}

/**
 * The one option parser for typed text: Slack commands and mentions, the terminal, and the
 * command lines buttons carry. Flags are recognised anywhere; free text never swallows one.
 */
export function parseText(text: string, shape: OptionShape): Parsed {
  const pulled = pullFlags(text, shape.options);
  if (!pulled.ok) return pulled;
  const { flags, words } = pulled.value;
  if (!shape.readWords) return merge(shape, byPosition(text, words, shape.options), flags);
  const stray = words.find((w) => w.flagLike);
  if (stray) return failed({ kind: "unknown-flag", flag: stray.value.replace(/=[\s\S]*$/, "") });
  return merge(shape, shape.readWords(words.map((w) => w.value)), flags);
}

/**
 * Options that arrive structured (Discord, forms) get the same reading: a flag typed inside a
 * free-text option ("half the cost --community alpha") counts as that option, exactly as if the
 * whole line had been typed. Other values, and keys no option declares, pass through unchanged.
 */
export function parseStructured(given: Record<string, unknown>, shape: OptionShape): Parsed {
  let out: Record<string, unknown> = { ...given };
  for (const spec of shape.options.filter((s) => s.rest || s.afterBar)) {
    const value = given[spec.name];
    if (typeof value !== "string") continue;
    const pulled = pullFlags(value, shape.options);
    if (!pulled.ok) return pulled;
    const { flags, words } = pulled.value;
    if (!Object.keys(flags).length) continue;
    const text = words.length ? restText(value, words) : "";
    const rest: Record<string, unknown> = { ...out };
    delete rest[spec.name];
    const merged = merge(shape, parsed(rest), flags);
    if (!merged.ok) return merged;
    out = text.trim() ? { ...merged.options, [spec.name]: text } : merged.options;
  }
  return parsed(out);
}

/** Free words into the named options, one each, in order; a word too many is "unexpected". */
export function inOrder(words: string[], names: string[]): Parsed {
  if (words.length > names.length) return unexpected(words.slice(names.length).join(" "));
  return parsed(Object.fromEntries(words.map((w, i) => [names[i], w])));
}
