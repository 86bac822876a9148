import { DB_TARGETS } from "./helpers/db";
import { startRoadmapApp, type RunningApp } from "./helpers/roadmap-app";
import { PRIVATE_WORDS, ROADMAP_CONFIG_YAML, seedRoadmap, XSS_TITLE, type Seeded } from "./helpers/roadmap-seed";

/**
 * What a link to a roadmap page previews as where it is pasted (Discord, Slack without the app,
 * other tools): Open Graph (https://ogp.me — og:title, og:type, og:url, og:description) and the
 * Twitter card markup (https://developer.x.com/en/docs/x-for-websites/cards/overview/markup —
 * twitter:card "summary" needs twitter:title; a description is optional but used when present).
 */

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The page's <meta> by property or name, decoded; every one of them must sit inside <head>. */
function metaOf(body: string): Record<string, string> {
  const head = body.slice(0, body.indexOf("</head>"));
  const out: Record<string, string> = {};
  for (const m of head.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) out[m[1]] = decode(m[2]);
  return out;
}

describe.each(DB_TARGETS)("roadmap pages preview with Open Graph and Twitter card meta, on %s", (target) => {
  let r: RunningApp;
  let s: Seeded;
  const page = async (path: string, lang = "en") => {
    const res = await fetch(r.base + path, { headers: { "accept-language": lang } });
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    r = await startRoadmapApp(target, ROADMAP_CONFIG_YAML);
    s = await seedRoadmap(r.app.services.db, r.clock.now());
  });
  afterAll(() => r.close());

  test("a request's page: its number and title, status and breadth line, its own URL, a summary card; private communities unnamed as on the page", async () => {
    const { status, body } = await page(`/roadmap/${s.sso}`);
    expect(status).toBe(200);
    const meta = metaOf(body);
    const description = "Wanted by 4 communities: Alpha University, Beta College, a Premier member, and an Essential member · 5 votes · open";
    expect(meta).toMatchObject({
      "og:type": "website",
      "og:title": `#${s.sso} Single sign-on with SAML`,
      "og:description": description,
      "og:url": `${r.base}/roadmap/${s.sso}`,
      "twitter:card": "summary",
      "twitter:title": `#${s.sso} Single sign-on with SAML`,
      "twitter:description": description,
      description,
    });
    // The same words the page itself uses for the private members.
    expect(body).toContain("a Premier member");
    for (const word of PRIVATE_WORDS) expect(JSON.stringify(meta)).not.toContain(word);
  });

  test("in the reader's language, and a title someone typed stays theirs, escaped inside the attribute", async () => {
    const es = metaOf((await page(`/roadmap/${s.darkMode}`, "es")).body);
    expect(es["og:description"]).toBe("La quieren 2 comunidades: Beta College y Delta Labs · 2 votos · planificada");
    const { body } = await page(`/roadmap/${s.xss}`);
    expect(metaOf(body)["og:title"]).toBe(`#${s.xss} ${XSS_TITLE}`);
    expect(body.slice(0, body.indexOf("</head>"))).not.toMatch(/<script|<img|<b>/);
  });

  test("the overview, a status list and a missing page carry the card too, with the roadmap's description", async () => {
    for (const path of ["/roadmap", "/roadmap?status=shipped"]) {
      const meta = metaOf((await page(path)).body);
      expect(meta).toMatchObject({ "og:url": `${r.base}${path}`, "twitter:card": "summary", "og:description": "Feature requests from every member community, ranked by how many communities want them." });
      expect(meta["og:title"]).toBeTruthy();
    }
    const missing = await page("/roadmap/99999");
    expect(missing.status).toBe(404);
    expect(metaOf(missing.body)).toMatchObject({ "twitter:card": "summary", "og:type": "website" });
  });
});
