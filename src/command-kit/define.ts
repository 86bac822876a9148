import type { z } from "zod";
import type { Actor, RoleName, Services } from "../core/context";
import type { Delivery } from "../core/dedupe";
import type { Speaker } from "../core/people/identity";
import type { ModalSpec, Place, Reply } from "../core/reply";
import { DEFAULT_LOCALE, type MessageKey } from "../i18n/catalog";
import { translator, type Translator } from "../i18n/translate";
import type { Described, OptionSpec } from "./options";
import type { Parsed } from "./parse";

export type { Described, OptionSpec, OptionType } from "./options";

export interface CommandContext<O> {
  options: O;
  actor: Actor;
  /** Where the invocation came from; notifications about it go back there. */
  place: Place;
  services: Services;
  /** The asker's language (their own, else their community's, else the organization's). */
  t: Translator;
}

export type CommandDef<O = Record<string, unknown>> = Described & CommandShape<O>;

interface CommandShape<O> {
  name: string;
  /** Who may run it: member (anyone in a community), steward, staff. */
  role: RoleName;
  options: OptionSpec[];
  /**
   * Validates the parsed options. A message given in the schema is shown as it is; any other
   * issue is worded from the option's declaration (see describeIssue), never zod's own text.
   */
  schema: z.ZodType<O>;
  /** Usage line for help, e.g. "<title> [| details]". Defaults to one derived from options. */
  usage?: string;
  /** Opened by Slack/Discord when the command is invoked with no text. */
  modal?: ModalSpec;
  /**
   * Reads the typed free words when plain positions do not fit ("/merge 12 into 15"). Flags are
   * taken out before, by the one parser, so every command reads them alike.
   */
  readWords?: (words: string[]) => Parsed;
  /** Whether a member without a community can run it (help, link...). Default false. */
  communityOptional?: boolean;
  /**
   * A read-only listing: it may read the read replica (src/core/reads.ts decides). Every other
   * command counts as a change by the person who ran it.
   */
  listing?: boolean;
  run(ctx: CommandContext<O>): Promise<Reply>;
  /**
   * The command's usual case done before who is asking is resolved, in one statement with it
   * (and with the delivery record): the answer's wording follows once the asker's language is
   * known. "declined" when anything else is the case, having changed nothing but the delivery
   * record: dispatch then runs the command the ordinary way. Only for commands any member may run.
   */
  fast?(ctx: FastContext<O>): Promise<FastOutcome>;
}

export interface FastContext<O> {
  options: O;
  speaker: Speaker;
  place: Place;
  services: Services;
  /** The inbound id to record in the same statement (see dispatchOnce). */
  delivery?: Delivery;
}

export type FastOutcome =
  | { kind: "answered"; actor: Actor; answer: (t: Translator) => Reply }
  | { kind: "seen" }
  | { kind: "declined"; recorded: boolean };

/** Declares a command; the generic keeps options typed from the schema. */
export function defineCommand<S extends z.ZodType<Record<string, unknown>>>(
  def: Described & Omit<CommandShape<z.infer<S>>, "schema"> & { schema: S },
): CommandDef<z.infer<S>> {
  return def as unknown as CommandDef<z.infer<S>>;
}

export function usageOf(cmd: CommandDef<unknown>): string {
  if (cmd.usage !== undefined) return cmd.usage;
  return cmd.options
    .map((o) => {
      const core = o.keyword ? (o.type === "boolean" ? `--${o.name}` : `--${o.name} <${o.name}>`) : o.choices ? o.choices.join("|") : `<${o.name}>`;
      return o.required ? core : `[${core}]`;
    })
    .join(" ");
}

/** A command's or option's description in one language (the organization's default unless told). */
export function describe(d: Described, t: Translator = translator(DEFAULT_LOCALE)): string {
  return t.t(d.descriptionKey, d.descriptionValues);
}

/**
 * A schema's message, as a catalog key: zod keeps it as the message and describeIssue
 * words it in the asker's language. Its values come from the issue: {minimum} and {maximum} of a
 * size check, {choices} of an enum, and a custom issue's params.
 */
export const says = (key: MessageKey): string => key;
