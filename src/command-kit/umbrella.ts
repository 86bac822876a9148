import type { Invocation } from "./invocation";

/**
 * The one command every platform always has: `/flywheel <command> [text]` runs any other
 * command, so Flywheel still works where another app owns `/request` (like `/github subscribe`).
 */
export const UMBRELLA = "flywheel";

/**
 * What `/flywheel upvote 12` (typed) or `/flywheel command:upvote text:12` (Discord's options)
 * really asks for; any other invocation is returned as it is. A bare `/flywheel` stays itself.
 */
export function unwrapUmbrella(inv: Invocation): Invocation {
  if (inv.command.toLowerCase() !== UMBRELLA) return inv;
  const given = inv.options ? `${String(inv.options.command ?? "")} ${String(inv.options.text ?? "")}` : (inv.text ?? "");
  const m = /^\s*\/?(\S+)\s*([\s\S]*)$/.exec(given);
  // A flag where the command's name should be is the umbrella's own bad input: its usage answers.
  if (!m || m[1].toLowerCase() === UMBRELLA || m[1].startsWith("-")) return inv;
  return { command: m[1].toLowerCase(), text: m[2].trim(), speaker: inv.speaker, place: inv.place };
}

/**
 * Command names in a reply's text (`/help`, `/upvote 12`) as a platform makes people type them,
 * e.g. with a prefix on Slack. Only names of real commands are touched, and only where they
 * start a word, so URLs and paths in user text stay as they are.
 */
export function renameCommandsInText(text: string, names: Iterable<string>, rename: (name: string) => string): string {
  const known = [...names].filter((n) => n !== UMBRELLA).sort((a, b) => b.length - a.length);
  if (!known.length) return text;
  const re = new RegExp(`(^|[\\s(\\[\`'"“])/(${known.map((n) => n.replace(/[-]/g, "\\-")).join("|")})(?![\\w-])`, "g");
  return text.replace(re, (_all, lead: string, name: string) => `${lead}/${rename(name)}`);
}
