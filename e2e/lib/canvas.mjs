// The messages in flight are drawn on a canvas (src/components/message_layer.rs):
// the tests read its pixels as a user's eyes would.

// Each reading copies the canvas first: reading the page's own canvas back
// again and again makes the browser warn (and the tests fail on warnings).
const PIXELS = `(() => {
  const canvas = document.querySelector('.message-canvas');
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const context = copy.getContext('2d');
  context.drawImage(canvas, 0, 0);
  return { canvas, data: context.getImageData(0, 0, copy.width, copy.height).data };
})()`;

/** How many of the canvas's pixels are exactly `css` (a computed colour such as "rgb(190, 24, 93)"). */
export async function pixelsOfColour(page, css) {
  return page.evaluate(({ css, PIXELS }) => {
    const { data } = eval(PIXELS);
    const [r, g, b] = css.match(/\d+/g).map(Number);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 255 && data[i] === r && data[i + 1] === g && data[i + 2] === b) count += 1;
    }
    return count;
  }, { css, PIXELS });
}

/**
 * The middle of the first message drawn (in reading order), in the page's
 * coordinates, with its colour; null when nothing is drawn.
 */
export async function firstDrawnMessage(page) {
  return page.evaluate((PIXELS) => {
    const { canvas, data } = eval(PIXELS);
    const { width, height } = canvas;
    const opaque = (x, y) => data[(y * width + x) * 4 + 3] === 255;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!opaque(x, y)) continue;
        // The glyph's box from here: its opaque pixels to the right and below.
        let right = x;
        while (right + 1 < width && opaque(right + 1, y)) right += 1;
        const mid = Math.floor((x + right) / 2);
        let bottom = y;
        while (bottom + 1 < height && opaque(mid, bottom + 1)) bottom += 1;
        const cy = Math.floor((y + bottom) / 2);
        const at = (cy * width + mid) * 4;
        const box = canvas.getBoundingClientRect();
        const scale = box.width / width;
        return {
          x: box.left + (mid + 0.5) * scale,
          y: box.top + (cy + 0.5) * scale,
          colour: `rgb(${data[at]}, ${data[at + 1]}, ${data[at + 2]})`,
        };
      }
    }
    return null;
  }, PIXELS);
}

/** A digest of the canvas's pixels: equal drawings, equal digests. */
export async function canvasDigest(page) {
  return page.evaluate(async () => {
    const canvas = document.querySelector('.message-canvas');
    if (!canvas) return 'no canvas';
    const bytes = new TextEncoder().encode(`${canvas.width}x${canvas.height}:${canvas.toDataURL()}`);
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  });
}
