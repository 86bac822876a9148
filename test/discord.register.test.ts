import { ApplicationCommandOptionType, ApplicationCommandType, Locale } from "discord.js";
import { runCli } from "../src/cli/program";
import { loadEnv } from "../src/config/env";
import { commandList } from "../src/command-kit/registry";
import { applicationCommands } from "../src/platforms/discord/register";
import { APP_ID, BOT_TOKEN, DiscordStandIn } from "./standins/discord";

const byName = (name: string) => applicationCommands().find((c) => c.name === name)!;

describe("Discord application commands are generated from commands/", () => {
  test("every command is there, as a chat-input command with a valid name and description", () => {
    const json = applicationCommands();
    expect(json.map((c) => c.name).sort()).toEqual(commandList().map((c) => c.name).sort());
    for (const c of json) {
      expect(c.type).toBe(ApplicationCommandType.ChatInput);
      expect(c.name).toMatch(/^[-_a-z0-9]{1,32}$/);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      // Discord rejects a required option after an optional one.
      const required = (c.options ?? []).map((o) => Boolean(o.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });

  test("options carry their types, limits, choices and autocomplete", () => {
    expect(byName("upvote").options).toEqual([
      {
        name: "number",
        description: "Request number, e.g. 12",
        description_localizations: { "es-ES": "Número de la solicitud, p. ej. 12", "es-419": "Número de la solicitud, p. ej. 12" },
        required: true,
        type: ApplicationCommandOptionType.Integer,
        min_value: 1,
        autocomplete: true,
      },
    ]);
    const requests = byName("requests").options!;
    expect(requests.find((o) => o.name === "status")).toMatchObject({
      type: ApplicationCommandOptionType.String,
      required: false,
      choices: [
        { name: "open", value: "open" },
        { name: "planned", value: "planned" },
        { name: "in progress", value: "in_progress" },
        { name: "shipped", value: "shipped" },
        { name: "declined", value: "declined" },
      ],
    });
    expect(requests.find((o) => o.name === "community")).toMatchObject({ type: ApplicationCommandOptionType.String, autocomplete: true });
    expect(requests.find((o) => o.name === "page")).toMatchObject({ type: ApplicationCommandOptionType.Integer, min_value: 1 });
    // /request has a modal, so its options are optional on Discord: the bare command opens the form.
    expect(byName("request").options).toEqual([
      expect.objectContaining({ name: "title", type: ApplicationCommandOptionType.String, required: false, min_length: 3, max_length: 120 }),
      expect.objectContaining({ name: "details", type: ApplicationCommandOptionType.String, required: false, max_length: 4000 }),
      expect.objectContaining({ name: "force", type: ApplicationCommandOptionType.Boolean, required: false }),
    ]);
  });
});

describe("descriptions in every language Discord and Flywheel both speak", () => {
  // Discord's rules (https://discord.com/developers/docs/reference#locales and
  // https://discord.com/developers/docs/interactions/application-commands#localization): keys of
  // description_localizations come from its locale list, each value 1–100 characters.
  const discordLocales = new Set<string>(Object.values(Locale));

  test("Spanish goes to es-ES and es-419, the pseudo-locale never; the names stay English", () => {
    const upvote = byName("upvote");
    expect(upvote.name).toBe("upvote");
    expect(upvote.description).toBe("Vote for a feature request on behalf of your community");
    expect(upvote.description_localizations).toEqual({
      "es-ES": "Vota por una solicitud en nombre de tu comunidad",
      "es-419": "Vota por una solicitud en nombre de tu comunidad",
    });
    expect(byName("request").options!.find((o) => o.name === "title")!.description_localizations).toEqual({
      "es-ES": "Qué necesitas, en 3 a 120 caracteres",
      "es-419": "Qué necesitas, en 3 a 120 caracteres",
    });
  });

  test("every localization is for a Discord locale, 1–100 characters, and not the English text", () => {
    const described = applicationCommands().flatMap((c) => [c, ...(c.options ?? [])]);
    for (const d of described) {
      for (const [locale, text] of Object.entries(d.description_localizations ?? {})) {
        expect({ locale, known: discordLocales.has(locale) }).toEqual({ locale, known: true });
        expect(text!.length).toBeGreaterThan(0);
        expect(text!.length).toBeLessThanOrEqual(100);
        expect(text).not.toBe(d.description);
      }
      expect(Object.keys(d.description_localizations ?? {})).not.toContain("en-XA");
    }
    // Every command of this part speaks Spanish on Discord.
    const spanish = applicationCommands().filter((c) => c.description_localizations?.["es-ES"]).map((c) => c.name);
    expect(spanish).toEqual(expect.arrayContaining(["credits", "digest", "edit", "feedback", "flywheel", "github", "help", "link", "merge", "pledge", "request", "request-show", "requests", "set-status", "steward", "unvote", "upvote"]));
  });
});

describe("flywheel discord register (npm run discord:register)", () => {
  let d: DiscordStandIn;
  beforeAll(async () => {
    d = await DiscordStandIn.start([]);
  });
  afterAll(() => d.stop());

  const run = async (argv: string[], vars: Record<string, string>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env: loadEnv({ DISCORD_API_URL: d.apiUrl, ...vars }) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const creds = { DISCORD_TOKEN: BOT_TOKEN, DISCORD_APPLICATION_ID: APP_ID };

  test("registers to the guild in DISCORD_GUILD_ID, replacing the whole set", async () => {
    const r = await run(["discord", "register"], { ...creds, DISCORD_GUILD_ID: "100000000000000001" });
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain(`Registered ${commandList().length} commands to guild 100000000000000001`);
    const put = await d.waitFor((c) => c.method === "PUT" && c.path === `/applications/${APP_ID}/guilds/100000000000000001/commands`);
    expect(put.authorization).toBe(`Bot ${BOT_TOKEN}`);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(applicationCommands())));
  });

  test("registers globally without a guild, or with --global", async () => {
    expect((await run(["discord", "register"], creds)).code).toBe(0);
    expect((await run(["discord", "register", "--global"], { ...creds, DISCORD_GUILD_ID: "100000000000000001" })).out).toContain("globally");
    expect(d.calls.filter((c) => c.method === "PUT" && c.path === `/applications/${APP_ID}/commands`)).toHaveLength(2);
  });

  test("clear errors: missing credentials, a bad guild id, Discord refusing (without the token in the message)", async () => {
    const missing = await run(["discord", "register"], {});
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
    const badGuild = await run(["discord", "register", "--guild", "general"], creds);
    expect(badGuild.code).toBe(2);
    expect(badGuild.err).toContain("expected a Discord guild id");
    d.failNext((c) => c.method === "PUT", { status: 403, body: { message: "Missing Access", code: 50001 } });
    const refused = await run(["discord", "register", "--guild", "100000000000000007"], creds);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("Missing Access");
    expect(refused.err).not.toContain(BOT_TOKEN);
  });
});
