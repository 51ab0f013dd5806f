// The venue page: shows the current challenge (text and QR), takes a
// visitor's proof (paste, file, camera), and shows ACCEPT or REJECT with the
// reason. In one-scan mode (venue.json "mode": "one-scan") it shows no
// challenge: the camera scans visitors' passes continuously, and a pass
// shown a second time in its window is refused as already used. The gate logic (configuration, challenges, verdicts) is in
// gate.js; reading files and the camera is in scan.js.
//
// Nothing about the visitor is shown, kept or logged: the input field is
// cleared on submit, and a verdict carries only ok/kind/code/reason.

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
  $('registry-epoch').textContent = root ? root.epoch : 'none active yet';
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

// The notice line of offline.js (same words as its service-worker news).
function notice(text) {
  if (typeof globalThis.zkstatusNotice === 'function') globalThis.zkstatusNotice('data-registry', text);
}

let refreshing = false;
async function refreshRegistry() {
  if (refreshing || navigator.onLine === false) return;
  refreshing = true;
  try {
    const r = await gate.refreshRegistry();
    if (r.error !== undefined) {
      $('registry-refresh').textContent = `(the latest refresh failed: ${r.error})`;
    } else {
      $('registry-refresh').textContent = '';
      if (r.updated) {
        notice(r.newRoot
          ? 'New issuer registry data arrived, with a new registry root. This page uses it now.'
          : 'New issuer registry data arrived. This page uses it now.');
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
    fatal(`the challenge could not be renewed: ${e.message}`);
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
  panel.querySelector('.verdict-word').textContent = v.ok ? 'ACCEPT' : 'REJECT';
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
    verdict = localReject('error', `The verifier could not check this input: ${e.message}`);
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
    button.textContent = 'Scan with camera';
    status.textContent = '';
    return;
  }
  // One-scan: a pass that left the view for 1.5 s and comes back is shown
  // again (a screenshot passed back, a second phone): checked again, so
  // refused as already used.
  camera ??= new CameraScanner(video, (text) => present(text), gate.oneScan ? { repeatMs: 1500, otherwise: 'paste the pass\'s text' } : {});
  button.disabled = true;
  status.textContent = 'Starting the camera…';
  const error = await camera.start();
  button.disabled = false;
  if (error) {
    status.textContent = error;
    return;
  }
  video.hidden = false;
  button.textContent = 'Stop camera';
  status.textContent = gate.oneScan
    ? 'Camera on: visitors hold their pass up to it, one at a time.'
    : 'Camera on: hold the proof\'s QR code in view.';
}

// The bundle failed or aged out before the page could start: it refuses
// everything and tries again whenever it may be online.
function registryFatal(e) {
  $('main').hidden = true;
  $('loading').hidden = true;
  if (!e.stale) $('registry-problem-heading').textContent = 'The registry data is refused';
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

function fatal(message) {
  $('main').hidden = true;
  $('loading').hidden = true;
  $('config-error-message').textContent = message;
  $('config-error').hidden = false;
  document.body.dataset.state = 'config-error';
  if (camera) camera.stop();
}

async function main() {
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
    fatal(`the page's files did not load (${e && e.message ? e.message : e}): deploy the whole folder built by scripts/build-web.sh`);
    return;
  }
  try {
    gate = await Gate.open(new URL('config/', document.baseURI), location.origin);
  } catch (e) {
    if (e instanceof RegistryError) registryFatal(e);
    else fatal(e instanceof ConfigError ? e.message : `unexpected error: ${e && e.message ? e.message : e}`);
    return;
  }
  const { settings } = gate;
  if (settings.name !== undefined) {
    $('venue-name').textContent = settings.name;
    document.title = `${settings.name} · zkstatus venue check`;
  }
  document.body.dataset.mode = settings.mode;
  if (gate.oneScan) {
    // No venue code to show: the visitor's pass is all there is.
    document.querySelector('section.challenge').hidden = true;
    $('present-heading').textContent = 'Scan the visitor\'s pass';
    $('onescan-note').hidden = false;
    $('operator-name').textContent = settings.operator ?? 'the global scope (no operator set)';
    $('payload-input').placeholder = 'ZKS2:… (a pass)';
  }
  $('ttl').textContent = String(settings.ttlSecs);
  $('max-live').textContent = String(settings.maxLive);
  $('vk-fingerprint').textContent = gate.fingerprint;
  showRoot();
  showRegistry();
  const rules = $('policy-rules');
  rules.replaceChildren(...gate.policyWords.map((line) => {
    const li = document.createElement('li');
    li.textContent = line;
    return li;
  }));

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
