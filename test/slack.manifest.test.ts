import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { translator } from "../src/i18n/translate";
import { runCli } from "../src/cli/program";
import { loadEnv } from "../src/config/env";
import { describe as describeCommand } from "../src/command-kit/define";
import { commandList } from "../src/command-kit/registry";
import { SLACK_BUILT_IN_COMMANDS } from "../src/platforms/slack/builtins";
import { manifestProblems, type SlackManifest } from "../src/platforms/slack/manifest-rules";
import { slackManifest } from "../src/platforms/slack/manifest";

async function cli(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: loadEnv(env) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/**
 * Slack's published rules, written out here on their own so that a new command which breaks one
 * fails `npm test`. Sources: "App manifest reference" (https://docs.slack.dev/reference/app-manifest,
 * formerly https://api.slack.com/reference/manifests) and the help-center page "Use built-in
 * slash commands" (https://slack.com/help/articles/201259356) for names an app cannot take.
 */
function expectSlackAccepts(m: SlackManifest) {
  expect(m.display_information.name.length).toBeGreaterThan(0);
  expect(m.display_information.name.length).toBeLessThanOrEqual(35);
  const long = m.display_information.long_description;
  if (long !== undefined) {
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
  }
  const cmds = m.features.slash_commands;
  expect(cmds.length).toBeLessThanOrEqual(50);
  expect(new Set(cmds.map((c) => c.command)).size).toBe(cmds.length);
  for (const c of cmds) {
    expect(c.command).toMatch(/^\/[a-z0-9_-]{1,32}$/);
    expect(SLACK_BUILT_IN_COMMANDS).not.toContain(c.command.slice(1));
    expect(c.description.length).toBeGreaterThan(0);
    expect(c.description.length).toBeLessThanOrEqual(2000);
    if (c.usage_hint !== undefined) expect(c.usage_hint.length).toBeLessThanOrEqual(1000);
  }
  // features.unfurl_domains: "A maximum of 5 unfurl domains"; "Valid unfurl domains cannot be a
  // TLD, IP address, localhost, or contain a protocol" (same reference, the features section).
  const domains = m.features.unfurl_domains ?? [];
  expect(domains.length).toBeLessThanOrEqual(5);
  for (const d of domains) {
    expect(d).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(d).not.toMatch(/^\d+(\.\d+){3}$/);
    expect(d).not.toMatch(/(^|\.)localhost$/);
  }
  // Each event needs its scope ("Event types" reference, https://docs.slack.dev/reference/events):
  // link_shared needs links:read, app_home_opened none beyond the bot; chat.unfurl needs links:write.
  if (m.settings.event_subscriptions.bot_events.includes("link_shared")) expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["links:read", "links:write"]));
  // app_home_opened with tab "home" only comes when the Home tab is enabled.
  if (m.settings.event_subscriptions.bot_events.includes("app_home_opened")) expect(m.features.app_home?.home_tab_enabled).toBe(true);
  const urls = [...cmds.map((c) => c.url), m.settings.event_subscriptions.request_url, m.settings.interactivity.request_url];
  if (m.settings.socket_mode_enabled) expect(urls.filter((u) => u !== undefined)).toEqual([]);
  else for (const u of urls) expect(u).toMatch(/^https:\/\//);
  expect(manifestProblems(m)).toEqual([]);
}

