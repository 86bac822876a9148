import { PassThrough } from "node:stream";
import { ApplicationCommandOptionType, Locale } from "discord.js";
import { loadCommands } from "../src/command-kit/registry";
import { translatorForPlace } from "../src/core/people/locale";
import { translator } from "../src/i18n/translate";
import { renderModal as renderDiscordModal } from "../src/platforms/discord/render";
import { renderModal as renderSlackModal } from "../src/platforms/slack/render";
import { shellDeliverer } from "../src/platforms/shell/deliverer";
import { startRepl } from "../src/platforms/shell/repl";
import { DB_TARGETS, TEST_CONFIG_YAML, testServices } from "./helpers/db";
import { ana, discordTestApp } from "./helpers/discord";
import { ANA, postCommand, slashCommand, startSlackHarness } from "./helpers/slack";

/** The test communities, with alpha reading the given language. */
const alphaSpeaks = (locale: string, yaml = TEST_CONFIG_YAML) => yaml.replace("{ slug: alpha,", `{ slug: alpha, locale: ${locale},`);

/**
 * What is left of a text once the parts that may stay as they are are taken out: command lines
 * and flags (commands keep their English names), `code` examples, <placeholders>, and the user
 * data and identifiers the test names. In en-XA every catalog word is accented, so any run of
 * plain Latin letters left is a string that did not come through a catalog.
 */
