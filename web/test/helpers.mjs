// Helpers of the browser tests: paths, a static file server, Chromium,
// fixtures made with the zkstatus CLI, and QR images (PNG, Y4M video) of
// payloads, written here without any image library.

import http from 'node:http';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'uqr';
import { chromium } from 'playwright-core';

const run = promisify(execFile);

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WEB_DIR, '..');
export const DIST_DIR = path.join(WEB_DIR, 'dist', 'venue');
export const ARTIFACTS_DIR = path.join(WEB_DIR, 'test', 'artifacts');
export const FIXTURE_DIR = path.join(ROOT, 'prover', 'tests', 'fixtures', 'v2');
/** Statement v1's files (fixtures/legacy-v1), kept only to show that they are refused, naming version 1. */
export const V1_FIXTURE_DIR = path.join(ROOT, 'prover', 'tests', 'fixtures', 'legacy-v1');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CLI = process.env.ZKSTATUS_CLI ?? path.join(ROOT, 'target', 'release', 'zkstatus');

/** Flags that keep headless Chromium quiet and offline (no background requests). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium through playwright-core (a fresh profile each launch). */
export async function launchChromium(extraArgs = []) {
  try {
    await stat(CHROMIUM);
  } catch {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM=/path/to/chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serve directories on 127.0.0.1 (a free port, or `port`). `routes`: [urlPrefix, dir]
 * pairs, the longest matching prefix wins; `pages`: { path: html } served
 * as is. A path that is a directory serves its index.html. Every response
 * says `cache-control: no-store` (each visit fetches and compiles again),
 * except files under a prefix in `cacheable`, served with `max-age=3600`, as
 * a deployment's HTTP cache or a page's service worker would keep them.
 * Returns { url, port, close }.
 */
export async function serve(routes, pages = {}, { port = 0, cacheable = [] } = {}) {
  const sorted = [...routes].sort((a, b) => b[0].length - a[0].length);
  const server = http.createServer(async (req, res) => {
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (cacheable.some((prefix) => req.url?.startsWith(prefix))) headers['cache-control'] = 'max-age=3600';
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      const pathname = decodeURIComponent(url.pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, headers).end();
        return;
      }
      if (Object.hasOwn(pages, pathname)) {
        res.writeHead(200, { ...headers, 'content-type': TYPES['.html'] }).end(pages[pathname]);
        return;
      }
      const route = sorted.find(([prefix]) => pathname.startsWith(prefix));
      if (!route) {
        res.writeHead(404, headers).end();
        return;
      }
      const [prefix, dir] = route;
      let file = path.resolve(dir, `.${path.sep}${pathname.slice(prefix.length)}`);
      if (file !== path.resolve(dir) && !file.startsWith(path.resolve(dir) + path.sep)) {
        res.writeHead(403, headers).end();
        return;
      }
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', ok); });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    port: server.address().port,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

/** The `registry` argument of the zkstatus-verifier package's Gate: the demo's bundle, checked at `now`. */
export async function registryInput(demo, now = BigInt(Math.floor(Date.now() / 1000))) {
  return { bundle: new Uint8Array(await readFile(demo.bundle)), trust: await readFile(demo.trust, 'utf8'), now };
}

/**
 * A registry bundle for a roots file that no log published (a test's edited
 * roots), signed by a test log with seeded keys and cosigned at `now`
 * (verifier-wasm/examples/bundle_for_roots.rs, built on first use): writes
 * `registry.bundle` and `trust.json` into `outDir`; returns their paths.
 */
export async function bundleForRoots(rootsFile, now, outDir) {
  await run('cargo', ['run', '-q', '--release', '-p', 'zkstatus-verifier-wasm', '--example', 'bundle_for_roots', '--',
    rootsFile, String(now), outDir], { cwd: ROOT, maxBuffer: 1 << 24 });
  return { bundle: path.join(outDir, 'registry.bundle'), trust: path.join(outDir, 'trust.json') };
}

/** Run the zkstatus CLI; resolves to stdout (a Buffer with `encoding: 'buffer'`). */
export async function zkstatus(args, options = {}) {
  try {
    const { stdout } = await run(CLI, args, { maxBuffer: 1 << 24, ...options });
    return stdout;
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new Error(`no zkstatus CLI at ${CLI}: cargo build --release -p zkstatus-cli, or set ZKSTATUS_CLI`);
    }
    throw new Error(`zkstatus ${args[0]} failed: ${e.stderr || e.message}`);
  }
}

/**
 * A full statement-v2 demo set (keys, issuer key, policy, credential,
 * holder secret, the registry files of epochs 3 and 4 with 4 active now,
 * the roots, the transparency log folder `log/`, and the registry bundle
 * and trust configuration the pages take their roots from) in `dir`, by
 * `zkstatus demo`. Returns the file paths, the registry files (epoch →
 * path) and the verifying key's full fingerprint.
 */
export async function makeDemo(dir) {
  await zkstatus(['demo', '--dir', dir, '--force', '--no-qr', '--json']);
  const f = (name) => path.join(dir, name);
  // ZKSTATUS_TEST_KEYS_DIR: run the pages' tests with other keys of statement
  // v2 (zkstatus.pk, zkstatus.vk), e.g. those `zkstatus ceremony import` made
  // from a snarkjs ceremony (scripts/ceremony-demo.sh --browser).
  const keys = process.env.ZKSTATUS_TEST_KEYS_DIR;
  if (keys) {
    for (const k of ['zkstatus.pk', 'zkstatus.vk']) await copyFile(path.join(keys, k), f(k));
  }
  const vk = JSON.parse(await zkstatus(['inspect', f('zkstatus.vk'), '--json']));
  const roots = JSON.parse(await readFile(f('roots.json'), 'utf8'));
  const registries = Object.fromEntries(roots.roots.map((r) => [String(r.epoch), f(`registry-${r.epoch}.bin`)]));
  return {
    dir,
    pk: f('zkstatus.pk'),
    vk: f('zkstatus.vk'),
    roots: f('roots.json'),
    bundle: f('registry.bundle'),
    trust: f('trust.json'),
    log: f('log'),
    registries,
    policy: f('policy.json'),
    credential: f('credential.json'),
    secret: f('holder.secret'),
    issuerKey: f('issuer.key'),
    vkFingerprint: vk.vk_fingerprint_full,
  };
}

/**
 * A holder's payload for a gate's `ZKC2:` offer from the CLI (interactive),
 * or `{ operator, windowStart }` (one-scan): the text form, or binary into `out`.
 */
export async function prove(demo, offer, { out, operator, windowStart } = {}) {
  const mode = offer !== undefined ? ['--challenge', offer] : ['--operator', operator, ...(windowStart !== undefined ? ['--window', String(windowStart)] : [])];
  const args = ['holder', 'prove', '--pk', demo.pk, '--credential', demo.credential, '--secret', demo.secret,
    '--policy', demo.policy, '--bundle', path.join(demo.dir, 'registry.bundle'),
    '--trust', path.join(demo.dir, 'trust.json'), ...Object.values(demo.registries).flatMap((r) => ['--registry', r]), ...mode];
  if (out !== undefined) {
    await zkstatus([...args, '--out', out]);
    return out;
  }
  return (await zkstatus([...args, '--text', '--out', '-'])).toString().trim();
}

// RFC 9285 base45, for tampering with payload bytes.
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

export function base45Encode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      for (let k = 0; k < 3; k++) { out += B45[n % 45]; n = Math.floor(n / 45); }
    } else {
      let n = bytes[i];
      for (let k = 0; k < 2; k++) { out += B45[n % 45]; n = Math.floor(n / 45); }
    }
  }
  return out;
}

