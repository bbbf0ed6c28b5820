// Frame-time benchmark of the page in headless Chromium (`cargo xtask bench`).
//
// 1. Play a 5-server Raft cluster at top speed and time every animation
//    frame's work: from the start of the page's frame callback (the app's
//    tick: simulate, then re-render) until a task posted from it runs, which
//    is after the browser has done that frame's style, layout and paint.
// 2. Step one event at a time, each step clicked at the start of a frame, and
//    time the same span: one step including its render.
// 3. The same two for PBFT with f = 3 (10 replicas and 3 clients), in a fresh
//    page set up as a user would: pick PBFT, choose f and the clients in its
//    settings, send requests from every client.
// Every protocol the page's picker lists is measured (see WORKLOADS).
//
// Medians and the worst case are reported, not asserted: the machines are
// shared and noisy. The target (issue #5) is every frame under 16 ms; for
// PBFT f = 3 playing at top speed also a median under 6 ms (issue #16). The
// first few steps after the page opens are reported apart: they also pay for
// the browser compiling the code they run. A page that logs a console error or warning, or throws, fails the
// benchmark.
// Results also go to target/bench/frames.json, by protocol slug ({ raft, pbft }).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { serveDist } from '../lib/server.mjs';
import { launch, waitForApp, watch } from '../lib/browser.mjs';

const DIST = process.env.CAUCUS_DIST ?? join(process.cwd(), '..', 'dist');
const OUT = process.env.CAUCUS_BENCH_OUT ?? join(process.cwd(), '..', 'target', 'bench');
const PLAY_MS = Number(process.env.CAUCUS_BENCH_PLAY_MS ?? 10_000);
const WARM_UP_MS = 1_000;
const STEPS = Number(process.env.CAUCUS_BENCH_STEPS ?? 300);
// The first election: code run and elements drawn for the first time.
const COLD_STEPS = 20;
const BUDGET_MS = 16;
// PBFT's target median a frame (issue: PBFT f = 3 beside Raft).
const PBFT_MEDIAN_MS = 6;
const PBFT = 'PBFT f = 3 (10 replicas, 3 clients)';
const CLIENTS = ['c0', 'c1', 'c2'];
// A PBFT client does nothing until asked, and keeps one request outstanding
// and the rest queued (§4.1). At top speed a frame performs the page's most
// steps (500; a request at f = 3 is about 215 steps: REQUEST, PRE-PREPARE,
// PREPAREs and COMMITs among 10 replicas, REPLYs), so play uses up requests
// fast. Before play each client gets a backlog; every second of play, any
// client whose backlog fell under PBFT_LOW gets PBFT_BATCH more, so the run
// never goes idle (play stops by itself when nothing is left to happen).
const PBFT_STEP_REQUESTS = 2;
const PBFT_BATCH = 150;
const PBFT_LOW = 100;

// Runs in the page before the app: wraps requestAnimationFrame so every frame
// callback (the app's play loop among them) is timed through its rendering.
function timeFrames() {
  const raf = window.requestAnimationFrame.bind(window);
  const bench = { recording: false, frames: [], scripts: [] };
  window.__frameBench = bench;
  window.requestAnimationFrame = (callback) => {
    let start;
    const id = raf((now) => {
      start = performance.now();
      callback(now);
    });
    // Registered second, so it runs after the callback and the microtasks
    // it queued (Yew renders in one): the script part of the frame.
    raf(() => {
      if (!bench.recording || start === undefined) return;
      bench.scripts.push(performance.now() - start);
      const after = new MessageChannel();
      after.port1.onmessage = () => bench.frames.push(performance.now() - start);
      after.port2.postMessage(null);
    });
    return id;
  };
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    count: sorted.length,
    median_ms: round(at(0.5)),
    p95_ms: round(at(0.95)),
    worst_ms: round(sorted[sorted.length - 1]),
    over_budget: sorted.filter((t) => t >= BUDGET_MS).length,
  };
}

