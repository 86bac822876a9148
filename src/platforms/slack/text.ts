// Text crossing the Slack boundary, both ways. Outbound user text must never become a ping;
// inbound Slack markup (<@U123|ana>, <https://x|label>, &amp;) becomes the plain text core stores.

/**
 * Escapes text for a Slack mrkdwn field. `&`, `<` and `>` are entity-encoded, so no `<!channel>`,
 * `<!here>`, `<@U…>` or `<!subteam^…>` can be formed; a zero-width space after a word-initial `@`
 * stops Slack's auto-parsing (mrkdwn with verbatim off) from turning `@here`, `@channel`,
 * `@everyone` or `@name` into a mention. E-mail addresses (`a@b.org`) are left alone.
 */
export function escapeMrkdwn(text: string): string {
  return defuseAt(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

/** A zero-width space after every word-initial `@`: no mention can be auto-parsed from it. */
const defuseAt = (text: string) => text.replace(/(^|\W)@(?=[\w.-])/g, "$1@\u200b");

/**
 * Text for plain_text objects (headers, labels). Slack parses no markup there, and it shows
 * entities literally, so instead of escaping, a zero-width space after `<` and after a
 * word-initial `@` keeps `<!here>` or `@channel` from ever being a control sequence.
 */
export const plainText = (text: string): string => defuseAt(text.replace(/<(?=[!@#])/g, "<\u200b"));

/** A link in mrkdwn whose label is user text; only http(s) URLs become links. */
export function mrkdwnLink(url: string, label: string): string {
  let href: string;
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return escapeMrkdwn(label);
    href = u.href.replace(/\|/g, "%7C");
  } catch {
    return escapeMrkdwn(label);
  }
  return `<${href}|${escapeMrkdwn(label)}>`;
}

/**
 * Turns Slack's message markup into plain text: `<@U1|ana>` -> `@ana`, `<#C1|general>` ->
 * `#general`, `<!here>` -> `@here`, `<https://x|docs>` -> `docs (https://x)`, entities decoded.
 * What comes out is what a person would have typed; rendering escapes it again.
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_m, inner: string) => {
      const bar = inner.indexOf("|");
      const target = bar === -1 ? inner : inner.slice(0, bar);
      const label = bar === -1 ? undefined : inner.slice(bar + 1);
      if (target.startsWith("@")) return `@${label ?? target.slice(1)}`;
      if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
      if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Cuts to max characters (Block Kit limits), ending with an ellipsis when cut. */
export const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`);
