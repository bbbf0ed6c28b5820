// Launches Debian's Chromium through playwright-core, and watches every page
// for what a user would never want: console errors and warnings, uncaught
// exceptions, and requests to any host but the site's own.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Records console messages, page errors and every requested URL of `page`.
 * `seen.expect(pattern)` declares a console error or warning the test causes
 * on purpose (a deliberate panic, a wasm that may not load); `seen.noise()`
 * is every other error and warning, and every uncaught exception.
 */
export function watch(page) {
  const seen = {
    console: [],
    pageErrors: [],
    requests: [],
    expected: [],
    expect(pattern) {
      this.expected.push(pattern);
    },
    noise() {
      const wanted = (text) => this.expected.some((p) => p.test(text));
      const console = this.console
        .filter((m) => (m.type === 'error' || m.type === 'warning') && !wanted(m.text))
        .map((m) => `console ${m.type}: ${m.text}`);
      const errors = this.pageErrors.filter((e) => !wanted(e)).map((e) => `uncaught: ${e}`);
      return [...console, ...errors];
    },
  };
  page.on('console', (msg) => seen.console.push({ type: msg.type(), text: msg.text() }));
  page.on('pageerror', (err) => seen.pageErrors.push(String(err)));
  page.on('request', (req) => seen.requests.push(req.url()));
  return seen;
}

/**
 * Makes every page of every context `browser` opens watched, and returns the
 * list of watches (`{ page, seen }`) for a hook to check after each test.
 */
export function watchAll(browser) {
  const watched = [];
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.on('page', (page) => {
      const seen = watch(page);
      page.seen = seen;
      watched.push({ page, seen });
    });
    return context;
  };
  browser.newPage = async (options) => (await browser.newContext(options)).newPage();
  return watched;
}

/** Waits until the Yew app has replaced the loading note with the header. */
export async function waitForApp(page) {
  await page.locator('header.site-header h1').waitFor({ state: 'visible', timeout: 30_000 });
}

/** Writes a screenshot under target/e2e/ for people to look at, and returns its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  const dir = process.env.CAUCUS_ARTIFACTS ?? join(process.cwd(), '..', 'target', 'e2e');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
