// The English catalog: the source every other catalog translates and en-XA is generated from.
// ICU MessageFormat (https://unicode-org.github.io/icu/userguide/format_parse/messages/):
// plurals, numbers, currencies and dates are formatted by Intl for the reader's locale.
// Keys are grouped by where the text is read: "<area>.<what>".
const en = {
  "common.unknownCommand": "I don't know the command {command}. Try {help} to see what I can do.",
  "common.somethingWentWrong": "Something went wrong on our side (ref {ref}). Nothing you typed was lost; please try again.",
  "common.typeACommand": "Type a command, like {help}.",

  // ── commands: commands/*.ts: answers, option descriptions ──

  // ── requests: src/core/requests, people, github, credit: errors, notifications, announcements ──

  // ── support: support tickets: commands, cards, reminders, relay ──

  // ── pages: digests, the roadmap pages, feed and API labels ──

  // ── platforms: Slack, Discord and terminal renderers, modals, option errors ──
};
export default en;
