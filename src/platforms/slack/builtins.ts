/**
 * Slack's own slash commands: an app cannot use these names. The one list, from Slack's help
 * center page "Use built-in slash commands" (https://slack.com/help/articles/201259356).
 */
export const SLACK_BUILT_IN_COMMANDS: readonly string[] = [
  "me", "status", "away", "dnd", "shrug", "remind", "msg", "feed", "who", "collapse",
  "expand", "leave", "join", "open", "search", "topic", "mute", "pro", "shortcuts",
];

export const isSlackBuiltIn = (name: string): boolean => SLACK_BUILT_IN_COMMANDS.includes(name.replace(/^\//, "").toLowerCase());
