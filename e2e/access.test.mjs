// Keyboard and screen-reader access, checked on what assistive technology
// sees: Chromium's own accessibility tree (every control named), the Tab
// order (every control reachable, in reading order), and a server's action
// menu driven by keys alone. The tree is written to
// target/e2e/accessibility-tree.txt for people to read.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { useSite, openApp as open } from './lib/site.mjs';

const env = useSite();

const CONTROLS = new Set([
  'button', 'checkbox', 'combobox', 'link', 'menuitem', 'radio', 'slider', 'spinbutton', 'textbox',
]);

const openApp = () => open(env);

/** Chromium's accessibility tree, as [{ role, name, depth }], ignored nodes left out. */
async function accessibilityTree(context, page) {
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const out = [];
  const walk = (node, depth) => {
    const shown = !node.ignored;
    if (shown) out.push({ role: node.role?.value ?? '', name: (node.name?.value ?? '').trim(), depth });
    for (const child of node.childIds ?? []) {
      const c = byId.get(child);
      if (c) walk(c, shown ? depth + 1 : depth);
    }
  };
  walk(nodes[0], 0);
  return out;
}

test('every control has a name in the accessibility tree', async () => {
  const { context, page } = await openApp();
  const tree = await accessibilityTree(context, page);
  const dir = process.env.CAUCUS_ARTIFACTS ?? join(process.cwd(), '..', 'target', 'e2e');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'accessibility-tree.txt'),
    tree.map((n) => `${'  '.repeat(n.depth)}${n.role}${n.name ? `: ${n.name}` : ''}`).join('\n') + '\n');

  const controls = tree.filter((n) => CONTROLS.has(n.role));
  assert.ok(controls.length >= 30, `the page has its controls (${controls.length})`);
  assert.deepEqual(controls.filter((n) => !n.name).map((n) => n.role), [], 'no control without a name');
  const named = (role, name) => controls.some((n) => n.role === role && name.test(n.name));
  for (const [role, name] of [
    ['button', /^Play$/], ['button', /^Step one event$/], ['slider', /^Speed/],
    ['slider', /^Timeline: step shown$/], ['textbox', /^Client request/], ['button', /^Partition/],
    ['button', /^\? Keys\s*\(keyboard shortcuts\)$/], ['button', /^n1: follower, term 0/], ['button', /^n5: /],
    ['button', /^You choose/], ['combobox', /^Servers/], ['checkbox', /^PreVote/],
    ['checkbox', /^Forget votedFor on restart/], ['button', /^Go to step 0$/],
  ]) {
    assert.ok(named(role, name), `a ${role} named ${name}`);
  }
  // Only the notices and the note of the step speak up by themselves: the
  // page is not one live region.
  const live = await page.evaluate(() => [...document.querySelectorAll('[aria-live]:not([aria-live="off"])')].map((el) => el.className));
  assert.deepEqual(live, ['notices', 'caption empty']);
  // The drawing is one labelled group, not a pile of unnamed graphics.
  assert.ok(tree.some((n) => n.role === 'group' && /^Cluster: n1 follower term 0/.test(n.name)));
  await context.close();
});

test('Tab reaches every control once, in reading order', async () => {
  const { context, page } = await openApp();
  const focusable = await page.evaluate(() => {
    const all = document.querySelectorAll(
      'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, summary, [tabindex]:not([tabindex="-1"])');
    return [...all].filter((el) => el.getClientRects().length > 0).length;
  });
  const regions = ['site-header', 'scenario-bar', 'toolbar', 'notices', 'cluster', 'selection-line', 'transport', 'side', 'raft-panel', 'event-log'];
  const visited = [];
  for (let i = 0; i < focusable + 5; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate((names) => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      if (!el.dataset.visited) el.dataset.visited = String(Date.now() + Math.random());
      const region = names.find((r) => el.closest(`.${r}`)) ?? 'elsewhere';
      return { id: el.dataset.visited, region, name: el.getAttribute('aria-label') ?? el.textContent.trim().slice(0, 40) };
    }, regions);
    if (!here || visited.some((v) => v.id === here.id)) break;
    visited.push(here);
  }
  assert.equal(visited.length, focusable, `every one of the ${focusable} visible controls is reached by Tab`);
  const order = visited.map((v) => regions.indexOf(v.region));
  assert.ok(!order.includes(-1), `every stop is inside a region: ${visited.filter((v) => v.region === 'elsewhere').map((v) => v.name)}`);
  const backwards = order.findIndex((r, i) => i > 0 && r < order[i - 1]);
  assert.equal(backwards, -1, `regions in reading order, but ${visited[backwards]?.name} comes after ${visited[backwards - 1]?.name}`);
  const servers = visited.filter((v) => v.region === 'cluster' && /^n\d:/.test(v.name)).map((v) => v.name.slice(0, 2));
  assert.deepEqual(servers, ['n1', 'n2', 'n3', 'n4', 'n5'], 'servers in order round the ring');
  await context.close();
});

