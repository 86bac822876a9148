import type { Services } from "../core/context";
import type { Database } from "../db/client";
import type { Scheduler } from "../jobs/scheduler";
import type { PlatformStatus } from "../platforms/platform";
import { sendJson, type HttpServer } from "./http";

/** What /healthz reports on. */
export interface HealthSources {
  database: Database;
  services: Services;
  platforms: ReadonlyMap<string, () => PlatformStatus>;
  scheduler: Scheduler;
}

/** GET /healthz: 200 when the database answers, 503 when it does not; platform states included. */
export function mountHealth(http: HttpServer, app: HealthSources): void {
  http.route("GET", "/healthz", async (_req, res) => {
    const database = await app.database.ping();
    const platforms = Object.fromEntries([...app.platforms].map(([name, state]) => [name, state()]));
    const deadMessages = database ? await app.services.db.outboxMessage.count({ where: { status: "dead" } }).catch(() => 0) : 0;
    sendJson(res, database ? 200 : 503, {
      status: database ? "ok" : "unavailable",
      database: { reachable: database, kind: app.database.kind },
      platforms,
      outbox: { dead: deadMessages },
      scheduler: { leader: app.scheduler.isLeader, replica: app.scheduler.leadership.id },
    });
  });
}
