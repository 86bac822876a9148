// Every option error a person can see, worded in one place: what was wrong, what is expected,
// an example that works, then the usage line. zod's own texts ("Too small: expected number to
// be >=1") never get through: an issue without a message of the command's own is worded here
// from the option's declaration.
import type { z } from "zod";
import type { Reply } from "../core/reply";
import { type CommandDef, describe, type OptionSpec, usageOf } from "./define";
import type { Problem } from "./parse";
import { isMessageKey } from "../i18n/catalog";
import { type MessageValues, type Translator, translator } from "../i18n/translate";

type Command = CommandDef<unknown>;

/** How a message names an option: its flag ("--community"), or its name ("note") for the catalog to frame. */
const named = (o: OptionSpec) => ({ keyword: o.keyword ? "yes" : "no", name: o.keyword ? `--${o.name}` : o.name.replace(/-/g, " ") });

/** A typical value of an option: its declared example, or one its type suggests. */
export function exampleValue(o: OptionSpec, t: Translator = translator()): string {
  if (o.exampleKey) return t.t(o.exampleKey);
  if (o.example) return o.example;
  if (o.autocomplete === "request" || o.autocomplete === "ticket") return "12";
  if (o.autocomplete === "community") return "alpha";
  if (o.choices?.length) return o.choices[0];
  if (o.type === "integer" || o.type === "number") return String(Math.max(o.min ?? 1, 1));
  return o.name;
}

/** A command line that works, e.g. "/pledge 12 500 --community alpha" for pledge's --community. */
function exampleLine(cmd: Command, o: OptionSpec, t: Translator): string {
  const positional = cmd.options.filter((s) => !s.keyword && !s.afterBar);
  const upTo = o.keyword || o.afterBar ? positional.filter((s) => s.required) : positional.slice(0, positional.indexOf(o) + 1);
  const words = upTo.map((s) => exampleValue(s, t));
  if (o.afterBar) words.push("|", exampleValue(o, t));
  if (o.keyword) words.push(o.type === "boolean" ? `--${o.name}` : `--${o.name} ${exampleValue(o, t)}`);
  return `/${cmd.name}${words.length ? ` ${words.join(" ")}` : ""}`;
}

const bounds = (min?: number, max?: number): string => (min !== undefined && max !== undefined ? "both" : min !== undefined ? "min" : max !== undefined ? "max" : "none");

type Issue = z.core.$ZodRawIssue;

const bound = (issue: Issue, key: "minimum" | "maximum"): number | undefined => {
  const v = (issue as { [k in typeof key]?: unknown })[key];
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
};

/** The one sentence per kind of option: what it takes, with an example. */
function expectation(cmd: Command, o: OptionSpec, t: Translator, issue?: Issue): string {
  const example = exampleLine(cmd, o, t);
  const missing = issue?.input === undefined;
  switch (o.type) {
    case "integer":
    case "number": {
      if (o.autocomplete === "request" || o.autocomplete === "ticket") return t.t("platforms.option.itemNumber", { kind: o.autocomplete, example });
      const min = issue?.code === "too_small" ? bound(issue, "minimum") : o.min;
      const max = issue?.code === "too_big" ? bound(issue, "maximum") : o.max;
      return t.t("platforms.option.number", { whole: o.type === "integer" ? "yes" : "no", bounds: bounds(min, max), min, max, ...named(o), example });
    }
    case "boolean":
      return t.t("platforms.option.switch", { ...named(o), flag: `--${o.name}`, example });
    case "string": {
      if (o.choices?.length) return t.t("platforms.option.choose", { ...named(o), choices: o.choices.join(", "), example });
      if (issue?.code === "too_small" && !missing) return t.t("platforms.option.tooShort", { ...named(o), min: bound(issue, "minimum") ?? o.minLength });
      if (issue?.code === "too_big") return t.t("platforms.option.tooLong", { ...named(o), max: bound(issue, "maximum") ?? o.maxLength });
      if (o.autocomplete === "community") return t.t("platforms.option.community", { example });
      const what = describe(o, t);
      const description = `${what.charAt(0).toLowerCase()}${what.slice(1)}`;
      return t.t("platforms.option.text", { missing: missing ? "yes" : "no", ...named(o), description, example });
    }
  }
}

