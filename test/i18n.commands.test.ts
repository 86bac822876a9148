// Issue #19, the commands part: every answer, button, option error and description of
// commands/ comes from the catalogs. A community whose `locale:` is es reads Spanish; one whose
// locale is the pseudo-locale en-XA reads accented text, so any run of plain Latin letters left in
// an answer is a string that skipped the catalogs (user data and command syntax aside).
import { describe as describeCommand, usageOf } from "../src/command-kit/define";
import { exampleValue } from "../src/command-kit/explain";
import { loadCommands } from "../src/command-kit/registry";
import type { Reply } from "../src/core/reply";
import { translator } from "../src/i18n/translate";
import { as, idOf } from "./helpers/actors";
import { DB_TARGETS, TEST_CONFIG_YAML, testServices, type TestEnv } from "./helpers/db";

// alpha reads Spanish, beta the pseudo-locale; gamma keeps the organization default (en).
const YAML = TEST_CONFIG_YAML.replace("tier: premier,", "tier: premier, locale: es,").replace("tier: general,", "tier: general, locale: en-XA,");

// User text in Greek, so it can never pass for catalog English nor hide a hard-coded word.
const TITLE = "Ταχύτερες εικόνες";
const OTHER = "Εξαγωγή δεδομένων";


/** Everything a person reads in a reply. */
const visible = (r: Reply): string[] => [
  r.text,
  r.title ?? "",
  ...(r.sections ?? []).flatMap((s) => [s.title ?? "", s.text ?? "", ...(s.buttons ?? []).map((b) => b.label)]),
  ...(r.buttons ?? []).map((b) => b.label),
];

/**
 * Runs of ≥2 plain Latin letters left once user data (`data`), command syntax (/command, --flag,
 * usage lines), request numbers and URLs are taken out: each one is a string that skipped the catalogs.
 */