export function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const chunk = [...text.slice(i, i + 3)].map((c) => B45.indexOf(c));
    if (chunk.some((d) => d < 0)) throw new Error('not base45');
    const n = chunk.reduce((acc, d, k) => acc + d * 45 ** k, 0);
    if (chunk.length === 3) out.push(n >> 8, n & 0xff);
    else out.push(n);
  }
  return Uint8Array.from(out);
}

/** The QR code of `text` as rows of booleans (true: dark), with a quiet zone. */
export function qrMatrix(text, border = 4) {
  return encode(text, { ecc: 'M', border }).data;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A grayscale PNG of a QR matrix, `scale` pixels a module. */
export function qrPng(matrix, scale = 6) {
  const size = matrix.length * scale;
  const raw = Buffer.alloc(size * (size + 1), 0xff);
  for (let y = 0; y < size; y++) {
    raw[y * (size + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      if (matrix[Math.floor(y / scale)][Math.floor(x / scale)]) raw[y * (size + 1) + 1 + x] = 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, deflate, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A Y4M video (4:2:0, grey) of a QR matrix centred on a light background,
 * as Chromium's fake camera reads it (--use-file-for-fake-video-capture).
 */
export function qrY4m(matrix, { width = 640, height = 480, scale = 5, frames = 5, fps = 10 } = {}) {
  return qrY4mSequence([[matrix, frames]], { width, height, scale, fps });
}

/**
 * A Y4M video of segments `[matrix or null, frames]` in order: a QR matrix
 * centred on a light background, or (null) the background alone, a code out
 * of view. Chromium's fake camera plays the file in a loop.
 */
export function qrY4mSequence(segments, { width = 640, height = 480, scale = 5, fps = 10 } = {}) {
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frameOf = (matrix) => {
    const luma = Buffer.alloc(width * height, 235);
    if (matrix !== null) {
      const side = matrix.length * scale;
      if (side > width || side > height) throw new Error('the QR code does not fit the frame');
      const ox = Math.floor((width - side) / 2);
      const oy = Math.floor((height - side) / 2);
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          if (matrix[Math.floor(y / scale)][Math.floor(x / scale)]) luma[(oy + y) * width + ox + x] = 16;
        }
      }
    }
    return Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  };
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frames = segments.flatMap(([matrix, count]) => Array(count).fill(frameOf(matrix)));
  return Buffer.concat([header, ...frames]);
}

// ---- The holder page (web/test/holder.test.mjs) ----

/** The holder page, built by scripts/build-web.sh. */
export const HOLDER_DIST_DIR = path.join(WEB_DIR, 'dist', 'holder');

/** SHA-256 of a file, 64 lowercase hex digits (a proving key's pin: sha256sum). */
export async function sha256File(file) {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** Another setup's keys (zkstatus.pk, zkstatus.vk) in `dir`. */
export async function setupKeys(dir) {
  await zkstatus(['setup', '--out-dir', dir, '--force']);
  return { pk: path.join(dir, 'zkstatus.pk'), vk: path.join(dir, 'zkstatus.vk') };
}

/**
 * A credential for the demo's holder, signed by the demo's issuer, written to
 * `out`: `testTime` (unix seconds), and `expiresAt` or `validFor` (a CLI
 * duration such as "10d"); `issuedAt` defaults to the test time. Returns `out`.
 */
export async function issueCredential(demo, out, { holder: forHolder, testType = 'pcr', result = 'negative', testTime, issuedAt, expiresAt, validFor = '2d', exposureTime } = {}) {
  const holder = forHolder ?? JSON.parse(await readFile(demo.secret, 'utf8')).holder;
  const args = ['issuer', 'issue', '--key', path.join(demo.dir, 'issuer.key'), '--holder', holder,
    '--test-type', testType, '--result', result, '--test-time', String(testTime),
    '--issued-at', String(issuedAt ?? testTime), '--out', out];
  if (expiresAt !== undefined) args.push('--expires-at', String(expiresAt));
  else args.push('--valid-for', validFor);
  if (exposureTime !== undefined) args.push('--exposure-time', String(exposureTime));
  await zkstatus(args);
  return out;
}

/**
 * What a page keeps in the browser for its origin: localStorage and
 * sessionStorage (key → value), the IndexedDB databases' names, and the
 * Cache API's cache names.
 */
export async function pageStorage(page) {
  return page.evaluate(async () => {
    const dump = (s) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)).map((k) => [k, s.getItem(k)]));
    const dbs = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : [];
    const caches = typeof globalThis.caches === 'object' ? await globalThis.caches.keys() : [];
    return { localStorage: dump(localStorage), sessionStorage: dump(sessionStorage), indexedDB: dbs.map((d) => d.name), caches };
  });
}
