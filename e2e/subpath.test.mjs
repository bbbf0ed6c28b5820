// Deploying under a sub-path, as the README describes: a build made with
// `--public-url /caucus/` works when served from /caucus/ on a static host.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { serveDist } from './lib/server.mjs';
import { launch, watch, waitForApp } from './lib/browser.mjs';

const DIST = process.env.CAUCUS_DIST_SUBPATH;
const PREFIX = process.env.CAUCUS_SUBPATH ?? '/caucus/';

test('a build for a sub-path mounts when served under that sub-path', { skip: !DIST && 'CAUCUS_DIST_SUBPATH is not set (cargo xtask test sets it)' }, async () => {
  const site = await serveDist(DIST, PREFIX);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(site.url);
    await waitForApp(page);
    assert.equal(await page.locator('main h2').textContent(), 'Raft');
    const outside = seen.requests.filter((url) => !url.startsWith(site.url));
    assert.deepEqual(outside, [], 'every asset is fetched from under the sub-path');
    assert.deepEqual(seen.pageErrors, []);
  } finally {
    await browser.close();
    await site.close();
  }
});
