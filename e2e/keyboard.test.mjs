// Every keyboard shortcut of the help, pressed as a user presses it: each
// does what the help says, none moves the page, none logs a console message
// (the suite fails any test that does), and typing in a field still types.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';

const env = useSite();

const openApp = (options) => open(env, options);

/** Where the page is scrolled to, once a smooth scroll a key started would have moved it. */
async function scrolled(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForTimeout(150);
  return page.evaluate(() => [window.scrollX, window.scrollY]);
}

/** Presses `key` with the focus on the page itself, and checks the page did not scroll. */
async function press(page, key) {
  await page.keyboard.press(key);
  assert.deepEqual(await scrolled(page), [0, 0], `${key} does not move the page`);
}

const clock = (page) => page.locator('.clock').textContent();
const role = (page, node) => page.locator(`.cluster-svg .node[data-node="${node}"]`).getAttribute('data-role');

test('the page can scroll, yet Space, the arrows, Home and End act without moving it', async () => {
  const { context, page } = await openApp();
  const tall = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  assert.ok(tall > 100, `the page is taller than the window (${tall} px more), so a key could scroll it`);

  await press(page, ' ');
  assert.equal(await page.locator('button.play').getAttribute('aria-label'), 'Pause', 'Space plays');
  await page.waitForTimeout(300);
  await press(page, ' ');
  assert.equal(await page.locator('button.play').getAttribute('aria-label'), 'Play', 'Space pauses');
  await press(page, 'Home');
  assert.match(await clock(page), /^step 0 of \d+/, 'Home goes to the first step');
  await press(page, 'End');
  const end = await clock(page);
  const [, shown, length] = end.match(/^step (\d+) of (\d+)/);
  assert.equal(shown, length, `End goes to the last step: ${end}`);
  await press(page, 'Home');
  await press(page, 'ArrowRight');
  assert.match(await clock(page), /^step 1 of/, '→ steps');
  await press(page, '.');
  assert.match(await clock(page), /^step 2 of/, '. steps');
  await press(page, 'ArrowLeft');
  assert.match(await clock(page), /^step 1 of/, '← steps back');
  await press(page, ',');
  assert.match(await clock(page), /^step 0 of/, ', steps back');
  // The check can see a scroll: PageDown is no shortcut, and scrolls.
  await page.keyboard.press('PageDown');
  assert.ok((await scrolled(page))[1] > 0, 'PageDown, no shortcut, scrolls the page as usual');
  await context.close();
});

test('speed, selection and every server shortcut', async () => {
  const { context, page } = await openApp();
  const speed = () => page.locator('.speed output').textContent();
  const before = await speed();
  await press(page, '+');
  const faster = await speed();
  assert.notEqual(faster, before, '+ is faster');
  await press(page, '-');
  assert.equal(await speed(), before, '− is slower again');

  await press(page, '3');
  assert.equal(await page.locator('.inspector h4').textContent(), 'n3', '3 selects n3');
  assert.match(await page.locator('.selection-line').textContent(), /n3\s*follower, term 0/);
  await press(page, 'c');
  assert.equal(await role(page, 'n3'), 'crashed', 'c crashes it');
  await press(page, 'r');
  assert.equal(await role(page, 'n3'), 'follower', 'r restarts it');
  await press(page, 'e');
  assert.equal(await role(page, 'n3'), 'candidate', 'e forces an election on it');
  await page.locator('.request input').fill('z=7');
  await page.locator('.cluster-svg').click({ position: { x: 5, y: 5 } });
  await press(page, 'q');
  assert.match(await page.locator('.event-log').textContent(), /z=7/, 'q sends the request box’s value to it');
  assert.equal(await page.locator('.request input').inputValue(), 'z=8', 'and the box suggests the next value');
  await press(page, 'i');
  assert.ok(await page.locator('.cluster-svg .divider').count() > 0, 'i isolates it');
  await press(page, 'h');
  assert.equal(await page.locator('.cluster-svg .divider').count(), 0, 'h heals');
  await press(page, 'Escape');
  assert.equal(await page.locator('.inspector h4').count(), 0, 'Escape clears the selection');

  await press(page, 'y');
  assert.equal(await page.locator('.choose-toggle').getAttribute('aria-pressed'), 'true', 'y turns on you choose');
  await press(page, 'y');
  assert.equal(await page.locator('.choose-toggle').getAttribute('aria-pressed'), 'false', 'and off');

  await press(page, 'p');
  assert.equal(await page.locator('.partition-tool').count(), 1, 'p opens the partition tool');
  await page.locator('.cluster-svg .node[data-node="n5"]').click();
  await page.locator('.cluster-svg').click({ position: { x: 5, y: 5 } });
  await press(page, 'Enter');
  assert.equal(await page.locator('.partition-tool').count(), 0, 'Enter applies the partition');
  assert.ok(await page.locator('.cluster-svg .divider').count() > 0, 'and the cluster is split');
  await press(page, 'p');
  await press(page, 'Escape');
  assert.equal(await page.locator('.partition-tool').count(), 0, 'Escape closes the partition tool');
  await screenshot(page, 'keyboard-shortcuts');
  await context.close();
});

test('[ and ] jump between noted steps of a preset', async () => {
  const { context, page } = await openApp();
  await page.locator('select.presets').selectOption('split-vote');
  await page.locator('.cluster-svg').click({ position: { x: 5, y: 5 } });
  await press(page, 'Home');
  await press(page, ']');
  const first = await page.locator('.note-step').textContent();
  assert.notEqual(first, 'Step 0', `] goes to the first note (${first})`);
  await press(page, ']');
  const second = await page.locator('.note-step').textContent();
  assert.notEqual(second, first, '] again goes to the next');
  await press(page, '[');
  assert.equal(await page.locator('.note-step').textContent(), first, '[ goes back');
  await context.close();
});

test('? opens the help at its top, title first, and Escape closes it', async () => {
  for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
    const { context, page } = await openApp({ viewport });
    await press(page, '?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    const state = await page.evaluate(() => {
      const box = document.querySelector('.overlay-box');
      const title = document.querySelector('#help-title').getBoundingClientRect();
      return { scrollTop: box.scrollTop, focused: document.activeElement === box, titleTop: title.top, height: window.innerHeight };
    });
    assert.equal(state.scrollTop, 0, 'the dialog opens at its top');
    assert.ok(state.focused, 'the focus is on the dialog, not on Close');
    assert.ok(state.titleTop >= 0 && state.titleTop < state.height, `the title is on screen (${state.titleTop})`);
    await screenshot(page, `keyboard-help-${viewport.width}`, { fullPage: false });
    await page.keyboard.press('Escape');
    assert.equal(await dialog.count(), 0, 'Escape closes it');
    // Opened from its button, it gives the focus back to the button.
    await page.locator('.help-button').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'help-button', 'the focus is back on the help button');
    await context.close();
  }
});

test('typing in a field types, and does not trigger shortcuts', async () => {
  const { context, page } = await openApp();
  const input = page.locator('.request input');
  await input.fill('');
  await input.pressSequentially('x = 1 c r ?');
  assert.equal(await input.inputValue(), 'x = 1 c r ?', 'every key went into the field');
  assert.equal(await page.locator('button.play').getAttribute('aria-label'), 'Play', 'Space did not play');
  assert.equal(await page.getByRole('dialog').count(), 0, '? did not open the help');
  await context.close();
});
