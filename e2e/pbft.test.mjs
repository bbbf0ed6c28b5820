// PBFT on the page, as a student meets it: pick it, send a request from a
// client and step until the client accepts its result with the phase matrix
// showing every replica's quorums; make the primary lie from its menu;
// switch back to Raft and find it where it was left; share a PBFT moment
// and open it in a fresh context to the same state. Screenshots in
// target/e2e/ at laptop, tablet and phone sizes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

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
const node = (page, name) =>
  page.locator('.cluster-svg .node', { has: page.locator('.node-name', { hasText: new RegExp(`^${name}$`) }) });

/**
 * Shares the PBFT moment on screen and opens the link in a fresh context,
 * which must show the same state dump. The caller closes `fresh`.
 */
async function openShared(page) {
  await page.locator('button.share').click();
  const link = await page.locator('.share-link').inputValue();
  const original = await dump(page);
  const fresh = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await other.locator('main .protocol-view[data-protocol="pbft"]').waitFor();
  await other.locator('.cluster-svg .node').first().waitFor();
  assert.deepEqual(await dump(other), original, 'the same moment');
  return { link, fresh, other };
}

async function sendRequest(page, op) {
  await page.locator('.request input').fill(op);
  await page.locator('.request button[type=submit]').click();
  assert.equal(await page.locator('.notice.error').count(), 0, `${op} went to c0`);
}

/**
 * Presses Play and pauses in the frame in which `done` (a function run in
 * the page) first holds, as a quick hand would: a busy machine's round trips
 * would otherwise let play run on well past the moment. Fails if play stops
 * by itself first (a broken property pauses it), saying what broke.
 */
async function playUntil(page, done, { timeout = 30_000 } = {}) {
  const play = page.locator('button.play');
  await play.click();
  await page.locator('button.play[aria-label="Pause"]').waitFor();
  let held;
  try {
    held = await page.waitForFunction(`(() => {
      const play = document.querySelector('button.play');
      if (play.getAttribute('aria-label') === 'Play') return 'stopped';
      if (!(${done})()) return false;
      play.click();
      return 'done';
    })()`, null, { timeout, polling: 'raf' }).then((h) => h.jsonValue());
  } catch (error) {
    if ((await play.getAttribute('aria-label')) === 'Pause') await play.click();
    throw error;
  }
  await page.locator('button.play[aria-label="Play"]').waitFor();
  if (held === 'stopped') {
    const [clock, properties] = await Promise.all([
      page.locator('.clock').textContent(), page.locator('.invariants ul').textContent()]);
    assert.fail(`play stopped by itself at ${clock}: ${properties}`);
  }
}

/**
 * What the inspector shows of `name`: the sequence numbers its log holds as
 * executed, with their digests, the last one it executed, and its store.
 */
async function executedBy(page, name) {
  await node(page, name).click();
  await page.locator('.inspector h4', { hasText: new RegExp(`^${name}$`) }).waitFor();
  const field = (f) => page.locator(`.inspector tr[data-field="${f}"] .value`).textContent();
  const [logText, last, store] = await Promise.all([field('log'), field('last executed'), field('store')]);
  const executed = new Map();
  for (const entry of logText.replace(/^\d+ entr(y|ies): /, '').split('; ')) {
    const m = entry.match(/^(\d+): (\S+) v\d+, .*, executed$/);
    if (m) executed.set(Number(m[1]), m[2]);
  }
  return { executed, last: Number(last), store, logText };
}

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
  assert.equal(await page.locator('.cluster-svg.crowded').count(), 0, 'five nodes keep their captions');
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
  assert.match(await faults.textContent(), /f = 1 fault; faulty now: r0 \(equivocating primary\)\.$/);
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
  const { link, fresh } = await openShared(page);
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
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
  // At 1280 × 720 thirteen nodes leave no room for captions: they are left
  // out (each node's tooltip and the inspector still say them).
  assert.equal(await page.locator('.cluster-svg.crowded').count(), 1);
  assert.equal(await page.locator('.cluster-svg .node-caption').first().isVisible(), false);
  assert.match(await page.locator('.cluster-svg .node').first().locator('title').textContent(), /exec 0/);
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

