// The first screen as a new user meets it, at a laptop's 1280×720, a
// tablet's 820×1180 and a phone's 390×844: what must be on screen without
// scrolling, legible node labels, menus that stay on screen, a selection
// that is shown where the tap was, and small things that used to overlap or
// jump. Screenshots of each size land in target/e2e/ for people to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';

const env = useSite();

const LAPTOP = { viewport: { width: 1280, height: 720 } };
const TABLET = { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true };
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

const openApp = (options) => open(env, options);

/** The element's box, and whether all of it is inside the window. */
async function onScreen(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      box: [Math.round(r.left), Math.round(r.top), Math.round(r.right), Math.round(r.bottom)],
      inside: r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
    };
  });
}

async function assertOnScreen(page, selectors, where) {
  for (const selector of selectors) {
    const { box, inside } = await onScreen(page, selector);
    assert.ok(inside, `${selector} is on screen at ${where} without scrolling (${box})`);
  }
}

/** How much of the drawing the ring of nodes spans, across and down (0 to 1). */
async function ringSpan(page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.cluster-svg').getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.cluster-svg .node .node-body')].map((n) => n.getBoundingClientRect());
    const left = Math.min(...nodes.map((n) => n.left));
    const right = Math.max(...nodes.map((n) => n.right));
    const top = Math.min(...nodes.map((n) => n.top));
    const bottom = Math.max(...nodes.map((n) => n.bottom));
    return { across: (right - left) / svg.width, down: (bottom - top) / svg.height };
  });
}

test('at 1280×720 the cluster, transport, timeline and safety properties fit the first screen', async () => {
  const { context, page } = await openApp(LAPTOP);
  await assertOnScreen(page, [
    '.cluster-svg', '.toolbar', 'button.play', 'button.step', 'button.step-back', '.scrubber',
    '.invariants', '.invariants li:last-child', '.first-steps', '.inspector',
  ], '1280×720');
  const hint = await page.locator('.first-steps').textContent();
  assert.match(hint, /Play.*Step.*preset/, `one line tells a first-time visitor what to do: ${hint}`);
  const lines = await page.locator('.first-steps').evaluate((el) =>
    Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)));
  assert.ok(lines <= 2, `the hint is short (${lines} lines)`);
  const span = await ringSpan(page);
  assert.ok(span.across > 0.6 && span.down > 0.6,
    `the ring fills the drawing, no empty bands (${span.across.toFixed(2)} across, ${span.down.toFixed(2)} down)`);
  const overlap = await page.evaluate(() => {
    const top = document.querySelector('.workspace').getBoundingClientRect().top;
    return [...document.querySelectorAll('.site-header *, .protocol-intro *')]
      .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().bottom > top + 0.5)
      .map((el) => el.textContent.trim().slice(0, 30));
  });
  assert.deepEqual(overlap, [], 'the header and the title row stay above the columns');
  await screenshot(page, 'layout-1280x720', { fullPage: false });
  // Drawing a partition keeps the toolbar one row, and the drawing its size.
  // The layout sizes the drawing's box, and the SVG takes the box's size.
  const before = await page.locator('.drawing-box').boundingBox();
  await page.locator('button.start-partition').click();
  const during = await page.locator('.drawing-box').boundingBox();
  assert.ok(Math.abs(during.height - before.height) < 2, `the drawing keeps its height (${before.height} → ${during.height})`);
  await page.waitForFunction(() => {
    const box = document.querySelector('.drawing-box').getBoundingClientRect();
    const svg = document.querySelector('.cluster-svg').getBoundingClientRect();
    return Math.abs(box.width - svg.width) < 1 && Math.abs(box.height - svg.height) < 1;
  }, null, { timeout: 2_000 });
  await screenshot(page, 'layout-1280x720-partition-tool', { fullPage: false });
  await context.close();
});

test('walking the notes of a preset at 1280×720, the safety properties and a broken one stay in sight', async () => {
  const { context, page } = await openApp(LAPTOP);
  await page.locator('select.presets').selectOption('figure-8-mistake');
  await page.locator('.cluster-svg').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  let sawBroken = false;
  for (let i = 0; i < 20 && !(await page.locator('button.next-note').isDisabled()); i++) {
    await page.keyboard.press(']');
    const step = await page.locator('.note-step').textContent();
    await assertOnScreen(page, ['.cluster-svg', 'button.play', '.scrubber', '.narration .caption', '.invariants li:last-child'], `${step} of the preset`);
    if (await page.locator('.invariants li.broken').count() > 0) {
      await assertOnScreen(page, ['.invariants li.broken'], `${step}, where a property is broken`);
      if (!sawBroken) await screenshot(page, 'layout-notes-violation', { fullPage: false });
      sawBroken = true;
    }
  }
  assert.ok(sawBroken, 'the walk reached the step where a property turns red');
  await context.close();
});

test('on a tablet the transport and what a tap selects are on screen', async () => {
  const { context, page } = await openApp(TABLET);
  await assertOnScreen(page, ['.cluster-svg', 'button.play', '.scrubber'], '820×1180');
  await page.locator('.cluster-svg .node[data-node="n3"]').tap();
  await assertOnScreen(page, ['.selection-line', '.inspector h4'], '820×1180 after a tap');
  assert.equal(await page.locator('.inspector h4').textContent(), 'n3');
  const span = await ringSpan(page);
  assert.ok(span.across > 0.6 && span.down > 0.6, `the ring fills the drawing (${JSON.stringify(span)})`);
  await screenshot(page, 'layout-820x1180', { fullPage: false });
  await context.close();
});

