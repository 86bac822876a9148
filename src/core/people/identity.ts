import type { CommunityConfig, FlywheelConfig } from "../../config/file";
import { Prisma } from "../../generated/prisma/client";
import type { Actor, PlatformName, RoleName, Services } from "../context";
import { recordDelivery, type Delivery } from "../dedupe";

/** What an adapter knows about who is speaking and where. */
export interface Speaker {
  platform: PlatformName;
  externalId: string;
  displayName: string;
  workspace?: string;
  channel?: string;
  /** The shell names its community explicitly (`--community`). */
  communitySlug?: string;
  /** The person's own language when the platform tells it (Discord's interaction locale, Slack's user locale). */
  locale?: string;
}

/**
 * Which configured community a speaker speaks for: their Slack team (or, in a workspace several
 * communities share, the channel), their Discord guild. In a Slack Connect channel the speaker's
 * workspace is their own team, not the channel's host: the organization's workspace, or one no
 * community is configured for, speaks for none.
 */
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
  // The terminal's "channel" is the community it speaks in (see platforms/shell/speaker).
  if (s.platform === "shell") return list.find((c) => c.slug === s.channel) ?? (list.length === 1 ? list[0] : undefined);
  return undefined;
}

/**
 * The community whose channel a place is, whoever's workspace hosts it: Slack channel ids are the
 * same in every workspace of a Slack Connect channel, so a channel configured for one community is
 * that community's even when the organization's workspace hosts it. Else as for a speaker.
 */
export function communityOfPlace(config: FlywheelConfig, p: Pick<Speaker, "platform" | "workspace" | "channel">): CommunityConfig | undefined {
  const ch = p.channel;
  if (p.platform === "slack" && ch) {
    const owners = config.communities.filter((c) => c.slack && (c.slack.channel === ch || c.slack.channels?.includes(ch)));
    if (owners.length === 1) return owners[0];
  }
  return communityForPlace(config, p);
}

/** Slack workspaces that are the organization's own (where support and roadmap spaces live): staff's, no community's. */
export const organizationSlackTeams = (config: FlywheelConfig): string[] =>
  [config.support?.slack?.team, config.roadmap?.slack?.team].filter((t): t is string => Boolean(t));

export function isConfiguredStaff(config: FlywheelConfig, platform: PlatformName, externalId: string): boolean {
  return config.staff.some((s) => s[platform as keyof typeof s] === externalId);
}

type KnownSpeaker = {
  placeCommunityId: number | null;
  placeActive: boolean | null;
  placeSlug: string | null;
  personId: number | null;
  displayName: string | null;
  personCommunityId: number | null;
  personCommunitySlug: string | null;
  role: RoleName | null;
  accounts: { platform: PlatformName; externalId: string }[] | null;
};

/**
 * Finds or creates the Person behind a platform account. The role is staff when the config
 * says so (on this or any linked account), else what the database says (steward or member).
 */
export async function resolveActor(services: Services, speaker: Speaker): Promise<Actor> {
  return (await resolveActorOnce(services, speaker))!;
}

/**
 * resolveActor that also records an inbound delivery id in the same statement: null, and nothing
 * else done, when the delivery was seen before (a Slack retry, a second replica).
 */
export async function resolveActorOnce(services: Services, speaker: Speaker, delivery?: Delivery): Promise<Actor | null> {
  const { db, config } = services;
  const cc = communityForPlace(config, speaker);
  // Every command starts here, so the usual case (a known account) is one round trip: the
  // inbound id, the place's community, the person, their community and their linked accounts together.
  const [known] = await db.$queryRaw<(KnownSpeaker & { seen: boolean })[]>(Prisma.sql`
    ${delivery ? Prisma.sql`WITH d AS (${recordDelivery(delivery)})` : Prisma.empty}
    SELECT ${delivery ? Prisma.sql`NOT EXISTS (SELECT 1 FROM d)` : Prisma.sql`false`} AS seen,
           c.id AS "placeCommunityId", c.active AS "placeActive", c.slug AS "placeSlug",
           p.id AS "personId", p."displayName", p."communityId" AS "personCommunityId", pc.slug AS "personCommunitySlug",
           p.role::text AS role,
           (SELECT json_agg(json_build_object('platform', a2.platform, 'externalId', a2."externalId")) FROM "Account" a2 WHERE a2."personId" = p.id) AS accounts
    FROM (SELECT 1) AS one
    LEFT JOIN "Community" c ON c.slug = ${cc?.slug ?? null}
    LEFT JOIN "Account" a ON a.platform = ${speaker.platform}::"Platform" AND a."externalId" = ${speaker.externalId}
    LEFT JOIN "Person" p ON p.id = a."personId"
    LEFT JOIN "Community" pc ON pc.id = p."communityId"`);
  if (known.seen) return null;
  const communityId = known.placeActive ? known.placeCommunityId : null;
  let person: { id: number; communityId: number | null; communitySlug: string | null; role: RoleName; accounts: { platform: PlatformName; externalId: string }[] };
  if (known.personId !== null) {
    person = { id: known.personId, communityId: known.personCommunityId, communitySlug: known.personCommunitySlug, role: known.role!, accounts: known.accounts ?? [] };
  } else {
    const created = await createPerson(services, speaker, communityId);
    const slug = created.communityId === null ? null : created.communityId === known.placeCommunityId ? known.placeSlug : (await db.community.findUnique({ where: { id: created.communityId } }))?.slug ?? null;
    person = { id: created.id, communityId: created.communityId, communitySlug: slug, role: created.role, accounts: created.accounts };
  }
  // First seen without a name (a Slack message event): the id stood in; keep the real name once known.
  if (known.personId !== null && speaker.displayName && known.displayName === speaker.externalId) {
    await db.person.update({ where: { id: person.id }, data: { displayName: speaker.displayName } });
  }
  // A steward stays steward of the community they were named for, wherever they speak.
  if (communityId && person.communityId !== communityId && person.role !== "steward") {
    await db.person.update({ where: { id: person.id }, data: { communityId } });
  }
  const staff = person.accounts.some((a) => isConfiguredStaff(config, a.platform, a.externalId));
  const role: RoleName = staff ? "staff" : person.role === "staff" ? "member" : person.role;
  const effectiveCommunityId = communityId ?? person.communityId ?? null;
  const slug = effectiveCommunityId === null ? null : effectiveCommunityId === communityId ? known.placeSlug : person.communitySlug;
  return {
    personId: person.id,
    displayName: speaker.displayName || known.displayName || speaker.externalId,
    role,
    communityId: effectiveCommunityId,
    communitySlug: slug,
    platform: speaker.platform,
    externalId: speaker.externalId,
  };
}

/** A first message from a new account: a new Person with that account. */
async function createPerson(services: Services, speaker: Speaker, communityId: number | null) {
  const { db } = services;
  const find = () =>
    db.account.findUniqueOrThrow({
      where: { platform_externalId: { platform: speaker.platform, externalId: speaker.externalId } },
      include: { person: { include: { accounts: true } } },
    });
  let account;
  try {
    await db.person.create({
      data: {
        displayName: speaker.displayName || speaker.externalId,
        communityId,
        accounts: { create: { platform: speaker.platform, externalId: speaker.externalId, workspace: speaker.workspace ?? "" } },
      },
    });
    account = await find();
  } catch {
    // Two first messages from one new user at once: the other request created the account.
    account = await find();
  }
  const p = account.person;
  return { id: p.id, communityId: p.communityId, role: p.role as RoleName, accounts: p.accounts.map((a) => ({ platform: a.platform as PlatformName, externalId: a.externalId })) };
}
