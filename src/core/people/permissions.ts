import type { FlywheelConfig } from "../../config/file";
import type { PlatformName, RoleName } from "../context";

const RANK: Record<RoleName, number> = { member: 0, steward: 1, staff: 2 };

export const hasRole = (have: RoleName, need: RoleName): boolean => RANK[have] >= RANK[need];

export const refusal = (need: RoleName): string =>
  need === "staff"
    ? "Sorry, only Flywheel staff can do that. Nothing was changed."
    : "Sorry, only a community steward or staff can do that. Nothing was changed.";

/**
 * Why someone who speaks for no community cannot act, and what to do about it. In chat that is
 * staff's job (flywheel.yml); in the terminal the person picks a community themselves.
 */
export function unlinkedPlace(config: Pick<FlywheelConfig, "communities">, platform: PlatformName, asked?: string): string {
  if (platform !== "shell") return "This place isn't linked to a member community yet, so I can't tell whom you speak for. Ask staff to add it to flywheel.yml.";
  const slugs = config.communities.map((c) => c.slug);
  const which = asked ? `There is no community "${asked}".` : "Say which community you speak for.";
  const list = slugs.length ? `Communities: ${slugs.join(", ")}.` : "flywheel.yml lists no communities yet.";
  const example = slugs[0] ?? "<community>";
  return `${which} ${list} At the prompt: /as <name> ${example}; with exec: --community ${example}.`;
}