describe("flywheel slack manifest", () => {
  test("prints YAML with every command of commands/, the shortcut, scopes, events and request URLs", async () => {
    const { code, out } = await cli(["slack", "manifest", "https://bot.example.org/"]);
    expect(code).toBe(0);
    const m = parse(out) as SlackManifest;
    const url = "https://bot.example.org/slack/events";
    expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual(commandList().map((c) => `/${c.name}`).sort());
    for (const c of m.features.slash_commands) {
      expect(c).toMatchObject({ url, should_escape: false });
      expect(c.description).toBe(describeCommand(commandList().find((x) => `/${x.name}` === c.command)!));
    }
    expect(m.features.slash_commands.find((c) => c.command === "/request")!.usage_hint).toBe("<title> [| details] [--force]");
    expect(m.features.shortcuts).toEqual([expect.objectContaining({ name: "Make a feature request", type: "message", callback_id: "fw_request_from_message" })]);
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["commands", "chat:write", "im:write", "app_mentions:read", "channels:history", "groups:history", "im:history"]));
    expect(m.settings.event_subscriptions).toEqual({ request_url: url, bot_events: expect.arrayContaining(["app_mention", "message.channels", "message.groups", "message.im"]) });
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    // Sign in with Slack on the roadmap: its user scopes and the page Slack sends people back to.
    expect(m.oauth_config.redirect_urls).toEqual(["https://bot.example.org/signin/slack/callback"]);
    expect(m.oauth_config.scopes.user).toEqual(["openid", "profile"]);
    expect(m.settings.socket_mode_enabled).toBe(false);
    expectSlackAccepts(m);
  });

  test("the Home tab and link previews: home tab on, app_home_opened and link_shared, links:read/links:write, PUBLIC_URL's host as the unfurl domain", async () => {
    const { code, out } = await cli(["slack", "manifest", "--socket-mode"], { PUBLIC_URL: "https://Roadmap.Example.org/flywheel" });
    expect(code).toBe(0);
    const m = parse(out) as SlackManifest;
    expect(m.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(m.settings.event_subscriptions.bot_events).toEqual(expect.arrayContaining(["app_home_opened", "link_shared"]));
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(["links:read", "links:write"]));
    expect(m.features.unfurl_domains).toEqual(["roadmap.example.org"]);
    expectSlackAccepts(m);
    // Without PUBLIC_URL the request URL's host is the roadmap's (one HTTP server serves both).
    expect(slackManifest({ baseUrl: "https://bot.example.org" }).features.unfurl_domains).toEqual(["bot.example.org"]);
    // A host Slack cannot register (localhost, an IP) leaves previews out rather than break the manifest.
    expect(slackManifest({ socketMode: true, publicUrl: "http://localhost:8080" }).features.unfurl_domains).toBeUndefined();
    expect(slackManifest({ socketMode: true, publicUrl: "https://10.0.0.7" }).features.unfurl_domains).toBeUndefined();
    expectSlackAccepts(slackManifest({ socketMode: true, publicUrl: "http://localhost:8080" }));
    // Sign in with Slack returns people to the public pages (PUBLIC_URL), as the web's own redirect does.
    expect(slackManifest({ socketMode: true, publicUrl: "https://roadmap.example.org/" }).oauth_config.redirect_urls).toEqual(["https://roadmap.example.org/signin/slack/callback"]);
    expect(slackManifest({ socketMode: true, publicUrl: "http://localhost:8080" }).oauth_config.redirect_urls).toBeUndefined();
  });

  test("Slack shows one language to everyone: the organization's default from flywheel.yml's top-level locale", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flywheel-manifest-"));
    const config = join(dir, "flywheel.yml");
    writeFileSync(config, "locale: es\ncommunities:\n  - { slug: alpha, name: Alpha, tier: general, locale: en }\n");
    const { code, out } = await cli(["slack", "manifest", "https://bot.example.org"], { FLYWHEEL_CONFIG: config });
    expect(code).toBe(0);
    const m = parse(out) as SlackManifest;
    expectSlackAccepts(m);
    expect(m.display_information.description).toBe("Solicitudes de las comunidades ordenadas por alcance, soporte, hoja de ruta y créditos");
    expect(m.features.shortcuts[0].name).toBe("Crear una solicitud");
    const upvote = m.features.slash_commands.find((c) => c.command === "/upvote")!;
    expect(upvote.description).toBe(describeCommand(commandList().find((c) => c.name === "upvote")!, translator("es")));
    expect(upvote.description).not.toBe(describeCommand(commandList().find((c) => c.name === "upvote")!));
    // A broken flywheel.yml is named, not a stack trace.
    writeFileSync(config, "locale: xx\n");
    const bad = await cli(["slack", "manifest", "https://bot.example.org"], { FLYWHEEL_CONFIG: config });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^flywheel slack manifest: .*locale/);
  });

  test("the generated manifest keeps every documented limit, in HTTP mode, Socket Mode and with a prefix", () => {
    expectSlackAccepts(slackManifest({ baseUrl: "https://bot.example.org" }));
    expectSlackAccepts(slackManifest({ socketMode: true }));
    const prefixed = slackManifest({ baseUrl: "https://bot.example.org", prefix: "fw-" });
    expectSlackAccepts(prefixed);
    const names = prefixed.features.slash_commands.map((c) => c.command);
    expect(names).toContain("/fw-request");
    expect(names).toContain("/fw-set-status");
    // The umbrella is always there, under its own name, whatever the prefix.
    expect(names).toContain("/flywheel");
    expect(names).not.toContain("/fw-flywheel");
  });

  test("no command takes a Slack built-in name; the staff status command is /set-status", () => {
    expect(SLACK_BUILT_IN_COMMANDS).toEqual(expect.arrayContaining(["me", "status", "away", "dnd", "shrug", "remind", "msg", "feed", "who", "collapse", "expand", "leave", "join", "open", "search", "topic", "mute", "pro", "shortcuts"]));
    const names = commandList().map((c) => c.name);
    for (const n of names) expect(SLACK_BUILT_IN_COMMANDS).not.toContain(n);
    expect(names).toContain("set-status");
    expect(names).toContain("flywheel");
  });

  test("usage hints and descriptions are not clipped at 100 characters", () => {
    const m = slackManifest({ socketMode: true });
    for (const c of commandList()) {
      const declared = m.features.slash_commands.find((x) => x.command === `/${c.name}`)!;
      expect(declared.description).toBe(describeCommand(c));
      expect(declared.description).not.toMatch(/…$/);
    }
  });

  test("a manifest Slack would refuse is never printed: each broken rule is named", () => {
    const good = slackManifest({ baseUrl: "https://bot.example.org" });
    const broken: SlackManifest = {
      ...good,
      display_information: { ...good.display_information, name: "F".repeat(36), long_description: "too short" },
      features: {
        ...good.features,
        slash_commands: [
          { command: "/status", url: "https://bot.example.org/slack/events", description: "x", should_escape: false },
          { command: "/Has Space", url: "https://bot.example.org/slack/events", description: "x", should_escape: false },
          { command: `/${"a".repeat(33)}`, url: "https://bot.example.org/slack/events", description: "d".repeat(2001), usage_hint: "u".repeat(1001), should_escape: false },
          ...Array.from({ length: 50 }, (_, i) => ({ command: `/c${i}`, url: "http://bot.example.org/slack/events", description: "x", should_escape: false })),
        ],
      },
    };
    const problems = manifestProblems(broken).join("\n");
    expect(problems).toContain("app name must be 1–35");
    expect(problems).toContain("long description must be 175–4000");
    expect(problems).toContain("at most 50 slash commands");
    expect(problems).toContain("/status: Slack reserves this name");
    expect(problems).toContain("/Has Space: a command is a slash and 1–32");
    expect(problems).toContain(`/${"a".repeat(33)}: a command is a slash and 1–32`);
    expect(problems).toContain("the description must be 1–2000");
    expect(problems).toContain("the usage hint is over 1000");
    expect(problems).toContain("must start with https://");
    const domains = manifestProblems({ ...good, features: { ...good.features, unfurl_domains: ["a.org", "b.org", "c.org", "d.org", "e.org", "f.org", "localhost", "https://x.org", "127.0.0.1", "org"] } }).join("\n");
    expect(domains).toContain("at most 5 unfurl domains");
    for (const bad of ["localhost", "https://x.org", "127.0.0.1", "org"]) expect(domains).toContain(`${bad}: an unfurl domain is a host name`);
    expect(manifestProblems({ ...good, settings: { ...good.settings, socket_mode_enabled: true } })).toEqual(["Socket Mode takes no request URLs"]);
  });

  test("a prefix that makes a name too long, or a long app name, is refused with the reason, exit code 2", async () => {
    // 20 characters: /…-request-show is exactly 32 long, /…-support-stats one too many.
    const long = await cli(["slack", "manifest", "--socket-mode", "--prefix", "flywheel-community-x"]);
    expect(long.code).toBe(2);
    expect(long.out).toBe("");
    expect(long.err).toBe("flywheel slack manifest: Slack would refuse this manifest: /flywheel-community-xsupport-stats: a command is a slash and 1–32 of a-z, 0-9, _ and -");
    const name = await cli(["slack", "manifest", "--socket-mode", "--name", "An app name much longer than Slack allows"]);
    expect(name.code).toBe(2);
    expect(name.err).toContain("the app name must be 1–35 characters");
  });

  test("uses PUBLIC_URL when no base URL is given; Socket Mode needs none; SLACK_COMMAND_PREFIX names the commands", async () => {
    const fromEnv = parse((await cli(["slack", "manifest"], { PUBLIC_URL: "https://flywheel.example.com/bot" })).out) as SlackManifest;
    expect(fromEnv.settings.interactivity.request_url).toBe("https://flywheel.example.com/bot/slack/events");
    const socket = parse((await cli(["slack", "manifest", "--socket-mode"])).out) as SlackManifest;
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.interactivity.request_url).toBeUndefined();
    expect(socket.features.slash_commands.every((c) => c.url === undefined)).toBe(true);
    const prefixed = parse((await cli(["slack", "manifest", "--socket-mode"], { SLACK_COMMAND_PREFIX: "fw-" })).out) as SlackManifest;
    expect(prefixed.features.slash_commands.map((c) => c.command)).toEqual(expect.arrayContaining(["/fw-request", "/fw-upvote", "/flywheel"]));
  });

  test("--link prints Slack's one-click 'create app from manifest' link with the manifest as URL-encoded JSON", async () => {
    const { code, out } = await cli(["slack", "manifest", "--link", "https://bot.example.org"]);
    expect(code).toBe(0);
    const link = new URL(out.trim());
    expect(`${link.origin}${link.pathname}`).toBe("https://api.slack.com/apps");
    expect(link.searchParams.get("new_app")).toBe("1");
    expect(out).toContain("manifest_json=%7B");
    const m = JSON.parse(link.searchParams.get("manifest_json")!) as SlackManifest;
    expect(m).toEqual(slackManifest({ baseUrl: "https://bot.example.org" }));
    expectSlackAccepts(m);
  });

  test("a missing, bad or plain-http base URL is a clear error, exit code 2", async () => {
    const none = await cli(["slack", "manifest"]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("give the bot's public base URL");
    const bad = await cli(["slack", "manifest", "not a url"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("is not a URL");
    expect(bad.out).toBe("");
    const http = await cli(["slack", "manifest", "http://bot.example.org"]);
    expect(http.code).toBe(2);
    expect(http.err).toContain("must start with https://");
  });
});
