import type { Services } from "../core/context";
import { DEFAULT_DIGEST_CRON, dueWeek, postDigests, type PostOutcome } from "../core/digest/digest";
import { firstFireBetween } from "./cron";
import type { JobSource } from "./scheduler";

/**
 * How long a fired job waits for the others of the same moment. node-cron fires each
 * community's task on its own timer; at Monday 09:00 thousands fire within a few milliseconds,
 * and posting them as one batch reads the week once instead of once per community.
 */
export const DIGEST_BATCH_WINDOW_MS = 25;

interface Waiting {
  slug: string;
  done: (outcome: PromiseSettledResult<PostOutcome | undefined>) => void;
}
const gathering = new WeakMap<Services, Map<string, Waiting[]>>();

/**
 * Posts a community's digest for the last complete week (what its schedule does when it fires).
 * Jobs fired within DIGEST_BATCH_WINDOW_MS of each other are posted together (postDigests):
 * each still gets its own outcome, or its own error.
 */
export function runScheduledDigest(services: Services, slug: string, replica: string): Promise<PostOutcome | undefined> {
  return new Promise((resolve, reject) => {
    let byReplica = gathering.get(services);
    if (!byReplica) gathering.set(services, (byReplica = new Map()));
    let waiting = byReplica.get(replica);
    if (!waiting) {
      const batch: Waiting[] = (waiting = []);
      const table = byReplica;
      table.set(replica, batch);
      setTimeout(() => {
        table.delete(replica);
        void runBatch(services, replica, batch);
      }, DIGEST_BATCH_WINDOW_MS);
    }
    waiting.push({ slug, done: (o) => (o.status === "fulfilled" ? resolve(o.value) : reject(o.reason)) });
  });
}

async function runBatch(services: Services, replica: string, batch: Waiting[]): Promise<void> {
  try {
    const slugs = [...new Set(batch.map((w) => w.slug))];
    const communities = await services.db.community.findMany({ where: { slug: { in: slugs }, active: true }, orderBy: { id: "asc" } });
    const settled = await postDigests(
      services,
      communities.map((c) => ({ community: c, week: dueWeek(services, c) })),
      replica,
    );
    const bySlug = new Map(communities.map((c, i) => [c.slug, settled[i]]));
    // A community gone or deactivated since it was scheduled: nothing to post.
    for (const w of batch) w.done(bySlug.get(w.slug) ?? { status: "fulfilled", value: undefined });
  } catch (reason) {
    for (const w of batch) w.done({ status: "rejected", reason });
  }
}

/**
 * Posts every digest whose scheduled time has passed without a run: the leader died before or
 * during its run, or no replica was up. Only the last complete week is caught up; a community
 * that did not exist that week is skipped. Claims make it safe to run any number of times.
 */
export async function catchUpDigests(services: Services, replica: string): Promise<PostOutcome[]> {
  const now = services.clock.now();
  const communities = await services.db.community.findMany({ where: { active: true }, orderBy: { id: "asc" } });
  const due = communities.map((c) => ({ community: c, week: dueWeek(services, c) })).filter(({ community, week }) => community.createdAt < week.end);
  // The runs already made, for every community in one read.
  const labels = [...new Set(due.map((d) => d.week.label))];
  const ran = new Set(
    labels.length
      ? (
          await services.db.digestRun.findMany({
            where: { OR: labels.map((week) => ({ week, communityId: { in: due.filter((d) => d.week.label === week).map((d) => d.community.id) } })) },
            select: { communityId: true, week: true },
          })
        ).map((r) => `${r.communityId}:${r.week}`)
      : [],
  );
  const missed = due.filter(({ community: c, week }) => {
    if (ran.has(`${c.id}:${week.label}`)) return false;
    try {
      return firstFireBetween(c.digestCron ?? DEFAULT_DIGEST_CRON, c.timezone, week.end, now) !== undefined;
    } catch (e) {
      services.log.error({ err: e, community: c.slug }, "digest catch-up failed");
      return false;
    }
  });
  const outcomes: PostOutcome[] = [];
  for (const [i, s] of (await postDigests(services, missed, replica)).entries()) {
    if (s.status === "fulfilled") outcomes.push(s.value);
    else services.log.error({ err: s.reason, community: missed[i].community.slug }, "digest catch-up failed");
  }
  return outcomes;
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
