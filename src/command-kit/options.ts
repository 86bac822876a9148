// What a command declares about one option; the parser, the help and each platform read it.
export type OptionType = "string" | "integer" | "number" | "boolean";

/** How an option appears on each platform (Discord options, Slack usage hint, shell help). */
export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  required?: boolean;
  /** Free text: takes the rest of the typed line (only the last positional option). */
  rest?: boolean;
  /** Free text too: what follows the first `|` of the rest ("Title | details"). */
  afterBar?: boolean;
  /** Given only as a flag, `--name` (boolean) or `--name value`, anywhere in the line. */
  keyword?: boolean;
  /** A typical value, for the examples error messages give ("like `/upvote 12`"). */
  example?: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  /** Discord autocompletes this option from open requests. */
  autocomplete?: "request" | "ticket" | "community";
}
