// The page's side of working offline: registers the service worker (sw.js,
// next to index.html) and says in plain words what it did: a new version of
// the page, a new pinned key, new registry data, no connection. Loaded by
// index.html on its own, before app.js; the page works the same without it
// (a browser with no service workers simply needs the network).
//
// The notice is a status line at the top of the page (role="status"), with
// a "Reload" button when the new files are used only after a reload. The
// words are in the page's language (i18n.js), redrawn when it changes.

import { LANGS, lang, onLangChange, setText, t } from './i18n.js';

const REFRESH_MS = 30 * 60 * 1000; // look for new data and a new version this often while open

// What changed, and whether the page already uses it: the keys of its words
// (strings-*.js, "offline.*").
const KINDS = ['key', 'registry', 'policy', 'settings'];

function dateWords(ms) {
  return new Date(ms).toLocaleString(LANGS[lang()].htmlLang, { dateStyle: 'medium', timeStyle: 'short' });
}

let box;
const lines = new Map(); // what → () => text, one line each

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
  setText(reload, 'offline.reload');
  reload.hidden = true;
  reload.addEventListener('click', () => location.reload());
  box.append(list, reload);
  // In the page's banner (its header), so the notice is in a landmark.
  (document.querySelector('header') ?? document.body).append(box);
  return box;
}

function draw() {
  notice().querySelector('#offline-notice-text').textContent = [...lines.values()].map((words) => words()).join(' ');
}
onLangChange(() => { if (box) draw(); });

/**
 * Show (or replace) one line of the notice: `words`, a function giving it in
 * the page's language; `reload`: offer the button.
 */
function say(what, words, { reload = false } = {}) {
  const el = notice();
  lines.set(what, words);
  draw();
  if (reload) el.querySelector('#offline-reload').hidden = false;
  el.dataset.what = [...lines.keys()].join(' ');
  el.hidden = false;
}

// The page's own news in the same notice (app.js: new registry data it
// fetched and now uses), one line per `what`: the key of its words (and
// their variables), or a text, shown as it is.
globalThis.zkstatusNotice = (what, key, vars) => say(what, () => {
  try {
    return t(key, vars);
  } catch {
    return String(key); // a text, not a key
  }
});

const OWN_WORKER = new URL('sw.js', document.baseURI).href;

function onMessage(event) {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  // Only this page's own worker: another page of the same site (a venue page
  // at / and a holder page at /holder/) has its own, whose news is not ours.
  if (event.source && event.source.scriptURL !== OWN_WORKER) return;
  if (m.type === 'zkstatus-app-updated') {
    say('app', () => t('offline.app'), { reload: true });
  } else if (m.type === 'zkstatus-data-updated' && KINDS.includes(m.kind)) {
    const key = `offline.${m.kind}.${m.inUse ? 'now' : 'later'}`;
    say(`data-${m.kind}`, () => t(key), { reload: !m.inUse });
  } else if (m.type === 'zkstatus-offline') {
    const savedAt = m.savedAt;
    say('offline', () => (Number.isFinite(savedAt)
      ? t('offline.noConnectionSaved', { when: dateWords(savedAt) })
      : t('offline.noConnection')));
  }
}

function onOnline() {
  if (lines.delete('offline')) {
    const el = notice();
    draw();
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
