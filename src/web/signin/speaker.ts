import type { FlywheelConfig } from "../../config/file";
import type { Speaker } from "../../core/people/identity";
import type { Place } from "../../core/reply";
import type { ProviderIdentity } from "./providers";
import type { WebSession } from "./sessions";

/**
 * The signed-in person as chat knows them: the same platform account, so resolveActor finds the
 * same Person and the same community rules apply (the Slack team; the Discord guild, which for
 * the web is the first configured guild they are in).
 */
export function speakerOf(config: FlywheelConfig, id: ProviderIdentity, locale: string | undefined): Speaker {
  let workspace = id.workspace;
  if (id.platform === "discord") workspace = config.communities.find((c) => c.discord && id.guilds?.includes(String(c.discord.guild)))?.discord?.guild;
  return { platform: id.platform, externalId: id.externalId, displayName: id.displayName, workspace, locale: locale ?? id.locale };
}

export const sessionSpeaker = (s: WebSession, locale: string | undefined): Speaker => ({
  platform: s.platform,
  externalId: s.externalId,
  displayName: s.displayName,
  workspace: s.workspace || undefined,
  locale,
});

/**
 * Where a web action's notifications go: a direct message on the person's chat platform (the
 * one they signed in with, else a linked one). A GitHub-only person has no chat to be told in:
 * the place names no one, and notifyFollowers passes it over.
 */
export function webPlace(s: WebSession, accounts: { platform: string; externalId: string; workspace: string }[]): Place {
  const chat = [{ platform: s.platform, externalId: s.externalId, workspace: s.workspace }, ...accounts].find((a) => a.platform === "slack" || a.platform === "discord");
  if (!chat) return { platform: s.platform, via: "web" };
  return { platform: chat.platform as "slack" | "discord", workspace: chat.workspace || undefined, user: chat.externalId, via: "web" };
}