const round = (ms) => Math.round(ms * 100) / 100;

const isPlaying = async (page) => (await page.locator('button.play').getAttribute('aria-label')) === 'Pause';

// Waits `ms` while playing; with `keepBusy`, calls it about once a second and
// returns the steps it added to the run (its requests), else 0.
async function playFor(page, ms, keepBusy) {
  if (!keepBusy) {
    await page.waitForTimeout(ms);
    return 0;
  }
  let added = 0;
  for (let left = ms; left > 0; left -= 1_000) {
    await page.waitForTimeout(Math.min(1_000, left));
    added += await keepBusy();
  }
  return added;
}

async function playAtTopSpeed(page, keepBusy) {
  const speed = page.locator('.speed input[type=range]');
  await speed.fill(await speed.getAttribute('max'));
  const steps = async () => Number((await page.locator('.clock').textContent()).match(/step (\d+)/)[1]);
  await page.locator('button.play').click();
  await playFor(page, WARM_UP_MS, keepBusy);
  // Raft's steps a frame reads the clock just outside the recording window,
  // as it always has (a frame or two of slack at about 40 steps a frame; its
  // figures stay comparable with the README's). PBFT plays up to 500 steps a
  // frame, where that slack would be several frames' worth: it uses the
  // clock read in the same task that starts and stops recording.
  const exact = Boolean(keepBusy);
  const before = exact ? undefined : await steps();
  const start = await page.evaluate(() => {
    window.__frameBench.recording = true;
    return Number(document.querySelector('.clock').textContent.match(/step (\d+)/)[1]);
  });
  const added = await playFor(page, PLAY_MS, keepBusy);
  const { frames, end } = await page.evaluate(() => {
    window.__frameBench.recording = false;
    const end = Number(document.querySelector('.clock').textContent.match(/step (\d+)/)[1]);
    return { frames: window.__frameBench, end };
  });
  // Pause, unless play already stopped (it would start again).
  if (await isPlaying(page)) await page.locator('button.play').click();
  const played = exact ? end - start : await steps() - before;
  return {
    ...summary(frames.frames),
    script: summary(frames.scripts),
    // Played steps only: the requests sent during play are steps of the run too.
    steps_per_frame: round((played - added) / frames.frames.length),
  };
}

async function stepOneAtATime(page) {
  const times = await page.evaluate((n) => {
    const button = document.querySelector('button.step');
    const once = () => new Promise((done) => requestAnimationFrame(() => {
      const start = performance.now();
      button.click();
      const after = new MessageChannel();
      after.port1.onmessage = () => done(performance.now() - start);
      after.port2.postMessage(null);
    }));
    return (async () => {
      const out = [];
      for (let i = 0; i < n; i++) out.push(await once());
      return out;
    })();
  }, STEPS);
  // The first steps after the page opens also pay for compiling the code
  // they run and laying out elements the first time: reported apart.
  return { cold: summary(times.slice(0, COLD_STEPS)), ...summary(times.slice(COLD_STEPS)) };
}

const line = (name, s) => console.log(
  `frame bench: ${name}: median ${s.median_ms} ms, p95 ${s.p95_ms} ms, worst ${s.worst_ms} ms` +
  ` over ${s.count} samples, ${s.over_budget} at or over ${BUDGET_MS} ms`);

async function openPage(context) {
  const page = await context.newPage();
  const seen = watch(page);
  await page.goto(site.url);
  await waitForApp(page);
  await page.locator('.cluster-svg .node').first().waitFor();
  return { page, seen };
}

function checkClean(seen, what) {
  const noise = seen.noise();
  if (noise.length) throw new Error(`the page failed (${what}): ${noise.join('; ')}`);
}

