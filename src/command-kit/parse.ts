import type { OptionSpec } from "./define";

interface Token {
  value: string;
  start: number;
  end: number;
  quoted: boolean;
}

/** Splits a command line into words; "double" or 'single' quotes keep spaces. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const quoted = m[3] === undefined;
    const value = quoted ? (m[1] ?? m[2]).replace(/\\(.)/g, "$1") : m[3];
    tokens.push({ value, start: m.index, end: m.index + m[0].length, quoted });
  }
  return tokens;
}

/**
 * The generic text parser shared by Slack, the shell and buttons: `--name value`, `--flag`,
 * `name value` for keyword options, then positional options in order; a `rest` option takes
 * the remaining text as typed.
 */
export function parseOptions(text: string, specs: OptionSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const tokens = tokenize(text);
  const positional = specs.filter((s) => !s.keyword);
  const keywords = new Map(specs.filter((s) => s.keyword).map((s) => [s.name, s]));
  let next = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const flag = !t.quoted && t.value.startsWith("--") ? t.value.slice(2) : undefined;
    const kw = flag !== undefined ? keywords.get(flag) ?? specs.find((s) => s.name === flag) : !t.quoted ? keywords.get(t.value) : undefined;
    if (flag !== undefined && !kw) {
      out[`--${flag}`] = true; // unknown flag: the schema rejects it with a clear message
      continue;
    }
    if (kw) {
      if (kw.type === "boolean") {
        out[kw.name] = true;
      } else if (i + 1 < tokens.length) {
        out[kw.name] = tokens[++i].value;
      } else {
        out[kw.name] = "";
      }
      continue;
    }
    const spec = positional[next];
    if (!spec) {
      out["--extra"] = tokens.slice(i).map((x) => x.value).join(" ");
      break;
    }
    if (spec.rest) {
      // keyword flags after the rest text are still honoured (e.g. "/request Title --force")
      const tail = tokens.slice(i);
      const kwAt = tail.findIndex((x) => !x.quoted && x.value.startsWith("--") && keywords.get(x.value.slice(2))?.type === "boolean");
      const stop = kwAt === -1 ? tokens.length : i + kwAt;
      out[spec.name] = stop > i ? text.slice(tokens[i].start, tokens[stop - 1].end).replace(/^"(.*)"$/s, "$1") : "";
      for (const x of tokens.slice(stop)) {
        const k = keywords.get(x.value.slice(2));
        if (k) out[k.name] = true;
      }
      break;
    }
    out[spec.name] = t.value;
    next++;
  }
  return out;
}

/**
 * "Title | details --force": the first bar separates a short head from free-text details.
 * Boolean keyword flags (like --force) anywhere after the text are returned too.
 */
export function splitAtBar(text: string, flags: OptionSpec[] = []): { head?: string; tail?: string; flags: Record<string, unknown> } {
  const raw = parseOptions(text, [{ name: "rest", type: "string", description: "", rest: true }, ...flags]);
  const line = String(raw.rest ?? "");
  const bar = line.indexOf("|");
  const { rest: _rest, ...set } = raw;
  return {
    head: (bar === -1 ? line : line.slice(0, bar)).trim() || undefined,
    tail: bar === -1 ? undefined : line.slice(bar + 1).trim() || undefined,
    flags: set,
  };
}
