import { startApp } from "../src/app";
import { loadEnv } from "../src/config/env";
import { parseConfig } from "../src/config/file";
import { createLogger } from "../src/log";
import { TEST_CONFIG_YAML } from "./helpers/db";

test("/healthz says 200 while the database answers and 503 when it does not", async () => {
  const app = await startApp({
    env: loadEnv({ PORT: "0", HOST: "127.0.0.1" }),
    config: parseConfig(TEST_CONFIG_YAML),
    databaseUrl: "memory:",
    log: createLogger("silent"),
    platforms: false,
  });
  try {
    const ok = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({
      status: "ok",
      database: { reachable: true, kind: "pglite" },
      platforms: {},
      outbox: { dead: 0 },
      scheduler: { leader: true, replica: expect.any(String) },
    });
    expect((await fetch(`http://127.0.0.1:${app.port}/nowhere`)).status).toBe(404);
    await app.worker.stop();
    await app.database.close();
    const down = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: "unavailable", database: { reachable: false } });
  } finally {
    await app.stop();
  }
});
