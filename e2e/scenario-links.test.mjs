// Scenario links and files as a user meets them: share a moment and open the
// link in a fresh browser, which must show exactly that moment and step on
// exactly as the original; save and open a file; save the trace; notes with
// markup in them shown as text; and bad links that say what is wrong.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';
import { dump } from './lib/dump.mjs';

const env = useSite();

const PAYLOAD = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>';

const openApp = (hash = '') => open(env, {}, hash);

async function step(page, times) {
  for (let i = 0; i < times; i++) await page.locator('button.step').click();
}

/** Writes `text` as the note of the step shown. */
async function writeNote(page, text, title) {
  await page.locator('button.edit-note').click();
  await page.locator('.note-editor textarea[name=note]').fill(text);
  if (title !== undefined) await page.locator('.note-editor input[name=title]').fill(title);
  await page.locator('.note-editor button.save-note').click();
}

/** A run worth sharing: steps, a crash from the menu, a note, more steps, a selection. */
async function workedRun(page) {
  await step(page, 25);
  await page.locator('.cluster-svg .node[data-node="n3"]').click({ button: 'right' });
  await page.getByRole('menuitem', { name: /^Crash/ }).click();
  await writeNote(page, PAYLOAD, `Title ${PAYLOAD}`);
  await step(page, 15);
  await page.keyboard.press('Escape');
  await page.locator('.request input').fill('x=5');
  await page.locator('.request button[type=submit]').click();
  assert.equal(await page.locator('.notice.error').count(), 0, 'the request went to the leader');
  await step(page, 10);
  await page.locator('.cluster-svg .node[data-node="n2"]').click();
}

async function share(page) {
  await page.locator('button.share').click();
  const link = await page.locator('.share-link').inputValue();
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
  return link;
}

test('a shared link opens exactly the same moment, and steps on the same', async () => {
  const { context, page, seen } = await openApp();
  await workedRun(page);
  const link = await share(page);
  assert.ok(link.split('#')[1].length < 2000, `link of ${link.length} characters`);
  assert.equal(await page.evaluate(() => location.href), link, 'the address bar holds the link too');
  const at = (await page.locator('.clock').textContent()).match(/step (\d+)/)[1];
  assert.match(await page.locator('.notice').textContent(), new RegExp(`opens this run at step ${at}\\.`));
  const original = await dump(page);

  const fresh = await env.browser.newContext({ viewport: { width: 1280, height: 720 } });
  const other = await fresh.newPage();
  await other.goto(link);
  await other.locator('.cluster-svg .node').first().waitFor();
  assert.deepEqual(await dump(other), original, 'the same moment');
  await screenshot(other, 'scenario-opened-from-link');

  await step(page, 12);
  await step(other, 12);
  assert.deepEqual(await dump(other), await dump(page), 'twelve steps later, still the same');
  assert.deepEqual(seen.pageErrors, []);
  await fresh.close();
  await context.close();
});

test('notes and titles with markup are shown as text', async () => {
  const { context, page } = await openApp();
  await workedRun(page);
  const link = await share(page);
  for (const p of [page, await (async () => {
    const other = await context.newPage();
    await other.goto(link);
    await other.locator('.cluster-svg .node').first().waitFor();
    return other;
  })()]) {
    await p.locator('button.previous-note').click();
    assert.equal(await p.locator('.narration .caption').textContent(), PAYLOAD.trim());
    assert.equal(await p.locator('#narration-title').textContent(), `Title ${PAYLOAD}`);
    assert.equal(await p.locator('.narration img, .narration script').count(), 0, 'no element made from a note');
    assert.equal(await p.evaluate(() => window.__pwned), undefined, 'no script ran');
  }
  await context.close();
});

test('a scenario saved as a file opens to the same moment; the trace saves as JSON lines', async () => {
  const { context, page } = await openApp();
  await workedRun(page);
  const original = await dump(page);

  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('button.save-file').click()]);
  assert.equal(file.suggestedFilename(), 'caucus-scenario.json');
  const json = JSON.parse(await readFile(await file.path(), 'utf8'));
  assert.equal(json.version, 1);
  assert.equal(json.step, Number((await page.locator('.clock').textContent()).match(/step (\d+)/)[1]));

  const [trace] = await Promise.all([page.waitForEvent('download'), page.locator('button.save-trace').click()]);
  const lines = (await readFile(await trace.path(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, json.step + 1, 'step 0 and one line a step');
  assert.deepEqual(lines.map((l) => l.step), [...Array(json.step + 1).keys()]);

  const fresh = await openApp();
  await fresh.page.locator('.open-file input[type=file]').setInputFiles({
    name: 'caucus-scenario.json', mimeType: 'application/json', buffer: await readFile(await file.path()),
  });
  await fresh.page.locator('.notice.info').waitFor();
  assert.match(await fresh.page.locator('.notice').textContent(), /Opened the file caucus-scenario\.json/);
  assert.deepEqual(await dump(fresh.page), original);
  await fresh.context.close();
  await context.close();
});

/** A link of our own making, for scenarios the page would never write. */
function linkOf(json) {
  return `v1.${deflateRawSync(Buffer.from(JSON.stringify(json))).toString('base64url')}`;
}

