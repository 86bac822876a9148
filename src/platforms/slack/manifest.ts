import { stringify } from "yaml";
import { describe, usageOf } from "../../command-kit/define";
import { commandList } from "../../command-kit/registry";
import { translator } from "../../i18n/translate";
import { slackCommandName } from "./command-names";
import { REQUEST_SHORTCUT, SLACK_EVENTS_PATH } from "./ids";
import { isUnfurlDomain, manifestProblems, type SlackManifest } from "./manifest-rules";

/** Bot scopes, each for something the bot does. */
export const BOT_SCOPES = [
  "commands", // slash commands and the message shortcut
  "chat:write", // answers, notifications, announcements, digests
  "im:write", // conversations.open for DMs
  "app_mentions:read", // "@Flywheel upvote 12" in threads
  "channels:history", // thread replies in public channels (support relay), outbox retry check
  "groups:history", // the same in private channels
  "im:history", // DMs to the bot
  "mpim:history", // group DMs
  "users:read", // names of people who only reply in threads (users.info)
  "reactions:read", // reaction_added: a 🎫 / 💡 reaction files the message it is on
  "links:read", // link_shared: a roadmap link pasted in a message
  "links:write", // chat.unfurl: its preview card
];

export const BOT_EVENTS = ["app_mention", "message.channels", "message.groups", "message.im", "message.mpim", "reaction_added", "app_home_opened", "link_shared"];

export interface ManifestOptions {
  /** Public base URL of the bot, e.g. https://bot.example.org (HTTP mode). */
  baseUrl?: string;
  socketMode?: boolean;
  name?: string;
  /** SLACK_COMMAND_PREFIX: `fw-` declares `/fw-request`… (`/flywheel` keeps its name). */
  prefix?: string;
  /** The organization's default language: Slack shows one description to everyone. */
  locale?: string;
  /** PUBLIC_URL: its host is where roadmap links live, the app's unfurl domain (else baseUrl's host). */
  publicUrl?: string;
}

/** The host links to the roadmap are on, when Slack can register it as an unfurl domain. */
/** Where the public pages live (PUBLIC_URL, else the base URL): link previews and sign-in point there. */
const pagesUrl = (o: ManifestOptions): string | undefined => o.publicUrl ?? o.baseUrl;

function unfurlDomains(o: ManifestOptions): string[] {
  const from = pagesUrl(o);
  if (!from) return [];
  try {
    const host = new URL(from).hostname.toLowerCase();
    return isUnfurlDomain(host) ? [host] : [];
  } catch {
    return [];
  }
}


/** User scopes of Sign in with Slack (OpenID Connect): who the person is, nothing of their workspace. */
export const SIGN_IN_SCOPES = ["openid", "profile"];

/** The public base URL without a trailing slash. */
const publicBase = (baseUrl: string): string => baseUrl.replace(/\/+$/, "");

/** The Slack request URL under the bot's public base URL; Slack wants https. */
function requestUrl(baseUrl: string | undefined): string {
  if (!baseUrl) throw new Error("give the bot's public base URL (e.g. https://bot.example.org), or --socket-mode");
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new Error(`"${baseUrl}" is not a URL; give the bot's public base URL, e.g. https://bot.example.org`);
  }
  if (u.protocol !== "https:") throw new Error(`"${baseUrl}" must start with https:// (Slack only calls https request URLs; or use --socket-mode)`);
  return `${u.origin}${u.pathname.replace(/\/$/, "")}${SLACK_EVENTS_PATH}`;
}

/**
 * A Slack app manifest generated from commands/: every slash command, the shortcut, scopes,
 * events. Refuses (throws, one line per rule) to produce one Slack would reject.
 */
export function slackManifest(o: ManifestOptions): SlackManifest {
  const name = o.name ?? "Flywheel";
  const url = o.socketMode ? undefined : requestUrl(o.baseUrl);
  const at = url ? { url } : {};
  const domains = unfurlDomains(o);
  // Slack returns a signing-in person only to an https page.
  const pages = pagesUrl(o);
  const signIn = pages && /^https:\/\//.test(pages) ? publicBase(pages) : undefined;
  // Slack shows an app's texts to everyone alike: they are in the organization's default language.
  const t = translator(o.locale);
  const manifest: SlackManifest = {
    display_information: {
      name,
      description: t.t("platforms.slack.manifest.description"),
      long_description: t.t("platforms.slack.manifest.longDescription", { help: "/flywheel help" }),
      background_color: "#2c2d30",
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      shortcuts: [{ name: t.t(REQUEST_SHORTCUT.name), type: "message", callback_id: REQUEST_SHORTCUT.callbackId, description: t.t(REQUEST_SHORTCUT.description) }],
      slash_commands: commandList().map((c) => ({
        command: `/${slackCommandName(c.name, o.prefix)}`,
        ...at,
        description: describe(c, t),
        ...(usageOf(c) ? { usage_hint: usageOf(c) } : {}),
        // Text arrives as typed; we escape it ourselves when we show it.
        should_escape: false,
      })),
      ...(domains.length ? { unfurl_domains: domains } : {}),
    },
    // Sign in with Slack on the roadmap (OpenID Connect: https://docs.slack.dev/authentication/sign-in-with-slack/):
    // the user scopes it asks for and the page it returns to, so the same app signs people in.
    oauth_config: { ...(signIn ? { redirect_urls: [`${signIn}/signin/slack/callback`] } : {}), scopes: { bot: BOT_SCOPES, ...(signIn ? { user: SIGN_IN_SCOPES } : {}) } },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: o.socketMode === true,
      token_rotation_enabled: false,
    },
  };
  const problems = manifestProblems(manifest);
  if (problems.length) throw new Error(`Slack would refuse this manifest: ${problems.join("; ")}`);
  return manifest;
}

export const manifestYaml = (o: ManifestOptions): string => stringify(slackManifest(o), { lineWidth: 0 });

/** Slack's one-click "create an app from this manifest" link (the manifest as URL-encoded JSON). */
export const manifestLink = (o: ManifestOptions): string =>
  `https://api.slack.com/apps?new_app=1&manifest_json=${encodeURIComponent(JSON.stringify(slackManifest(o)))}`;
