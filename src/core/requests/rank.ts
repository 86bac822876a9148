import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";

/**
 * Stores flywheel.yml's tier weights where the ranking triggers read them, recomputing every
 * request's breadth when they changed (migration 20261208043000_request_rank): RequestRank holds
 * breadth already weighted so the ranked list can walk an index. Returns whether they changed.
 * Reads first, so an unchanged start never takes the lock that votes changing a breadth share.
 */
export async function syncRankWeights(db: Tx, weights: FlywheelConfig["weights"]): Promise<boolean> {
  const [stored] = await db.rankWeights.findMany({ where: { id: 1 } });
  if (stored && stored.premier === weights.premier && stored.general === weights.general && stored.essential === weights.essential) return false;
  const [res] = await db.$queryRaw<{ changed: boolean }[]>`
    SELECT flywheel_set_rank_weights(${weights.premier}::float8, ${weights.general}::float8, ${weights.essential}::float8) AS changed`;
  return res?.changed === true;
}
