import { join } from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { dispatch } from "../src/command-kit/dispatch";
import { TEST_CONFIG_YAML } from "./helpers/db";
import { ARTIFACTS, DESKTOP, expectInlineScriptBlocked, launchChromium, PHONE } from "./helpers/browser";
import { startWebRig, type WebRig } from "./helpers/web-app";

/**
 * Taking part from the roadmap in headless Chromium (Debian's, through playwright-core): sign in
 * with Slack through a real OpenID Connect provider on loopback, vote, see the vote in chat's
 * /requests and the JSON API, sign out. JavaScript stays off (the page must work without it) but
 * for one check with it on, where the CSP must hold. Screenshots go to test-artifacts/.
 */

const YAML = `${TEST_CONFIG_YAML}
organization:
  name: Acme Learning
  accent: "#0f766e"
  intro: Tell us what to build next. Sign in with your community's Slack, Discord or GitHub to vote.
  links: [{ label: Docs, url: "https://docs.example.org/" }, { label: Status, url: "https://status.example.org/" }]
`;

describe("taking part on the roadmap in headless Chromium", () => {
  let rig: WebRig;
  let browser: Browser;
  let offline: number;
  let consoleErrors: string[];
  const db = () => rig.app.services.db;

  beforeAll(async () => {
    // One database per run (one browser per file): PostgreSQL when TEST_DATABASE_URL is set.
    rig = await startWebRig(process.env.TEST_DATABASE_URL ? "postgresql" : "pglite", YAML);
    const alpha = await db().community.findUniqueOrThrow({ where: { slug: "alpha" } });
    const beta = await db().community.findUniqueOrThrow({ where: { slug: "beta" } });
    const fay = await db().person.create({ data: { displayName: "Fay", communityId: alpha.id } });
    const bo = await db().person.create({ data: { displayName: "Bo", communityId: beta.id } });
    offline = (await db().featureRequest.create({ data: { title: "Offline mode for the mobile app", body: "Our students ride trains without signal.", communityId: alpha.id, authorId: fay.id } })).id;
    const sso = (await db().featureRequest.create({ data: { title: "Single sign-on with SAML", communityId: beta.id, authorId: bo.id, status: "planned" } })).id;
    await db().vote.create({ data: { requestId: sso, personId: bo.id, communityId: beta.id } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });
  beforeEach(() => {
    consoleErrors = [];
  });

  async function open(path: string, o: BrowserContextOptions & { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ ...DESKTOP, javaScriptEnabled: false, ...o });
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    await page.goto(rig.base + path);
    return page;
  }
  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  test("without JavaScript: sign in with Slack, upvote, the vote shows in chat's /requests and the API, sign out", async () => {
    const page = await open(`/roadmap/${offline}`);
    expect(await page.locator("header.site .home").innerText()).toBe("Acme Learning roadmap");
    expect(await page.locator("section.act").innerText()).toContain("Sign in to vote, comment or pledge:");
    await page.screenshot({ path: join(ARTIFACTS, "web-signed-out-desktop.png"), fullPage: true });

    // Through the OIDC provider's pages and back, as a person clicking would.
    await Promise.all([page.waitForURL(`${rig.base}/roadmap/${offline}`), page.locator("section.act").getByRole("link", { name: "Sign in with Slack" }).click()]);
    expect(await page.locator("header.site .account a").first().innerText()).toBe("Ana Alpha");
    await Promise.all([page.waitForURL(`${rig.base}/roadmap/${offline}`), page.getByRole("button", { name: "Upvote" }).click()]);
    expect(await page.locator(".flash").innerText()).toBe(`Your vote for #${offline} is counted for alpha.`);
    expect(await page.locator(".voted").innerText()).toBe("You voted for this request.");
    expect(await page.locator("dl.facts").innerText()).toContain("Alpha University");
    await page.screenshot({ path: join(ARTIFACTS, "web-voted-desktop.png"), fullPage: true });

    // The same vote in chat...
    const chat = await dispatch(rig.app.services, { command: "requests", text: "", speaker: { platform: "slack", externalId: "U0ANA", displayName: "Ana Alpha", workspace: "T0ALPHA" }, place: { platform: "slack", workspace: "T0ALPHA", channel: "C0ALPHA" } });
    expect(chat.text).toContain(`#${offline} Offline mode for the mobile app — 1 community · 1 vote · 0 pledges — open`);
    // ...and in the JSON API.
    const api = (await (await fetch(`${rig.base}/api/requests?status=open`)).json()) as { requests: { number: number; votes: number }[] };
    expect(api.requests.find((r) => r.number === offline)?.votes).toBe(1);

    // Feedback with a plain form; then sign out.
    await page.fill('textarea[name="text"]', "We need it for field trips.");
    await Promise.all([page.waitForURL(`${rig.base}/roadmap/${offline}`), page.getByRole("button", { name: "Send feedback" }).click()]);
    expect(await page.locator(".flash").innerText()).toBe(`Thanks, your feedback is on #${offline}.`);
    await Promise.all([page.waitForURL(`${rig.base}/roadmap`), page.getByRole("button", { name: "Sign out" }).click()]);
    expect(await page.locator("header.site").innerText()).toContain("Sign in with Slack");
    expect(await db().webSession.count({ where: { revokedAt: null } })).toBe(0);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  test("on a phone: the signed-in request page, the board and /account fit without sideways scrolling", async () => {
    const page = await open(`/roadmap/${offline}`, PHONE);
    await Promise.all([page.waitForURL(`${rig.base}/roadmap/${offline}`), page.locator("section.act").getByRole("link", { name: "Sign in with Slack" }).click()]);
    expect(await page.locator(".voted").count()).toBe(1);
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "web-request-phone.png"), fullPage: true });
    await page.goto(`${rig.base}/roadmap?view=board`);
    expect(await page.locator(".board section.column h2").allInnerTexts()).toEqual(["Most wanted (1)", "Planned (1)", "In progress (0)", expect.stringMatching(/^Shipped/)]);
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "web-board-phone.png"), fullPage: true });
    await page.goto(`${rig.base}/account`);
    expect(await page.locator("ul.accounts").innerText()).toBe("Slack: U0ANA");
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "web-account-phone.png"), fullPage: true });
    await page.context().close();
  });

  test("the board on a desktop, with JavaScript on: columns side by side, the accent colour, and still no script allowed", async () => {
    const page = await open("/roadmap?view=board", { javaScriptEnabled: true });
    const columns = await page.locator(".board section.column").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
    expect(new Set(columns).size).toBe(1);
    expect(await page.locator("header.site").evaluate((e) => getComputedStyle(e).borderTopColor)).toBe("rgb(15, 118, 110)");
    await page.screenshot({ path: join(ARTIFACTS, "web-board-desktop.png"), fullPage: true });
    await expectInlineScriptBlocked(page, consoleErrors);
    await page.context().close();
  });
});