test('on a phone labels are legible, the transport is reachable and a tap shows what it selected', async () => {
  const { context, page } = await openApp(PHONE);
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `no sideways scrolling (${scroll} > ${width})`);
  const labels = await page.locator('.cluster-svg .node-name').evaluateAll((els) =>
    els.map((el) => el.getBoundingClientRect().height));
  assert.ok(Math.min(...labels) >= 13, `node labels are at least 13 px tall (${labels.map(Math.round)})`);
  await assertOnScreen(page, ['.cluster-svg', 'button.play', 'button.step'], '390×844');
  await page.locator('.cluster-svg .node[data-node="n2"]').tap();
  await assertOnScreen(page, ['.selection-line'], '390×844 after a tap');
  assert.match(await page.locator('.selection-line').textContent(), /n2\s*follower, term 0/);
  assert.match(await page.locator('.selection-line').textContent(), /Tap|Actions/);
  await screenshot(page, 'layout-390x844', { fullPage: false });
  await context.close();
});

test("every server's menu stays on screen, at every size", async () => {
  for (const [name, options] of [['1280x720', LAPTOP], ['820x1180', TABLET], ['390x844', PHONE]]) {
    const { context, page } = await openApp(options);
    const nodes = await page.locator('.cluster-svg .node').evaluateAll((els) => els.map((e) => e.dataset.node));
    for (const node of nodes) {
      if (name === '1280x720') {
        await page.locator(`.cluster-svg .node[data-node="${node}"]`).click({ button: 'right' });
      } else {
        // With a finger: tap the server, then its Actions button.
        await page.locator(`.cluster-svg .node[data-node="${node}"]`).tap();
        await page.locator('.selection-line .node-actions').tap();
      }
      const { box, inside } = await onScreen(page, '.node-menu');
      assert.ok(inside, `${node}'s menu is on screen at ${name} (${box})`);
      if (node === 'n3') await screenshot(page, `layout-menu-${name}`, { fullPage: false });
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('.node-menu').count(), 0);
    }
    await context.close();
  }
});

test('small things: labels apart, the picker is not a button to press, sharing moves nothing, cuts and dividers differ', async () => {
  const { context, page } = await openApp(LAPTOP);
  // The leader's star and a partition group share one line above the node.
  for (let i = 0; i < 400 && (await page.locator('.cluster-svg .node.leader').count()) === 0; i++) {
    await page.locator('button.step').click();
  }
  const leader = page.locator('.cluster-svg .node.leader');
  await page.locator('button.start-partition').click();
  assert.match(await leader.locator('.above-node').textContent(), /^★ leader · group A$/);
  assert.equal(await leader.locator('text').evaluateAll((els) => {
    const boxes = els.map((e) => e.getBoundingClientRect());
    return boxes.some((a, i) => boxes.some((b, j) => i < j && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom));
  }), false, "no two of the leader's labels overlap");
  await page.keyboard.press('Escape');

  // The protocol picker reads as a tab, not as the page's main action.
  const picker = await page.locator('.protocol-choice.selected').evaluate((el) => getComputedStyle(el).backgroundColor);
  const play = await page.locator('button.play').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(picker, play, 'the picker is not coloured like Play');
  assert.match(picker, /rgba\(0, 0, 0, 0\)|transparent/, `the picker has no fill (${picker})`);

  // Share shows the link without pushing the page down.
  const before = await page.locator('.workspace').boundingBox();
  await page.locator('button.share').click();
  await page.locator('.share-link').waitFor();
  assert.deepEqual(await page.locator('.workspace').boundingBox(), before, 'the page did not move');
  await screenshot(page, 'layout-share-link', { fullPage: false });
  await page.locator('.close-share').click();

  // Cut links and partition dividers are drawn differently.
  await page.locator('.cluster-svg .node[data-node="n1"]').click();
  await page.keyboard.press('i');
  const divider = await page.locator('.cluster-svg .divider').first().evaluate((el) => {
    const s = getComputedStyle(el);
    return `${s.stroke} ${s.strokeDasharray}`;
  });
  await page.keyboard.press('h');
  await page.locator('.cluster-svg [data-link="n1-n2"]').click();
  await page.locator('.inspector button.cut-both').click();
  const cut = await page.locator('.cluster-svg .link.cut').first().evaluate((el) => {
    const s = getComputedStyle(el);
    return `${s.stroke} ${s.strokeDasharray}`;
  });
  assert.notEqual(cut, divider, `a cut link (${cut}) does not look like a divider (${divider})`);
  await context.close();
});

// The clock's words sit in a box of a fixed size (`.fixed-box`), sized from
// their length: played on, at a laptop's width and a phone's, they still fit.
test('the clock fits its box as the run grows', async () => {
  for (const [options, where] of [[LAPTOP, '1280×720'], [PHONE, '390×844']]) {
    const { context, page } = await openApp(options);
    const speed = page.locator('.speed input[type=range]');
    await speed.fill(await speed.getAttribute('max'));
    await page.locator('button.play').click();
    await page.waitForFunction(() => Number(document.querySelector('.clock').textContent.match(/step (\d+)/)[1]) >= 1000);
    await page.locator('button.play').click();
    const box = await page.locator('.clock-text').evaluate((el) => ({
      text: el.textContent, scroll: el.scrollWidth, width: el.clientWidth, height: el.clientHeight,
    }));
    assert.ok(box.scroll <= box.width, `${where}: "${box.text}" needs ${box.scroll} px of its ${box.width}`);
    assert.ok(box.height > 0, `${where}: the clock has a height`);
    await assertOnScreen(page, ['.clock-text'], where);
    await context.close();
  }
});
