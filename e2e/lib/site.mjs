// What every test file against the built site shares: serve `dist/` and
// launch Chromium once per file, open the app in a fresh context, and fail
// any test during which a page logged a console error or warning, or threw.

import { before, after, afterEach } from 'node:test';
import { join } from 'node:path';

import { serveDist } from './server.mjs';
import { launch, waitForApp, watchAll } from './browser.mjs';

const DIST = process.env.CAUCUS_DIST ?? join(process.cwd(), '..', 'dist');

/**
 * Registers hooks that serve the site (from `dist`, under `prefix`) and launch
 * the browser; their handles appear on the returned object. Every page a test
 * opens is watched from its first moment to its last: after the test, any
 * console error or warning it did not `seen.expect` fails it, with its text.
 */
export function useSite({ dist = DIST, prefix = '/' } = {}) {
  const env = { site: null, browser: null, watched: [] };
  before(async () => {
    env.site = await serveDist(dist, prefix);
    env.browser = await launch();
    env.watched = watchAll(env.browser);
  });
  afterEach(() => {
    const noise = env.watched.flatMap(({ page, seen }) =>
      seen.noise().map((line) => `${page.url().replace(env.site.origin, '')}: ${line}`));
    env.watched.length = 0;
    if (noise.length > 0) {
      throw new Error(`the console was not clean during this test:\n${noise.join('\n')}`);
    }
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}

/**
 * Opens the app at 1280×720 (or with `options`) in a fresh context, watched,
 * once it has mounted and drawn its cluster; with `hash`, opened at that
 * link, as a visitor would.
 */
export async function openApp(env, options = {}, hash = '') {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  const seen = page.seen;
  await page.goto(hash ? `${env.site.url}#${hash}` : env.site.url);
  await waitForApp(page);
  await page.locator('.cluster-svg .node').first().waitFor();
  return { context, page, seen };
}
