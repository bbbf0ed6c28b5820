// Deploying under a sub-path, as the README describes: a build made with
// `--public-url /caucus/` works when served from /caucus/ on a static host.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { serveDist } from './lib/server.mjs';
import { launch, waitForApp, watchAll } from './lib/browser.mjs';

const DIST = process.env.CAUCUS_DIST_SUBPATH;
const PREFIX = process.env.CAUCUS_SUBPATH ?? '/caucus/';

test('a build for a sub-path mounts when served under that sub-path', { skip: !DIST && 'CAUCUS_DIST_SUBPATH is not set (cargo xtask test sets it)' }, async () => {
  const site = await serveDist(DIST, PREFIX);
  const browser = await launch();
  try {
    const watched = watchAll(browser);
    const page = await browser.newPage();
    const { seen } = watched[0];
    await page.goto(site.url);
    await waitForApp(page);
    assert.equal(await page.locator('main h2').textContent(), 'Raft');
    const outside = seen.requests.filter((url) => !url.startsWith(site.url));
    assert.deepEqual(outside, [], 'every asset is fetched from under the sub-path');
    await page.locator('.cluster-svg .node').first().waitFor();
    assert.deepEqual(seen.noise(), [], 'no console error or warning, no uncaught exception');
  } finally {
    await browser.close();
    await site.close();
  }
});
