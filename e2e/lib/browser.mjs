// Launches Debian's Chromium through playwright-core, and watches a page for
// what a user would never want: console errors and warnings, uncaught
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

/** Records console messages, page errors and every requested URL of `page`. */
export function watch(page) {
  const seen = { console: [], pageErrors: [], requests: [] };
  page.on('console', (msg) => seen.console.push({ type: msg.type(), text: msg.text() }));
  page.on('pageerror', (err) => seen.pageErrors.push(String(err)));
  page.on('request', (req) => seen.requests.push(req.url()));
  return seen;
}

/** Waits until the Yew app has replaced the loading note with the header. */
export async function waitForApp(page) {
  await page.locator('header.site-header h1').waitFor({ state: 'visible', timeout: 30_000 });
}

/** Writes a screenshot under target/e2e/ for people to look at, and returns its path. */
export async function screenshot(page, name) {
  const dir = process.env.CAUCUS_ARTIFACTS ?? join(process.cwd(), '..', 'target', 'e2e');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
