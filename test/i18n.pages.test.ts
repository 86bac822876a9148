import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildDigest, communityBySlug, describeOutcome } from "../src/core/digest/digest";
import { parseWeek } from "../src/core/weeks";
import type { Db } from "../src/db/client";
import { translator } from "../src/i18n/translate";
import { DB_TARGETS, testServices, type TestEnv } from "./helpers/db";
import { DIGEST_CONFIG_YAML, seedDigestWeek } from "./helpers/digest-seed";
import { startRoadmapApp, type RunningApp } from "./helpers/roadmap-app";
import { ROADMAP_CONFIG_YAML, seedRoadmap, type Seeded } from "./helpers/roadmap-seed";

/**
 * The pages area in other languages: the weekly digest speaks its community's language (a
 * channel post), the public roadmap the browser's. In en-XA every catalog text is accented, so
 * a run of plain ASCII letters left on screen is a word that did not come from a catalog.
 */

const ARTIFACTS = join(__dirname, "..", "test-artifacts");
const artifact = (name: string, body: string) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), body);
};

/** alpha speaks `locale`; beta and gamma keep the organization's default (en). */
const withAlphaLocale = (yaml: string, locale: string) => yaml.replace("slug: alpha,", `slug: alpha, locale: ${locale},`);

/**
 * Everything people wrote or named, as stored: titles, details, reasons, names, logins, repos.
 * Private communities are shown as "a Premier member" by people/visibility, outside this area's
 * catalogs (the requests area converts it); they are treated as names here.
 */
async function userData(db: Db, extra: string[] = []): Promise<string[]> {
  const [requests, changes, communities, people, items, credits] = await Promise.all([
    db.featureRequest.findMany({ select: { title: true, body: true } }),
    db.statusChange.findMany({ select: { reason: true } }),
    db.community.findMany({ select: { name: true, slug: true } }),
    db.person.findMany({ select: { displayName: true } }),
    db.githubItem.findMany({ select: { repo: true, title: true } }),
    db.contribution.findMany({ select: { githubLogin: true } }),
  ]);
  return [
    ...requests.flatMap((r) => [r.title, r.body]),
    ...changes.map((c) => c.reason),
    ...communities.flatMap((c) => [c.name, c.slug]),
    ...people.map((p) => p.displayName),
    ...items.flatMap((i) => [i.repo, i.title]),
    ...credits.map((c) => c.githubLogin),
    ...["a Premier member", "a General member", "an Essential member"].flatMap((s) => [s, s[0].toUpperCase() + s.slice(1)]),
    ...extra,
  ].filter((s): s is string => !!s && s.trim().length > 0);
}

