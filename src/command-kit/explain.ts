// Every option error a person can see, worded in one place: what was wrong, what is expected,
// an example that works, then the usage line. zod's own texts ("Too small: expected number to
// be >=1") never get through: an issue without a message of the command's own is worded here
// from the option's declaration.
import type { z } from "zod";
import type { Reply } from "../core/reply";
import { isMessageKey } from "../i18n/catalog";
import type { Translator } from "../i18n/translate";
import { type CommandDef, type OptionSpec, usageOf } from "./define";
import type { Problem } from "./parse";

type Command = CommandDef<unknown>;

/** How a message names an option: its flag, or "the note". */
const ref = (o: OptionSpec): string => (o.keyword ? `--${o.name}` : `the ${o.name.replace(/-/g, " ")}`);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A typical value of an option: its declared example, or one its type suggests. */
export function exampleValue(o: OptionSpec): string {
  if (o.example) return o.example;
  if (o.autocomplete === "request" || o.autocomplete === "ticket") return "12";
  if (o.autocomplete === "community") return "alpha";
  if (o.choices?.length) return o.choices[0];
  if (o.type === "integer" || o.type === "number") return String(Math.max(o.min ?? 1, 1));
  return o.name;
}

/** A command line that works, e.g. "/pledge 12 500 --community alpha" for pledge's --community. */
function exampleLine(cmd: Command, o: OptionSpec): string {
  const positional = cmd.options.filter((s) => !s.keyword && !s.afterBar);
  const upTo = o.keyword || o.afterBar ? positional.filter((s) => s.required) : positional.slice(0, positional.indexOf(o) + 1);
  const words = upTo.map(exampleValue);
  if (o.afterBar) words.push("|", exampleValue(o));
  if (o.keyword) words.push(o.type === "boolean" ? `--${o.name}` : `--${o.name} ${exampleValue(o)}`);
  return `/${cmd.name}${words.length ? ` ${words.join(" ")}` : ""}`;
}

const range = (min?: number, max?: number): string =>
  min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : max !== undefined ? ` up to ${max}` : "";

type Issue = z.core.$ZodRawIssue;

const bound = (issue: Issue, key: "minimum" | "maximum"): number | undefined => {
  const v = (issue as { [k in typeof key]?: unknown })[key];
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
};

/** The one sentence per kind of option: what it takes, with an example. */
function expectation(cmd: Command, o: OptionSpec, issue?: Issue): string {
  const like = `like \`${exampleLine(cmd, o)}\``;
  const missing = issue?.input === undefined;
  switch (o.type) {
    case "integer":
    case "number": {
      if (o.autocomplete === "request" || o.autocomplete === "ticket") return `Give a ${o.autocomplete} number, ${like}.`;
      const min = issue?.code === "too_small" ? bound(issue, "minimum") : o.min;
      const max = issue?.code === "too_big" ? bound(issue, "maximum") : o.max;
      return `Give ${o.type === "integer" ? "a whole number" : "a number"}${range(min, max)} for ${ref(o)}, ${like}.`;
    }
    case "boolean":
      return `${capital(ref(o))} is a switch: add --${o.name} to turn it on, ${like}.`;
    case "string": {
      if (o.choices?.length) return `Choose ${ref(o)}: ${o.choices.join(", ")}, ${like}.`;
      if (issue?.code === "too_small" && !missing) return `${capital(ref(o))} needs at least ${bound(issue, "minimum") ?? o.minLength} characters.`;
      if (issue?.code === "too_big") return `${capital(ref(o))} can be at most ${bound(issue, "maximum") ?? o.maxLength} characters.`;
      if (o.autocomplete === "community") return `Give a community slug, ${like}.`;
      return `${missing ? "Give" : "Check"} ${ref(o)} (${o.description.charAt(0).toLowerCase()}${o.description.slice(1)}), ${like}.`;
    }
  }
}

const optionAt = (cmd: Command, path: readonly PropertyKey[] | undefined): OptionSpec | undefined =>
  cmd.options.find((o) => o.name === path?.[0]);

/**
 * The per-parse error map: zod asks it only for issues the schema has no message for. Issues
 * about no declared option (a hidden form field, a check across options) get a general line.
 */
export const issueWording = (cmd: Command) => (issue: Issue): string => {
  const o = optionAt(cmd, issue.path);
  return o ? expectation(cmd, o, issue) : "Something in that command doesn't look right.";
};

export function describeProblem(cmd: Command, p: Problem): { text: string; field?: string } {
  switch (p.kind) {
    case "unknown-flag": {
      if (p.suggestion) {
        const asText = cmd.options.some((o) => o.rest || o.afterBar) ? ` (To keep it as text, put it in quotes: "${p.flag}".)` : "";
        return { text: `I don't know the option ${p.flag}; did you mean --${p.suggestion.name}?${asText}` };
      }
      const flags = cmd.options.filter((o) => o.keyword).map((o) => `--${o.name}`);
      return { text: `I don't know the option ${p.flag}.${flags.length ? ` /${cmd.name} takes ${flags.join(", ")}.` : ""}` };
    }
    case "needs-value":
      return { text: `Give a value after --${p.option.name}, like \`${exampleLine(cmd, { ...p.option, keyword: true })}\`.`, field: p.option.name };
    case "given-twice":
      return { text: `You gave ${ref(p.option)} twice; give it once.`, field: p.option.name };
    case "unexpected":
      return { text: `I didn't expect "${p.text}".` };
  }
}

/** An option error as the person sees it, on every platform: the sentence, then the usage line. */
export function optionError(cmd: Command, e: { text: string; field?: string }): Reply {
  const usage = usageOf(cmd);
  return { text: `${e.text}\nUsage: /${cmd.name}${usage ? ` ${usage}` : ""}`, ephemeral: true, error: true, ...(e.field ? { field: e.field } : {}) };
}

/** The first issue of a failed validation, and the option it is about; a schema's catalog key is worded for the reader. */
export function describeIssue(error: z.ZodError, t: Translator): { text: string; field?: string } {
  const issue = error.issues[0];
  const field = typeof issue.path[0] === "string" ? issue.path[0] : undefined;
  return { text: isMessageKey(issue.message) ? t.t(issue.message) : issue.message, ...(field ? { field } : {}) };
}
