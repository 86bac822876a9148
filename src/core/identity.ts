import type { CommunityConfig, FlywheelConfig } from "../config/file";
import type { Actor, PlatformName, RoleName, Services } from "./context";

/** What an adapter knows about who is speaking and where. */
export interface Speaker {
  platform: PlatformName;
  externalId: string;
  displayName: string;
  workspace?: string;
  channel?: string;
  /** The shell names its community explicitly (`--community`). */
  communitySlug?: string;
}

/** Which configured community a place belongs to: Slack team (or channel in a shared team), Discord guild. */
export function communityForPlace(config: FlywheelConfig, s: Pick<Speaker, "platform" | "workspace" | "channel" | "communitySlug">): CommunityConfig | undefined {
  const list = config.communities;
  if (s.communitySlug) return list.find((c) => c.slug === s.communitySlug);
  if (s.platform === "slack") {
    const inTeam = list.filter((c) => c.slack && c.slack.team === s.workspace);
    if (inTeam.length <= 1) return inTeam[0];
    // A shared workspace: the channel decides.
    return inTeam.find((c) => c.slack!.channel === s.channel || c.slack!.channels?.includes(s.channel ?? ""));
  }
  if (s.platform === "discord") return list.find((c) => c.discord && c.discord.guild === s.workspace);
  if (s.platform === "shell") return list.length === 1 ? list[0] : undefined;
  return undefined;
}

export function isConfiguredStaff(config: FlywheelConfig, platform: PlatformName, externalId: string): boolean {
  return config.staff.some((s) => s[platform as keyof typeof s] === externalId);
}

/**
 * Finds or creates the Person behind a platform account. The role is staff when the config
 * says so (on this or any linked account), else what the database says (steward or member).
 */
export async function resolveActor(services: Services, speaker: Speaker): Promise<Actor> {
  const { db, config } = services;
  const cc = communityForPlace(config, speaker);
  const community = cc ? await db.community.findUnique({ where: { slug: cc.slug } }) : null;
  const communityId = community?.active ? community.id : null;

  let account = await db.account.findUnique({
    where: { platform_externalId: { platform: speaker.platform, externalId: speaker.externalId } },
    include: { person: { include: { accounts: true } } },
  });
  if (!account) {
    try {
      const person = await db.person.create({
        data: {
          displayName: speaker.displayName || speaker.externalId,
          communityId,
          accounts: { create: { platform: speaker.platform, externalId: speaker.externalId, workspace: speaker.workspace ?? "" } },
        },
      });
      account = await db.account.findUniqueOrThrow({
        where: { platform_externalId: { platform: speaker.platform, externalId: speaker.externalId } },
        include: { person: { include: { accounts: true } } },
      });
      void person;
    } catch {
      // Two first messages from one new user at once: the other request created the account.
      account = await db.account.findUniqueOrThrow({
        where: { platform_externalId: { platform: speaker.platform, externalId: speaker.externalId } },
        include: { person: { include: { accounts: true } } },
      });
    }
  }
  const person = account.person;
  // First seen without a name (a Slack message event): the id stood in; keep the real name once known.
  if (speaker.displayName && person.displayName === speaker.externalId) {
    await db.person.update({ where: { id: person.id }, data: { displayName: speaker.displayName } });
    person.displayName = speaker.displayName;
  }
  // A steward stays steward of the community they were named for, wherever they speak.
  if (communityId && person.communityId !== communityId && person.role !== "steward") {
    await db.person.update({ where: { id: person.id }, data: { communityId } });
  }
  const staff = person.accounts.some((a) => isConfiguredStaff(config, a.platform, a.externalId));
  const role: RoleName = staff ? "staff" : person.role === "staff" ? "member" : person.role;
  const effectiveCommunityId = communityId ?? person.communityId ?? null;
  const slug =
    effectiveCommunityId === community?.id
      ? community?.slug ?? null
      : effectiveCommunityId
        ? (await db.community.findUnique({ where: { id: effectiveCommunityId } }))?.slug ?? null
        : null;
  return {
    personId: person.id,
    displayName: speaker.displayName || person.displayName,
    role,
    communityId: effectiveCommunityId,
    communitySlug: slug,
    platform: speaker.platform,
    externalId: speaker.externalId,
  };
}