function plainWords(texts: string[], data: string[] = []): string[] {
  return texts.flatMap((raw) => {
    let s = raw;
    for (const d of [...data].sort((a, b) => b.length - a.length)) s = s.split(d).join(" ");
    s = s
      .replace(/https?:\/\/\S+/g, " ")
      .replace(/(^|[\s(])\/[a-z][\w-]*/g, " ")
      .replace(/--[a-z]+/g, " ")
      // A link code, e.g. K7QM2XPA.
      .replace(/\b[A-Z0-9]{4,16}\b/g, " ")
      // An option's name in /help's list ("  number: …").
      .replace(/^\s+[a-z][\w-]*:/gm, " ");
    return s.match(/[A-Za-z]{2,}/g) ?? [];
  });
}

describe.each(DB_TARGETS)("commands speak the community's language, on %s", (target) => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await testServices(target, YAML);
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  test("Spanish (alpha): answers, buttons, sections and option errors", async () => {
    const ana = as(t.services, "ana", "alpha");
    const carol = as(t.services, "carol", "alpha");
    const filed = await ana(`/request ${TITLE} | Για τις εξετάσεις`);
    const id = idOf(filed);
    expect(filed.text).toBe(`Registré #${id} ${TITLE}. Tu voto cuenta para alpha; otras personas pueden usar /upvote ${id}.`);
    expect((await ana(`/upvote ${id}`)).text).toBe(`Ya votaste por #${id}.`);
    const unvoted = await ana(`/unvote ${id}`);
    expect(unvoted.text).toBe(`Retiraste tu voto por #${id}.`);
    expect(unvoted.buttons?.map((b) => b.label)).toEqual(["Volver a votar"]);
    expect((await ana(`/unvote ${id}`)).text).toBe(`No habías votado por #${id}.`);
    const fed = await ana(`/feedback ${id} Το χρειαζόμαστε`);
    expect(fed.text).toBe(`Gracias, tu comentario quedó en #${id}.`);
    expect(fed.buttons?.map((b) => b.label)).toEqual(["Detalles"]);

    const similar = await ana(`/request ${TITLE}`);
    expect(similar.text).toContain("Ya hay solicitudes parecidas abiertas.");
    expect(similar.sections?.[0].buttons?.[0].label).toBe(`Votar por #${id}`);
    expect(similar.buttons?.[0].label).toBe("Registrarla de todos modos");

    const list = await ana("/requests");
    expect(list.text.split("\n")[0]).toBe("Solicitudes abiertas (1–1 de 1):");
    expect((await ana("/requests shipped")).text).toBe("Todavía no hay solicitudes entregadas. Registra una con /request <title>.");
    expect((await ana("/requests --community nowhere")).text).toBe('No existe la comunidad "nowhere".');

    const show = await ana(`/request-show ${id}`);
    expect(show.text).toMatch(/\nPedida por .+ el \d\d\/\d\d\/\d{4}\n/);
    expect(show.text).toContain("La quieren 0 comunidades · 0 votos: nadie todavía");
    expect(show.sections?.map((s) => s.title)).toEqual(["Comunidades", "Comentarios"]);

    // Plurals come from the catalog, in Spanish grammar.
    await as(t.services, "bob", "beta")(`/upvote ${id}`);
    await ana(`/upvote ${id}`);
    expect((await ana(`/request-show ${id}`)).text).toContain("La quieren 2 comunidades · 2 votos: Alpha University (1 miembro) y Beta College (1 miembro)");

    // Option errors from the commands' schemas, in the asker's language.
    expect((await ana("/request ab")).text).toMatch(/^El título necesita al menos 3 caracteres\.\n/);
    expect((await ana(`/request ${"x".repeat(130)}`)).text).toMatch(/^El título puede tener como máximo 120 caracteres;/);
    expect((await ana(`/feedback ${id}`)).text).toMatch(/^Escribe tu comentario después del número/);
    expect((await carol(`/edit ${id} title ab`)).text).toMatch(/^Un título tiene entre 3 y 120 caracteres\.\n/);
    expect((await carol(`/pledge ${id} 1.005`)).text).toMatch(/^Usa como máximo dos decimales\.\n/);

    expect((await carol(`/edit ${id} details Νέες λεπτομέρειες`)).text).toBe(`Se actualizaron los detalles de #${id}.`);
    expect((await carol(`/pledge ${id} 12500 --community alpha`)).text).toBe(`Alpha University se compromete con 12.500 USD para #${id}. ¡Gracias!`);
    expect((await carol(`/set-status ${id} planned`)).text).toMatch(new RegExp(`^#${id} ahora está en estado `));
    const second = idOf(await ana(`/request ${OTHER}`));
    expect((await carol(`/merge ${second} into ${id}`)).text).toBe(
      `#${second} se fusionó con #${id}: se trasladaron 0 votos (1 persona había votado en ambas y cuenta una sola vez), y también 0 compromisos y 0 comentarios.`,
    );
    expect((await ana(`/upvote ${second}`)).text).toBe(`#${second} se fusionó con #${id}, así que: Ya votaste por #${id}.`);

    expect((await ana("/link")).text).toMatch(/^Tu código de vinculación es \S+\. En menos de 15 minutos, escribe \/link \S+ en tu otra cuenta/);
    const help = await ana("/help");
    expect(help.text).toContain("Comandos de Flywheel:");
    expect(help.text).toContain("/upvote <number> — Vota por una solicitud en nombre de tu comunidad");
    expect((await ana("/help feedback")).text).toContain("number: Número de la solicitud (obligatorio)");
    expect((await ana("/help frobnicate")).text).toBe("No hay ningún /frobnicate que puedas usar. Escribe /help para ver la lista.");
    // A bare /flywheel is an option error like any other, with its usage line.
    expect((await ana("/flywheel")).text).toBe("Indica «command» (el comando que quieres ejecutar, p. ej. upvote), por ejemplo `/flywheel upvote`.\nUso: /flywheel <command> [text]");
    expect((await ana("/digest beta")).text).toBe("Puedes ver la vista previa del resumen de tu comunidad (/digest alpha); solo el personal puede ver el de otras.");
  });

  test("the organization default (gamma has no locale: English) is untouched", async () => {
    const gil = as(t.services, "gil", "gamma");
    const id = idOf(await gil(`/request ${TITLE}`));
    expect((await gil(`/upvote ${id}`)).text).toBe(`You already voted for #${id}.`);
    expect((await gil("/request ab")).text).toMatch(/^The title needs at least 3 characters\.\n/);
  });

  test("en-XA (beta): no plain English word is left in any answer of this part's commands", async () => {
    const bob = as(t.services, "bob", "beta");
    const carol = as(t.services, "carol", "beta");
    const id = idOf(await bob(`/request ${TITLE} | Για τις εξετάσεις`));
    const second = idOf(await bob(`/request ${OTHER} --force`));
    // Command syntax and user data: taken out before looking.
    const syntax = ["/digest send <community>", "/digest <community>", "/request <title>", "/flywheel <command> [text]", "/flywheel upvote 12", "/flywheel upvote", "/flywheel help", "command"];
    // /ticket's actions, priorities and ratings are words a person types, named as they are.
    const ticketWords = ["show", "claim", "assign", "priority", "escalate", "waiting", "resolve", "close", "reopen", "note", "reply", "rate", "use", "low", "normal", "high", "urgent", "not-helpful", "helpful", "zap", "meh", "now", "huge"];
    const data = ["bob", "carol", "beta", "alpha", "nowhere", "Beta College", "Alpha University", "USD", ...syntax, ...ticketWords];
    const lines = [
      `/request ${TITLE}`,
      `/upvote ${id}`,
      `/unvote ${id}`,
      `/unvote ${id}`,
      `/upvote ${id}`,
      `/feedback ${id} Καλό`,
      `/feedback ${id}`,
      `/request-show ${id}`,
      "/requests shipped",
      "/requests --community nowhere",
      "/requests --page 9",
      "/request ab",
      "/link",
      "/help",
      "/help upvote",
      "/help frobnicate",
      "/flywheel",
      "/digest alpha",
      "/credits --since 2026-01-01-01-01-01-01-01",
      "/ticket zap 1",
      "/ticket rate 1",
      "/ticket rate 1 meh",
      "/ticket claim 1 now",
      "/ticket priority 1 huge",
      "/ticket note 1",
      `/support ${TITLE} | Για τις εξετάσεις`,
      "/support-stats",
      "/support-stats --since 3x",
    ];
    const staffLines = [
      `/edit ${id} title Νέος τίτλος`,
      `/edit ${id} title ab`,
      `/pledge ${id} 500 Μισό κόστος`,
      `/pledge ${id} 700`,
      `/pledge ${id} 0`,
      `/pledge ${id} 0`,
      `/pledge ${id} 1.005`,
      `/set-status ${id} planned`,
      `/set-status ${id} planned`,
      "/digest send",
      `/merge ${second} into ${id}`,
      `/upvote ${second}`,
      "/steward bob nowhere",
      "/steward bob beta",
      "/steward bob beta --remove",
      `/github link ${id}`,
      "/support-stats",
    ];
    // The sweep covers every command there is: a new command joins it or this fails.
    const swept = new Set([...lines, ...staffLines].map((l) => l.slice(1).split(" ")[0]));
    expect([...loadCommands().keys()].filter((name) => !swept.has(name))).toEqual([]);
    const found: Record<string, string[]> = {};
    for (const [who, run, batch] of [["bob", bob, lines], ["carol", carol, staffLines]] as const)
      for (const line of batch) {
        const r = await run(line);
        // Usage lines (after an option error) and /help's are command syntax, like names.
        const syntax = [...loadCommands().values()].map((c) => usageOf(c)).filter(Boolean);
        const words = plainWords(visible(r), [...data, ...syntax, "Usage:"]);
        if (words.length) found[`${who}: ${line}`] = words;
      }
    expect(found).toEqual({});
  });

  test("Spanish (alpha): /ticket's option errors", async () => {
    const ana = as(t.services, "ana", "alpha");
    const first = async (line: string) => (await ana(line)).text.split("\n")[0];
    expect(await first("/ticket frob 1")).toBe("Elige una acción: show, claim, assign, priority, escalate, waiting, resolve, close, reopen, note, reply, rate, use.");
    expect(await first("/ticket rate 1")).toBe("/ticket rate necesita tu valoración, helpful o not-helpful.");
    expect(await first("/ticket assign 1")).toBe("/ticket assign necesita a quién asignarlo, p. ej. /ticket assign 12 @sam.");
    expect(await first("/ticket claim 1 ya")).toBe("/ticket claim solo lleva un número de ticket; no esperaba «ya».");
    expect(await first("/ticket priority 1 enorme")).toBe("La prioridad debe ser una de estas: low, normal, high, urgent.");
    expect(await first("/ticket rate 1 bien")).toBe("Valóralo con helpful o not-helpful.");
    // Examples in words (used by option errors) read in the asker's language; typed values stay as they are.
    const title = loadCommands().get("request")!.options.find((o) => o.name === "title")!;
    expect(exampleValue(title, translator("es"))).toBe("Compilaciones de imágenes más rápidas");
    expect(exampleValue(title, translator("en"))).toBe("Faster image builds");
    expect(exampleValue(loadCommands().get("upvote")!.options[0], translator("es"))).toBe("12");
    const gil = as(t.services, "gil", "gamma");
    expect((await gil("/ticket rate 1")).text.split("\n")[0]).toBe("/ticket rate needs your rating, helpful or not-helpful.");
  });

  test("every command and option description reads in the reader's language", () => {
    for (const c of loadCommands().values()) {
      for (const d of [c, ...c.options]) {
        expect({ command: c.name, key: d.descriptionKey !== undefined }).toEqual({ command: c.name, key: true });
        const es = describeCommand(d, translator("es"));
        expect(es).not.toBe(describeCommand(d));
      }
    }
  });
});
