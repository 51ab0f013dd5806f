// Reading QR codes and small files into the zkstatus pages (shared by the
// venue and holder pages; scripts/build-web.sh copies it next to each page):
// a holder's payload from a file (binary payload.bin, a text payload, or an
// image of its QR code), the text of a QR code in an image file, a small
// text file or an image of its QR code, and QR codes from the camera.
// Everything here returns values or { error } objects; nothing throws to the
// caller, and nothing is logged. Messages are in the page's language (i18n.js).

import decodeQR from './vendor/qr/decode.js';
import { t } from './i18n.js';

/** A payload is at most 178 bytes (binary) or 272 characters (text, ZKS2:); anything much bigger is not one. */
const MAX_PAYLOAD_FILE = 64 * 1024;
/** Largest image file read. */
const MAX_IMAGE_FILE = 25 * 1024 * 1024;
/** Images are scaled down to this many pixels on the long side before decoding. */
const MAX_IMAGE_SIDE = 2400;
/** Camera frames are scaled down to this width before decoding. */
const MAX_FRAME_WIDTH = 960;

function fail(code, reason) {
  return { error: { code, reason } };
}

function startsWith(bytes, prefix) {
  return prefix.every((b, i) => bytes[i] === b);
}

function isImage(head, type) {
  return startsWith(head, [0x89, 0x50, 0x4e, 0x47]) // PNG
    || startsWith(head, [0xff, 0xd8, 0xff]) // JPEG
    || startsWith(head, [0x47, 0x49, 0x46, 0x38]) // GIF8
    || (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head.subarray(8), [0x57, 0x45, 0x42, 0x50])) // RIFF….WEBP
    || (typeof type === 'string' && type.startsWith('image/'));
}

// "ZKS" + a version digit + ":" ("ZKS2:"; "ZKS1:" too, so that the
// verifier names an old payload's version) after optional whitespace or a
// UTF-8 byte-order mark.
function isTextPayload(bytes) {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (i < bytes.length && [0x09, 0x0a, 0x0d, 0x20].includes(bytes[i])) i++;
  const rest = bytes.subarray(i);
  return startsWith(rest, [0x5a, 0x4b, 0x53]) && rest.length > 4 && rest[3] >= 0x30 && rest[3] <= 0x39 && rest[4] === 0x3a;
}

/** Decode the first QR code in RGBA pixels; undefined if there is none. */
export function decodePixels(imageData, options) {
  try {
    const text = decodeQR(imageData, options);
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

function canvas2d(width, height) {
  const canvas = typeof OffscreenCanvas === 'function'
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height });
  return canvas.getContext('2d', { willReadFrequently: true });
}

/**
 * The text of the first QR code in an image file (PNG, JPEG, GIF, WebP):
 * `{ text }` or `{ error: { code, reason } }`.
 */
export async function readQrImageFile(file) {
  if (file.size > MAX_IMAGE_FILE) {
    return fail('file-too-large', t('scan.fileTooLargeImage', { mb: MAX_IMAGE_FILE / (1024 * 1024) }));
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return fail('unreadable-image', t('scan.unreadableImage'));
  }
  try {
    const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas2d(w, h);
    ctx.fillStyle = '#fff'; // transparent PNGs: QR modules on white
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(bitmap, 0, 0, w, h);
    const text = decodePixels(ctx.getImageData(0, 0, w, h), { effort: Infinity, timeLimit: 2000 });
    return text === undefined ? fail('no-qr-code', t('scan.noQrCode')) : { text };
  } catch {
    return fail('unreadable-image', t('scan.unreadableImage'));
  } finally {
    bitmap.close();
  }
}

async function decodeImageFile(file) {
  const read = await readQrImageFile(file);
  return read.error ? read : { payload: read.text };
}

/**
 * Read a small text file, or the QR code in an image file: `{ text, fromQr }`
 * or `{ error: { code, reason } }`. A text file over `maxBytes` is refused
 * unread; its content is never put in a message.
 */
export async function readTextOrQrFile(file, { maxBytes = MAX_PAYLOAD_FILE } = {}) {
  try {
    if (file.size === 0) return fail('empty-file', t('scan.emptyFile'));
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    if (isImage(head, file.type)) {
      const read = await readQrImageFile(file);
      return read.error ? read : { text: read.text, fromQr: true };
    }
    if (file.size > maxBytes) {
      return fail('file-too-large', t('scan.fileTooLarge', { size: file.size, max: maxBytes }));
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.replace(/^\uFEFF/, ''), fromQr: false };
  } catch {
    return fail('unreadable-file', t('scan.unreadableText'));
  }
}

