// Who may move the roadmap from GitHub. Anyone can open an issue or a pull request in a public
// repository; only maintainers' words move requests. Everyone else's mention is a suggestion.
import type { FlywheelConfig } from "../../config/file";
import type { Tx } from "../../db/client";
import type { GhUser } from "./refs";

/**
 * The author_association values of people with a standing in the repository: its owner, members
 * of the owning organization, and collaborators invited to it. CONTRIBUTOR, FIRST_TIMER,
 * FIRST_TIME_CONTRIBUTOR, MANNEQUIN and NONE are everyone else.
 * Source: the `author-association` schema of GitHub's REST OpenAPI description (github/rest-api-description),
 * the same enum as https://docs.github.com/en/graphql/reference/enums#commentauthorassociation
 */
const MAINTAINER_ASSOCIATIONS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

/** A GitHub login that belongs to Flywheel staff: named on the config's staff list, or linked to a staff person. */
export async function isStaffLogin(tx: Tx, config: FlywheelConfig, login: string): Promise<boolean> {
  const id = login.toLowerCase();
  if (config.staff.some((s) => s.github !== undefined && String(s.github).toLowerCase() === id)) return true;
  const account = await tx.account.findUnique({ where: { platform_externalId: { platform: "github", externalId: id } }, select: { person: { select: { role: true } } } });
  return account?.person.role === "staff";
}

/**
 * Whether this GitHub user may move a request: a maintainer by their association with the
 * repository, or staff by their login. Payloads give the association of an item's or comment's
 * author only; whoever closed or merged it (the sender) counts through a staff login.
 */
export async function isMaintainer(tx: Tx, config: FlywheelConfig, who: GhUser | null | undefined): Promise<boolean> {
  if (!who) return false;
  if (who.association && MAINTAINER_ASSOCIATIONS.has(who.association.toUpperCase())) return true;
  return isStaffLogin(tx, config, who.login);
}
