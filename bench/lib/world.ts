import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { configSchema, type FlywheelConfig } from "../../src/config/file";
import { systemClock, type Clock } from "../../src/core/clock";
import type { Services } from "../../src/core/context";
import type { Database } from "../../src/db/client";
import { createLogger } from "../../src/log";

/** Community n (0-based) of a generated world: slug, tier mix 10% premier / 60% general / 30% essential. */
export function communitySpec(n: number) {
  const slug = `c${String(n + 1).padStart(5, "0")}`;
  const tier = n % 10 === 0 ? "premier" : n % 10 <= 6 ? "general" : "essential";
  return {
    slug,
    name: `Community ${n + 1}`,
    tier: tier as "premier" | "general" | "essential",
    private: n % 17 === 5,
    slack: { team: `T${String(n + 1).padStart(6, "0")}`, channel: `C${String(n + 1).padStart(6, "0")}` },
  };
}

/** A validated flywheel.yml for `communities` generated communities and one staff member. */
export function benchConfig(communities: number): FlywheelConfig {
  return configSchema.parse({
    communities: Array.from({ length: communities }, (_, n) => communitySpec(n)),
    staff: [{ slack: "U0STAFF", shell: "admin" }],
    support: { slack: { team: "T0STAFF", channel: "C0SUPPORT" } },
  });
}

export function benchServices(database: Database, config: FlywheelConfig, clock: Clock = systemClock): Services {
  return { db: database.prisma, clock, config, log: createLogger("silent") };
}

/** A world's flywheel.yml written into `dir` for a bot process to read; returns its path. */
export function writeConfigFile(dir: string, config: FlywheelConfig): string {
  const path = join(dir, "flywheel.yml");
  writeFileSync(path, stringify(JSON.parse(JSON.stringify(config))));
  return path;
}
