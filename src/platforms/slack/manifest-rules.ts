// Slack's documented limits for an app manifest, from the "App manifest reference"
// (https://docs.slack.dev/reference/app-manifest, formerly api.slack.com/reference/manifests)
// and Slack's help-center page "Use built-in slash commands" for names an app cannot take.
import { isSlackBuiltIn } from "./builtins";

export const MANIFEST_LIMITS = {
  /** display_information.name */
  appName: 35,
  /** display_information.description */
  shortDescription: 140,
  /** display_information.long_description, when present */
  longDescription: { min: 175, max: 4000 },
  /** features.bot_user.display_name */
  botName: 80,
  /** features.slash_commands */
  commands: 50,
  /** slash_commands[].command: the slash, then 1–32 of a-z 0-9 _ - */
  commandName: /^\/[a-z0-9_-]{1,32}$/,
  commandDescription: 2000,
  usageHint: 1000,
  /** features.unfurl_domains: "a maximum of 5 unfurl domains" */
  unfurlDomains: 5,
} as const;

/**
 * features.unfurl_domains entries: "Valid unfurl domains cannot be a TLD, IP address, localhost,
 * or contain a protocol" — a bare host name with at least one dot, no scheme, port or path.
 */
export function isUnfurlDomain(d: string): boolean {
  if (!/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i.test(d)) return false;
  if (/^\d+(\.\d+){3}$/.test(d) || /^localhost$/i.test(d) || /\.localhost$/i.test(d)) return false;
  return true;
}

/** The parts of a manifest Flywheel generates (field names are Slack's). */
export interface SlackManifest {
  display_information: { name: string; description?: string; long_description?: string; background_color?: string };
  features: {
    app_home?: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    shortcuts: { name: string; type: "message" | "global"; callback_id: string; description: string }[];
    slash_commands: { command: string; url?: string; description: string; usage_hint?: string; should_escape: boolean }[];
    unfurl_domains?: string[];
  };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const https = (url: string | undefined): boolean => {
  try {
    return url !== undefined && new URL(url).protocol === "https:";
  } catch {
    return false;
  }
};

/** Every way a manifest breaks Slack's published rules, one line each; empty when Slack will accept it. */
export function manifestProblems(m: SlackManifest): string[] {
  const L = MANIFEST_LIMITS;
  const out: string[] = [];
  const d = m.display_information;
  if (!d.name || d.name.length > L.appName) out.push(`the app name must be 1–${L.appName} characters (it is ${d.name.length})`);
  if (d.description !== undefined && d.description.length > L.shortDescription) out.push(`the short description is over ${L.shortDescription} characters`);
  if (d.long_description !== undefined && (d.long_description.length < L.longDescription.min || d.long_description.length > L.longDescription.max))
    out.push(`the long description must be ${L.longDescription.min}–${L.longDescription.max} characters (it is ${d.long_description.length})`);
  if (m.features.bot_user.display_name.length > L.botName) out.push(`the bot's display name is over ${L.botName} characters`);
  const cmds = m.features.slash_commands;
  if (cmds.length > L.commands) out.push(`Slack allows at most ${L.commands} slash commands (there are ${cmds.length})`);
  const seen = new Set<string>();
  for (const c of cmds) {
    if (!L.commandName.test(c.command)) out.push(`${c.command}: a command is a slash and 1–32 of a-z, 0-9, _ and -`);
    if (isSlackBuiltIn(c.command)) out.push(`${c.command}: Slack reserves this name for a built-in command`);
    if (seen.has(c.command)) out.push(`${c.command}: declared twice`);
    seen.add(c.command);
    if (!c.description || c.description.length > L.commandDescription) out.push(`${c.command}: the description must be 1–${L.commandDescription} characters`);
    if (c.usage_hint !== undefined && c.usage_hint.length > L.usageHint) out.push(`${c.command}: the usage hint is over ${L.usageHint} characters`);
  }
  const domains = m.features.unfurl_domains ?? [];
  // oauth_config.redirect_urls: https URLs only (the App manifest reference, "redirect_urls").
  for (const u of m.oauth_config.redirect_urls ?? []) if (!/^https:\/\//.test(u)) out.push(`the redirect URL ${u} must be https`);
  if (domains.length > L.unfurlDomains) out.push(`Slack allows at most ${L.unfurlDomains} unfurl domains (there are ${domains.length})`);
  for (const d of domains) if (!isUnfurlDomain(d)) out.push(`${d}: an unfurl domain is a host name (not a TLD, an IP address or localhost; no protocol, port or path)`);
  const urls = [...cmds.map((c) => c.url), m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url];
  if (m.settings.socket_mode_enabled) {
    if (urls.some((u) => u !== undefined)) out.push("Socket Mode takes no request URLs");
  } else if (!urls.every(https)) out.push("every request URL must start with https:// (Slack refuses plain http)");
  return out;
}
