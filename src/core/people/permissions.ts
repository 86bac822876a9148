import type { RoleName } from "../context";

const RANK: Record<RoleName, number> = { member: 0, steward: 1, staff: 2 };

export const hasRole = (have: RoleName, need: RoleName): boolean => RANK[have] >= RANK[need];

export const refusal = (need: RoleName): string =>
  need === "staff"
    ? "Sorry, only Flywheel staff can do that. Nothing was changed."
    : "Sorry, only a community steward or staff can do that. Nothing was changed.";