async function benchRaft(context) {
  const { page, seen } = await openPage(context);
  const step = await stepOneAtATime(page);
  const play = await playAtTopSpeed(page);
  checkClean(seen, 'Raft');
  await page.close();

  line(`the first ${COLD_STEPS} steps after the page opens (cold: the first election)`, step.cold);
  line('one step including render, after those', step);
  line(`playing at top speed (${play.steps_per_frame} steps a frame)`, play);
  line('  of which script (simulate, build and patch the DOM)', play.script);
  const met = play.over_budget === 0 && step.over_budget === 0;
  console.log(`frame bench: target every frame under ${BUDGET_MS} ms: ${met ? 'met' : 'missed'}` +
    ` (playing and warm steps${step.cold.over_budget ? `; ${step.cold.over_budget} of the ${COLD_STEPS} cold steps over` : ''})`);
  return { cluster: '5-server Raft, default settings', viewport: '1280x720', budget_ms: BUDGET_MS, play, step };
}

// Each client's requests accepted so far, from the Clients panel.
async function accepted(page) {
  const rows = await page.locator('.pbft-clients li').allTextContents();
  return CLIENTS.map((c) => {
    const row = rows.find((r) => r.startsWith(c));
    if (!row) throw new Error(`no row for ${c} in the Clients panel: ${rows.join(' | ')}`);
    return Number(row.match(/(\d+) accepted/)?.[1] ?? 0);
  });
}

// Selects the client `name` in the drawing and sends `n` requests from the
// request box (it suggests the next value after each). The client is chosen
// from the keyboard (Enter on its node), since a message drawn over it can
// take a mouse click. A user clicks Send once per request; past a few, the
// clicks are made in one task in the page, through the same button, so a
// backlog of 150 takes a moment, not minutes.
async function sendFrom(page, name, n) {
  await page.locator('.cluster-svg .node', { has: page.locator('.node-name', { hasText: new RegExp(`^${name}$`) }) }).press('Enter');
  const send = page.locator('.request button[type=submit]');
  const label = await send.textContent();
  if (label !== `Send to ${name}`) throw new Error(`the request box would send to "${label}", not ${name}`);
  if (n <= 3) {
    for (let i = 0; i < n; i++) await send.click();
  } else {
    await send.evaluate((button, n) => { for (let i = 0; i < n; i++) button.click(); }, n);
  }
  if (await page.locator('.notice.error').count()) {
    throw new Error(`a request from ${name} was refused: ${await page.locator('.notice.error').textContent()}`);
  }
}

