import type { App } from "../app";
import { sendJson } from "./http";

/** GET /healthz: 200 when the database answers, 503 when it does not; platform states included. */
export function mountHealth(app: App): void {
  app.http.route("GET", "/healthz", async (_req, res) => {
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
