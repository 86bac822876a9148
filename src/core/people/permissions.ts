import type { FlywheelConfig } from "../../config/file";
import type { Translator } from "../../i18n/translate";
import type { PlatformName, RoleName } from "../context";

const RANK: Record<RoleName, number> = { member: 0, steward: 1, staff: 2 };

export const hasRole = (have: RoleName, need: RoleName): boolean => RANK[have] >= RANK[need];

export const refusal = (t: Translator, need: RoleName): string => t.t(need === "staff" ? "people.refusal.staff" : "people.refusal.steward");

/**
 * Why someone who speaks for no community cannot act, and what to do about it. In chat that is
 * staff's job (flywheel.yml); in the terminal the person picks a community themselves.
 */
export function unlinkedPlace(t: Translator, config: Pick<FlywheelConfig, "communities">, platform: PlatformName, asked?: string): string {
  if (platform !== "shell") return t.t("people.unlinked.chat");
  const slugs = config.communities.map((c) => c.slug);
  return t.t("people.unlinked.shell", {
    hasAsked: asked ? "yes" : "no",
    asked,
    hasCommunities: slugs.length ? "yes" : "no",
    communities: slugs.join(", "),
    asCommand: "/as",
    flag: "--community",
    example: slugs[0] ?? t.t("people.unlinked.anyCommunity"),
  });
}
