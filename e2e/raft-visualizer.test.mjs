// The Raft visualizer as a user drives it: crash the leader and watch a new
// one win, partition a minority leader and see it fail to commit, choose the
// next message by hand, and step back to exactly the previous state. Each
// test leaves a screenshot in target/e2e/ for people to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useSite, openApp as open } from './lib/site.mjs';
import { screenshot } from './lib/browser.mjs';
import { dump } from './lib/dump.mjs';

const env = useSite();

/** The app with its cluster drawn. */
const openApp = (options) => open(env, options);

/** The leaders on the page: [{ node, term }]. */
async function leaders(page) {
  return page.locator('.cluster-svg .node.leader').evaluateAll((els) =>
    els.map((el) => ({ node: el.dataset.node, term: Number(el.dataset.term) })));
}

/** Presses Step until `done()` holds, at most `limit` times. */
async function stepUntil(page, done, limit = 600) {
  for (let i = 0; i < limit; i++) {
    if (await done()) return i;
    await page.locator('button.step').click();
  }
  assert.fail(`still not done after ${limit} steps`);
}

async function electLeader(page) {
  await stepUntil(page, async () => (await leaders(page)).length === 1);
  return (await leaders(page))[0];
}

test('crash the leader and step until a new leader shows', async () => {
  const { context, page, seen } = await openApp();
  const old = await electLeader(page);
  const leaderNode = page.locator(`.cluster-svg .node[data-node="${old.node}"]`);
  await leaderNode.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Crash' }).click();
  assert.equal(await leaderNode.getAttribute('data-role'), 'crashed');
  assert.match(await leaderNode.getAttribute('class'), /\bdown\b/);
  assert.match(await page.locator('.request button[type=submit]').textContent(), /^Send to leader/,
    'a crashed server, though selected, is not offered client requests');

  await stepUntil(page, async () => (await leaders(page)).length === 1);
  const [fresh] = await leaders(page);
  assert.notEqual(fresh.node, old.node, 'a different server leads');
  assert.ok(fresh.term > old.term, `new term ${fresh.term} after ${old.term}`);
  const marks = await page.locator('.scrubber .mark.leader').count();
  assert.ok(marks >= 2, `both elections are marked on the timeline (${marks})`);
  assert.ok((await page.locator('.event-log').textContent()).includes(`${fresh.node} wins a majority and becomes leader for term ${fresh.term}`));
  await screenshot(page, 'raft-new-leader-after-crash');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('a minority-partitioned leader cannot commit a client request', async () => {
  const { context, page } = await openApp();
  const old = await electLeader(page);
  const others = (await page.locator('.cluster-svg .node').evaluateAll((els) => els.map((e) => e.dataset.node)))
    .filter((n) => n !== old.node);

  // Draw the partition: the leader and one follower in group B.
  await page.locator('button.start-partition').click();
  await page.locator(`.cluster-svg .node[data-node="${old.node}"]`).click();
  await page.locator(`.cluster-svg .node[data-node="${others[0]}"]`).click();
  await page.locator('button.apply-partition').click();
  assert.ok(await page.locator('.cluster-svg .link.partitioned').count() >= 6, 'links across the partition are drawn blocked');
  assert.equal(await page.locator('.cluster-svg .divider').count(), 2, 'the groups are set apart');

  // A client request to the old leader.
  await page.locator(`.cluster-svg .node[data-node="${old.node}"]`).click();
  await page.locator('.request input').fill('x=7');
  await page.locator('.request button[type=submit]').click();
  assert.match(await page.locator('.event-log').textContent(), new RegExp(`a client sends x=7 to ${old.node}`));

  // Let the majority elect a leader of its own and run for a while.
  await stepUntil(page, async () => (await leaders(page)).some((l) => l.node !== old.node));
  for (let i = 0; i < 150; i++) await page.locator('button.step').click();

  const row = page.locator(`.log-grid tr[data-server="${old.node}"]`);
  const cell = row.locator('td.cell[title*="x=7"]');
  assert.equal(await cell.count(), 1, 'the old leader appended x=7');
  assert.doesNotMatch(await cell.getAttribute('class'), /\bcommitted\b/, 'but cannot commit it');
  const machines = await page.locator('.log-grid td.state-machine').allTextContents();
  assert.ok(machines.every((m) => !m.includes('x=7')), `no server applied x=7: ${machines}`);
  const fresh = (await leaders(page)).find((l) => l.node !== old.node);
  assert.ok(fresh.term > old.term, 'the majority elected a leader in a later term');
  await screenshot(page, 'raft-minority-leader-cannot-commit');
  await context.close();
});

/** The centre of an element on the page. */
async function centre(locator) {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Presses on `from`, moves in small steps to `to`, and lets go there. */
async function drag(page, from, to, { release = true } = {}) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  if (release) await page.mouse.up();
}

// What moves (messages, timer arcs) is drawn in a second SVG over the
// cluster's: a press on a server let go over a message there, before it
// became a drag, must end the press, or the next plain move would drag.
test('a press on a server let go over a message ends there', async () => {
  const { context, page, seen } = await openApp();
  const from = await centre(page.locator('.cluster-svg .node[data-node="n3"]'));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.locator('.cluster-overlay .messages').evaluate((g, at) => g.dispatchEvent(new PointerEvent('pointerup', {
    bubbles: true, pointerId: 1, pointerType: 'mouse', button: 0, clientX: at.x, clientY: at.y,
  })), from);
  await page.mouse.move(from.x + 60, from.y + 60, { steps: 6 });
  assert.equal(await page.locator('.drag-preview').count(), 0, 'no drag follows the pointer');
  await page.mouse.up();
  assert.equal(await page.locator('.partition-tool').count(), 0, 'no partition was drawn');
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('dragging servers onto each other or into empty space draws a partition', async () => {
  const { context, page, seen } = await openApp();
  const node = (n) => page.locator(`.cluster-svg .node[data-node="${n}"]`);
  const ringCentre = await centre(page.locator('.cluster-svg .links'));

  // n4 into the empty middle of the ring: the tool opens, n4 alone in group B.
  await drag(page, await centre(node('n4')), ringCentre);
  assert.equal(await page.locator('.partition-tool').count(), 1, 'the partition tool opened');
  assert.match(await node('n4').getAttribute('class'), /\bgroup-B\b/);
  assert.match(await node('n1').getAttribute('class'), /\bgroup-A\b/);

  // n5 onto n4, held before letting go: the preview says what will happen.
  await drag(page, await centre(node('n5')), await centre(node('n4')), { release: false });
  assert.equal(await page.locator('.drag-preview text').textContent(), "n5 joins n4's group");
  assert.equal(await page.locator('.drag-preview .drop-target').count(), 1);
  await screenshot(page, 'raft-drag-partition');
  await page.mouse.up();
  assert.equal(await page.locator('.drag-preview').count(), 0, 'the preview is gone');
  assert.match(await node('n5').getAttribute('class'), /\bgroup-B\b/);
  assert.equal(await page.locator('.cluster-svg .node.selected').count(), 0,
    'letting go on a server does not also select it');

  await page.locator('button.apply-partition').click();
  assert.equal(await page.locator('.cluster-svg .divider').count(), 2, 'two groups set apart');
  assert.equal(await page.locator('.cluster-svg .link.partitioned').count(), 6, '3 × 2 links blocked by the partition');
  // A plain click still selects after a drag.
  await node('n2').click();
  assert.match(await node('n2').getAttribute('class'), /\bselected\b/);
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('in "you choose" mode, delivering a chosen message changes its receiver', async () => {
  const { context, page } = await openApp();
  await page.getByRole('button', { name: 'You choose' }).click();
  assert.equal(await page.getByRole('button', { name: 'You choose' }).getAttribute('aria-pressed'), 'true');

  // Fire n3's election timer by hand, then deliver its RequestVote to n1 before anything else.
  await page.locator('.next-timer', { hasText: "n3's Election timer" }).getByRole('button', { name: /Fire/ }).click();
  assert.equal(await page.locator('.cluster-svg .node[data-node="n3"]').getAttribute('data-role'), 'candidate');
  const vote = page.locator('.next-message', { hasText: 'RequestVote n3 → n1' });
  assert.equal(await vote.count(), 1);
  await vote.getByRole('button', { name: /^Deliver/ }).click();

  const n1 = page.locator('.cluster-svg .node[data-node="n1"]');
  assert.equal(await n1.getAttribute('data-term'), '1');
  assert.match(await n1.locator('title').textContent(), /voted n3/);
  await n1.click();
  const votedFor = page.locator('.inspector tr[data-field="votedFor"]');
  assert.equal(await votedFor.locator('.value').textContent(), 'n3');
  assert.match(await votedFor.getAttribute('class'), /\bchanged\b/, 'the inspector marks what the step changed');
  assert.match(await page.locator('.event-log').textContent(), /n1 votes for n3 in term 1/);
  await screenshot(page, 'raft-you-choose-deliver');
  await context.close();
});

test('a message drawn in flight: the pointer names it, a click inspects it', async () => {
  const { context, page, seen } = await openApp();
  // Each kind's messages are one path; the first corner of its first
  // outline, in the page's coordinates, is on a message.
  const firstMessage = () => page.evaluate(() => {
    const path = document.querySelector('.cluster-overlay .messages path');
    const [x, y] = path?.getAttribute('d').match(/^M(-?[\d.]+) (-?[\d.]+)/).slice(1).map(Number) ?? [];
    if (x === undefined) return null;
    const point = new DOMPoint(x, y).matrixTransform(path.getScreenCTM());
    return { x: point.x, y: point.y };
  });
  await stepUntil(page, async () => (await firstMessage()) !== null);
  const at = await firstMessage();
  await page.mouse.move(at.x, at.y);
  const tip = page.locator('.message-tip');
  await tip.waitFor();
  const said = await tip.textContent();
  const [, kind, id] = said.match(/^(\w+) (m\d+) from n\d to n\d: /) ?? [];
  assert.ok(id, `the tooltip names the message: ${said}`);
  await screenshot(page, 'raft-message-tooltip', { fullPage: false });
  await page.mouse.click(at.x, at.y);
  assert.equal(await page.locator('.inspector h4').textContent(), `${kind} ${id}`);
  // The selected message is drawn again on top, marked.
  assert.equal(await page.locator(`.cluster-overlay .messages path.selected.kind-${kind}`).count(), 1);
  // Away from every message, the tooltip goes.
  await page.mouse.move(1, 1);
  await tip.waitFor({ state: 'hidden' });

  // On a phone, the rightmost message's tooltip stays on screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.cluster-svg').scrollIntoViewIfNeeded();
  const rightmost = await page.evaluate(() => {
    let best = null;
    for (const path of document.querySelectorAll('.cluster-overlay .messages path')) {
      for (const [, x, y] of path.getAttribute('d').matchAll(/M(-?[\d.]+) (-?[\d.]+)/g)) {
        const p = new DOMPoint(Number(x), Number(y)).matrixTransform(path.getScreenCTM());
        if (!best || p.x > best.x) best = { x: p.x, y: p.y };
      }
    }
    return best;
  });
  await page.mouse.move(rightmost.x, rightmost.y);
  await tip.waitFor();
  const box = await tip.boundingBox();
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
  assert.ok(box.x >= 0 && box.x + box.width <= width, `the tooltip fits the phone: ${JSON.stringify(box)} in ${width}`);
  assert.ok(scroll <= width, `no sideways scrolling: ${scroll} > ${width}`);
  await screenshot(page, 'raft-message-tooltip-phone', { fullPage: false });
  assert.deepEqual(seen.pageErrors, []);
  await context.close();
});

test('stepping back shows exactly the previous state', async () => {
  const { context, page } = await openApp();
  await electLeader(page);
  for (let i = 0; i < 5; i++) await page.locator('button.step').click();
  // The state of the run; the event log and the scrubber now also hold the
  // step stepped back from, as a future.
  const state = async () => {
    const { log, marks, ...rest } = await dump(page);
    return rest;
  };
  const before = await state();
  await page.locator('button.step').click();
  const after = await state();
  assert.notDeepEqual(after, before, 'the step changed something');
  await page.locator('button.step-back').click();
  assert.deepEqual(await state(), before);
  // The keyboard does the same.
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await state(), after);
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await state(), before);
  await screenshot(page, 'raft-step-back');
  await context.close();
});

test('the help overlay lists the shortcuts and Escape closes it', async () => {
  const { context, page } = await openApp();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  const text = await dialog.textContent();
  for (const words of ['play or pause', 'step back one event', 'crash the selected server', 'isolate']) {
    assert.ok(text.includes(words), `help lists "${words}"`);
  }
  await screenshot(page, 'raft-help');
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0);
  // Keys act on the selected server: 2 selects n2, c crashes it, r restarts it.
  await page.keyboard.press('2');
  await page.keyboard.press('c');
  assert.equal(await page.locator('.cluster-svg .node[data-node="n2"]').getAttribute('data-role'), 'crashed');
  await page.keyboard.press('r');
  assert.equal(await page.locator('.cluster-svg .node[data-node="n2"]').getAttribute('data-role'), 'follower');
  await context.close();
});

test('on a tablet in a dark system theme the page fits and is dark', async () => {
  const { context, page } = await openApp({ viewport: { width: 820, height: 1180 }, colorScheme: 'dark', hasTouch: true });
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= width, `no sideways scrolling: ${scroll} > ${width}`);
  const svg = await page.locator('.cluster-svg').boundingBox();
  assert.ok(svg.width > 500, `the cluster gets the width (${svg.width})`);
  for (const control of ['button.play', 'button.step', 'button.step-back', '.next-events', '.inspector']) {
    const box = await page.locator(control).first().boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${control} is on screen`);
  }
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = background.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `the background is dark: ${background}`);
  await page.locator('.cluster-svg .node[data-node="n1"]').tap();
  assert.equal(await page.locator('.inspector h4').textContent(), 'n1');
  await screenshot(page, 'raft-tablet-dark');
  await context.close();
});

test('a broken property pauses play, marks the step and highlights the servers', async () => {
  const { context, page } = await openApp();
  // Three servers that forget votedFor on restart (a teacher's mistake switch).
  await page.locator('.settings select').selectOption('3');
  await page.locator('input[data-mistake="ForgetVotedForOnRestart"]').check();
  assert.equal(await page.locator('.cluster-svg .node').count(), 3);

  // n1 and n3 stand in term 1; n2 votes for n1, restarts, and votes for n3 too.
  await page.getByRole('button', { name: 'You choose' }).click();
  const fire = (node) => page.locator('.next-timer', { hasText: `${node}'s Election timer` }).getByRole('button', { name: /Fire/ }).click();
  const deliver = (label) => page.locator('.next-message', { hasText: label }).getByRole('button', { name: /^Deliver/ }).click();
  await fire('n1');
  await fire('n3');
  await deliver('RequestVote n1 → n2');
  await page.keyboard.press('2');
  await page.keyboard.press('c');
  await page.keyboard.press('r');
  await deliver('RequestVote n3 → n2');

  // Play delivers the votes' replies: two leaders in term 1.
  await page.locator('button.play').click();
  const notice = page.locator('.notice.error');
  await notice.waitFor({ timeout: 20_000 });
  assert.match(await notice.textContent(), /Play paused at step \d+: Election Safety/);
  assert.equal(await page.locator('button.play').getAttribute('aria-label'), 'Play', 'play stopped');
  const property = page.locator('.invariants li[data-property="Election Safety"]');
  assert.match(await property.getAttribute('class'), /\bbroken\b/);
  assert.equal(await page.locator('.scrubber .mark.violation').count(), 1);
  const violating = await page.locator('.cluster-svg .node.violating').evaluateAll((els) => els.map((e) => e.dataset.node).sort());
  assert.deepEqual(violating, ['n1', 'n3']);
  await screenshot(page, 'raft-violation-pauses-play');
  await context.close();
});
