// Frame-time benchmark of the page in headless Chromium (`cargo xtask bench`).
//
// 1. Play a 5-server Raft cluster at top speed and time every animation
//    frame's work: from the start of the page's frame callback (the app's
//    tick: simulate, then re-render) until a task posted from it runs, which
//    is after the browser has done that frame's style, layout and paint.
// 2. Step one event at a time, each step clicked at the start of a frame, and
//    time the same span: one step including its render.
//
// Medians and the worst case are reported, not asserted: the machines are
// shared and noisy. The target (issue #5) is every frame under 16 ms. The
// first few steps after the page opens are reported apart: they also pay for
// the browser compiling the code they run.
// Results also go to target/bench/frames.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { serveDist } from '../lib/server.mjs';
import { launch, waitForApp } from '../lib/browser.mjs';

const DIST = process.env.CAUCUS_DIST ?? join(process.cwd(), '..', 'dist');
const OUT = process.env.CAUCUS_BENCH_OUT ?? join(process.cwd(), '..', 'target', 'bench');
const PLAY_MS = Number(process.env.CAUCUS_BENCH_PLAY_MS ?? 10_000);
const WARM_UP_MS = 1_000;
const STEPS = Number(process.env.CAUCUS_BENCH_STEPS ?? 300);
// The first election: code run and elements drawn for the first time.
const COLD_STEPS = 20;
const BUDGET_MS = 16;

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

async function playAtTopSpeed(page) {
  const speed = page.locator('.speed input[type=range]');
  await speed.fill(await speed.getAttribute('max'));
  const steps = async () => Number((await page.locator('.clock').textContent()).match(/step (\d+)/)[1]);
  await page.locator('button.play').click();
  await page.waitForTimeout(WARM_UP_MS);
  const before = await steps();
  await page.evaluate(() => { window.__frameBench.recording = true; });
  await page.waitForTimeout(PLAY_MS);
  const frames = await page.evaluate(() => {
    window.__frameBench.recording = false;
    return window.__frameBench;
  });
  await page.locator('button.play').click();
  const after = await steps();
  return {
    ...summary(frames.frames),
    script: summary(frames.scripts),
    steps_per_frame: round((after - before) / frames.frames.length),
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

const site = await serveDist(DIST);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(timeFrames);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(site.url);
  await waitForApp(page);
  await page.locator('.cluster-svg .node').first().waitFor();

  const step = await stepOneAtATime(page);
  const play = await playAtTopSpeed(page);
  if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);

  const result = { cluster: '5-server Raft, default settings', viewport: '1280x720', budget_ms: BUDGET_MS, play, step };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'frames.json'), JSON.stringify(result, null, 2) + '\n');
  const line = (name, s) => console.log(
    `frame bench: ${name}: median ${s.median_ms} ms, p95 ${s.p95_ms} ms, worst ${s.worst_ms} ms` +
    ` over ${s.count} samples, ${s.over_budget} at or over ${BUDGET_MS} ms`);
  line(`the first ${COLD_STEPS} steps after the page opens (cold: the first election)`, step.cold);
  line('one step including render, after those', step);
  line(`playing at top speed (${play.steps_per_frame} steps a frame)`, play);
  line('  of which script (simulate, build and patch the DOM)', play.script);
  const met = play.over_budget === 0 && step.over_budget === 0;
  console.log(`frame bench: target every frame under ${BUDGET_MS} ms: ${met ? 'met' : 'missed'}` +
    ` (playing and warm steps${step.cold.over_budget ? `; ${step.cold.over_budget} of the ${COLD_STEPS} cold steps over` : ''})`);
} finally {
  await browser.close();
  await site.close();
}
