import { stringify } from "yaml";
import { usageOf } from "../../command-kit/define";
import { commandList } from "../../command-kit/registry";
import { REQUEST_SHORTCUT, SLACK_EVENTS_PATH } from "./ids";

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
];

export const BOT_EVENTS = ["app_mention", "message.channels", "message.groups", "message.im", "message.mpim"];

export interface ManifestOptions {
  /** Public base URL of the bot, e.g. https://bot.example.org (HTTP mode). */
  baseUrl?: string;
  socketMode?: boolean;
  name?: string;
}

/** Slack's limits for a few manifest fields. */
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** A Slack app manifest generated from commands/: every slash command, the shortcut, scopes, events. */
export function slackManifest(o: ManifestOptions): Record<string, unknown> {
  const name = o.name ?? "Flywheel";
  let url: string | undefined;
  if (!o.socketMode) {
    if (!o.baseUrl) throw new Error("give the bot's public base URL (e.g. https://bot.example.org), or --socket-mode");
    let u: URL;
    try {
      u = new URL(o.baseUrl);
    } catch {
      throw new Error(`"${o.baseUrl}" is not a URL; give the bot's public base URL, e.g. https://bot.example.org`);
    }
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error(`"${o.baseUrl}" must start with https://`);
    url = `${u.origin}${u.pathname.replace(/\/$/, "")}${SLACK_EVENTS_PATH}`;
  }
  const at = url ? { url } : {};
  return {
    display_information: {
      name: clip(name, 35),
      description: "Community feature requests ranked by breadth, support triage, roadmap and credit",
      background_color: "#2c2d30",
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: clip(name, 80), always_online: true },
      shortcuts: [{ name: REQUEST_SHORTCUT.name, type: "message", callback_id: REQUEST_SHORTCUT.callbackId, description: REQUEST_SHORTCUT.description }],
      slash_commands: commandList().map((c) => ({
        command: `/${c.name}`,
        ...at,
        description: clip(c.description, 100),
        ...(usageOf(c) ? { usage_hint: clip(usageOf(c), 100) } : {}),
        // Text arrives as typed; we escape it ourselves when we show it.
        should_escape: false,
      })),
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: { ...(url ? { request_url: url } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(url ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: o.socketMode === true,
      token_rotation_enabled: false,
    },
  };
}

export const manifestYaml = (o: ManifestOptions): string => stringify(slackManifest(o), { lineWidth: 0 });
