import { startApp, type App } from "../src/app";
import { ConfigError, loadEnv } from "../src/config/env";
import { parseConfig } from "../src/config/file";
import { createLogger } from "../src/log";
import { startSlack } from "../src/platforms/slack";
import { TEST_CONFIG_YAML } from "./helpers/db";

describe("Slack start-up settings", () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp({ env: loadEnv({ PORT: "0", HOST: "127.0.0.1" }), log: createLogger("silent"), databaseUrl: "memory:", config: parseConfig(TEST_CONFIG_YAML), worker: { autostart: false } });
  });
  afterAll(() => app.stop());

  test("without Slack variables there is no Slack route, deliverer or status", async () => {
    expect(app.platforms.has("slack")).toBe(false);
    expect(app.deliverers.some((d) => d.platform === "slack")).toBe(false);
    expect((await fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  test("a bot token without a signing secret or app token is refused with one clear line, token unseen", async () => {
    const withEnv = (vars: Record<string, string>) => startSlack({ ...app, env: loadEnv({ ...vars }) });
    const e = await withEnv({ SLACK_BOT_TOKEN: "xoxb-secret-value-999" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as Error).message).toMatch(/^SLACK_SIGNING_SECRET: .*SLACK_APP_TOKEN/);
    expect((e as Error).message).not.toContain("xoxb-secret-value-999");
    await expect(withEnv({ SLACK_APP_TOKEN: "xapp-1-2" })).rejects.toThrow(/^SLACK_BOT_TOKEN: /);
    expect(app.platforms.has("slack")).toBe(false);
  });
});