test('bad links say what is wrong, start a fresh run, and never break the page', async () => {
  const { context, page } = await openApp();
  await step(page, 30);
  const good = (await share(page)).split('#')[1];
  await context.close();
  const cases = [
    ['hello', /not a Caucus scenario link/],
    ['v1.%%%', /damaged: it has characters/],
    [good.slice(0, good.length / 2), /damaged or cut short/],
    [good.replace('v1.', 'v9.'), /newer Caucus \(format 9\)/],
    [`v1.${'A'.repeat(120_000)}`, /too long/],
    [linkOf({ version: 1 }), /cannot be read: it lacks the run \(its protocol, settings and actions\)/],
    [linkOf({ version: 1, run: { raft: { config: { nodes: 12, election_timeout_min: 1, election_timeout_max: 2, heartbeat_interval: 1, max_entries_per_append: 1, conflict_hint: false, pre_vote: false, check_quorum: false, mistakes: [], initial: [] }, actions: [] } }, seed: 1, links: { latency_min: 1, latency_max: 2, loss_ppm: 0, duplicate_ppm: 0 }, step: 0 }), /1 to 9 servers, not 12/],
    [linkOf({ version: 1, run: { raft: { config: { nodes: 3, election_timeout_min: 1000, election_timeout_max: 2000, heartbeat_interval: 500, max_entries_per_append: 1, conflict_hint: false, pre_vote: false, check_quorum: false, mistakes: [], initial: [] }, actions: [{ Restart: 0 }] } }, seed: 1, links: { latency_min: 1, latency_max: 2, loss_ppm: 0, duplicate_ppm: 0 }, step: 0 }), /Action 1 of the scenario does not apply: n1 is already running/],
  ];
  for (const [hash, words] of cases) {
    const { context: c, page: p, seen } = await openApp(hash);
    const notice = p.locator('.notice.error');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, words, `for #${hash.slice(0, 30)}…`);
    assert.match(text, /This is a fresh run instead\./);
    assert.match(await p.locator('.clock').textContent(), /^step 0 of 0/, 'the default run');
    assert.deepEqual(seen.pageErrors, [], `no error for #${hash.slice(0, 30)}`);
    assert.equal(await p.locator('.error-banner').count(), 0, 'no crash banner');
    if (hash === 'hello') await screenshot(p, 'scenario-bad-link');
    assert.equal(new URL(p.url()).hash, '', 'the refused link is taken out of the address bar');
    await p.reload();
    await p.locator('.cluster-svg .node').first().waitFor();
    assert.equal(await p.locator('.notice.error').count(), 0, 'so a reload starts clean, without the error');
    await c.close();
  }

  // A bad link pasted into a page with a run loses nothing.
  const { context: c, page: p } = await openApp();
  await step(p, 12);
  await p.evaluate(() => { location.hash = 'v1.broken'; });
  await p.locator('.notice.error').waitFor();
  assert.match(await p.locator('.notice').textContent(), /The run on the page is unchanged\./);
  assert.match(await p.locator('.clock').textContent(), /^step 12 of 12/);
  assert.match(new URL(p.url()).hash, /^#v1\./, 'the address bar holds the run on the page instead');
  await p.reload();
  await p.locator('.cluster-svg .node').first().waitFor();
  assert.match(await p.locator('.clock').textContent(), /^step 12 of 12/, 'so a reload loses nothing');
  assert.equal(await p.locator('.notice.error').count(), 0);
  await c.close();
});

test('a preset opens with its narration, and the notes lead through it', async () => {
  const { context, page, seen } = await openApp();
  await page.locator('select.presets').selectOption({ label: 'Split vote' });
  assert.match(await page.locator('.notice').textContent(), /Opened the preset “Split vote”/);
  assert.equal(await page.locator('#narration-title').textContent(), 'Split vote');
  assert.match(await page.locator('.narration .description').textContent(), /randomized election timeouts/);
  assert.match(await page.locator('.narration .caption').textContent(), /^Four servers: a majority is 3/);
  assert.match(await page.locator('.clock').textContent(), /^step 0 of 20/);
  assert.equal(await page.locator('.scrubber .mark.note').count(), 7, 'each noted step marked on the timeline');

  // Next note, by button and by key, moves the cursor to the noted steps.
  const captions = [];
  for (let i = 0; i < 6; i++) {
    if (i % 2) await page.keyboard.press(']');
    else await page.locator('button.next-note').click();
    captions.push(await page.locator('.narration .caption').textContent());
  }
  assert.match(captions[1], /n3 hears n1 first and votes for n1/);
  assert.match(await page.locator('.cluster-svg .node[data-node="n3"]').getAttribute('aria-label'), /voted n1/);
  assert.match(captions[5], /wins term 2: the split is resolved/);
  assert.equal(await page.locator('button.next-note').isDisabled(), true, 'the last note');
  assert.equal((await leadersOf(page)).length, 1);
  await screenshot(page, 'scenario-preset-split-vote');
  await page.keyboard.press('[');
  assert.equal(await page.locator('.narration .caption').textContent(), captions[4]);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

async function leadersOf(page) {
  return page.locator('.cluster-svg .node.leader').evaluateAll((els) => els.map((el) => el.dataset.node));
}

test('users write, change and delete notes, and the link carries them', async () => {
  const { context, page } = await openApp();
  await step(page, 5);
  await writeNote(page, 'first thoughts');
  await step(page, 5);
  await writeNote(page, 'second');
  assert.equal(await page.locator('.note-count').textContent(), '2 notes');
  await writeNote(page, 'second, edited');
  assert.equal(await page.locator('.narration .caption').textContent(), 'second, edited');
  await page.locator('button.previous-note').click();
  assert.match(await page.locator('.clock').textContent(), /^step 5 of 10/);
  await writeNote(page, '');
  assert.equal(await page.locator('.note-count').textContent(), '1 note');
  assert.equal(await page.locator('.narration .caption').textContent(), 'No note on step 5.');

  const link = await share(page);
  const other = await context.newPage();
  await other.goto(link);
  await other.locator('.cluster-svg .node').first().waitFor();
  assert.equal(await other.locator('.note-count').textContent(), '1 note');
  await other.locator('button.next-note').click();
  assert.equal(await other.locator('.narration .caption').textContent(), 'second, edited');
  await context.close();
});
