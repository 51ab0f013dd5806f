// The venue page: shows the current challenge (text and QR), takes a
// visitor's proof (paste, file, camera), and shows ACCEPT or REJECT with the
// reason. In one-scan mode (venue.json "mode": "one-scan") it shows no
// challenge: the camera scans visitors' passes continuously, and a pass
// shown a second time in its window is refused as already used. The gate logic (configuration, challenges, verdicts) is in
// gate.js; reading files and the camera is in scan.js.
//
// Nothing about the visitor is shown, kept or logged: the input field is
// cleared on submit, and a verdict carries only ok/kind/code/reason.
//
// Words: i18n.js (web/common/), in Chinese or English, with the switch in
// the header; text the page sets is marked with its key (setText), so a
// change of language redraws it.

// The modules are imported dynamically, so that a missing or broken file
// (a partial deployment, a package without ChallengeBook) is reported on the
// page instead of leaving it at "Loading".
let drawQr;
let Gate;
let ConfigError;
let RegistryError;
let localReject;
let readPayloadFile;
let CameraScanner;
let t;
let setText;
let onLangChange;
let initLang;

const $ = (id) => document.getElementById(id);

let gate;
let verdictTimer;
let verdictSeq = 0;
let shownChallenge;
let camera;

function showChallenge() {
  const current = gate.current;
  if (current === undefined || current.challenge === shownChallenge) return;
  shownChallenge = current.challenge;
  const el = $('challenge-text');
  // The ZKC2: offer: the challenge with the time this gate issued it (the
  // statement's time: the holder does not choose it).
  el.textContent = current.offer;
  drawQr($('challenge-qr'), current.offer);
  // Set last: a reader of the attribute finds the QR already drawn.
  el.dataset.challenge = current.offer;
}

// How often an open page fetches the registry bundle again (and on load,
// on the `online` event, and when it becomes visible).
const REGISTRY_REFRESH_MS = 10 * 60 * 1000;