const optionAt = (cmd: Command, path: readonly PropertyKey[] | undefined): OptionSpec | undefined =>
  cmd.options.find((o) => o.name === path?.[0]);

/**
 * The per-parse error map: zod asks it only for issues the schema has no message for. Issues
 * about no declared option (a hidden form field, a check across options) get a general line.
 */
export const issueWording = (cmd: Command, t: Translator) => (issue: Issue): string => {
  const o = optionAt(cmd, issue.path);
  return o ? expectation(cmd, o, t, issue) : t.t("platforms.option.general");
};

export function describeProblem(cmd: Command, p: Problem, t: Translator): { text: string; field?: string } {
  switch (p.kind) {
    case "unknown-flag": {
      if (p.suggestion) {
        const quote = cmd.options.some((o) => o.rest || o.afterBar) ? "yes" : "no";
        return { text: t.t("platforms.option.didYouMean", { flag: p.flag, suggestion: `--${p.suggestion.name}`, quote }) };
      }
      const flags = cmd.options.filter((o) => o.keyword).map((o) => `--${o.name}`);
      return { text: flags.length ? t.t("platforms.option.unknownFlagTakes", { flag: p.flag, command: `/${cmd.name}`, flags: flags.join(", ") }) : t.t("platforms.option.unknownFlag", { flag: p.flag }) };
    }
    case "needs-value":
      return { text: t.t("platforms.option.needsValue", { flag: `--${p.option.name}`, example: exampleLine(cmd, { ...p.option, keyword: true }, t) }), field: p.option.name };
    case "given-twice":
      return { text: t.t("platforms.option.givenTwice", named(p.option)), field: p.option.name };
    case "unexpected":
      return { text: t.t("platforms.option.unexpected", { text: p.text }) };
  }
}

/** An option error as the person sees it, on every platform: the sentence, then the usage line. */
export function optionError(cmd: Command, e: { text: string; field?: string }, t: Translator): Reply {
  const usage = usageOf(cmd);
  return { text: `${e.text}\n${t.t("platforms.option.usage", { usage: `/${cmd.name}${usage ? ` ${usage}` : ""}` })}`, ephemeral: true, error: true, ...(e.field ? { field: e.field } : {}) };
}

/** The usage line optionError ends with, in any language: a form shows the error without it. */
export function withoutUsageLine(text: string, t: Translator): string {
  const lead = t.t("platforms.option.usage", { usage: "\u0000" }).split("\u0000")[0];
  const at = text.lastIndexOf(`\n${lead}`);
  return (at === -1 ? (text.startsWith(lead) ? "" : text) : text.slice(0, at)).trim();
}

/** What a schema's catalog message (see `says`) can name: the issue's bounds, choices and params. */
function issueValues(issue: z.core.$ZodIssue): MessageValues {
  const values: MessageValues = {};
  if ("minimum" in issue) values.minimum = Number(issue.minimum);
  if ("maximum" in issue) values.maximum = Number(issue.maximum);
  if ("values" in issue && Array.isArray(issue.values)) values.choices = issue.values.join(", ");
  if (issue.code === "custom" && issue.params)
    for (const [k, v] of Object.entries(issue.params)) if (typeof v === "string" || typeof v === "number") values[k] = v;
  return values;
}

/** The first issue of a failed validation, in the asker's language, and the option it is about. */
export function describeIssue(error: z.ZodError, t: Translator = translator()): { text: string; field?: string } {
  const issue = error.issues[0];
  const field = typeof issue.path[0] === "string" ? issue.path[0] : undefined;
  const text = isMessageKey(issue.message) ? t.t(issue.message, issueValues(issue)) : issue.message;
  return { text, ...(field ? { field } : {}) };
}
