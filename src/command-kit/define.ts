import type { z } from "zod";
import type { Actor, RoleName, Services } from "../core/context";
import type { ModalSpec, Place, Reply } from "../core/reply";
import type { Translator } from "../i18n/translate";
import type { OptionSpec } from "./options";
import type { Parsed } from "./parse";

export type { OptionSpec, OptionType } from "./options";

export interface CommandContext<O> {
  options: O;
  actor: Actor;
  /** Where the invocation came from; notifications about it go back there. */
  place: Place;
  services: Services;
  /** The asker's language (their own, else their community's, else the organization's). */
  t: Translator;
}

export interface CommandDef<O = Record<string, unknown>> {
  name: string;
  description: string;
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
  run(ctx: CommandContext<O>): Promise<Reply>;
}

/** Declares a command; the generic keeps options typed from the schema. */
export function defineCommand<S extends z.ZodType<Record<string, unknown>>>(
  def: Omit<CommandDef<z.infer<S>>, "schema"> & { schema: S },
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
