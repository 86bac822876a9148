import { parse } from "yaml";
import { runCli } from "../src/cli/program";
import { loadEnv } from "../src/config/env";
import { commandList } from "../src/command-kit/registry";

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: loadEnv(env) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface Manifest {
  features: {
    slash_commands: { command: string; url?: string; description: string; usage_hint?: string; should_escape: boolean }[];
    shortcuts: { name: string; type: string; callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url?: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled: boolean };
}

describe("flywheel slack manifest", () => {
  test("prints YAML with every command of commands/, the shortcut, scopes, events and request URLs", async () => {
    const { code, out } = await cli(["slack", "manifest", "https://bot.example.org/"]);
    expect(code).toBe(0);
    const m = parse(out) as Manifest;
    const url = "https://bot.example.org/slack/events";
    expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual(commandList().map((c) => `/${c.name}`).sort());
    for (const c of m.features.slash_commands) {
      expect(c).toMatchObject({ url, should_escape: false });
      expect(c.description).toBe(commandList().find((x) => `/${x.name}` === c.command)!.description);
    }
    expect(m.features.slash_commands.find((c) => c.command === "/request")!.usage_hint).toBe("<title> [| details] [--force]");
    expect(m.features.shortcuts).toEqual([expect.objectContaining({ name: "Make a feature request", type: "message", callback_id: "fw_request_from_message" })]);
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["commands", "chat:write", "im:write", "app_mentions:read", "channels:history", "groups:history", "im:history"]));
    expect(m.settings.event_subscriptions).toEqual({ request_url: url, bot_events: expect.arrayContaining(["app_mention", "message.channels", "message.groups", "message.im"]) });
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(m.settings.socket_mode_enabled).toBe(false);
  });

  test("uses PUBLIC_URL when no base URL is given; Socket Mode needs none", async () => {
    const fromEnv = parse((await cli(["slack", "manifest"], { PUBLIC_URL: "https://flywheel.example.com/bot" })).out) as Manifest;
    expect(fromEnv.settings.interactivity.request_url).toBe("https://flywheel.example.com/bot/slack/events");
    const socket = parse((await cli(["slack", "manifest", "--socket-mode"])).out) as Manifest;
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.interactivity.request_url).toBeUndefined();
    expect(socket.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
  });

  test("a missing or bad base URL is a clear error, exit code 2", async () => {
    const none = await cli(["slack", "manifest"]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("give the bot's public base URL");
    const bad = await cli(["slack", "manifest", "not a url"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("is not a URL");
    expect(bad.out).toBe("");
  });
});