/** Runs of two or more plain ASCII letters left once user data, paths and URLs are taken out. */
function untranslated(text: string, data: string[]): string[] {
  let rest = text;
  for (const d of [...new Set(data)].sort((a, b) => b.length - a.length)) rest = rest.split(d).join(" ");
  rest = rest.replace(/(?:https?:\/\/|\/)[^\s<>"()]*/g, " ");
  return [...new Set(rest.match(/[A-Za-z]{2,}/g) ?? [])];
}

/** What a reader sees of a page: its text and the attributes read aloud or shown (labels, tooltips, placeholders). */
function visibleText(page: string): string {
  const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  const attributes = [...page.matchAll(/\s(?:aria-label|placeholder|title)="([^"]*)"/g)].map((m) => m[1]);
  const text = page.replace(/<head>[\s\S]*?<title>([\s\S]*?)<\/title>[\s\S]*?<\/head>/, " $1 ").replace(/<!doctype[^>]*>/i, " ").replace(/<[^>]*>/g, " ");
  return decode([text, ...attributes].join("\n"));
}

describe.each(DB_TARGETS)("the weekly digest in its community's language on %s", (target) => {
  let es: TestEnv;
  let xa: TestEnv;
  const w48 = parseWeek("2026-W48", "Europe/Paris");

  beforeAll(async () => {
    [es, xa] = await Promise.all([testServices(target, withAlphaLocale(DIGEST_CONFIG_YAML, "es")), testServices(target, withAlphaLocale(DIGEST_CONFIG_YAML, "en-XA"))]);
    await Promise.all([seedDigestWeek(es.services.db), seedDigestWeek(xa.services.db)]);
  });
  afterAll(async () => {
    await Promise.all([es?.close(), xa?.close()]);
  });

  test("a community with locale: es gets its digest in Spanish; people's words stay as written", async () => {
    const { reply } = await buildDigest(es.services, await communityBySlug(es.services, "alpha"), w48);
    artifact("digest.es.txt", `${reply.title}\n\n${reply.text}\n`);
    expect(reply.title).toBe("Resumen semanal · Alpha University · 23–29 nov 2026");
    expect(reply.sections!.map((s) => s.title)).toEqual(["Solicitudes nuevas", "Las más pedidas", "Cambios de estado", "Compromisos", "Soporte de Alpha University", "Gracias"]);
    expect(reply.text).toContain("Resumen semanal de Flywheel para Alpha University, 23–29 nov 2026 (2026-W48).");
    expect(reply.text).toContain("#2 Dark mode — de Beta College");
    expect(reply.text).toContain("#1 Faster image builds — 3 comunidades · 3 votos · 1 compromiso — abierta (+2 votos esta semana)");
    expect(reply.text).toContain("🚀 #4 Audit log ya está disponible — gracias a ana, @octo-dev y amir");
    expect(reply.text).toContain("#5 CSV export: abierta → planificada");
    expect(reply.text).toContain("#8 Duplicate of dark mode se fusionó con #2");
    expect(reply.text).toContain("Alpha University comprometió 500 USD para #1 Faster image builds");
    expect(reply.text).toContain("Abiertos: 2 · Resueltos: 2 · Mediana de primera respuesta: 2h 00m");
    expect(reply.text).toMatch(/🙏 ana — 2 aportes \(código, documentación\)/);
    expect(reply.buttons).toEqual([{ label: "Solicitudes abiertas", command: "requests open" }]);
  });

  test("a community without a locale keeps the organization's English in the same run", async () => {
    const { reply } = await buildDigest(es.services, await communityBySlug(es.services, "beta"), parseWeek("2026-W48", "UTC"));
    expect(reply.title).toBe("Weekly digest · Beta College · 23–29 Nov 2026");
    expect(reply.sections![0].title).toBe("New requests");
  });

  test("what /digest send answers reads in the asker's language", async () => {
    const alpha = await communityBySlug(es.services, "alpha");
    const outcome = { kind: "posted" as const, week: w48, places: [{ platform: "slack" as const, channel: "C0ALPHA" }, { platform: "shell" as const, channel: "alpha" }] };
    expect(describeOutcome(translator("es"), alpha, outcome)).toBe(
      "Se puso en cola el resumen de Alpha University de la semana 2026-W48 (23–29 nov 2026) para el canal C0ALPHA de Slack y la terminal; se entrega en un momento. Esa semana no se volverá a publicar.",
    );
    expect(describeOutcome(translator("es"), alpha, { kind: "empty", week: w48 })).toBe(
      "No pasó nada en Alpha University en la semana 2026-W48 (23–29 nov 2026), así que no hay nada que publicar.",
    );
  });

  test("in en-XA no word of the digest escapes the catalogs", async () => {
    const { reply } = await buildDigest(xa.services, await communityBySlug(xa.services, "alpha"), w48);
    const data = await userData(xa.services.db, ["USD", "ana", "amir", "bob", "gia"]);
    const shown = [reply.title, reply.text, ...reply.sections!.flatMap((s) => [s.title, s.text, ...(s.fields ?? []).flatMap((f) => [f.label, f.value])]), ...(reply.buttons ?? []).map((b) => b.label)].join("\n");
    expect(reply.title).toMatch(/^\[.*\]$/);
    expect(untranslated(shown, data)).toEqual([]);
  });
});

describe.each(DB_TARGETS)("the public roadmap in the browser's language on %s", (target) => {
  let r: RunningApp;
  let s: Seeded;
  const get = async (path: string, language: string) => {
    const res = await fetch(r.base + path, { headers: { "accept-language": language } });
    return { res, body: await res.text() };
  };

  beforeAll(async () => {
    r = await startRoadmapApp(target, ROADMAP_CONFIG_YAML);
    s = await seedRoadmap(r.app.services.db, r.clock.now());
  });
  afterAll(() => r.close());

  test("Accept-Language: es-MX gets Spanish pages, <html lang> and Vary", async () => {
    const overview = await get("/roadmap", "es-MX,es;q=0.9,en;q=0.5");
    artifact("roadmap.es.html", overview.body);
    expect(overview.res.status).toBe(200);
    expect(overview.res.headers.get("vary")).toBe("Accept-Language");
    expect(overview.body).toContain('<html lang="es">');
    expect(overview.body).toContain("<title>Hoja de ruta</title>");
    expect(overview.body).toMatch(/Planificadas <span class="muted">\(\d+\)<\/span>/);
    expect(overview.body).toContain("Lanzadas en los últimos 90 días");
    expect(overview.body).toContain("Las más pedidas");
    expect(overview.body).toContain("La quieren Alpha University");
    expect(overview.body).toContain('placeholder="Palabras del título o de los detalles"');

    const detail = await get(`/roadmap/${s.sso}`, "es");
    const builds = await get(`/roadmap/${s.builds}`, "es");
    expect(builds.body).toMatch(/abierta → <strong>planificada<\/strong> por el equipo: Scheduled for the winter release/);
    expect(builds.body).toMatch(/planificada → <strong>en curso<\/strong> desde GitHub \(<a [^>]*>origen<\/a>\)/);
    expect(detail.body).toContain("<dt>Alcance ponderado</dt>");
    expect(detail.body).toContain("<h2>Historial</h2>");
    expect(detail.body).toContain(`<title>#${s.sso} Single sign-on with SAML — Hoja de ruta</title>`);

    const list = await get("/roadmap?status=shipped", "es");
    expect(list.body).toContain("<h1>Solicitudes lanzadas</h1>");
    expect(list.body).toMatch(/las más recientes primero/);

    // An English browser, the same URL: English, and the cache keeps both apart (Vary).
    const english = await get("/roadmap", "en-GB,en;q=0.8");
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain("Shipped in the last 90 days");
    expect(english.res.headers.get("etag")).not.toBe(overview.res.headers.get("etag"));
  });

  test("errors, the feed and the API's messages follow the reader's language too", async () => {
    const bad = await get("/roadmap?page=0", "es");
    expect(bad.res.status).toBe(400);
    expect(bad.body).toContain("Las páginas empiezan en 1.");
    expect((await get("/roadmap?community=gamma", "es")).body).toContain("No hay ninguna comunidad «gamma» en la hoja de ruta pública.");
    expect((await get("/roadmap/424242", "es")).body).toContain("No existe la solicitud #424242.");
    const api = await get("/api/requests/abc", "es");
    expect(api.res.headers.get("vary")).toBe("Accept-Language");
    expect(JSON.parse(api.body)).toEqual({ error: "Los números de solicitud son enteros, por ejemplo /api/requests/12." });
    // The API's keys and values stay as they are: only sentences for people change.
    const json = JSON.parse((await get(`/api/requests/${s.sso}`, "es")).body) as { status: string };
    expect(json.status).toBe("open");
    const feed = await get("/roadmap.atom", "es");
    expect(feed.body).toContain('xml:lang="es"');
    expect(feed.body).toContain("<title type=\"text\">Cambios de estado de la hoja de ruta</title>");
    expect(feed.body).toMatch(/pasó de abierta a planificada/);
  });

  test("in en-XA no word on any page escapes the catalogs", async () => {
    // The searches typed into the URLs below are people's words too.
    const data = await userData(r.app.services.db, ["USD", "zzzz", "SAML"]);
    const paths = [
      "/roadmap",
      "/roadmap?status=open",
      "/roadmap?status=shipped",
      "/roadmap?status=declined&q=zzzz",
      "/roadmap?status=open&page=99",
      "/roadmap?community=beta&q=SAML",
      `/roadmap/${s.sso}`,
      `/roadmap/${s.csv}`,
      `/roadmap/${s.merged}`,
      `/roadmap/${s.declined}`,
      "/roadmap/424242",
      "/roadmap?page=0",
      "/roadmap?view=board",
      "/roadmap/c/beta",
      "/roadmap/c/nobody",
    ];
    for (const path of paths) {
      const { body } = await get(path, "en-XA");
      expect(body).toContain('<html lang="en-XA">');
      expect([path, untranslated(visibleText(body), data)]).toEqual([path, []]);
    }
    const feed = (await get("/roadmap.atom", "en-XA")).body;
    const feedText = [...feed.matchAll(/<(?:title|summary)[^>]*>([^<]*)</g), ...feed.matchAll(/label="([^"]*)"/g)].map((m) => m[1]).join("\n");
    expect(untranslated(visibleText(feedText), data)).toEqual([]);
  });
});
