import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";

/** Debian's Chromium, driven through playwright-core (.ci/run installs it when missing). */
export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = join(__dirname, "..", "..", "test-artifacts");
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

/** Headless Chromium, and test-artifacts/ for its screenshots. Loud, not skipped: a missing browser must not look like a passing browser test. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install Debian's package (apt-get install -y chromium; .ci/run does it) to run the browser tests.`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
}

/** The CSP is a second wall: even markup that did get in could not run an inline script (the page must have JavaScript on). */
export async function expectInlineScriptBlocked(page: Page, consoleErrors: string[]): Promise<void> {
  await page.evaluate(() => {
    const el = document.createElement("script");
    el.textContent = "document.body.dataset.injected = 'ran'";
    document.body.appendChild(el);
  });
  expect(await page.evaluate(() => document.body.dataset.injected ?? null)).toBeNull();
  expect(consoleErrors.join("\n")).toMatch(/Content Security Policy/);
}
