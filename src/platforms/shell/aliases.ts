/**
 * Names the terminal still accepts for renamed commands. `/status` is Slack's own built-in, so
 * the command is `/set-status` everywhere; typing the old name here keeps working.
 */
const ALIASES: Record<string, string> = { status: "set-status" };

/** A typed line with an alias replaced by the command's real name: "/status 3 planned" → "/set-status 3 planned". */
export function expandAlias(line: string): string {
  return line.replace(/^(\s*\/?)(\S+)/, (all, lead: string, word: string) => {
    const real = ALIASES[word.toLowerCase()];
    return real ? `${lead}${real}` : all;
  });
}
