// The app shell as a visitor meets it: the page loads, the app mounts, the
// console stays clean, nothing is fetched from another host, and a Rust panic
// shows the error banner instead of a blank page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';

const env = useSite();

const openApp = (options) => open(env, options);

test('the page loads and the app mounts with Raft picked', async () => {
  const { context, page } = await openApp();
  assert.equal(await page.title(), 'Caucus: see consensus happen');
  assert.equal(await page.locator('header h1').textContent(), 'Caucus');
  assert.equal(await page.locator('.boot-note').count(), 0, 'the loading note is replaced');

  const choices = page.locator('.protocol-picker [role=radio]');
  assert.deepEqual(await choices.allTextContents(), ['Raft', 'PBFT']);
  assert.equal(await choices.first().getAttribute('aria-checked'), 'true');
  assert.equal(await page.locator('main h2').textContent(), 'Raft');
  assert.equal(await page.locator('main .protocol-view').getAttribute('data-protocol'), 'raft');

  const shot = await screenshot(page, 'app-shell');
  assert.ok(statSync(shot).size > 1000, `screenshot ${shot} is written`);
  await context.close();
});

test('the console shows no errors or warnings while the app loads and is used', async () => {
  const { context, page, seen } = await openApp();
  await page.locator('.protocol-picker [role=radio]').first().click();
  await page.waitForTimeout(200);
  const noisy = seen.console.filter((m) => m.type === 'error' || m.type === 'warning');
  assert.deepEqual(noisy, [], 'console errors or warnings');
  assert.deepEqual(seen.pageErrors, [], 'uncaught page errors');
  await context.close();
});

test('the suite sees a console warning or error at any moment, not only at load', async () => {
  const { context, page, seen } = await openApp();
  await page.locator('button.step').click();
  await page.evaluate(() => console.warn('a warning long after load'));
  await page.evaluate(() => setTimeout(() => { throw new Error('thrown later'); }, 0));
  await page.waitForTimeout(100);
  assert.deepEqual(seen.noise(), ['console warning: a warning long after load', 'uncaught: Error: thrown later'],
    'what the check after each test would fail on');
  seen.expect(/a warning long after load|thrown later/);
  assert.deepEqual(seen.noise(), [], 'unless the test expects it');
  await context.close();
});

test('the page requests nothing from any other host', async () => {
  const { context, page, seen } = await openApp();
  await page.waitForLoadState('networkidle');
  assert.ok(seen.requests.length >= 3, `the page, its script and its wasm: ${seen.requests}`);
  const foreign = seen.requests.filter((url) => !url.startsWith(env.site.origin + '/'));
  assert.deepEqual(foreign, [], 'requests to other hosts');
  await context.close();
});

test('the favicon and stylesheet are served and applied', async () => {
  const { context, page } = await openApp();
  const icon = await page.locator('link[rel=icon]').getAttribute('href');
  assert.ok(icon, 'a favicon link');
  const response = await page.request.get(new URL(icon, page.url()).href);
  assert.equal(response.status(), 200);
  const background = await page.locator('.site-header').evaluate((el) => getComputedStyle(el).borderBottomStyle);
  assert.equal(background, 'solid', 'the stylesheet styles the header');
  await context.close();
});

test('the dark theme follows the system setting', async () => {
  const light = await openApp({ colorScheme: 'light' });
  const dark = await openApp({ colorScheme: 'dark' });
  const bg = (page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const [lightBg, darkBg] = [await bg(light.page), await bg(dark.page)];
  assert.notEqual(lightBg, darkBg, 'dark and light backgrounds differ');
  await screenshot(dark.page, 'app-shell-dark');
  await light.context.close();
  await dark.context.close();
});

test('a Rust panic shows an error banner with its message, not a blank page', async () => {
  const { context, page, seen } = await openApp();
  const message = 'deliberate test panic <b>not bold</b>';
  seen.expect(/deliberate test panic/);
  await page.waitForFunction(() => typeof window.wasmBindings?.debug_panic === 'function');
  const thrown = await page.evaluate((m) => {
    try {
      window.wasmBindings.debug_panic(m);
      return null;
    } catch (e) {
      return String(e);
    }
  }, message);
  assert.ok(thrown, 'the panic aborts the wasm call');

  const banner = page.locator('#error-banner[role=alert]');
  await banner.waitFor({ state: 'visible' });
  const detail = await banner.locator('.error-detail').textContent();
  assert.ok(detail.includes(message), `the banner shows the panic message as text: ${detail}`);
  assert.equal(await banner.locator('b').count(), 0, 'the message is not parsed as HTML');
  assert.equal(await banner.getByRole('button', { name: 'Reload' }).count(), 1);
  assert.ok(await page.locator('header h1').isVisible(), 'the page is not blank');
  assert.ok(
    seen.console.some((m) => m.type === 'error' && m.text.includes(message)),
    'the panic is logged to the console too',
  );
  await screenshot(page, 'panic-banner');
  await context.close();
});

test('if the wasm cannot load, the page says so instead of loading forever', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  // The aborted request and the boot failure are logged: that is this test's point.
  page.seen.expect(/Failed to load resource|WebAssembly|wasm|fetch/i);
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(env.site.url);
  const note = page.locator('.boot-note[role=alert]');
  await note.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await note.textContent(), /^Caucus could not start: /);
  await screenshot(page, 'boot-failed');
  await context.close();
});
