// The page's side of working offline: registers the service worker (sw.js,
// next to index.html) and says in plain words what it did: a new version of
// the page, a new pinned key, new registry data, no connection. Loaded by
// index.html on its own, before app.js; the page works the same without it
// (a browser with no service workers simply needs the network).
//
// The notice is a status line at the top of the page (role="status"), with
// a "Reload" button when the new files are used only after a reload.

const REFRESH_MS = 30 * 60 * 1000; // look for new data and a new version this often while open

// What changed, and whether the page already uses it, in words.
const WORDS = {
  key: {
    now: 'This page has a new key, pinned by its settings. It is in use now.',
    later: 'A new key for this page was downloaded. Reload the page to use it.',
  },
  registry: {
    now: 'New issuer registry data arrived. This page uses it now.',
    later: 'New issuer registry data was downloaded. Reload the page to use it.',
  },
  policy: {
    now: 'This page\'s policy changed. The new one is in use now.',
    later: 'This page\'s policy changed. Reload the page to use the new one.',
  },
  settings: {
    now: 'This page\'s settings changed. The new ones are in use now.',
    later: 'This page\'s settings changed. Reload the page to use them.',
  },
  app: 'A new version of this page was installed. Reload the page to use it.',
};

function dateWords(ms) {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

let box;
const lines = new Map(); // what → text, one line each

function notice() {
  if (box) return box;
  box = document.createElement('div');
  box.id = 'offline-notice';
  box.className = 'offline-notice';
  box.setAttribute('role', 'status');
  box.hidden = true;
  const list = document.createElement('p');
  list.id = 'offline-notice-text';
  const reload = document.createElement('button');
  reload.id = 'offline-reload';
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.hidden = true;
  reload.addEventListener('click', () => location.reload());
  box.append(list, reload);
  // In the page's banner (its header), so the notice is in a landmark.
  (document.querySelector('header') ?? document.body).append(box);
  return box;
}

/** Show (or replace) one line of the notice; `reload`: offer the button. */
function say(what, text, { reload = false } = {}) {
  const el = notice();
  lines.set(what, text);
  el.querySelector('#offline-notice-text').textContent = [...lines.values()].join(' ');
  if (reload) el.querySelector('#offline-reload').hidden = false;
  el.dataset.what = [...lines.keys()].join(' ');
  el.hidden = false;
}

// The page's own news in the same notice (app.js: new registry data it
// fetched and now uses), one line per `what`.
globalThis.zkstatusNotice = (what, text) => say(what, text);

const OWN_WORKER = new URL('sw.js', document.baseURI).href;

function onMessage(event) {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  // Only this page's own worker: another page of the same site (a venue page
  // at / and a holder page at /holder/) has its own, whose news is not ours.
  if (event.source && event.source.scriptURL !== OWN_WORKER) return;
  if (m.type === 'zkstatus-app-updated') {
    say('app', WORDS.app, { reload: true });
  } else if (m.type === 'zkstatus-data-updated' && Object.hasOwn(WORDS, m.kind) && m.kind !== 'app') {
    const words = WORDS[m.kind];
    say(`data-${m.kind}`, m.inUse ? words.now : words.later, { reload: !m.inUse });
  } else if (m.type === 'zkstatus-offline') {
    const when = Number.isFinite(m.savedAt) ? ` (saved ${dateWords(m.savedAt)})` : '';
    say('offline', `No connection: this page is using the copy kept on this device${when}. It works until the issuer registry in it runs out.`);
  }
}

function onOnline() {
  if (lines.delete('offline')) {
    const el = notice();
    el.querySelector('#offline-notice-text').textContent = [...lines.values()].join(' ');
    el.dataset.what = [...lines.keys()].join(' ');
    el.hidden = lines.size === 0;
  }
}

async function register() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', onMessage);
  let registration;
  try {
    // updateViaCache 'none': every check for a new version asks the server.
    registration = await navigator.serviceWorker.register(OWN_WORKER, { updateViaCache: 'none' });
  } catch {
    return; // not served over https or localhost, or sw.js missing: the page needs the network
  }
  const refresh = () => {
    registration.update().catch(() => undefined);
    registration.active?.postMessage({ type: 'zkstatus-refresh-data' });
  };
  window.addEventListener('online', () => { onOnline(); refresh(); });
  setInterval(refresh, REFRESH_MS);
}

register();
