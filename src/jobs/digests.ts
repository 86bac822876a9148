import type { Services } from "../core/context";
import { buildDigests, DEFAULT_DIGEST_CRON, dueWeek, postDigest, type Digest, type PostOutcome } from "../core/digest/digest";
import type { Week } from "../core/weeks";
import type { Community } from "../generated/prisma/client";
import { firstFireBetween } from "./cron";
import type { JobSource } from "./scheduler";

/** Posts a community's digest for the last complete week (what its schedule does when it fires). */
export async function runScheduledDigest(services: Services, slug: string, replica: string): Promise<PostOutcome | undefined> {
  const community = await services.db.community.findUnique({ where: { slug } });
  if (!community?.active) return undefined;
  return postDigest(services, community, dueWeek(services, community), replica);
}

/**
 * Posts every digest whose scheduled time has passed without a run: the leader died before or
 * during its run, or no replica was up. Only the last complete week is caught up; a community
 * that did not exist that week is skipped. Claims make it safe to run any number of times.
 */
export async function catchUpDigests(services: Services, replica: string): Promise<PostOutcome[]> {
  const now = services.clock.now();
  const outcomes: PostOutcome[] = [];
  const communities = await services.db.community.findMany({ where: { active: true }, orderBy: { id: "asc" } });
  // Which communities missed which week; then each week's digests are built together (what
  // they share is read once), and posted one by one.
  const due = new Map<string, { week: Week; communities: Community[] }>();
  for (const c of communities) {
    try {
      const week = await missedWeek(services, c, now);
      if (!week) continue;
      const key = `${week.start.getTime()}:${week.end.getTime()}`;
      const group = due.get(key) ?? { week, communities: [] };
      group.communities.push(c);
      due.set(key, group);
    } catch (e) {
      services.log.error({ err: e, community: c.slug }, "digest catch-up failed");
    }
  }
  for (const { week, communities: group } of due.values()) {
    let digests: (Digest | undefined)[] = [];
    try {
      digests = await buildDigests(services, group, week);
    } catch (e) {
      services.log.error({ err: e, week: week.label }, "digest catch-up could not build the week's digests; building them one by one");
    }
    for (const [i, c] of group.entries()) {
      try {
        outcomes.push(await postDigest(services, c, week, replica, { digest: digests[i] }));
      } catch (e) {
        services.log.error({ err: e, community: c.slug }, "digest catch-up failed");
      }
    }
  }
  return outcomes;
}

/** The last complete week, if its scheduled run passed without a digest run. */
async function missedWeek(services: Services, c: Community, now: Date): Promise<Week | undefined> {
  const week = dueWeek(services, c);
  if (c.createdAt >= week.end) return undefined;
  const run = await services.db.digestRun.findUnique({ where: { communityId_week: { communityId: c.id, week: week.label } } });
  if (run) return undefined;
  if (!firstFireBetween(c.digestCron ?? DEFAULT_DIGEST_CRON, c.timezone, week.end, now)) return undefined;
  return week;
}

/** How often the leader double-checks that no digest was missed (a failed run, a database blip). */
export const DIGEST_CATCH_UP_CRON = "17 * * * *";

/** The digest jobs: one per active community on its own schedule and zone, plus the hourly catch-up. */
export function digestJobs(services: Services, replica: string): JobSource {
  return {
    name: "digests",
    async jobs() {
      const communities = await services.db.community.findMany({ where: { active: true }, orderBy: { id: "asc" } });
      return [
        ...communities.map((c) => ({
          name: `digest:${c.slug}`,
          cron: c.digestCron ?? DEFAULT_DIGEST_CRON,
          timezone: c.timezone,
          run: () => runScheduledDigest(services, c.slug, replica),
        })),
        { name: "digest:catch-up", cron: DIGEST_CATCH_UP_CRON, run: () => catchUpDigests(services, replica) },
      ];
    },
    catchUp: () => catchUpDigests(services, replica),
  };
}