test('an equivocating primary cannot make correct replicas disagree: play until the view changes', async () => {
  const { context, page, seen } = await openApp();
  // A student makes the primary lie in the named way, sends two requests and
  // plays: the backups refuse the second PRE-PREPARE, the client's requests
  // stall, the timers fire and r1 takes over in view 1.
  await pickPbft(page);
  await node(page, 'r0').click({ button: 'right' });
  await page.locator('.node-menu [role=menuitem]', { hasText: 'equivocating primary' }).click();
  assert.match(await page.locator('.fault-count').textContent(), /faulty now: r0 \(equivocating primary\)\.$/);
  const correct = ['r1', 'r2', 'r3'];
  await sendRequest(page, 'x=1');
  await sendRequest(page, 'x=2');
  await page.locator('.speed input[type=range]').fill('2.5');
  assert.equal(await page.locator('.speed output').textContent(), '316 ms per second');
  await playUntil(page, () => {
    const rows = [...document.querySelectorAll('.pbft-view-changes li')].map((li) => li.textContent.trim());
    return ['r1', 'r2', 'r3'].every((r) => rows.some((t) => t.startsWith(`${r} in view 1 (primary r1)`)));
  });

  // The page says the view changed, in the panel, the drawing and the matrix.
  const viewChanges = await page.locator('.pbft-view-changes').textContent();
  assert.match(viewChanges, /NEW-VIEW for view 1 from r1: VIEW-CHANGEs of /);
  assert.match(await node(page, 'r1').getAttribute('aria-label'), /^r1: primary, view 1,/);
  for (const r of ['r2', 'r3']) {
    assert.match(await node(page, r).getAttribute('aria-label'), new RegExp(`^${r}: backup, view 1,`));
  }
  assert.match(await node(page, 'r0').getAttribute('aria-label'), /^r0: Byzantine: equivocating primary, view 1,/);
  const headers = await page.locator('.phase-matrix thead th').allTextContents();
  assert.ok(headers.includes('r1view 1 · primary'), headers.join(' | '));

  // No two correct replicas executed different requests at one sequence number.
  const agree = async (when) => {
    const bySeq = new Map();
    const views = {};
    for (const r of correct) {
      const v = await executedBy(page, r);
      views[r] = v;
      assert.ok(v.last >= 1, `${when}: ${r} executed something (${v.logText})`);
      for (const [seq, digest] of v.executed) {
        const other = bySeq.get(seq);
        assert.ok(!other || other.digest === digest,
          `${when}: at sequence number ${seq}, ${other?.r} executed ${other?.digest} and ${r} ${digest}`);
        bySeq.set(seq, { r, digest });
      }
    }
    for (const a of correct) {
      for (const b of correct) {
        if (a < b && views[a].last === views[b].last) {
          assert.equal(views[a].store, views[b].store, `${when}: ${a} and ${b} executed up to ${views[a].last}, with the same store`);
        }
      }
    }
    // And the safety properties hold: none broken now, no broken mark on the timeline.
    const properties = page.locator('.invariants li.property');
    assert.deepEqual(await properties.evaluateAll((lis) => lis.map((li) => li.dataset.property)),
      ['Agreement', 'Executed Prefixes', 'Integrity', 'Prepared Uniqueness', 'Accepted Results']);
    assert.equal(await page.locator('.invariants li.property.broken').count(), 0, `${when}: no property broken`);
    assert.equal(await page.locator('.invariants li[data-property="Agreement"] .status.ok').textContent(), '✓ holds');
    assert.equal(await page.locator('.scrubber .mark.violation').count(), 0, `${when}: nothing was broken on the way`);
    return bySeq;
  };
  const afterViewChange = await agree('after the view change');
  assert.ok(afterViewChange.size >= 1, 'at least one sequence number to compare');

  await node(page, 'r1').click();
  await screenshot(page, 'pbft-equivocation-view-change', { fullPage: false });
  await page.locator('.pbft-panel').evaluate((panel) => panel.scrollIntoView({ block: 'start' }));
  await screenshot(page, 'pbft-equivocation-view-change-panels', { fullPage: false });
  await page.evaluate(() => window.scrollTo(0, 0));

  // Play on: the new primary orders both requests and the client accepts them.
  await playUntil(page, () => /c0 no request outstanding; 2 accepted/.test(document.querySelector('.pbft-clients').textContent));
  assert.match(await page.locator('.pbft-clients').textContent(), /last accepted: x=2 → x was 1/);
  const atTheEnd = await agree('once the client has its results');
  assert.ok(atTheEnd.size >= 3, `the null request, x=1 and x=2 executed: ${[...atTheEnd.keys()]}`);

  // The logs keep only what is not yet collected and in its latest view; the
  // trace has every execution of every correct replica as it happened (the
  // null request at 1 was executed in view 0, before the view change).
  const [trace] = await Promise.all([page.waitForEvent('download'), page.locator('button.save-trace').click()]);
  const executions = new Map();
  for (const line of (await readFile(await trace.path(), 'utf8')).trim().split('\n')) {
    for (const event of JSON.parse(line).events) {
      const m = event.Note?.text.match(/^(r\d) executes sequence number (\d+): (.*?)(, which does nothing| and replies \(§4\.2\))?$/);
      if (!m || !correct.includes(m[1])) continue;
      const what = executions.get(m[2]) ?? new Map();
      what.set(m[1], m[3]);
      executions.set(m[2], what);
    }
  }
  assert.ok(executions.size >= 3, `executions in the trace: ${[...executions.keys()]}`);
  for (const [seq, what] of executions) {
    assert.equal(new Set(what.values()).size, 1, `sequence number ${seq}: ${[...what].map(([r, w]) => `${r} ${w}`).join(', ')}`);
  }
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a Byzantine choice in "you choose" mode: the primary tells one backup of the null request, and a link carries the lie', async () => {
  const { context, page, seen } = await openApp();
  await pickPbft(page);
  await node(page, 'r0').click({ button: 'right' });
  await page.locator('.node-menu [role=menuitem]', { hasText: 'you choose each lie' }).click();
  assert.match(await page.locator('.fault-count').textContent(), /faulty now: r0 \(you choose each lie\)\.$/);
  await page.locator('button.choose-toggle').click();
  await sendRequest(page, 'x=1');
  const row = page.locator('.next-events li.next-message', { hasText: 'PRE-PREPARE r0 → r3' });
  await stepUntil(page, async () => (await row.count()) > 0, 40);
  // Only the liar's messages offer lies: the client's REQUEST, if still listed, does not.
  const rows = page.locator('.next-events li.next-message');
  for (const text of await rows.allTextContents()) {
    const offers = await rows.filter({ hasText: text }).locator('button.lie').count();
    assert.equal(offers > 0, /^PRE-PREPARE r0 → r[123]/.test(text), `${text} offers a lie: ${offers > 0}`);
  }
  await row.locator('button.lie').click();
  await page.locator('.inspector h4', { hasText: /^PRE-PREPARE m\d+$/ }).waitFor();
  const lies = page.locator('.inspector .lies');
  assert.equal(await lies.locator('p').textContent(), 'In its place, r0 may send:');
  assert.equal(await lies.getAttribute('aria-label'), 'In its place, r0 may send:');
  assert.deepEqual(await lies.locator('button').allTextContents(), ['PRE-PREPARE the null request at 1 instead']);
  assert.match(await page.locator('.inspector tr[data-field="request"] td').textContent(), /x=1/);
  await screenshot(page, 'pbft-you-choose-lie');
  await page.setViewportSize({ width: 390, height: 844 });
  await lies.scrollIntoViewIfNeeded();
  await screenshot(page, 'pbft-you-choose-lie-phone', { fullPage: false });
  await page.setViewportSize({ width: 1280, height: 720 });

  const drawnLies = page.locator('.cluster-overlay .messages path.lie');
  assert.equal(await drawnLies.count(), 0, 'no lie is drawn before one is told');
  // The keyboard alone tells the lie.
  await lies.locator('button').focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.notice.error').count(), 0);
  const told = await log(page);
  assert.match(told, /r0 lies to r3: PRE-PREPARE the null request at 1 instead/);
  assert.match(told, /r0 puts another PRE-PREPARE in place of m\d+ to r3/);
  assert.equal(await page.locator('.inspector tr[data-field="request"] td').textContent(), 'none: the null request');
  assert.equal(await lies.count(), 0, 'a null PRE-PREPARE has no lie left to tell');
  assert.equal(await row.locator('button.lie').count(), 0);
  assert.equal(await page.locator('.inspector tr[data-field="a lie"] td').textContent(), 'r0 put this in place of what it sent');
  // The drawing marks the lie in flight, and the legend says how.
  // Drawn again over its kind, with the lie's outline: one PRE-PREPARE.
  assert.equal(await drawnLies.count(), 1);
  assert.match(await drawnLies.getAttribute('class'), /\bkind-PRE-PREPARE\b/);
  assert.equal((await drawnLies.getAttribute('d')).match(/M/g).length, 1);
  assert.equal(await page.locator('.legend .lie-key').textContent(), 'a lie');
  await screenshot(page, 'pbft-you-choose-lie-told');
  await node(page, 'r3').click();
  await screenshot(page, 'pbft-you-choose-lie-in-flight', { fullPage: false });

  // The link carries the lie: a fresh context opens to the same moment.
  const { fresh, other } = await openShared(page);
  assert.match(await log(other), /r0 lies to r3: PRE-PREPARE the null request at 1 instead/);
  await fresh.close();

  // With one liar the lie changes nothing that matters: r0, r1 and r2 still
  // form the quorums for x=1 and the client accepts its result.
  await page.locator('button.choose-toggle').click();
  await playUntil(page, () => /c0 no request outstanding; 1 accepted/.test(document.querySelector('.pbft-clients').textContent));
  assert.equal(await page.locator('.invariants li.property.broken').count(), 0);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});
