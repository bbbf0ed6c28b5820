// The network is the user's to shape: loss, duplication and latency for the
// whole cluster and for one link, a link cut one way or both and restored,
// with the drawing showing a one-way cut's direction, and a shared link
// that carries all of it to a fresh page.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';
import { dump } from './lib/dump.mjs';

const env = useSite();

const openApp = (options, hash) => open(env, options, hash);

const form = (page, label) => page.getByRole('form', { name: label });

async function fill(page, label, { min, max, loss, duplicate }) {
  const f = form(page, label);
  if (min !== undefined) await f.locator('input[name=latency_min]').fill(min);
  if (max !== undefined) await f.locator('input[name=latency_max]').fill(max);
  if (loss !== undefined) await f.locator('input[name=loss]').fill(loss);
  if (duplicate !== undefined) await f.locator('input[name=duplicate]').fill(duplicate);
  await f.locator('button[type=submit]').click();
}

test('every link: latency, loss and duplication, refused in words when out of range', async () => {
  const { context, page } = await openApp();
  await fill(page, 'Every link', { min: '20', max: '30.5', loss: '100', duplicate: '0' });
  assert.match(await page.locator('.network .hint').textContent(), /Every link now: 20–30\.5 ms, 100% lost, none duplicated\./);
  // With every message lost, an election never completes: each vote request is lost.
  for (let i = 0; i < 40; i++) await page.locator('button.step').click();
  assert.match(await page.locator('.event-log').textContent(), /lost/);
  assert.equal(await page.locator('.cluster-svg .node.leader').count(), 0, 'no leader without messages');

  await fill(page, 'Every link', { loss: '120' });
  assert.match(await page.locator('.notice.error').textContent(),
    /Those link settings cannot be used: the loss must be a percentage from 0 to 100/);
  await fill(page, 'Every link', { min: '40', max: '10', loss: '0' });
  assert.match(await page.locator('.notice.error').textContent(), /the smallest latency \(40 ms\) is above the largest \(10 ms\)/);
  await context.close();
});