test("a server's menu works from the keyboard alone", async () => {
  const { context, page } = await openApp();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el.dataset.node ?? el.textContent.trim();
  });
  await page.locator('.cluster-svg .node[data-node="n2"]').focus();
  await page.keyboard.press('m');
  assert.match(await focused(), /^Crash/, 'the menu takes the focus on its first item');
  await page.keyboard.press('ArrowDown');
  assert.match(await focused(), /^Force election/, 'arrow keys move between items');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.match(await focused(), /^Isolate/, 'and wrap round');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.node-menu').count(), 0, 'Escape closes it');
  assert.equal(await focused(), 'n2', 'and gives the focus back to the server');

  await page.keyboard.press('m');
  await page.keyboard.press('Enter');
  const n2 = page.locator('.cluster-svg .node[data-node="n2"]');
  assert.equal(await n2.getAttribute('data-role'), 'crashed', 'Enter on Crash crashes n2');
  assert.equal(await focused(), 'n2', 'the focus is back on the server');
  await context.close();
});

test('the PBFT panels have names in the accessibility tree', async () => {
  const { context, page } = await openApp();
  // A screen-reader user picks PBFT, sends a request and steps until the
  // client has its result, so that each panel has rows to read.
  await page.locator('.protocol-picker [role=radio]', { hasText: 'PBFT' }).click();
  await page.locator('main .protocol-view[data-protocol="pbft"]').waitFor();
  await page.locator('.request button[type=submit]').click();
  const accepted = async () => /1 accepted/.test(await page.locator('.pbft-clients').textContent());
  for (let i = 0; i < 60 && !(await accepted()); i++) await page.locator('button.step').click();
  assert.ok(await accepted(), 'c0 accepted the result');
  assert.equal(await page.locator('.phase-matrix td.executed').count(), 4, 'every replica executed the request');
  const tree = await accessibilityTree(context, page);
  const dir = process.env.CAUCUS_ARTIFACTS ?? join(process.cwd(), '..', 'target', 'e2e');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'accessibility-tree-pbft.txt'),
    tree.map((n) => `${'  '.repeat(n.depth)}${n.role}${n.name ? `: ${n.name}` : ''}`).join('\n') + '\n');

  /** The nodes under `tree[i]`. */
  const inside = (i) => {
    const end = tree.findIndex((n, j) => j > i && n.depth <= tree[i].depth);
    return tree.slice(i + 1, end === -1 ? tree.length : end);
  };
  const find = (roles, name) => tree.findIndex((n) => roles.includes(n.role) && name.test(n.name));
  const panel = find(['region'], /^PBFT phases$/);
  assert.notEqual(panel, -1, 'the PBFT panel is a region named "PBFT phases"');
  const within = inside(panel);
  const has = (nodes, role, name) => nodes.some((n) => n.role === role && name.test(n.name));

  // Each part of the panel is a landmark of its own, named for what it shows,
  // and holds what it is about. Every unmet requirement is listed at once.
  const missing = [];
  for (const [what, roles, name, holds] of [
    ['the phase matrix', ['table'], /phase at each sequence number/, ['button', /^r0 at 1: executed; prepares \d of 2f = 2/]],
    ['the clients panel', ['region'], /^Clients/, ['StaticText', /no request outstanding; 1 accepted; last accepted: x=1/]],
    ['the checkpoint bars', ['region'], /^Checkpoints and watermarks/, ['listitem', /^r0: stable checkpoint 0 \(h\), H = 8/]],
    ['the view-change panel', ['region'], /^View changes/, ['StaticText', /^in view 0 \(primary r0\); no timer$/]],
    ['the faults against f', ['region', 'group', 'status'], /faults/i, ['StaticText', /tolerate f = 1 fault; faulty now: none/]],
    ['the PBFT settings', ['region', 'group'], /settings/i, ['combobox', /^Faults tolerated f/]],
  ]) {
    const at = within.findIndex((n) => roles.includes(n.role) && name.test(n.name));
    if (at === -1) {
      // Say how it is exposed instead, if it is: the node of one of those roles that holds it.
      const unnamed = within.filter((n) => roles.includes(n.role) && has(inside(tree.indexOf(n)), ...holds)).at(-1);
      missing.push(`${what}: no ${roles.join(' or ')} named ${name} in the PBFT panel` +
        (unnamed ? `; it is a ${unnamed.role} named "${unnamed.name}"` : ''));
    } else if (!has(inside(tree.indexOf(within[at])), ...holds)) {
      missing.push(`${what}: the ${within[at].role} "${within[at].name}" holds no ${holds[0]} named ${holds[1]}`);
    }
  }
  // Every control in the panel says what it is, however the panel is exposed.
  const controls = within.filter((n) => CONTROLS.has(n.role) || n.role === 'DisclosureTriangle');
  for (const n of controls.filter((c) => !c.name)) missing.push(`a ${n.role} without a name`);
  for (const [role, name] of [
    ['button', /^r3 at 1: executed/], ['DisclosureTriangle', /^Settings/],
    ['combobox', /^Faults tolerated f \(n = 3f \+ 1\)$/], ['combobox', /^Clients$/],
    ['spinbutton', /^Checkpoint every \(requests\)$/], ['spinbutton', /^Log size L/],
    ['spinbutton', /^View-change timeout \(ms\)$/], ['spinbutton', /^Client timeout \(ms\)$/],
    ['checkbox', /^Commit with 2f commits$/], ['checkbox', /^Accept a second pre-prepare$/],
  ]) {
    if (!has(controls, role, name)) missing.push(`no ${role} named ${name} in the PBFT panel`);
  }
  assert.equal(controls.filter((n) => n.role === 'checkbox').length, 5, 'a checkbox per mistake');
  assert.deepEqual(missing, [], 'the PBFT panels and their controls are named');
  await context.close();
});
