// Drawing a QR code on a canvas (shared by the venue and holder pages;
// scripts/build-web.sh copies it next to each page). The encoder is the
// vendored uqr.

import { encode } from './vendor/uqr/index.mjs';

/**
 * Draw the QR code of `text` on `canvas`: dark modules on white, with a
 * quiet zone of `border` modules (4 is the standard's minimum), each module
 * `scale` whole pixels, at least `minScale` and enough for the canvas to be
 * `minPixels` wide; CSS scales it (image-rendering: pixelated). Returns
 * `{ version, modules, size, scale, ecc, border }` (`modules`: the symbol's
 * side without the quiet zone; `size`: with it).
 */
export function drawQr(canvas, text, { ecc = 'M', border = 4, minPixels = 360, minScale = 4 } = {}) {
  const { data, size, version } = encode(text, { ecc, border });
  const scale = Math.max(minScale, Math.ceil(minPixels / size));
  canvas.width = size * scale;
  canvas.height = size * scale;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (data[y][x]) ctx.fillRect(x * scale, y * scale, scale, scale);
    }
  }
  return { version, modules: size - 2 * border, size, scale, ecc, border };
}
