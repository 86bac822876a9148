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
  "platforms.failed": "Something went wrong on our side. Nothing you typed was lost; please try again.",
  "platforms.failedTryLater": "Something went wrong on our side. Nothing you typed was lost; please try again in a moment.",
  "platforms.working": "Working on it…",
  "platforms.form.submit": "Submit",
  "platforms.form.cancel": "Cancel",
  "platforms.form.close": "Close",
  "platforms.form.cannotOpen": "I couldn't open the form just now. You can type it instead: {line}",
  "platforms.slack.noUser": "Slack sent this command without saying who typed it, so I did nothing. Please try again.",
  "platforms.discord.unknownInteraction": "I can't handle that kind of interaction. Try {help}.",
  "platforms.discord.unknownButton": "That button isn't one I know (it may be from an older message). Run the command again.",
  "platforms.discord.unknownForm": "That form isn't one I know (it may be from an older version). Run the command again.",
  "platforms.discord.formTooBig": "This form can't open on Discord. Type {command} with its options instead.",
  "platforms.discord.unreadable": "I couldn't read that request from Discord. Please try again.",
  "platforms.shell.title": "Flywheel terminal.",
  "platforms.shell.youAre": "You are {name}.",
  "platforms.shell.youAreIn": "You are {name} in {community}.",
  "platforms.shell.nowYouAre": "You are now {name}.",
  "platforms.shell.nowYouAreIn": "You are now {name} in {community}.",
  "platforms.shell.communities": "Communities: {list}.",
  "platforms.shell.howTo": "Type {help}, or {as} to switch user, {quit} to leave.",
  "platforms.shell.asUsage": "Usage: {usage} switches who is typing, e.g. {example}.",
  "platforms.shell.asUsageIn": "Usage: {usage} switches who is typing, e.g. {example}, or {exampleIn} (communities: {list}).",
  "platforms.shell.noSuchCommunity": "✗ There is no community \"{community}\". Communities: {list}. Nothing changed.",
  "platforms.shell.noCommunitiesYet": "none yet",
  "platforms.shell.formHint": "(In chat this opens a form. Here, type: {line})",
  "platforms.shell.delivered": "📣 to {to}{thread, select, none {} other { (thread {thread})}}{edited, select, yes { (updated)} other {}}: {text}",
  "platforms.option.itemNumber": "Give a {kind, select, ticket {ticket} other {request}} number, like `{example}`.",
  "platforms.option.number": "Give {whole, select, yes {a whole number} other {a number}}{bounds, select, both { from {min, number} to {max, number}} min { of at least {min, number}} max { up to {max, number}} other {}} for {keyword, select, yes {{name}} other {the {name}}}, like `{example}`.",
  "platforms.option.switch": "{keyword, select, yes {{name}} other {The {name}}} is a switch: add {flag} to turn it on, like `{example}`.",
  "platforms.option.choose": "Choose {keyword, select, yes {{name}} other {the {name}}}: {choices}, like `{example}`.",
  "platforms.option.tooShort": "{keyword, select, yes {{name}} other {The {name}}} needs at least {min, plural, one {# character} other {# characters}}.",
  "platforms.option.tooLong": "{keyword, select, yes {{name}} other {The {name}}} can be at most {max, plural, one {# character} other {# characters}}.",
  "platforms.option.community": "Give a community slug, like `{example}`.",
  "platforms.option.text": "{missing, select, yes {Give} other {Check}} {keyword, select, yes {{name}} other {the {name}}} ({description}), like `{example}`.",
  "platforms.option.general": "Something in that command doesn't look right.",
  "platforms.option.didYouMean": "I don't know the option {flag}; did you mean {suggestion}?{quote, select, yes { (To keep it as text, put it in quotes: \"{flag}\".)} other {}}",
  "platforms.option.unknownFlag": "I don't know the option {flag}.",
  "platforms.option.unknownFlagTakes": "I don't know the option {flag}. {command} takes {flags}.",
  "platforms.option.needsValue": "Give a value after {flag}, like `{example}`.",
  "platforms.option.givenTwice": "You gave {keyword, select, yes {{name}} other {the {name}}} twice; give it once.",
  "platforms.option.unexpected": "I didn't expect \"{text}\".",
  "platforms.option.usage": "Usage: {usage}",
};
export default en;
