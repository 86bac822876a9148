// The English catalog: the source every other catalog translates and en-XA is generated from.
// ICU MessageFormat (https://unicode-org.github.io/icu/userguide/format_parse/messages/):
// plurals, numbers, currencies and dates are formatted by Intl for the reader's locale.
// Keys are grouped by where the text is read: "<area>.<what>".
const en = {
  "common.unknownCommand": "I don't know the command {command}. Try {help} to see what I can do.",
  "common.somethingWentWrong": "Something went wrong on our side (ref {ref}). Nothing you typed was lost; please try again.",
  "common.votes": "{count, plural, one {# vote} other {# votes}}",
  "common.pledged": "{amount, number} {unit} pledged",
};
export default en;
