import type { FlywheelConfig } from "../../config/file";
import type { Db } from "../../db/client";
import type { Platform } from "../../generated/prisma/client";
import { syncRankWeights } from "../requests/rank";

export interface SyncSummary {
  added: string[];
  changed: string[];
  removed: string[];
}

type SpaceRow = { communityId: number | null; platform: Platform; workspace: string; channel: string; purpose: string };

/**
 * Makes the database match the config file: communities added, changed, and removed ones
 * deactivated (their history stays); spaces rebuilt from the file; the ranking's tier weights.
 */
export async function syncCommunities(db: Db, config: FlywheelConfig): Promise<SyncSummary> {
  const summary: SyncSummary = { added: [], changed: [], removed: [] };
  await db.$transaction(async (tx) => {
    const existing = await tx.community.findMany();
    const bySlug = new Map(existing.map((c) => [c.slug, c]));
    const spaces: SpaceRow[] = [];
    for (const c of config.communities) {
      const data = { name: c.name, tier: c.tier, private: c.private, timezone: c.timezone, digestCron: c.digest ?? null, active: true };
      const before = bySlug.get(c.slug);
      let id: number;
      if (!before) {
        id = (await tx.community.create({ data: { slug: c.slug, ...data } })).id;
        summary.added.push(c.slug);
      } else {
        id = before.id;
        const differs = (Object.keys(data) as (keyof typeof data)[]).some((k) => before[k] !== data[k]);
        if (differs) {
          await tx.community.update({ where: { id }, data });
          summary.changed.push(c.slug);
        }
      }
      if (c.slack) {
        for (const channel of [c.slack.channel, ...(c.slack.channels ?? [])])
          spaces.push({ communityId: id, platform: "slack", workspace: c.slack.team, channel, purpose: "community" });
      }
      if (c.discord) spaces.push({ communityId: id, platform: "discord", workspace: c.discord.guild, channel: c.discord.channel, purpose: "community" });
    }
    const wanted = new Set(config.communities.map((c) => c.slug));
    for (const c of existing) {
      if (!wanted.has(c.slug) && c.active) {
        await tx.community.update({ where: { id: c.id }, data: { active: false } });
        summary.removed.push(c.slug);
      }
    }
    for (const [purpose, space] of [["support", config.support], ["roadmap", config.roadmap]] as const) {
      if (space?.slack) spaces.push({ communityId: null, platform: "slack", workspace: space.slack.team, channel: space.slack.channel, purpose });
      if (space?.discord) spaces.push({ communityId: null, platform: "discord", workspace: space.discord.guild, channel: space.discord.channel, purpose });
      if (space?.shell) spaces.push({ communityId: null, platform: "shell", workspace: "", channel: space.shell.channel, purpose });
    }
    await tx.space.deleteMany({});
    if (spaces.length) await tx.space.createMany({ data: spaces, skipDuplicates: true });
    await syncRankWeights(tx, config.weights);
  });
  return summary;
}
