// What a command declares about one option; the parser, the help and each platform read it.
import type { MessageKey } from "../i18n/catalog";
import type { MessageValues } from "../i18n/translate";

export type OptionType = "string" | "integer" | "number" | "boolean";

/**
 * What a person reads about a command or an option: a catalog message, rendered in the reader's
 * language (Discord gets every language at registration).
 */
export type Described = { descriptionKey: MessageKey; descriptionValues?: MessageValues };

/** How an option appears on each platform (Discord options, Slack usage hint, shell help). */
export type OptionSpec = Described & OptionShape;

interface OptionShape {
  name: string;
  type: OptionType;
  required?: boolean;
  /** Free text: takes the rest of the typed line (only the last positional option). */
  rest?: boolean;
  /** Free text too: what follows the first `|` of the rest ("Title | details"). */
  afterBar?: boolean;
  /** Given only as a flag, `--name` (boolean) or `--name value`, anywhere in the line. */
  keyword?: boolean;
  /** A typical value people type as it is (a number, a slug, a code), for the examples error messages give ("like `/upvote 12`"). */
  example?: string;
  /** A typical value in words ("Faster image builds"): a catalog message, so the example reads in the asker's language. */
  exampleKey?: MessageKey;
  choices?: readonly string[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  /** Discord autocompletes this option from open requests. */
  autocomplete?: "request" | "ticket" | "community";
}
