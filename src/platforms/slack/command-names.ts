import { loadCommands } from "../../command-kit/registry";
import { renameCommandsInText, UMBRELLA } from "../../command-kit/umbrella";
import type { Reply } from "../../core/reply";

/**
 * Slack names every command but the umbrella with SLACK_COMMAND_PREFIX (`fw-` makes `/fw-request`),
 * so Flywheel can live beside another app that owns `/request`. `/flywheel` is never prefixed.
 */
export const slackCommandName = (name: string, prefix = ""): string => (name === UMBRELLA ? UMBRELLA : `${prefix}${name}`);

/** The command a Slack slash command names: `/fw-request` with prefix `fw-` is `request`. */
export function commandFromSlack(slash: string, prefix = ""): string {
  const name = slash.replace(/^\//, "").toLowerCase();
  if (prefix && name.startsWith(prefix) && loadCommands().has(name.slice(prefix.length))) return name.slice(prefix.length);
  return name;
}

/** A reply whose command names (`/help`, `Usage: /upvote …`) are the ones people type in this workspace. */
export function withSlackNames(reply: Reply, prefix = ""): Reply {
  if (!prefix) return reply;
  const known = [...loadCommands().keys()];
  const fix = (t: string) => renameCommandsInText(t, known, (n) => slackCommandName(n, prefix));
  return {
    ...reply,
    text: fix(reply.text),
    ...(reply.sections ? { sections: reply.sections.map((s) => (s.text ? { ...s, text: fix(s.text) } : s)) } : {}),
  };
}