async function benchPbft(context) {
  const { page, seen } = await openPage(context);
  await page.locator('.protocol-picker [role=radio]', { hasText: 'PBFT' }).click();
  await page.locator('main .protocol-view[data-protocol="pbft"]').waitFor();
  // Its settings: f, then the clients; each change starts a new run.
  const settings = page.locator('.pbft-panel .settings');
  await settings.getByLabel('Faults tolerated f').selectOption('3');
  await settings.getByLabel('Clients').selectOption('3');
  await page.waitForFunction(() => document.querySelectorAll('.cluster-svg .node').length === 13, null, { timeout: 10_000 })
    .catch(async () => {
      throw new Error(`PBFT f = 3 with 3 clients should draw 13 nodes, not ${await page.locator('.cluster-svg .node').count()}`);
    });
  const fault = await page.locator('.fault-count').textContent();
  if (!/n = 10 replicas tolerate f = 3 faults/.test(fault)) throw new Error(`not f = 3: ${fault}`);

  // Stepping: a few requests from every client give 300 steps work to do.
  for (const c of CLIENTS) await sendFrom(page, c, PBFT_STEP_REQUESTS);
  await page.keyboard.press('Escape');
  const step = await stepOneAtATime(page);

  // Playing: a backlog, topped up every second (see PBFT_LOW). Sending a
  // request pauses play, as for a user: pause, send, play again. Play paused
  // sends no frames, so a top-up costs the measurement only the first frame
  // after it (which has no time to simulate).
  const sent = CLIENTS.map(() => PBFT_STEP_REQUESTS);
  const work = { requests_before_play: 0, top_ups: 0, requests_during_play: 0 };
  const topUp = async (low) => {
    const done = await accepted(page);
    let requests = 0;
    for (const [i, c] of CLIENTS.entries()) {
      if (sent[i] - done[i] >= low) continue;
      await sendFrom(page, c, PBFT_BATCH);
      sent[i] += PBFT_BATCH;
      requests += PBFT_BATCH;
    }
    if (requests) await page.keyboard.press('Escape');
    return requests;
  };
  work.requests_before_play = await topUp(Infinity);
  const keepBusy = async () => {
    if (!(await isPlaying(page))) {
      const notice = await page.locator('.notice').allTextContents();
      throw new Error(`PBFT play stopped by itself during the measurement: ${notice.join(' ') || 'no notice'}`);
    }
    const done = await accepted(page);
    if (CLIENTS.every((_, i) => sent[i] - done[i] >= PBFT_LOW)) return 0;
    await page.locator('button.play').click();
    const requests = await topUp(PBFT_LOW);
    await page.locator('button.play').click();
    work.top_ups += 1;
    work.requests_during_play += requests;
    return requests;
  };
  const play = await playAtTopSpeed(page, keepBusy);
  work.accepted = await accepted(page);
  await page.screenshot({ path: process.env.CAUCUS_BENCH_SCREENSHOT ?? '/tmp/frames-pbft.png' });
  checkClean(seen, PBFT);
  await page.close();

  line(`${PBFT}: the first ${COLD_STEPS} steps (cold: the first requests)`, step.cold);
  line(`${PBFT}: one step including render, after those`, step);
  line(`${PBFT}: playing at top speed (${play.steps_per_frame} steps a frame)`, play);
  line(`${PBFT}:   of which script (simulate, build and patch the DOM)`, play.script);
  console.log(`frame bench: ${PBFT}: work: ${work.requests_before_play} requests queued before play,` +
    ` ${work.top_ups} top-ups during play (${work.requests_during_play} requests), accepted by c0, c1, c2: ${work.accepted.join(', ')}`);
  // The issue's target is for play at top speed; a step, like Raft's, has
  // the frame budget alone.
  const met = play.over_budget === 0 && play.median_ms < PBFT_MEDIAN_MS;
  console.log(`frame bench: ${PBFT}: target playing at top speed, every frame under ${BUDGET_MS} ms and a median under` +
    ` ${PBFT_MEDIAN_MS} ms: ${met ? 'met' : 'missed'}`);
  console.log(`frame bench: ${PBFT}: every warm step under ${BUDGET_MS} ms: ${step.over_budget === 0 ? 'met' : 'missed'}` +
    `${step.cold.over_budget ? ` (${step.cold.over_budget} of the ${COLD_STEPS} cold steps over)` : ''}`);
  return {
    cluster: PBFT + ', default settings otherwise', viewport: '1280x720', budget_ms: BUDGET_MS,
    median_target_ms: PBFT_MEDIAN_MS, play, step, work,
  };
}

// A workload per protocol of the one list, by its slug. The protocols are
// read from the page's picker: one added to the list without a workload
// here stops the benchmark, saying so.
const WORKLOADS = { raft: benchRaft, pbft: benchPbft };

async function protocolsOnPage(context) {
  const { page } = await openPage(context);
  const slugs = await page.locator('.protocol-picker [role=radio]').evaluateAll((els) => els.map((el) => el.dataset.protocol));
  await page.close();
  return slugs;
}

const site = await serveDist(DIST);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(timeFrames);
  const results = {};
  for (const slug of await protocolsOnPage(context)) {
    const workload = WORKLOADS[slug];
    if (!workload) throw new Error(`the page lists the protocol "${slug}", which has no frame workload: add one to WORKLOADS`);
    results[slug] = await workload(context);
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'frames.json'), JSON.stringify(results, null, 2) + '\n');
} finally {
  await browser.close();
  await site.close();
}
