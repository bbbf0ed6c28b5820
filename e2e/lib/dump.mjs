// Everything the page shows of a run, as text: what "exactly the same
// state" means to the browser tests (step back, links, files).

/**
 * The cluster (every node with its place and tooltip, every kind's messages with their places and
 * marks), the clock, the log grid, next events, properties, inspector, narration and event log.
 * A notice is dismissed first: it takes room from the drawing, whose places are in the screen's pixels.
 */
export async function dump(page) {
  const notice = page.locator('.notice button');
  if (await notice.count()) await notice.click();
  // The drawing is laid out anew once its size is observed (after a notice
  // goes, after the window is resized, and on a page just opened, which
  // draws at a default size until then): wait until the box the layout
  // gives the drawing, the SVG's size and its viewBox all agree (on a busy
  // machine that can take more than the two frames it takes on a quiet one).
  // The SVG alone is not enough: it is given the size last measured, so it
  // agrees with its viewBox even while a new size is still to be observed.
  await page.waitForFunction(() => {
    const svg = document.querySelector('.cluster-svg');
    if (!svg) return true;
    const room = svg.parentElement.getBoundingClientRect();
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox.baseVal;
    const near = (a, b) => Math.abs(a - b) < 1.5;
    return near(room.width, box.width) && near(room.height, box.height)
      && near(box.width, view.width) && near(box.height, view.height);
  }, null, { timeout: 5000 }).catch(() => {
    // A drawing scaled by the stylesheet never agrees: it is settled anyway.
  });
  return page.evaluate(() => {
    const text = (sel) => [...document.querySelectorAll(sel)].map((el) => el.textContent.trim()).join(' | ');
    const nodes = [...document.querySelectorAll('.cluster-svg .node')].map(
      (el) => `${el.dataset.node}:${el.getAttribute('class')}:${el.getAttribute('transform')}:${el.querySelector('title')?.textContent}`);
    const messages = [...document.querySelectorAll('.cluster-overlay .messages path')].map(
      (el) => `${el.getAttribute('class')}:${el.getAttribute('d')}`);
    return {
      cluster: [...nodes, ...messages],
      // The step shown and the time, not how long the recorded run is.
      clock: text('.clock').replace(/ of \d+/, ''),
      grid: text('.log-grid tbody'),
      next: text('.next-events ol'),
      properties: text('.invariants ul'),
      inspector: text('.inspector'),
      narration: text('.narration'),
      log: text('.event-log'),
      marks: [...document.querySelectorAll('.scrubber .mark')].map((m) => `${m.getAttribute('class')}@${m.getAttribute('style')}`),
    };
  });
}
