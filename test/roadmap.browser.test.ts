import { join } from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { ARTIFACTS, DESKTOP, expectInlineScriptBlocked, launchChromium, PHONE } from "./helpers/browser";
import { startRoadmapApp, type RunningApp } from "./helpers/roadmap-app";
import { PRIVATE_WORDS, ROADMAP_CONFIG_YAML, seedRoadmap, XSS_TITLE, type Seeded } from "./helpers/roadmap-seed";

/**
 * The roadmap driven in a real browser: Debian's Chromium through playwright-core. Most of it
 * runs with JavaScript switched off, because the page must work without it; the XSS checks run
 * with JavaScript on, so an escaping mistake would actually execute. Screenshots go to
 * test-artifacts/ (phone and desktop widths).
 */


describe("the roadmap page in headless Chromium", () => {
  let r: RunningApp;
  let s: Seeded;
  let browser: Browser;
  /** Console errors and dialogs from every page: an unexpected one fails the test that caused it. */
  let consoleErrors: string[];
  let dialogs: string[];

  beforeAll(async () => {
    r = await startRoadmapApp("pglite", ROADMAP_CONFIG_YAML);
    s = await seedRoadmap(r.app.services.db, r.clock.now());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await r?.close();
  });
  beforeEach(() => {
    consoleErrors = [];
    dialogs = [];
  });

  async function open(path: string, o: BrowserContextOptions & { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; status: number }> {
    const context = await browser.newContext({ ...DESKTOP, javaScriptEnabled: false, ...o });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const res = await page.goto(r.base + path);
    return { page, status: res?.status() ?? 0 };
  }
  const close = (page: Page) => page.context().close();
  const numbers = (page: Page, scope = "main") =>
    page.locator(`${scope} li.req`).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-number"))));
  const bodyText = (page: Page) => page.locator("body").innerText();

  test("works without JavaScript: the groups, the stylesheet under the CSP, the community and status filters", async () => {
    const { page, status } = await open("/roadmap");
    expect(status).toBe(200);
    expect(await page.locator("h2").allInnerTexts()).toEqual(["Planned (1)", "In progress (1)", "Shipped in the last 90 days (1)", "Most wanted (3)"]);
    expect(await numbers(page, "#open")).toEqual([s.sso, s.xss, s.gammaOnly]);
    // The same-origin stylesheet is allowed by the CSP and applied.
    expect(await page.locator("li.req").first().evaluate((e) => getComputedStyle(e).borderTopLeftRadius)).toBe("8px");
    // One breadth bar per open request, drawn as SVG.
    expect(await page.locator("#open svg.bar").count()).toBe(3);
    expect(await page.locator("#r1 svg.bar rect.bar-fill").getAttribute("width")).toBe(String(Math.round((6 / 7) * 1200) / 10));
    await page.screenshot({ path: join(ARTIFACTS, "roadmap-desktop.png"), fullPage: true });

    await page.selectOption('select[name="community"]', "beta");
    await Promise.all([page.waitForURL(/community=beta/), page.getByRole("button", { name: "Show" }).click()]);
    expect(await numbers(page, "#planned")).toEqual([s.darkMode]);
    expect(await numbers(page, "#in_progress")).toEqual([s.builds]);
    expect(await numbers(page, "#shipped_recently")).toEqual([]);
    expect(await numbers(page, "#open")).toEqual([s.sso]);
    expect(await page.locator("main > p.muted").first().innerText()).toContain("wanted by Beta College");

    await page.selectOption('select[name="status"]', "shipped");
    await Promise.all([page.waitForURL(/status=shipped/), page.getByRole("button", { name: "Show" }).click()]);
    expect(new URL(page.url()).searchParams.get("community")).toBe("beta");
    expect(await page.locator("h1").innerText()).toBe("Shipped requests");
    expect(await numbers(page)).toEqual([s.oldShipped]);

    await page.selectOption('select[name="community"]', "");
    await Promise.all([page.waitForURL((u) => !u.searchParams.has("community") || u.searchParams.get("community") === ""), page.getByRole("button", { name: "Show" }).click()]);
    expect(await numbers(page)).toEqual([s.csv, s.oldShipped]);
    await Promise.all([page.waitForURL(/\/roadmap$/), page.getByRole("link", { name: "Clear" }).click()]);
    expect(await page.locator("h1").innerText()).toBe("Roadmap");
    expect(consoleErrors).toEqual([]);
    await close(page);
  });

  test("the search box finds words in titles and details", async () => {
    const { page } = await open("/roadmap");
    await page.fill('input[name="q"]', "dashboard");
    await Promise.all([page.waitForURL(/q=dashboard/), page.press('input[name="q"]', "Enter")]);
    expect(await numbers(page)).toEqual([s.darkMode]);
    expect(await page.inputValue('input[name="q"]')).toBe("dashboard");
    await page.fill('input[name="q"]', "quarterly reports");
    await page.selectOption('select[name="status"]', "shipped");
    await Promise.all([page.waitForURL(/q=quarterly/), page.getByRole("button", { name: "Show" }).click()]);
    expect(await numbers(page)).toEqual([s.csv]);
    await page.fill('input[name="q"]', "nothing matches this");
    await Promise.all([page.waitForURL(/q=nothing/), page.press('input[name="q"]', "Enter")]);
    expect(await page.locator("main").innerText()).toContain("No shipped requests matching “nothing matches this”.");
    expect(consoleErrors).toEqual([]);
    await close(page);
  });

  test("a title full of HTML and script tags renders as text, with JavaScript on", async () => {
    const { page } = await open("/roadmap", { javaScriptEnabled: true });
    expect(await page.locator(`#r${s.xss} a.title`).textContent()).toBe(XSS_TITLE);
    expect(await page.locator("main script, main b, main img, main iframe").count()).toBe(0);

    await Promise.all([page.waitForURL(new RegExp(`/roadmap/${s.xss}$`)), page.locator(`#r${s.xss} a.title`).click()]);
    expect(await page.title()).toBe(`#${s.xss} ${XSS_TITLE} — Roadmap`);
    expect(await page.locator("h1 .title").textContent()).toBe(XSS_TITLE);
    expect(await page.locator(".body").textContent()).toBe(`Details with <iframe src="https://evil.example"></iframe> and <a href="javascript:alert(3)">a link</a>`);
    expect(await page.locator("main script, main b, main img, main iframe, main a[href^='javascript']").count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "roadmap-escaped-title.png"), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // The CSP is a second wall: even markup that did get in could not run an inline script.
    await expectInlineScriptBlocked(page, consoleErrors);
    await close(page);
  });

  test("private communities are never named: only 'a Premier member' / 'an Essential member'", async () => {
    for (const path of ["/roadmap", "/roadmap?status=open", `/roadmap/${s.sso}`, `/roadmap/${s.gammaOnly}`, `/roadmap/${s.csv}`, "/roadmap?status=shipped"]) {
      const { page } = await open(path);
      const text = await bodyText(page);
      const source = await page.content();
      for (const word of PRIVATE_WORDS) {
        expect([path, text.includes(word)]).toEqual([path, false]);
        expect([path, source.includes(word)]).toEqual([path, false]);
      }
      await close(page);
    }
    const { page } = await open(`/roadmap/${s.sso}`);
    expect(await page.locator("dl.facts dd").nth(2).innerText()).toBe("4 communities: Alpha University, Beta College, a Premier member, an Essential member");
    await close(page);
    const overview = await open("/roadmap");
    expect(await overview.page.locator('select[name="community"] option').allTextContents()).toEqual(["All communities", "Alpha University", "Beta College", "Delta Labs"]);
    await close(overview.page);
    // Asking for a private community by its slug answers like an unknown one.
    const gamma = await open("/roadmap?community=gamma");
    expect(gamma.status).toBe(400);
    expect(await gamma.page.locator("main").innerText()).toContain('There is no community "gamma" on the public roadmap.');
    await close(gamma.page);
  });

  test("reads on a phone: no sideways scrolling, readable text, the chart fits", async () => {
    for (const [path, shot] of [["/roadmap", "roadmap-phone.png"], [`/roadmap/${s.sso}`, "roadmap-request-phone.png"], ["/roadmap?status=open", "roadmap-list-phone.png"]] as const) {
      const { page } = await open(path, PHONE);
      const fit = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth, font: parseFloat(getComputedStyle(document.body).fontSize) }));
      expect([path, fit.scroll <= fit.width]).toEqual([path, true]);
      expect(fit.font).toBeGreaterThanOrEqual(16);
      const chart = page.locator("svg.chart");
      if (await chart.count()) expect((await chart.boundingBox())!.width).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
      await close(page);
    }
    expect(consoleErrors).toEqual([]);
  });

  test("one request's page: votes over time, history, links; unknown numbers get the 404 page", async () => {
    const { page } = await open(`/roadmap/${s.sso}`);
    expect(await page.locator("svg.chart circle").count()).toBe(5);
    expect(await page.locator("svg.chart > title").textContent()).toBe("Votes over time: 5 votes from 2026-10-24 to 2026-11-23");
    expect(await page.locator("ol.history li").count()).toBe(1);
    // The votes-by-day table opens without script (a <details> element).
    await page.locator("details summary").click();
    expect(await page.locator("details table tbody tr").count()).toBe(5);
    await page.screenshot({ path: join(ARTIFACTS, "roadmap-request-desktop.png"), fullPage: true });
    await Promise.all([page.waitForURL(new RegExp(`/roadmap/${s.merged}$`)), page.getByRole("link", { name: `#${s.merged}` }).click()]);
    expect(await page.locator(".notice").innerText()).toBe(`Merged into #${s.sso}: votes and news continue there.`);
    await close(page);

    const builds = await open(`/roadmap/${s.builds}`);
    expect(await builds.page.locator("ol.history li").allInnerTexts()).toEqual([
      "2026-10-14 filed by Beta College",
      "2026-11-03 open → planned by staff: Scheduled for the winter release",
      "2026-11-17 planned → in progress from GitHub (source)",
    ]);
    expect(await builds.page.getByRole("link", { name: "flywheel-org/flywheel#88" }).getAttribute("href")).toBe("https://github.com/flywheel-org/flywheel/pull/88");
    await close(builds.page);

    const missing = await open("/roadmap/424242");
    expect(missing.status).toBe(404);
    expect(await missing.page.locator("h1").innerText()).toBe("Not found");
    expect(await missing.page.locator("main").innerText()).toContain("There is no request #424242.");
    await close(missing.page);
    expect(consoleErrors.filter((e) => !/404/.test(e))).toEqual([]);
  });
});