function latinLeft(text: string, keep: string[] = []): string[] {
  let rest = text;
  for (const k of [...keep].sort((a, b) => b.length - a.length)) rest = rest.split(k).join(" ");
  rest = rest.replace(/`[^`]*`/g, " ").replace(/<[^>]*>/g, " ").replace(/(^|[\s("«[])(\/|--|#|@)[\w-]+/g, "$1 ");
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

/** A terminal session: the lines typed, everything the terminal printed. */
async function terminal(yaml: string, target: string, who: { name: string; community?: string }, lines: string[]): Promise<string> {
  const env = await testServices(target, yaml);
  try {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (c: Buffer) => (printed += c.toString("utf8")));
    const done = startRepl(env.services, { input, output }, who);
    for (const l of lines) input.write(`${l}\n`);
    input.end();
    await done;
    return printed;
  } finally {
    await env.close();
  }
}

describe.each(DB_TARGETS)("the platforms speak the reader's language, on %s", (target) => {
  test("the terminal speaks its community's Spanish: greeting, /as, option errors and what it prints from the outbox", async () => {
    const out = await terminal(alphaSpeaks("es"), target, { name: "dana", community: "alpha" }, ["/as", "/as eve nowhere", "/upvote 1 --colour red", "/as eve alpha"]);
    expect(out).toContain("Terminal de Flywheel. Eres dana, en alpha. Comunidades: alpha, beta, gamma. Escribe /help, o /as <name> [community] para cambiar de persona, /quit para salir.");
    expect(out).toContain("Uso: /as <name> [community] cambia quién escribe; por ejemplo, /as bob o /as bob alpha (comunidades: alpha, beta, gamma).");
    expect(out).toContain("✗ No existe la comunidad «nowhere». Comunidades: alpha, beta, gamma. No cambió nada.");
    expect(out).toMatch(/No conozco la opción --colour\.[^\n]*\nUso: \/upvote/);
    expect(out).toContain("Ahora eres eve, en alpha.");
    expect(out).not.toMatch(/You are|Usage:|I don't know/);

    // A terminal place names no community to the outbox: it reads the organization's language.
    const env = await testServices(target, `locale: es\n${TEST_CONFIG_YAML}`);
    try {
      const printed: string[] = [];
      const deliverer = shellDeliverer((s) => printed.push(s), (place) => translatorForPlace(env.config, place));
      const place = { platform: "shell" as const, workspace: undefined, channel: "C0ALPHA" };
      await deliverer.deliver({ id: 1, key: "k", place: { ...place, thread: "12" }, reply: { text: "Hola equipo" }, editExternalId: "shell-0", attempt: 1 } as never);
      expect(printed.join("")).toContain("📣 para #C0ALPHA (hilo 12) (actualizado): Hola equipo");
    } finally {
      await env.close();
    }
  });

  test("in en-XA the terminal shows no word that did not come from a catalog (user data and command names aside)", async () => {
    const out = await terminal(alphaSpeaks("en-XA"), target, { name: "dana", community: "alpha" }, ["/as", "/as eve nowhere", "/upvote 1 --colour red", "/upvote 1 2 3", "/as eve alpha"]);
    const left = latinLeft(out, ["dana", "eve", "nowhere", "alpha", "beta", "gamma", "Flywheel", "name", "community", "bob", "flywheel>"]);
    expect(left).toEqual([]);
    expect(out).toContain("[Ƈǿǿḿḿŭŭƞīīŧīīḗḗş: alpha, beta, gamma.]");
  });

  test("Discord: the interaction's locale picks the answer's language, before its server's community's", async () => {
    const t = await discordTestApp(target, { yaml: alphaSpeaks("en") });
    try {
      const spanish = { ...ana, locale: Locale.SpanishES };
      const button = await t.d.answer(t.d.click(spanish, "someone-elses-button"));
      expect(button.data.embeds[0].description).toBe("No reconozco ese botón (puede ser de un mensaje antiguo). Vuelve a ejecutar el comando.");
      const form = await t.d.answer(t.d.submitModal(spanish, "fwm:", { title: "x" }));
      expect(form.data.embeds[0].description).toContain("No reconozco ese formulario");
      const short = await t.d.answer(
        t.d.slash(spanish, "request", [
          { name: "title", type: ApplicationCommandOptionType.String, value: "ab" },
          { name: "details", type: ApplicationCommandOptionType.String, value: "Detalles" },
        ]),
      );
      expect(short.data.embeds[0].description).toContain("\nUso: /request <title>");
      const unknown = await t.d.answer(t.d.slash(spanish, "flywheel", [{ name: "command", type: ApplicationCommandOptionType.String, value: "upvote" }, { name: "text", type: ApplicationCommandOptionType.String, value: "1 --colour red" }]));
      expect(unknown.data.embeds[0].description).toMatch(/^No conozco la opción --colour\.[^\n]*\nUso: \/upvote/);
      // The same person with an English client reads English.
      const english = await t.d.answer(t.d.click(ana, "someone-elses-button"));
      expect(english.data.embeds[0].description).toContain("That button isn't one I know");

      // A client in en-XA (not a Discord locale, but a string like any): nothing un-cataloged shows.
      const xa = { ...ana, locale: "en-XA" as Locale };
      for (const id of [
        t.d.click(xa, "someone-elses-button"),
        t.d.submitModal(xa, "fwm:", { title: "x" }),
        t.d.slash(xa, "flywheel", [{ name: "command", type: ApplicationCommandOptionType.String, value: "upvote" }, { name: "text", type: ApplicationCommandOptionType.String, value: "1 --colour red" }]),
      ]) {
        const text = (await t.d.answer(id)).data.embeds[0].description as string;
        expect({ text, left: latinLeft(text, ["number"]) }).toEqual({ text, left: [] });
      }
    } finally {
      await t.close();
    }
  });

  test("Slack: the user's locale from users.info (include_locale) picks the answer's language and the form's buttons", async () => {
    const h = await startSlackHarness(target);
    try {
      h.standin.people.set(ANA.user, { name: "ana", locale: "es-LA" });
      let n = 0;
      const ask = async (command: string, text: string) => {
        const url = h.standin.responseUrl(`es${++n}`);
        await postCommand(h.url, slashCommand(ANA, command, text, url));
        return h.standin.waitFor(() => h.standin.responses.find((r) => url.endsWith(`/${r.id}`))?.body);
      };
      const answer = JSON.stringify(await ask("/upvote", "1 --colour red"));
      expect(answer).toContain("No conozco la opción --colour.");
      expect(answer).toContain("Uso: /upvote");
      expect(h.standin.callsOf("users.info").map((c) => String(c.args.include_locale))).toContain("true");

      // Once the language is known, a form opens in it at once (no waiting on Slack's 3 seconds).
      await postCommand(h.url, slashCommand(ANA, "/request", "", h.standin.responseUrl(`es${++n}`)));
      const opened = await h.standin.waitFor(() => h.standin.callsOf("views.open")[0]);
      const view = (typeof opened.args.view === "string" ? JSON.parse(opened.args.view) : opened.args.view) as { submit?: { text: string }; close: { text: string } };
      expect(view.close.text).toBe("Cancelar");
    } finally {
      await h.close();
    }
  });
});

describe("forms", () => {
  test("the /request and /support forms read in the reader's language on Slack and Discord", () => {
    const forms = ["request", "support"].map((name) => loadCommands().get(name)!.modal!);
    const es = translator("es");
    expect(renderSlackModal(forms[0], {}, es).title.text).toBe("Nueva solicitud");
    expect(renderDiscordModal(forms[1], es)!.title).toBe("Pedir ayuda");
    const xa = translator("en-XA");
    for (const form of forms) {
      const slack = renderSlackModal(form, {}, xa);
      const discord = renderDiscordModal(form, xa)!;
      const seen = [
        slack.title.text,
        slack.submit?.text ?? "",
        ...slack.blocks.flatMap((b) => {
          const input = b as { label?: { text: string }; element?: { placeholder?: { text: string } } };
          return [input.label?.text ?? "", input.element?.placeholder?.text ?? ""];
        }),
        discord.title,
        ...discord.components.flatMap((c) => ("label" in c ? [String(c.label), String((c as { component?: { placeholder?: string } }).component?.placeholder ?? "")] : [])),
      ];
      expect({ form: form.command, left: seen.flatMap((s) => latinLeft(s)) }).toEqual({ form: form.command, left: [] });
    }
  });
});
