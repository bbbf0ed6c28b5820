// PBFT on the page, as a student meets it: pick it, send a request from a
// client and step until the client accepts its result with the phase matrix
// showing every replica's quorums; make the primary lie from its menu;
// switch back to Raft and find it where it was left; share a PBFT moment
// and open it in a fresh context to the same state. Screenshots in
// target/e2e/ at laptop, tablet and phone sizes.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';
import { dump } from './lib/dump.mjs';

const env = useSite();

const openApp = (options) => open(env, options);

async function pickPbft(page) {
  await page.locator('.protocol-picker [role=radio]', { hasText: 'PBFT' }).click();
  await page.locator('main .protocol-view[data-protocol="pbft"]').waitFor();
  await page.locator('.cluster-svg .node').first().waitFor();
}

async function stepUntil(page, done, limit = 400) {
  for (let i = 0; i < limit; i++) {
    if (await done()) return i;
    await page.locator('button.step').click();
  }
  assert.fail(`still not done after ${limit} steps`);
}

const names = (page) => page.locator('.cluster-svg .node .node-name').allTextContents();
const log = (page) => page.locator('.event-log').textContent();

test('a client request completes on the PBFT page, with the quorums in the phase matrix', async () => {
  const { context, page, seen } = await openApp();
  await pickPbft(page);
  assert.deepEqual(await names(page), ['r0', 'r1', 'r2', 'r3', 'c0']);
  assert.equal(await page.locator('main h2').textContent(), 'PBFT');
  assert.match(await page.locator('.request button[type=submit]').textContent(), /Send to c0/);
  await page.locator('.request input').fill('x=5');
  await page.locator('.request button[type=submit]').click();
  assert.equal(await page.locator('.notice.error').count(), 0, 'the request went to c0');
  await stepUntil(page, async () => /c0 accepts the result of x=5/.test(await log(page)));
  await stepUntil(page, async () => (await page.locator('.phase-matrix td.executed').count()) === 4);
  const cell = page.locator('.phase-matrix td.executed button').first();
  assert.match(await cell.getAttribute('aria-label'), /r0 at 1: executed; prepares \d of 2f = 2, commits \d of 2f \+ 1 = 3/);
  await page.locator('.phase-matrix td button').nth(1).click();
  assert.match(await page.locator('.certificate').textContent(), /r1 at sequence number 1: .*PREPAREs from .*COMMITs from/);
  assert.match(await page.locator('.pbft-clients').textContent(), /c0 no request outstanding; 1 accepted; last accepted: x=5 → x was unset/);
  assert.equal(await page.locator('.checkpoint-bars li').count(), 4);
  assert.match(await page.locator('.checkpoint-bars li').first().getAttribute('aria-label'), /r0: stable checkpoint 0 \(h\), H = 8, executed 1/);
  assert.match(await page.locator('.pbft-view-changes').textContent(), /r1 in view 0 \(primary r0\)/);
  // Clients sit apart from the replicas' ring: c0 in the middle of it.
  const [ring, client] = await Promise.all([
    page.locator('.cluster-svg .node[data-node="n1"]').getAttribute('transform'),
    page.locator('.cluster-svg .node[data-node="n5"]').getAttribute('transform'),
  ]);
  assert.match(client, /translate\(0(\.0)? 0(\.0)?\)/, `c0 at ${client}`);
  assert.doesNotMatch(ring, /translate\(0(\.0)? 0(\.0)?\)/);
  await screenshot(page, 'pbft-normal-case');
  for (const [name, viewport] of [['tablet', { width: 820, height: 1180 }], ['phone', { width: 390, height: 844 }]]) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await screenshot(page, `pbft-normal-case-${name}`);
  }
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('the primary turns Byzantine from its menu, and Raft is where it was left', async () => {
  const { context, page, seen } = await openApp();
  for (let i = 0; i < 15; i++) await page.locator('button.step').click();
  const raftClock = await page.locator('.clock').textContent();
  await pickPbft(page);
  const primary = page.locator('.cluster-svg .node', { has: page.locator('.node-name', { hasText: /^r0$/ }) });
  await primary.click({ button: 'right' });
  await page.locator('.node-menu [role=menuitem]', { hasText: 'equivocating primary' }).click();
  assert.equal(await page.locator('.notice.error').count(), 0);
  assert.match(await primary.getAttribute('aria-label'), /equivocating primary/);
  assert.match(await log(page), /r0 turns Byzantine \(equivocating primary\)/);
  const faults = page.locator('.fault-count');
  assert.match(await faults.textContent(), /f = 1 faults; faulty now: r0 \(equivocating primary\)\.$/);
  await page.locator('.request button[type=submit]').click();
  await stepUntil(page, async () => /refuses a second PRE-PREPARE/.test(await log(page)));
  await screenshot(page, 'pbft-equivocating-primary');
  // A second liar is one more than f: the page says what that means.
  const backup = page.locator('.cluster-svg .node', { has: page.locator('.node-name', { hasText: /^r1$/ }) });
  await backup.click({ button: 'right' });
  await page.locator('.node-menu [role=menuitem]', { hasText: 'silent' }).click();
  assert.match(await faults.textContent(), /r0 \(equivocating primary\), r1 \(silent\)\. Beyond f: safety is no longer guaranteed\./);
  await page.locator('.protocol-picker [role=radio]', { hasText: 'Raft' }).click();
  await page.locator('main .protocol-view[data-protocol="raft"]').waitFor();
  assert.equal(await page.locator('.clock').textContent(), raftClock, 'Raft is at the step it was left at');
  await pickPbft(page);
  assert.match(await log(page), /refuses a second PRE-PREPARE/, 'and PBFT too');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a shared PBFT moment opens in a fresh context to the same state', async () => {
  const { context, page, seen } = await openApp();
  await pickPbft(page);
  await page.locator('.request button[type=submit]').click();
  for (let i = 0; i < 25; i++) await page.locator('button.step').click();
  await page.locator('button.share').click();
  const link = await page.locator('.share-link').inputValue();
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
  const original = await dump(page);
  const fresh = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await other.locator('main .protocol-view[data-protocol="pbft"]').waitFor();
  await other.locator('.cluster-svg .node').first().waitFor();
  assert.deepEqual(await dump(other), original, 'the same moment');
  assert.deepEqual(seen.pageErrors, []);
  await fresh.close();
  await context.close();
});

test('with 13 nodes the keyboard alone selects every one, and the help speaks of replicas', async () => {
  const { context, page, seen } = await openApp();
  await pickPbft(page);
  await page.locator('.pbft-panel .settings select').first().selectOption('3');
  await page.locator('.pbft-panel .settings select').nth(1).selectOption('3');
  await page.waitForFunction(() => document.querySelectorAll('.cluster-svg .node').length === 13);
  const press = async (key) => { await page.keyboard.press(key); };
  const inspected = () => page.locator('.inspector h4').textContent();
  await press('0');
  assert.equal(await inspected(), 'r9', '0 selects the tenth node');
  await press('n');
  assert.equal(await inspected(), 'c0', 'n the next one');
  await press('n'); await press('n'); await press('n');
  assert.equal(await inspected(), 'r0', 'and wraps round to the first');
  await press('Shift+N');
  assert.equal(await inspected(), 'c2', 'N the previous one');
  await press('2');
  await press('e');
  assert.match(await page.locator('.event-log').textContent(), /r1 moves to view 1 and multicasts VIEW-CHANGE/, 'e starts a view change on r1');
  await press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  assert.match(await help.textContent(), /start a view change on the selected replica/);
  assert.match(await help.textContent(), /crash the selected replica/);
  await screenshot(page, 'pbft-13-nodes-help', { fullPage: false });
  await press('Escape');
  await screenshot(page, 'pbft-13-nodes');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a PBFT preset opens with its notes, and its first note reads on its step', async () => {
  const { context, page, seen } = await openApp();
  await pickPbft(page);
  const presets = page.locator('.presets');
  const names = await presets.locator('option').allTextContents();
  assert.ok(names.includes('Normal case: three phases'), names.join(' | '));
  assert.equal(names.length, 8, 'seven presets and the prompt');
  await presets.selectOption('normal-case');
  assert.match(await page.locator('.notice').textContent(), /Opened the preset “Normal case: three phases”/);
  assert.equal(await page.locator('main .protocol-view').getAttribute('data-protocol'), 'pbft');
  await page.keyboard.press(']');
  const note = await page.locator('.narration').textContent();
  assert.ok(note.length > 40, `a note is shown: ${note}`);
  await screenshot(page, 'pbft-preset-normal-case');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});
