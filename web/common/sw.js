// The service worker of a zkstatus page (web/venue/, web/holder/): after one
// visit the page opens, proves and verifies with no network.
//
// - The page's own files (the "shell": HTML, JS, CSS, the WASM, vendor/,
//   the manifest and icon) are cached when the worker is installed, in a
//   cache named after a hash of the built files, and served from it first.
//   scripts/build-web.sh writes that hash and the file list into BUILD below,
//   so a new build is a new sw.js: the browser installs it, and the old
//   cache is deleted once the new one is complete. The page is then told
//   (offline.js says so, with a button to reload).
// - The data files under config/ (offline-data.js: the one list of them)
//   are fetched from the network first and kept; with no network (none
//   within NETWORK_TIMEOUT_MS, or a server error) the kept copy is served.
//   When a fetched copy differs from the kept one, the page is told which
//   kind of file changed (a pinned key, the registry, the policy, the
//   settings).
// - Nothing else is cached here: the proving key stays in the prover's own
//   cache, checked against the pin on every read. Only GET requests of this
//   page's scope are handled; nothing about the holder or a visitor passes
//   through (payloads are never requested).

/* eslint-env serviceworker */

// Written by scripts/build-web.sh: { page, version, files }.
const BUILD = { page: 'dev', version: 'dev', files: [] }; // build-web.sh: BUILD

importScripts('offline-data.js');

const DATA = self.ZKSTATUS_OFFLINE_DATA[BUILD.page] ?? { files: [], named: {}, kinds: [] };
const SCOPE = self.registration.scope; // ends in '/'
const CONFIG = new URL('config/', SCOPE).href;
const SHELL_PREFIX = `zkstatus-shell ${SCOPE} `;
const SHELL_CACHE = `${SHELL_PREFIX}${BUILD.version}`;
const DATA_CACHE = `zkstatus-data ${SCOPE}`;
const NETWORK_TIMEOUT_MS = 5000;
const SAVED_AT = 'x-zkstatus-saved-at';

/** The kind of a config/ file ("key", "registry", …), or undefined: not kept. */
function dataKind(url) {
  if (!url.startsWith(CONFIG)) return undefined;
  const name = url.slice(CONFIG.length);
  if (name.includes('/') || name.includes('?') || name.includes('#')) return undefined;
  const hit = DATA.kinds.find(([re]) => re.test(name));
  return hit ? hit[1] : undefined;
}

function shellUrls() {
  return [SCOPE, ...BUILD.files.map((f) => new URL(f, SCOPE).href)];
}

async function post(message, { onlyTo } = {}) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const c of windows) {
    if (c.url.startsWith(SCOPE)) c.postMessage({ ...message, inUse: onlyTo === undefined ? false : c.id === onlyTo });
  }
}

async function withTimeout(promise, ms) {
  let timer;
  try {
    return await Promise.race([promise, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Fetch a data file and keep it (a 200, or a 404: an optional file that is
 * absent). Returns the response to serve; tells the pages when the file
 * changed. Throws when the network fails.
 */
async function fetchData(request, { clientId, kind }) {
  const response = await withTimeout(fetch(request, { cache: 'no-store' }), NETWORK_TIMEOUT_MS);
  if (response.status !== 200 && response.status !== 404) return response;
  const body = await response.arrayBuffer();
  const cache = await caches.open(DATA_CACHE);
  const kept = await cache.match(request.url);
  const keptBody = kept ? await kept.arrayBuffer() : undefined;
  const changed = kept !== undefined && (kept.status !== response.status || !sameBytes(keptBody, body));
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, String(Date.now()));
  await cache.put(request.url, new Response(body.slice(0), { status: response.status, statusText: response.statusText, headers }))
    .catch(() => undefined); // a full quota only costs the offline copy
  if (changed) {
    const name = request.url.slice(CONFIG.length);
    await post({ type: 'zkstatus-data-updated', name, kind }, { onlyTo: clientId });
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function dataFirstFromNetwork(event, kind) {
  let response;
  try {
    response = await fetchData(event.request, { clientId: event.clientId, kind });
    // A server error (a proxy with its origin down) counts as no connection.
    if (response.status < 500) return response;
  } catch {
    response = Response.error();
  }
  const kept = await caches.open(DATA_CACHE).then((c) => c.match(event.request.url)).catch(() => undefined);
  if (!kept) return response;
  const savedAt = Number(kept.headers.get(SAVED_AT)) || undefined;
  await post({ type: 'zkstatus-offline', name: event.request.url.slice(CONFIG.length), savedAt });
  return kept;
}

async function shellFirstFromCache(request) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
  return hit ?? fetch(request);
}

/**
 * Fetch the data files again (install, and the page's "refresh-data"). When
 * every file that names others was read, kept files no longer named (the
 * registry of an epoch no longer in the holder's bundle) are deleted, so
 * the kept data stays bounded.
 */
async function refreshData() {
  const names = [...DATA.files];
  let complete = true;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const url = new URL(name, CONFIG).href;
    const more = DATA.named[name];
    try {
      const response = await fetchData(new Request(url), { kind: dataKind(url) });
      if (more && response.ok) {
        for (const extra of more(new Uint8Array(await response.arrayBuffer()))) if (!names.includes(extra)) names.push(extra);
      } else if (more) {
        complete = false;
      }
    } catch {
      // offline, or a file that does not parse: the kept copies stay
      if (more) complete = false;
    }
  }
  if (!complete) return;
  const cache = await caches.open(DATA_CACHE);
  for (const request of await cache.keys()) {
    if (!names.includes(request.url.slice(CONFIG.length))) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // Every file of the build, fresh from the server (not the HTTP cache):
    // if one is missing the worker is not installed, and the page keeps
    // working online.
    await cache.addAll(shellUrls().map((u) => new Request(u, { cache: 'reload' })));
    await refreshData();
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const old = (await caches.keys()).filter((n) => n.startsWith(SHELL_PREFIX) && n !== SHELL_CACHE);
    await Promise.all(old.map((n) => caches.delete(n)));
    await self.clients.claim();
    if (old.length > 0) await post({ type: 'zkstatus-app-updated', version: BUILD.version });
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'zkstatus-refresh-data') event.waitUntil(refreshData());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  const kind = dataKind(request.url);
  if (kind !== undefined) {
    event.respondWith(dataFirstFromNetwork(event, kind));
    return;
  }
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  const shell = request.mode === 'navigate' ? url.href === SCOPE || url.href === new URL('index.html', SCOPE).href
    : BUILD.files.some((f) => new URL(f, SCOPE).href === url.href);
  if (shell) event.respondWith(shellFirstFromCache(request));
});