/**
 * Read a payload from a file: `payload.bin` (the binary form, 146 or 178
 * bytes), a text file with the `ZKS2:` form, or an image of the QR code. Returns
 * `{ payload }` (a string or a Uint8Array for the verifier) or `{ error }`.
 */
export async function readPayloadFile(file) {
  try {
    if (file.size === 0) return fail('empty-file', t('scan.emptyFile'));
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    if (isImage(head, file.type)) return await decodeImageFile(file);
    if (file.size > MAX_PAYLOAD_FILE) {
      return fail('file-too-large', t('scan.payloadTooLarge'));
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (isTextPayload(bytes) || /\.txt$/i.test(file.name) || (file.type ?? '').startsWith('text/')) {
      return { payload: new TextDecoder('utf-8').decode(bytes) };
    }
    return { payload: bytes };
  } catch {
    return fail('unreadable-file', t('scan.unreadableFile'));
  }
}

function cameraError(e, otherwise) {
  switch (e && e.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return t('scan.camera.refused', { otherwise });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return t('scan.camera.none');
    case 'NotReadableError':
      return t('scan.camera.busy');
    default:
      return t('scan.camera.failed', { name: e && e.name ? e.name : t('scan.camera.unknownError') });
  }
}

/**
 * Scans QR codes from the camera into `onText(text)`. A code is delivered
 * once while it stays in view, and again only after it was out of view for
 * `repeatMs` (a phone held up after its ACCEPT must not turn the screen into
 * a REJECT for a replay; a real second presentation still is one).
 */
export class CameraScanner {
  #video;
  #onText;
  #stream;
  #timer;
  #ctx;
  #last;
  #lastAt = 0;

  /**
   * `otherwise`: what the person can do instead, ending the message when the
   * camera permission is refused (text, or a function giving it in the
   * page's language at that time; by default "paste or upload the proof").
   */
  constructor(video, onText, { intervalMs = 150, repeatMs = 5000, otherwise = () => t('scan.otherwise') } = {}) {
    this.#video = video;
    this.#onText = onText;
    this.intervalMs = intervalMs;
    this.repeatMs = repeatMs;
    this.otherwise = otherwise;
  }

  get running() {
    return this.#stream !== undefined;
  }

  /** Start the camera; returns undefined, or an error message for people. */
  async start() {
    if (this.running) return undefined;
    const media = globalThis.navigator && navigator.mediaDevices;
    if (!media || typeof media.getUserMedia !== 'function') {
      return t('scan.camera.unsupported');
    }
    try {
      this.#stream = await media.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (e) {
      this.#stream = undefined;
      return cameraError(e, typeof this.otherwise === 'function' ? this.otherwise() : this.otherwise);
    }
    this.#video.srcObject = this.#stream;
    this.#video.muted = true;
    this.#video.playsInline = true;
    try {
      await this.#video.play();
    } catch {
      // Autoplay of a muted stream is allowed; frames are read regardless.
    }
    this.#schedule();
    return undefined;
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stream !== undefined) {
      for (const track of this.#stream.getTracks()) track.stop();
      this.#stream = undefined;
    }
    this.#video.srcObject = null;
  }

  #schedule() {
    this.#timer = setTimeout(() => this.#frame(), this.intervalMs);
  }

  #frame() {
    if (!this.running) return;
    try {
      const v = this.#video;
      if (v.readyState >= 2 && v.videoWidth > 0 && v.videoHeight > 0) {
        const scale = Math.min(1, MAX_FRAME_WIDTH / v.videoWidth);
        const w = Math.round(v.videoWidth * scale);
        const h = Math.round(v.videoHeight * scale);
        if (this.#ctx === undefined || this.#ctx.canvas.width !== w || this.#ctx.canvas.height !== h) {
          this.#ctx = canvas2d(w, h);
        }
        this.#ctx.drawImage(v, 0, 0, w, h);
        const text = decodePixels(this.#ctx.getImageData(0, 0, w, h));
        const now = Date.now();
        if (text !== undefined) {
          const repeat = text === this.#last && now - this.#lastAt < this.repeatMs;
          this.#last = text;
          this.#lastAt = now;
          if (!repeat) this.#onText(text);
        }
      }
    } catch {
      // A frame that cannot be read is skipped.
    }
    this.#schedule();
  }
}