test('a link clicked in the drawing is cut one way, shown with its direction, restored, and tuned', async () => {
  const { context, page } = await openApp();
  await page.locator('.cluster-svg [data-link="n1-n3"]').click({ force: true });
  assert.equal(await page.locator('.inspector h4').textContent(), 'Link n1 ↔ n3');
  assert.equal(await page.locator('.network select').inputValue(), '0-2', 'the network panel names the link too');

  await page.locator('.inspector [data-direction="n1-n3"] .toggle-cut').click();
  const line = page.locator('.cluster-svg [data-link="n1-n3"]');
  assert.match(await line.locator('line.link').getAttribute('class'), /\bcut-one-way\b/);
  assert.equal(await line.locator('.cut-arrow').count(), 1, 'an arrow shows which way is cut');
  assert.match(await line.locator('title').textContent(), /n1 → n3 cut, n3 → n1 open/);
  // The arrow points from n1 towards n3.
  const [from, to, arrow] = await page.evaluate(() => {
    const centre = (el) => { const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
    return [
      centre(document.querySelector('.node[data-node="n1"] .node-body')),
      centre(document.querySelector('.node[data-node="n3"] .node-body')),
      document.querySelector('[data-link="n1-n3"] .cut-arrow').getAttribute('points'),
    ];
  });
  assert.ok(from && to && arrow, 'positions and arrow read');
  const tip = await page.locator('[data-link="n1-n3"] .cut-arrow').evaluate((el) => {
    const m = el.getCTM();
    const p = new DOMPoint(-12, 0).matrixTransform(m);
    const q = new DOMPoint(-26, 0).matrixTransform(m);
    return { tip: [p.x, p.y], tail: [q.x, q.y] };
  });
  const svgToScreen = await page.evaluate(() => {
    const m = document.querySelector('.cluster-svg').getScreenCTM();
    return [m.a, m.e, m.d, m.f];
  });
  const screen = ([x, y]) => [x * svgToScreen[0] + svgToScreen[1], y * svgToScreen[2] + svgToScreen[3]];
  const [tx, ty] = screen(tip.tip);
  const [ax, ay] = screen(tip.tail);
  const toward = (tx - ax) * (to[0] - from[0]) + (ty - ay) * (to[1] - from[1]);
  assert.ok(toward > 0, 'the arrow points from n1 to n3');

  // n1 stands for election: its RequestVote to n3 is blocked, while n3's
  // messages to n1 get through.
  await page.locator('.cluster-svg .node[data-node="n1"]').click();
  await page.keyboard.press('e');
  for (let i = 0; i < 60; i++) await page.locator('button.step').click();
  const log = await page.locator('.event-log').textContent();
  await screenshot(page, 'network-one-way-cut', { fullPage: false });
  assert.match(log, /m\d+ from n1 to n3 is blocked/, 'n1 → n3 carries nothing');
  assert.ok(!/from n3 to n1 is blocked/.test(log), 'n3 → n1 still carries messages');
  await page.locator('.cluster-svg [data-link="n1-n3"]').click({ force: true });

  await page.locator('.inspector button.cut-both').click();
  assert.match(await line.locator('line.link').getAttribute('class'), /\bcut\b/);
  assert.equal(await line.locator('.cut-arrow').count(), 0, 'both ways cut: no arrow');
  await page.locator('.inspector button.restore-both').click();
  assert.match(await line.locator('line.link').getAttribute('class'), /\bopen\b/);

  await fill(page, 'Link n1 ↔ n3', { min: '50', max: '60', loss: '25', duplicate: '10' });
  const steps = await page.locator('.clock').textContent();
  await fill(page, 'Link n1 ↔ n3', {});
  assert.equal(await page.locator('.clock').textContent(), steps, 'applying the same settings again records nothing');
  assert.match(await page.locator('.inspector [data-direction="n1-n3"] .settings').textContent(), /50–60 ms, 25% lost, 10% duplicated/);
  assert.match(await page.locator('.inspector [data-direction="n3-n1"] .settings').textContent(), /50–60 ms, 25% lost, 10% duplicated/);
  assert.match(await line.locator('line.link').getAttribute('class'), /\btuned\b/, 'a tuned link is drawn apart');
  await context.close();
});

test('network changes travel in a shared link, and the keyboard reaches a link through the panel', async () => {
  const { context, page } = await openApp();
  await fill(page, 'Every link', { min: '5', max: '8', loss: '10', duplicate: '5' });
  // With the keyboard alone: the panel's list of links, then the arrow keys.
  await page.locator('.network select').focus();
  while ((await page.locator('.network select').inputValue()) !== '1-3') await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.inspector h4').textContent(), 'Link n2 ↔ n4');
  await page.locator('.cluster-svg [data-link="n1-n2"]').click({ force: true });
  assert.equal(await page.locator('.network select').inputValue(), '0-1', 'a click in the drawing moves the list too');
  await page.locator('.network select').selectOption('1-3');
  await page.locator('.inspector [data-direction="n4-n2"] .toggle-cut').click();
  for (let i = 0; i < 20; i++) await page.locator('button.step').click();
  await page.locator('button.share').click();
  const link = await page.locator('.share-link').inputValue();
  const original = await dump(page);

  const fresh = await openApp({}, link.split('#')[1]);
  assert.deepEqual(await dump(fresh.page), original, 'the same moment, cut and settings included');
  assert.match(await fresh.page.locator('.network .hint').textContent(), /5–8 ms, 10% lost, 5% duplicated/);
  assert.match(await fresh.page.locator('.cluster-svg [data-link="n2-n4"] line.link').getAttribute('class'), /\bcut-one-way\b/);
  await fresh.context.close();
  await context.close();
});
