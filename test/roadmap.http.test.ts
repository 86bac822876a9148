import { CONTENT_SECURITY_POLICY } from "../src/web/html";
import { DB_TARGETS } from "./helpers/db";
import { startRoadmapApp, type RunningApp } from "./helpers/roadmap-app";
import {
  errorSchema,
  parseAtom,
  requestDetailSchema,
  requestListSchema,
} from "./helpers/roadmap-schemas";
import { PRIVATE_WORDS, ROADMAP_CONFIG_YAML, seedMany, seedRoadmap, XSS_TITLE, type Seeded } from "./helpers/roadmap-seed";

/** Through the real HTTP server: the page, the JSON API and the feed, as a browser or a reader gets them. */

const items = (html: string) => [...html.matchAll(/<li class="req" id="r(\d+)"/g)].map((m) => Number(m[1]));

function expectSafeHtml(res: Response, body: string) {
  expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  // No script of any kind, no inline style the CSP would have to allow. A preview's <meta content>
  // holds the title as typed, entity-escaped inside its quotes (test/roadmap.share.test.ts checks
  // it): inside a quoted value "onerror=" is text, so those values are not scanned as markup.
  const markup = body.replace(/(<meta (?:property|name)="[^"]+" content=")[^"]*"/g, '$1"');
  expect(markup).not.toMatch(/<script|<[^>]*\s(?:on\w+|style)\s*=|<[^>]*(?:href|src)\s*=\s*["']?\s*javascript:/i);
  for (const word of PRIVATE_WORDS) expect(body).not.toContain(word);
}

describe.each(DB_TARGETS)("roadmap over HTTP on %s", (target) => {
  let r: RunningApp;
  let s: Seeded;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(r.base + path, { headers });
  const text = async (path: string) => {
    const res = await get(path);
    return { res, body: await res.text() };
  };

  beforeAll(async () => {
    r = await startRoadmapApp(target, ROADMAP_CONFIG_YAML);
    s = await seedRoadmap(r.app.services.db, r.clock.now());
  });
  afterAll(() => r.close());

  test("the overview page: groups, breadth bars, no script, the stylesheet it links is served", async () => {
    const { res, body } = await text("/roadmap");
    expect(res.status).toBe(200);
    expectSafeHtml(res, body);
    for (const [id, numbers] of [["planned", [s.darkMode]], ["in_progress", [s.builds]], ["shipped_recently", [s.csv]], ["open", [s.sso, s.xss, s.gammaOnly]]] as const) {
      const section = new RegExp(`<section class="group" id="${id}"[\\s\\S]*?</section>`).exec(body)![0];
      expect(items(section)).toEqual(numbers);
    }
    // A bar for each open request, none for the others.
    expect(body.match(/<svg class="bar"/g)).toHaveLength(3);
    expect(body).toContain("Wanted by Alpha University, Beta College, a Premier member, an Essential member");
    expect(body).toContain("2 pledges (USD 6,500)");
    expect(body).toContain('<a href="https://github.com/octocat" rel="noopener noreferrer nofollow">@octocat</a>');
    const css = await get("/roadmap.css");
    expect([css.status, css.headers.get("content-type")]).toEqual([200, "text/css; charset=utf-8"]);
    expect(await css.text()).toContain("li.req");
    const head = await fetch(r.base + "/roadmap", { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
  });

  test("user text is escaped everywhere: title, details, reasons", async () => {
    for (const path of ["/roadmap", "/roadmap?status=open", `/roadmap/${s.xss}`]) {
      const { res, body } = await text(path);
      expectSafeHtml(res, body);
      expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quotes&quot; &lt;img src=x onerror=alert(2)&gt;");
      expect(body).not.toContain("<b>Bold");
      expect(body).not.toContain("<img");
    }
    const detail = (await text(`/roadmap/${s.xss}`)).body;
    expect(detail).toContain("&lt;iframe src=&quot;https://evil.example&quot;&gt;");
    expect(detail).toContain(`<title>#${s.xss} &lt;script&gt;alert(1)`);
    const old = (await text(`/roadmap/${s.oldShipped}`)).body;
    expect(old).toContain("Shipped &lt;em&gt;long&lt;/em&gt; ago");
  });

  test("filters and search on the page, shared by URL", async () => {
    expect(items((await text("/roadmap?status=open&community=beta")).body)).toEqual([s.sso]);
    expect(items((await text("/roadmap?status=shipped")).body)).toEqual([s.csv, s.oldShipped]);
    expect(items((await text("/roadmap?status=declined")).body)).toEqual([s.declined]);
    expect(items((await text("/roadmap?q=dashboard")).body)).toEqual([s.darkMode]);
    // The form sends empty values for "All": no filter, not an error.
    expect(items((await text("/roadmap?status=&community=&q=")).body)).toHaveLength(6);
    const filtered = (await text("/roadmap?community=delta&q=image")).body;
    expect(items(filtered)).toEqual([s.builds]);
    expect(filtered).toContain('<option value="delta" selected>Delta Labs</option>');
    expect(filtered).toContain('value="image"');
    expect(filtered).toContain("wanted by Delta Labs, matching “image”");
    // Odd search input is only text: a NUL byte, SQL punctuation, a wildcard, an emoji.
    for (const q of ["%00image", "%27%3B--", "%25", "%F0%9F%98%80"]) {
      for (const path of [`/roadmap?q=${q}`, `/api/requests?q=${q}`]) {
        const res = await get(path);
        expect([path, res.status]).toEqual([path, 200]);
        await res.text();
      }
    }
    expect(items((await text("/roadmap?status=in_progress&q=%00image")).body)).toEqual([s.builds]);
  });

  test("bad filters get a 400 page that says why; private and unknown communities alike", async () => {
    for (const [path, message] of [
      ["/roadmap?status=bogus", "Status must be one of open, planned, in_progress, shipped, declined."],
      ["/roadmap?community=gamma", 'There is no community &quot;gamma&quot; on the public roadmap.'],
      ["/roadmap?community=sigma&status=open", 'There is no community &quot;sigma&quot; on the public roadmap.'],
      ["/roadmap?community=nosuch", 'There is no community &quot;nosuch&quot; on the public roadmap.'],
      ["/roadmap?page=0&status=open", "Pages start at 1."],
      ["/roadmap?page=two&status=open", "The page is a number, like 2."],
      [`/roadmap?q=${"x".repeat(201)}`, "Search for at most 200 characters."],
    ] as const) {
      const res = await get(path);
      const body = await res.text();
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(body).toContain(message);
    }
  });

  test("unknown numbers and paths give a 404 page; /roadmap/ redirects", async () => {
    for (const path of ["/roadmap/999999", "/roadmap/0", "/roadmap/abc", `/roadmap/${s.sso}/extra`, "/roadmap/99999999999", "/roadmap/%3Cscript%3E"]) {
      const res = await get(path);
      const body = await res.text();
      expect([path, res.status]).toEqual([path, 404]);
      expectSafeHtml(res, body);
      expect(body).toContain("<h1>Not found</h1>");
      expect(body).not.toContain("<script>");
    }
    expect((await text("/roadmap/999999")).body).toContain("There is no request #999999.");
    const redirect = await fetch(r.base + "/roadmap/?status=open", { redirect: "manual" });
    expect([redirect.status, redirect.headers.get("location")]).toEqual([301, "/roadmap?status=open"]);
  });

  test("one request's page: facts, votes-over-time chart, history, credits, merges", async () => {
    const sso = (await text(`/roadmap/${s.sso}`)).body;
    expect(sso).toContain(`<h1><span class="muted">#${s.sso}</span> <span class="title">Single sign-on with SAML</span>`);
    expect(sso).toContain("<dt>Pledges</dt><dd>2 pledges, USD 6,500 in all: Alpha University USD 5,000; an Essential member USD 1,500</dd>");
    expect(sso).toContain(`<a href="/roadmap/${s.merged}">#${s.merged}</a>`);
    // Votes over time: an SVG step line with one dot (and tooltip) per day that had votes.
    const chart = /<svg class="chart"[\s\S]*?<\/svg>/.exec(sso)![0];
    expect(chart.match(/<circle /g)).toHaveLength(5);
    expect(chart).toContain("<title>2026-11-18: 5 votes</title>");
    expect(chart).toContain('aria-label="Votes over time: 5 votes from 2026-10-24 to 2026-11-23"');
    const builds = (await text(`/roadmap/${s.builds}`)).body;
    expect(builds).toMatch(/planned → <strong>in progress<\/strong> from GitHub \(<a href="https:\/\/github.com\/flywheel-org\/flywheel\/pull\/88"/);
    expect(builds).toContain("open → <strong>planned</strong> by staff: Scheduled for the winter release");
    const csv = (await text(`/roadmap/${s.csv}`)).body;
    expect(csv).toContain("<dt>Credited</dt>");
    expect(csv).toContain("an Essential member <span class=\"muted\">(funding)</span>");
    const merged = (await text(`/roadmap/${s.merged}`)).body;
    expect(merged).toContain(`Merged into <a href="/roadmap/${s.sso}">#${s.sso}</a>`);
    // A javascript: reference in the history is shown as nothing, not as a link.
    expect((await text(`/roadmap/${s.oldShipped}`)).body).not.toContain("javascript:");
  });

  test("the JSON API matches its schema, hides private communities, and 404s unknown numbers", async () => {
    const list = await get("/api/requests");
    expect(list.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(list.headers.get("access-control-allow-origin")).toBe("*");
    const listText = await list.text();
    const all = requestListSchema.parse(JSON.parse(listText));
    expect(all.total).toBe(8);
    expect(all.requests[0]).toMatchObject({ number: s.sso, url: `${r.base}/roadmap/${s.sso}`, votes: 5 });
    for (const word of PRIVATE_WORDS) expect(listText).not.toContain(word);

    const openBeta = requestListSchema.parse(await (await get("/api/requests?status=open,planned&community=beta")).json());
    expect(openBeta.requests.map((x) => x.number)).toEqual([s.sso, s.darkMode]);
    const paged = requestListSchema.parse(await (await get("/api/requests?pageSize=3&page=2")).json());
    expect(paged).toMatchObject({ page: 2, pageSize: 3, total: 8, hasMore: true });
    expect(paged.next).toBe(`${r.base}/api/requests?page=3&pageSize=3`);
    expect(paged.prev).toBe(`${r.base}/api/requests?page=1&pageSize=3`);
    const shipped = requestListSchema.parse(await (await get("/api/requests?status=shipped")).json());
    expect(shipped.requests.map((x) => x.number)).toEqual([s.csv, s.oldShipped]);

    for (const n of [s.sso, s.builds, s.darkMode, s.csv, s.xss, s.oldShipped, s.declined, s.merged, s.gammaOnly]) {
      const res = await get(`/api/requests/${n}`);
      const body = await res.text();
      expect(res.status).toBe(200);
      const d = requestDetailSchema.parse(JSON.parse(body));
      expect(d.number).toBe(n);
      for (const word of PRIVATE_WORDS) expect(body).not.toContain(word);
    }
    const xss = requestDetailSchema.parse(await (await get(`/api/requests/${s.xss}`)).json());
    expect(xss.title).toBe(XSS_TITLE);

    for (const path of ["/api/requests/999999", "/api/requests/abc", "/api/requests/0"]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      errorSchema.parse(await res.json());
    }
    for (const [path, error] of [
      ["/api/requests?status=open,bogus", "Status must be one or more of open, planned, in_progress, shipped, declined, separated by commas."],
      ["/api/requests?pageSize=500", "pageSize is 1 to 100."],
      ["/api/requests?community=gamma", 'There is no community "gamma" on the public roadmap.'],
    ] as const) {
      const res = await get(path);
      expect([path, res.status, errorSchema.parse(await res.json()).error]).toEqual([path, 400, error]);
    }
  });

  test("ETag and If-None-Match: 304 while nothing changed, a new tag once a vote arrives", async () => {
    for (const path of ["/api/requests", `/api/requests/${s.darkMode}`, "/roadmap", "/roadmap.atom", `/roadmap/${s.darkMode}`]) {
      const first = await get(path);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[\w-]{32}"$/);
      await first.text();
      const again = await get(path, { "if-none-match": etag });
      expect([path, again.status, await again.text()]).toEqual([path, 304, ""]);
      // Weak comparison and lists, as HTTP caches send them.
      expect((await get(path, { "if-none-match": `"other", W/${etag}` })).status).toBe(304);
      const stale = await get(path, { "if-none-match": '"other"' });
      expect(stale.status).toBe(200);
      await stale.text();
    }
    const before = (await get(`/api/requests/${s.darkMode}`)).headers.get("etag")!;
    const ana = await r.app.services.db.person.findFirstOrThrow({ where: { displayName: "Ana" } });
    await r.app.services.db.vote.create({ data: { requestId: s.darkMode, personId: ana.id, communityId: ana.communityId! } });
    const after = await get(`/api/requests/${s.darkMode}`, { "if-none-match": before });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
    expect((await after.json()).votes).toBe(3);
    await r.app.services.db.vote.deleteMany({ where: { requestId: s.darkMode, personId: ana.id } });
  });

  test("the Atom feed is well-formed, valid, newest first, and escapes titles", async () => {
    await r.app.services.db.statusChange.create({
      data: { requestId: s.xss, from: "open", to: "planned", reason: "Because <b>]]> & </summary>", createdAt: r.clock.now() },
    });
    const res = await get("/roadmap.atom");
    expect(res.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    const feed = parseAtom(xml);
    expect(feed.id).toBe(`${r.base}/roadmap`);
    expect(feed.updated).toBe(r.clock.now().toISOString());
    expect(feed.links).toContainEqual({ rel: "self", type: "application/atom+xml", href: `${r.base}/roadmap.atom` });
    expect(feed.entries).toHaveLength(9);
    const [first, second] = feed.entries;
    expect(first.title).toBe(`#${s.xss} ${XSS_TITLE}: open → planned`);
    expect(first.summary).toBe(`#${s.xss} ${XSS_TITLE} moved from open to planned. Because <b>]]> & </summary>. Wanted by an Essential member.`);
    expect(first.links).toContainEqual({ rel: "alternate", type: "text/html", href: `${r.base}/roadmap/${s.xss}` });
    expect(second).toMatchObject({ title: `#${s.darkMode} Dark mode for the dashboard: open → planned`, category: { term: "planned", label: "planned" } });
    expect(new Set(feed.entries.map((e) => e.id)).size).toBe(9);
    for (const word of PRIVATE_WORDS) expect(xml).not.toContain(word);
    await r.app.services.db.statusChange.deleteMany({ where: { requestId: s.xss } });
  });
});

describe.each(DB_TARGETS)("roadmap with 10,000 requests on %s", (target) => {
  let r: RunningApp;
  const page = async (path: string) => {
    const res = await fetch(r.base + path);
    return { status: res.status, body: await res.text() };
  };
  beforeAll(async () => {
    r = await startRoadmapApp(target, ROADMAP_CONFIG_YAML);
    await seedMany(r.app.services.db, 10_000);
  });
  afterAll(() => r.close());

  test("the overview shows the top of each group with a link to the rest", async () => {
    const { status, body } = await page("/roadmap");
    expect(status).toBe(200);
    const open = /<section class="group" id="open"[\s\S]*?<\/section>/.exec(body)![0];
    expect(items(open)).toHaveLength(10);
    expect(open).toContain('<a class="more" href="/roadmap?status=open">All 10,000 →</a>');
    expect(body.length).toBeLessThan(60_000);
  });

  test("the list pages through all of them by links, 25 a page", async () => {
    const first = await page("/roadmap?status=open");
    expect(items(first.body)).toHaveLength(25);
    expect(first.body).toContain("1–25 of 10,000, most wanted first");
    expect(first.body).toContain("Page 1 of 400");
    const next = /<a rel="next" href="([^"]+)">/.exec(first.body)![1].replace(/&amp;/g, "&");
    expect(next).toBe("/roadmap?status=open&page=2");
    const second = await page(next);
    expect(items(second.body)).toHaveLength(25);
    expect(new Set([...items(first.body), ...items(second.body)]).size).toBe(50);
    expect(second.body).toContain('<a rel="prev" href="/roadmap?status=open">← Previous</a>');
    const last = await page("/roadmap?status=open&page=400");
    expect(items(last.body)).toHaveLength(25);
    expect(last.body).toContain("9,976–10,000 of 10,000");
    expect(last.body).not.toContain('rel="next"');
    const beyond = await page("/roadmap?status=open&page=401");
    expect(beyond.status).toBe(200);
    expect(items(beyond.body)).toHaveLength(0);
    expect(beyond.body).toContain("There is no page 401: the last is 400.");
    // A search that matches every request still pages (and is not quadratic in the matches).
    const searched = await page("/roadmap?status=open&q=bulk&page=2");
    expect(items(searched.body)).toHaveLength(25);
    expect(searched.body).toContain("26–50 of 10,000, most wanted first — matching “bulk”");
  });

  test("shipped requests page newest first at scale", async () => {
    const { db } = r.app.services;
    // 2,000 of them shipped, on days spread over the last 200 days.
    await db.$executeRaw`UPDATE "FeatureRequest" SET status = 'shipped' WHERE id % 5 = 0`;
    await db.$executeRaw`
      INSERT INTO "StatusChange" ("requestId", "from", "to", "createdAt")
      SELECT id, 'open', 'shipped', ${r.clock.now()}::timestamp - (id % 200) * interval '1 day' FROM "FeatureRequest" WHERE status = 'shipped'`;
    const dates = (html: string) => [...html.matchAll(/shipped <time datetime="([^"]+)"/g)].map((m) => m[1]);
    const first = await page("/roadmap?status=shipped");
    expect(first.body).toContain("1–25 of 2,000, newest first");
    const second = await page("/roadmap?status=shipped&page=2");
    const all = [...dates(first.body), ...dates(second.body)];
    expect(all).toHaveLength(50);
    expect([...all].sort().reverse()).toEqual(all);
    const overview = await page("/roadmap");
    const recent = /<section class="group" id="shipped_recently"[\s\S]*?<\/section>/.exec(overview.body)![0];
    expect(items(recent)).toHaveLength(10);
    // Shipped ids are multiples of 5, so they shipped 0, 5, ..., 195 days ago, 50 on each day:
    // 19 of those days (0 to 90 inclusive) are recent.
    expect(recent).toContain("Shipped in the last 90 days <span class=\"muted\">(950)</span>");
  });

  test("the API pages too", async () => {
    const p = requestListSchema.parse(await (await fetch(`${r.base}/api/requests?status=open&pageSize=100&page=80`)).json());
    expect(p).toMatchObject({ page: 80, total: 8_000, hasMore: false, next: null });
    expect(p.requests).toHaveLength(100);
  });
});
