// What every test file against the built site shares: serve `dist/` and
// launch Chromium once per file, and open the app in a fresh context.

import { before, after } from 'node:test';
import { join } from 'node:path';

import { serveDist } from './server.mjs';
import { launch, watch, waitForApp } from './browser.mjs';

const DIST = process.env.CAUCUS_DIST ?? join(process.cwd(), '..', 'dist');

/** Registers hooks that serve the site and launch the browser; their handles appear on the returned object. */
export function useSite() {
  const env = { site: null, browser: null };
  before(async () => {
    env.site = await serveDist(DIST);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}

/** Opens the app at 1280×720 (or with `options`) in a fresh context, watched, once it has mounted. */
export async function openApp(env, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(env.site.url);
  await waitForApp(page);
  return { context, page, seen };
}
