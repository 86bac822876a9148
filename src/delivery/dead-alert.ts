import type { FlywheelConfig } from "../config/file";
import type { Prisma } from "../generated/prisma/client";
import { HOME_KEY_PREFIX } from "../core/home/refresh";
import { enqueue } from "../core/outbox";
import type { Place } from "../core/reply";
import type { DeadRow } from "./worker";

/** Keys of staff alerts about dead rows; an alert that dies itself is not alerted about again. */
export const DEAD_ALERT_PREFIX = "outbox-dead:";

/** Where staff triage: the support space of the config file, on each platform it names. */
export function supportPlaces(config: FlywheelConfig): Place[] {
  const s = config.support;
  const places: Place[] = [];
  if (s?.slack) places.push({ platform: "slack", workspace: s.slack.team, channel: s.slack.channel });
  if (s?.discord) places.push({ platform: "discord", workspace: s.discord.guild, channel: s.discord.channel });
  if (s?.shell) places.push({ platform: "shell", channel: s.shell.channel });
  return places;
}

/**
 * The staff alert for a row that went dead: one outbox message per support place, keyed by
 * the dead row, written in the same transaction that marks it dead (so once per dead row).
 */
export function deadLetterAlert(config: FlywheelConfig) {
  return async (tx: Prisma.TransactionClient, row: DeadRow): Promise<void> => {
    // A home page that could not be published (the person left) is republished on their next visit.
    if (row.key.startsWith(DEAD_ALERT_PREFIX) || row.key.startsWith(HOME_KEY_PREFIX)) return;
    const where = `${row.platform} ${row.channel.startsWith("@") ? `DM ${row.channel}` : `channel ${row.channel}`}${row.workspace ? ` (${row.workspace})` : ""}`;
    for (const place of supportPlaces(config)) {
      await enqueue(tx, {
        key: `${DEAD_ALERT_PREFIX}${row.id}:${place.platform}`,
        place,
        reply: {
          title: "A message could not be delivered",
          text:
            `⚠️ Outbox message #${row.id} to ${where} was given up after ${row.attempts} attempt${row.attempts === 1 ? "" : "s"} ` +
            `and is marked dead (key ${row.key}). Last error: ${row.error}. /healthz counts dead messages.`,
        },
      });
    }
  };
}