const when = (secs) => new Date(secs * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

function showRoot() {
  const root = gate.activeRoot();
  if (root) {
    setText($('registry-epoch'), undefined);
    $('registry-epoch').textContent = root.epoch;
  } else {
    setText($('registry-epoch'), 'venue.noActiveRoot');
  }
  $('registry-end').textContent = root ? new Date(Number(root.endDate) * 1000).toISOString().slice(0, 10) : '–';
}

// The bundle's state at the page's clock: aged out, the banner and the
// body's data-registry say so (every proof is refused by the package).
function showRegistry() {
  const state = gate.registryState();
  $('registry-cosigned').textContent = when(state.cosignedAt);
  $('registry-valid-until').textContent = when(state.validUntil);
  $('registry-stale-since').textContent = when(state.cosignedAt);
  $('registry-stale').hidden = !state.stale;
  document.body.dataset.registry = state.stale ? 'stale' : 'fresh';
}

// The notice line of offline.js (same words as its service-worker news): a key.
function notice(key) {
  if (typeof globalThis.zkstatusNotice === 'function') globalThis.zkstatusNotice('data-registry', key);
}

let refreshing = false;
async function refreshRegistry() {
  if (refreshing || navigator.onLine === false) return;
  refreshing = true;
  try {
    const r = await gate.refreshRegistry();
    if (r.error !== undefined) {
      setText($('registry-refresh'), 'venue.refreshFailed', { error: r.error });
    } else {
      setText($('registry-refresh'), undefined);
      if (r.updated) {
        notice(r.newRoot ? 'offline.registry.newRoot' : 'offline.registry.now');
        document.body.dataset.registryUpdates = String(Number(document.body.dataset.registryUpdates ?? 0) + 1);
      }
      showRoot();
    }
  } finally {
    refreshing = false;
    showRegistry();
  }
}

function tick() {
  showRegistry();
  if (gate.oneScan) return;
  try {
    gate.tick();
    showChallenge();
    $('countdown').textContent = String(gate.secondsToRotation());
  } catch (e) {
    fatal(t('venue.fatal.renew', { detail: e.message }));
  }
}

function hideVerdict() {
  clearTimeout(verdictTimer);
  verdictTimer = undefined;
  $('verdict').hidden = true;
}

function showVerdict(v) {
  const panel = $('verdict');
  verdictSeq += 1;
  panel.dataset.verdict = v.ok ? 'accept' : 'reject';
  panel.dataset.kind = v.kind;
  panel.dataset.code = v.code;
  panel.dataset.seq = String(verdictSeq);
  panel.querySelector('.verdict-mark').textContent = v.ok ? '✓' : '✗';
  panel.querySelector('.verdict-word').textContent = t(v.ok ? 'venue.accept' : 'venue.reject');
  panel.querySelector('.verdict-reason').textContent = v.reason;
  panel.querySelector('.verdict-code').textContent = v.code;
  panel.hidden = false;
  clearTimeout(verdictTimer);
  verdictTimer = setTimeout(hideVerdict, gate.settings.verdictSecs * 1000);
}

// One presentation: verify, show the verdict, show the (possibly new) challenge.
function present(payload) {
  let verdict;
  try {
    verdict = gate.check(payload);
  } catch (e) {
    verdict = localReject('error', t('verdict.error', { detail: e.message }));
  }
  showVerdict(verdict);
  tick();
}

function onPaste(event) {
  event.preventDefault();
  const input = $('payload-input');
  const value = input.value;
  input.value = '';
  if (value.trim() === '') return;
  present(value);
}

async function onFile() {
  const input = $('payload-file');
  const file = input.files && input.files[0];
  input.value = ''; // the same file can be chosen again
  if (!file) return;
  const read = await readPayloadFile(file);
  if (read.error) showVerdict(localReject(read.error.code, read.error.reason));
  else present(read.payload);
}

async function onCamera() {
  const button = $('camera-button');
  const video = $('camera-video');
  const status = $('camera-status');
  if (camera && camera.running) {
    camera.stop();
    video.hidden = true;
    setText(button, 'venue.camera.start');
    setText(status, undefined);
    return;
  }
  // One-scan: a pass that left the view for 1.5 s and comes back is shown
  // again (a screenshot passed back, a second phone): checked again, so
  // refused as already used.
  camera ??= new CameraScanner(video, (text) => present(text), gate.oneScan ? { repeatMs: 1500, otherwise: () => t('venue.camera.otherwiseOneScan') } : {});
  button.disabled = true;
  setText(status, 'venue.camera.starting');
  const error = await camera.start();
  button.disabled = false;
  if (error) {
    // Already in the page's language (scan.js); shown as it is.
    setText(status, undefined);
    status.textContent = error;
    return;
  }
  video.hidden = false;
  setText(button, 'venue.camera.stop');
  setText(status, gate.oneScan ? 'venue.camera.onOneScan' : 'venue.camera.on');
}

// The bundle failed or aged out before the page could start: it refuses
// everything and tries again whenever it may be online.
function registryFatal(e) {
  reloadOnLangChange();
  $('main').hidden = true;
  $('loading').hidden = true;
  if (!e.stale) setText($('registry-problem-heading'), 'venue.registryProblem.refused');
  $('registry-problem-message').textContent = e.message;
  $('registry-problem').hidden = false;
  document.body.dataset.state = e.stale ? 'registry-stale' : 'registry-error';
  const retry = async () => {
    if (navigator.onLine === false) return;
    try {
      await Gate.open(new URL('config/', document.baseURI), location.origin);
    } catch {
      return;
    }
    location.reload();
  };
  window.addEventListener('online', retry);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') retry(); });
  setInterval(retry, REGISTRY_REFRESH_MS);
}

function showPolicy() {
  $('policy-rules').replaceChildren(...gate.policyWords.map((line) => {
    const li = document.createElement('li');
    li.textContent = line;
    return li;
  }));
}

// A change of language in a state the page cannot redraw (its message was
// worded when it failed): reload, in the chosen language.
function reloadOnLangChange() {
  if (onLangChange !== undefined && document.body.dataset.reloadOnLang === undefined) {
    document.body.dataset.reloadOnLang = '';
    onLangChange(() => location.reload());
  }
}

function fatal(message) {
  reloadOnLangChange();
  $('main').hidden = true;
  $('loading').hidden = true;
  $('config-error-message').textContent = message;
  $('config-error').hidden = false;
  document.body.dataset.state = 'config-error';
  if (camera) camera.stop();
}

// The page's title: the venue's name, if it has one.
function showTitle() {
  const { name } = gate?.settings ?? {};
  document.title = name === undefined ? t('venue.title') : t('venue.titleNamed', { name });
}

async function main() {
  try {
    // Words first, so that even a missing file is reported in the page's language.
    ({ t, setText, onLangChange, initLang } = await import('./i18n.js'));
    initLang();
  } catch (e) {
    fatal(`the page's files did not load (${e && e.message ? e.message : e}): deploy the whole folder built by scripts/build-web.sh`);
    return;
  }
  try {
    const [qrModule, gateModule, scanModule] = await Promise.all([
      import('./qr.js'),
      import('./gate.js'),
      import('./scan.js'),
    ]);
    ({ drawQr } = qrModule);
    ({ Gate, ConfigError, RegistryError, localReject } = gateModule);
    ({ readPayloadFile, CameraScanner } = scanModule);
  } catch (e) {
    fatal(t('venue.fatal.files', { detail: e && e.message ? e.message : e }));
    return;
  }
  try {
    gate = await Gate.open(new URL('config/', document.baseURI), location.origin);
  } catch (e) {
    if (e instanceof RegistryError) registryFatal(e);
    else fatal(e instanceof ConfigError ? e.message : t('venue.fatal.unexpected', { detail: e && e.message ? e.message : e }));
    return;
  }
  const { settings } = gate;
  if (settings.name !== undefined) {
    setText($('venue-name'), undefined);
    $('venue-name').textContent = settings.name;
  }
  showTitle();
  document.body.dataset.mode = settings.mode;
  if (gate.oneScan) {
    // No venue code to show: the visitor's pass is all there is.
    document.querySelector('section.challenge').hidden = true;
    setText($('present-heading'), 'venue.present.oneScan');
    $('onescan-note').hidden = false;
    if (settings.operator !== undefined) $('operator-name').textContent = settings.operator;
    else setText($('operator-name'), 'venue.oneScan.globalScope');
    $('payload-input').dataset.i18nPlaceholder = 'venue.paste.placeholderOneScan';
    $('payload-input').placeholder = t('venue.paste.placeholderOneScan');
  }
  $('ttl').textContent = String(settings.ttlSecs);
  $('max-live').textContent = String(settings.maxLive);
  $('vk-fingerprint').textContent = gate.fingerprint;
  showRoot();
  showRegistry();
  showPolicy();
  // A change of language: the words set here (the rest are marked with their keys).
  onLangChange(() => {
    showTitle();
    showPolicy();
    hideVerdict();
  });

  $('paste-form').addEventListener('submit', onPaste);
  $('payload-file').addEventListener('change', () => { onFile(); });
  $('camera-button').addEventListener('click', () => { onCamera(); });
  $('verdict').addEventListener('click', hideVerdict);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape') hideVerdict(); });
  document.addEventListener('visibilitychange', () => {
    tick();
    if (document.visibilityState === 'visible') refreshRegistry();
  });
  // The bundle is fetched again whenever the page may be online.
  window.addEventListener('online', () => { refreshRegistry(); });
  setInterval(() => { refreshRegistry(); }, REGISTRY_REFRESH_MS);

  tick();
  setInterval(tick, 1000);
  $('loading').hidden = true;
  $('main').hidden = false;
  document.body.dataset.state = 'ready';
  if (gate.oneScan) {
    // Continuous scanning from the start; the button stops and restarts it.
    await onCamera();
  } else {
    $('payload-input').focus();
  }
}

main();
