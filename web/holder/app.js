// The holder's page: load the credential (file, or its QR code from a photo
// or the camera) and the holder secret (imported, or made here), show GREEN /
// NOT GREEN under the policy with the reasons and until when, download the
// issuer registry (its roots only from the registry bundle, registry.bundle
// checked against trust.json by the holder package; each epoch's whole
// registry file, never one issuer's entry) and show its active epoch and
// end date, and say when the data has aged out, the registry ends soon, or
// the credential's lab has been retired; take the
// venue's code (`ZKC2:…`, typed, pasted, scanned), prove in a worker for the
// time the venue fixed, and show the proof as a large QR code, as text to
// copy, and as payload.bin to save. "Show my pass": a one-scan pass (no venue
// code) for the operator in holder.json, full screen, renewed every window,
// the next window's made before the window turns.
//
// Modules: config.js (configuration and file checks), store.js (this
// browser's storage), prover.js (the prover interface and its worker),
// scan.js (files, images, camera), qr.js (drawing QR codes) and
// policy-words.js (the policy in words). Words: i18n.js (web/common/), in
// Chinese or English (strings-zh.js, strings-en.js, keys `holder.*`), with the
// switch in the header; a change of language redraws what this file wrote
// (redraw()).
//
// Nothing about the holder is logged or sent: the only requests are the
// page's own files, the registry bundle and registry files (the same for every
// holder) and the proving key (then the Cache API). The holder
// secret is never shown; the page shows its public commitment only.

// Imported dynamically, so that a missing file is reported on the page
// instead of leaving it at "Loading".
let drawQr;
let CameraScanner;
let readTextOrQrFile;
let readQrImageFile;
let policyInWords;
let roughDuration;
let config;
let HolderStore;
let STORAGE_KEYS;
let startProver;
let localStatus;
let generateHolderSecret;
let registriesSummary;
let rootsFromBundle;
let issuerWindowOf;
let t;
let plural;
let setText;
let lang;
let has;
let onLangChange;
let initLang;

const $ = (id) => document.getElementById(id);

const state = {
  settings: undefined, // { name, pin, keyUrl }
  configBase: undefined, // URL of config/
  registryBundle: undefined, // { bundle, trust }: config/registry.bundle and trust.json, as last fetched
  rootsJson: undefined, // the roots of that bundle, once it verified (undefined: none usable)
  bundle: undefined, // { cosignedAt, validUntil, … } of the bundle that verified
  issuerWindow: undefined, // the credential's issuer's window in the registry in force, or null
  registries: new Map(), // epoch (decimal string) → the whole registry file
  registry: undefined, // Registries.summary at the last refresh
  registryError: undefined, // { code, message }
  registryTimer: undefined,
  rootsFetchedAt: 0, // ms
  pagePolicy: undefined, // { json, words }
  policy: undefined, // { json, words, source }
  store: undefined,
  credentialJson: undefined,
  credential: undefined, // the summary from config.checkCredential
  secretJson: undefined,
  holder: undefined, // the secret's public commitment
  prover: undefined,
  keyState: 'loading', // 'loading' | 'ready' | 'error'
  status: undefined, // { green, reasons, now, greenUntil } or { error }
  statusSeq: 0,
  statusTimer: undefined,
  proving: false,
  payload: undefined, // { text, madeAt, url }
  canGenerate: false,
  camera: undefined,
  scanPurpose: undefined,
  setupShown: undefined, // true: the setup steps come first (renderSetup)
  progressStage: -1, // the furthest stage of the progress shown (showProgress)
};

// The "Show my pass" screen.
const pass = {
  open: false,
  ready: new Map(), // window start (decimal string) → the prover's result for it
  shown: undefined, // the window start (string) of the pass on screen
  proving: false,
  retryAt: 0, // ms: after a failed proof, when to try again
  timer: undefined,
  wakeLock: undefined,
};

// ---------------------------------------------------------------- helpers

function formatTime(secs) {
  // English: the browser's own format (as before); Chinese: zh-CN's.
  const locale = lang?.() === 'zh' ? 'zh-CN' : undefined;
  return new Date(Number(secs) * 1000).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

function nowSecs() {
  return BigInt(Math.floor(Date.now() / 1000));
}

// The reasons a credential is not green, each with words (holder.reason.<code>;
// holder-wasm's Reason codes).
export const REASON_CODES = ['signature-invalid', 'holder-mismatch', 'test-positive', 'test-type-not-accepted', 'test-in-future',
  'test-too-old', 'exposure-in-future', 'exposure-too-recent', 'not-yet-valid', 'expired', 'not-green'];

/**
 * A reason from the prover in words: "1018135 s" becomes "11 days 18 hours".
 * In Chinese, the reason's code in words (the prover's message is English).
 */
function reasonInWords({ code, message }) {
  if (lang() !== 'en') return t(`holder.reason.${REASON_CODES.includes(code) ? code : 'not-green'}`);
  const text = String(message).replace(/\b(\d+) s\b/g, (_, n) => roughDuration(n));
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

function shortHex(hex) {
  return `${hex.slice(0, 8)}…${hex.slice(-8)}`;
}

// An error: `{ code, key, vars }` (its words from the table, redrawn when the
// language changes) or `{ code, message }` (words made elsewhere).
function showError(id, error) {
  const el = $(id);
  if (!error) {
    el.hidden = true;
    setText(el, undefined);
    el.dataset.code = '';
    return;
  }
  if (error.key !== undefined) setText(el, error.key, error.vars);
  else {
    setText(el, undefined);
    el.textContent = error.message;
  }
  el.dataset.code = error.code ?? 'error';
  el.hidden = false;
}

/** A message from an exception, for a `{detail}`. */
const detailOf = (e) => (e && e.message ? e.message : String(e));

// Lines: strings, or [key, vars] (redrawn when the language changes).
function setList(ul, lines) {
  ul.replaceChildren(...lines.map((line) => {
    const li = document.createElement('li');
    if (Array.isArray(line)) setText(li, line[0], line[1]);
    else li.textContent = line;
    return li;
  }));
}

/**
 * Give `el` the words of `key` with `vars`, its `{name}`s of `codes` (name →
 * text) filled by `<code translate="no">` elements: codes, file names and
 * storage names stay as they are in either language.
 */
function setTextWithCodes(el, key, vars, codes = {}) {
  el.replaceChildren(...Object.entries(codes).map(([name, text]) => {
    const code = document.createElement('code');
    code.dataset.slot = name;
    code.translate = false;
    code.textContent = text;
    return code;
  }));
  setText(el, key, vars);
}

/** A paragraph with the words of `key`, its `{name}`s of `codes` filled by `<code>` elements. */
function para(key, codes = {}, className = '') {
  const p = document.createElement('p');
  if (className) p.className = className;
  setTextWithCodes(p, key, undefined, codes);
  return p;
}

function dl(rows) {
  const list = document.createElement('dl');
  for (const [term, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  return list;
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
  state.camera?.stop();
}

// ------------------------------------------------------------- the files

function renderCredential() {
  const box = $('credential-summary');
  const c = state.credential;
  $('credential-issuer').textContent = c ? shortHex(c.issuer) : '–';
  if (!c) {
    box.dataset.loaded = 'false';
    box.replaceChildren(para('holder.credential.none', { file: 'credential.json' }, 'muted'));
    return;
  }
  box.dataset.loaded = 'true';
  const type = has(`holder.credential.type.${c.testType}`) ? t(`holder.credential.type.${c.testType}`) : c.testType;
  const result = has(`holder.credential.result.${c.testResult}`) ? t(`holder.credential.result.${c.testResult}`) : c.testResult;
  const rows = [
    [t('holder.credential.test'), t('holder.credential.testValue', { type, result })],
    [t('holder.credential.taken'), formatTime(c.testTime)],
    [t('holder.credential.validUntil'), formatTime(c.expiresAt)],
    [t('holder.credential.exposure'), c.exposureTime === null ? t('holder.credential.noExposure') : formatTime(c.exposureTime)],
  ];
  const list = dl(rows);
  if (state.holder !== undefined && state.holder !== c.holder) {
    box.replaceChildren(list, para('holder.credential.otherHolder', {}, 'field-error'));
  } else {
    box.replaceChildren(list);
  }
}

function renderSecret() {
  const box = $('secret-summary');
  const commitment = $('commitment');
  if (state.holder === undefined) {
    box.dataset.loaded = 'false';
    box.replaceChildren(para('holder.secret.none', {}, 'muted'));
    commitment.hidden = true;
    $('commitment-text').textContent = '';
    $('commitment-text').dataset.holder = '';
    return;
  }
  box.dataset.loaded = 'true';
  box.replaceChildren(para(state.store.persistent ? 'holder.secret.kept' : 'holder.secret.loaded'));
  const qr = drawQr($('commitment-qr'), state.holder, { ecc: 'M', minPixels: 240 });
  $('commitment-qr').dataset.version = String(qr.version);
  $('commitment-text').textContent = state.holder;
  $('commitment-text').dataset.holder = state.holder;
  commitment.hidden = false;
}

function renderStorageNote() {
  const has = state.credentialJson !== undefined || state.secretJson !== undefined;
  setText($('storage-note'), state.store.persistent ? 'holder.storage.kept' : 'holder.storage.visit');
  setTextWithCodes($('storage-names'), state.store.persistent ? 'holder.storage.names' : 'holder.storage.namesNotKept', undefined,
    { credential: STORAGE_KEYS.credential, secret: STORAGE_KEYS.holderSecret });
  $('forget').disabled = !has;
}

function clearPayload() {
  if (state.payload?.url) URL.revokeObjectURL(state.payload.url);
  state.payload = undefined;
  $('payload').hidden = true;
  $('payload-text').textContent = '';
  $('payload-text').dataset.payload = '';
  $('download-payload').href = '#';
  setText($('copy-status'), undefined);
}

/** Set up: a credential, and the holder secret it was issued for. */
function isSetUp() {
  return state.credential !== undefined && state.holder !== undefined && state.credential.holder === state.holder;
}

// The setup steps (1 and 2) come first until the holder is set up; then they
// fold away below the pass and the proof, where they can be opened again.
function renderSetup() {
  const first = !isSetUp();
  setText($('setup-title'), first ? 'holder.setup.first' : 'holder.setup.done');
  if (state.setupShown === first) return;
  const initial = state.setupShown === undefined;
  state.setupShown = first;
  const box = $('setup');
  const hadFocus = box.contains(document.activeElement);
  box.dataset.setup = first ? 'false' : 'true';
  if (first) {
    $('main').prepend(box);
    box.open = true;
  } else {
    box.open = false;
    $('about').before(box);
    // Just set up: the status, the pass and the proof are what comes next.
    if (!initial) {
      $('status').scrollIntoView({ block: 'start', behavior: 'instant' });
      if (hadFocus) $('status').focus({ preventScroll: true });
    }
  }
}

function credentialChanged() {
  clearPayload();
  renderCredential();
  renderSetup();
  renderStorageNote();
  refreshStatus();
  // Its issuer's window in the registry (retired?), once the registry is loaded.
  if (state.configBase !== undefined && state.registryBundle !== undefined) refreshRegistries();
}

function acceptCredential(text, how) {
  let summary;
  try {
    summary = config.checkCredential(text);
  } catch (e) {
    showError('credential-error', { code: e.code ?? 'credential-format', key: e.key, vars: e.vars, message: e.message });
    return false;
  }
  showError('credential-error', undefined);
  state.credentialJson = text;
  state.credential = summary;
  state.store.setCredential(text);
  credentialChanged();
  $('credential-summary').dataset.source = how;
  return true;
}

function acceptSecret(text) {
  let checked;
  try {
    checked = config.checkHolderSecret(text);
  } catch (e) {
    showError('secret-error', { code: e.code ?? 'secret-format', key: e.key, vars: e.vars, message: e.message });
    return false;
  }
  showError('secret-error', undefined);
  state.secretJson = text;
  state.holder = checked.holder;
  state.store.setHolderSecret(text);
  renderSecret();
  credentialChanged();
  return true;
}

async function onCredentialFile() {
  const input = $('credential-file');
  const file = input.files && input.files[0];
  input.value = '';
  if (!file) return;
  const read = await readTextOrQrFile(file, { maxBytes: config.MAX_JSON_BYTES });
  if (read.error) {
    showError('credential-error', { code: read.error.code, message: read.error.reason });
    return;
  }
  acceptCredential(read.text, read.fromQr ? 'qr-image' : 'file');
}

async function onSecretFile() {
  const input = $('secret-file');
  const file = input.files && input.files[0];
  input.value = '';
  if (!file) return;
  const read = await readTextOrQrFile(file, { maxBytes: config.MAX_JSON_BYTES });
  if (read.error) {
    showError('secret-error', { code: read.error.code, message: read.error.reason });
    return;
  }
  acceptSecret(read.text);
}

async function onGenerate() {
  const button = $('generate-secret');
  const label = 'holder.secret.generate';
  clearTimeout(onGenerate.timer);
  if (state.secretJson !== undefined && button.dataset.confirm !== 'yes') {
    button.dataset.confirm = 'yes';
    setText(button, 'holder.secret.replaceConfirm');
    onGenerate.timer = setTimeout(() => { delete button.dataset.confirm; setText(button, label); }, 8000);
    return;
  }
  delete button.dataset.confirm;
  setText(button, label);
  button.disabled = true;
  try {
    acceptSecret(await generateHolderSecret());
  } catch (e) {
    if (e.code === 'unsupported') {
      state.canGenerate = false;
      $('generate').hidden = true;
    }
    showError('secret-error', { code: e.code ?? 'generate-failed', message: e.message });
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- policy

function renderPolicy() {
  const p = state.policy;
  if (p.source === 'page') setText($('policy-source'), 'holder.policy.pageSource');
  else setText($('policy-source'), 'holder.policy.fileSource', { name: p.source });
  $('policy-details').dataset.source = p.source === 'page' ? 'page' : 'file';
  setList($('policy-rules'), p.words);
  $('policy-reset').hidden = p.source === 'page';
  // Another policy than the page's is in force: keep it in view.
  if (p.source !== 'page') $('policy-details').open = true;
}

async function onPolicyFile() {
  const input = $('policy-file');
  const file = input.files && input.files[0];
  input.value = '';
  if (!file) return;
  const read = await readTextOrQrFile(file, { maxBytes: config.MAX_JSON_BYTES });
  if (read.error) {
    showError('policy-error', { code: read.error.code, message: read.error.reason });
    return;
  }
  let policy;
  try {
    policy = config.checkPolicy(read.text);
  } catch (e) {
    showError('policy-error', { code: e.code, key: e.key, vars: e.vars, message: e.message });
    return;
  }
  showError('policy-error', undefined);
  state.policy = { json: read.text, policy, words: policyInWords(policy), source: file.name.slice(0, 80) || t('holder.policy.aFile') };
  renderPolicy();
  clearPayload();
  refreshStatus();
}

function onPolicyReset() {
  state.policy = { ...state.pagePolicy, source: 'page' };
  showError('policy-error', undefined);
  renderPolicy();
  clearPayload();
  refreshStatus();
}

// ---------------------------------------------------------------- status

function setStatus({ green, word, until = '', reasons = [], note = '', codes = '', greenUntil = '' }) {
  const panel = $('status');
  panel.dataset.green = green;
  panel.dataset.reasons = codes;
  panel.dataset.greenUntil = greenUntil;
  $('status-word').textContent = word;
  $('status-until').textContent = until;
  setList($('status-reasons'), reasons);
  $('status-note').textContent = note;
}

function greenUntilWords() {
  const s = state.status;
  if (!s || !s.green || s.greenUntil === null || s.greenUntil === undefined) return '';
  const left = Number(s.greenUntil) - Math.floor(Date.now() / 1000);
  return left > 0
    ? t('holder.status.until', { time: formatTime(s.greenUntil), left: roughDuration(left) })
    : t('holder.status.untilNow');
}

/** A status that failed only because the credential is another holder secret's. */
function belongsToAnother(s) {
  return Boolean(s && !s.green && s.reasons?.some((r) => r.code === 'holder-mismatch'));
}

function renderStatus() {
  const s = state.status;
  if (state.credentialJson === undefined || state.secretJson === undefined) {
    setStatus({ green: '', word: t('holder.status.none'), note: t('holder.status.noneNote') });
  } else if (!s) {
    setStatus({ green: '', word: t('holder.status.checking') });
  } else if (s.error) {
    setStatus({ green: '', word: t('holder.status.cannotCheck'), reasons: [lang() === 'en' ? s.error.message : t('holder.status.cannotCheckReason')], codes: s.error.code, note: t('holder.status.cannotCheckNote') });
  } else if (belongsToAnother(s)) {
    // Not a health result: the files do not belong together. Never shown
    // as NOT GREEN, which reads like one.
    setStatus({
      green: '',
      word: t('holder.status.otherHolder'),
      reasons: [t('holder.status.otherHolderReason')],
      codes: 'holder-mismatch',
      note: t('holder.status.otherHolderNote'),
    });
  } else if (s.green) {
    setStatus({
      green: 'true',
      word: t('holder.status.green'),
      until: greenUntilWords(),
      greenUntil: s.greenUntil ?? '',
      note: state.keyState === 'error'
        ? t('holder.status.greenNoKey')
        : state.registryError && !state.registry?.ready
          ? t('holder.status.greenNoRegistry')
          : t('holder.status.greenNote'),
    });
  } else {
    setStatus({
      green: 'false',
      word: t('holder.status.notGreen'),
      reasons: s.reasons.map(reasonInWords),
      codes: s.reasons.map((r) => r.code).join(','),
      note: t('holder.status.notGreenNote'),
    });
  }
  updateProveButton();
}

function scheduleStatus() {
  clearTimeout(state.statusTimer);
  const s = state.status;
  // Check again when it stops being green (greenUntil is the first second
  // that is not), and at least every minute (a test dated in the future
  // becomes valid, a venue's clock moves on).
  let delay = 60_000;
  if (s && s.green && s.greenUntil !== null && s.greenUntil !== undefined) {
    const until = Number(s.greenUntil) * 1000 + 250 - Date.now();
    delay = Math.min(delay, Math.max(250, until));
  }
  state.statusTimer = setTimeout(refreshStatus, delay);
}

async function refreshStatus() {
  const seq = ++state.statusSeq;
  clearTimeout(state.statusTimer);
  if (state.credentialJson === undefined || state.secretJson === undefined) {
    state.status = undefined;
    renderStatus();
    return;
  }
  let status;
  try {
    status = await localStatus({
      credentialJson: state.credentialJson,
      holderSecretJson: state.secretJson,
      policyJson: state.policy.json,
      now: nowSecs(),
    });
  } catch (e) {
    status = { error: { code: e.code ?? 'error', message: e.message } };
  }
  if (seq !== state.statusSeq) return; // a newer check is under way
  state.status = status;
  renderStatus();
  scheduleStatus();
}

// ----------------------------------------------------------------- prove

/** Why no proof can be made now ('' if one can), in words. */
function proveBlocker() {
  let hint = '';
  if (state.keyState === 'loading') hint = 'holder.hint.keyLoading';
  else if (state.keyState === 'error') hint = 'holder.hint.keyError';
  else if (state.credentialJson === undefined || state.secretJson === undefined) hint = 'holder.hint.noFiles';
  else if (!state.registry && !state.registryError) hint = 'holder.hint.registryLoading';
  else if (!state.registry?.ready) hint = 'holder.hint.registryMissing';
  else if (!state.status) hint = 'holder.hint.checking';
  else if (state.status.error) hint = 'holder.hint.cannotCheck';
  else if (belongsToAnother(state.status)) hint = 'holder.hint.otherHolder';
  else if (!state.status.green) hint = 'holder.hint.notGreen';
  else if (state.proving) hint = 'holder.hint.proving';
  return hint;
}

function updateProveButton() {
  const hint = proveBlocker();
  $('prove-button').disabled = hint !== '';
  setText($('prove-hint'), hint || undefined);
  // The pass is made by the same prover, under the same conditions.
  $('pass-button').disabled = hint !== '';
  setText($('pass-button-hint'), hint || undefined);
}

// The prover's steps (holder-wasm/npm/worker.js: "module ready", "key
// fetched …", "key decoded …", "statement checked …", "main MSMs done", …;
// with two workers prefixed "main: " or "helper: ") in plain words, stage by
// stage, in the order they happen. The text never goes back to an earlier
// stage (the second worker repeats the first one's key steps).
const KEY_STAGES = [
  'holder.stage.key.start',
  'holder.stage.key.fetch',
  'holder.stage.key.check',
];
const PROVE_STAGES = [
  'holder.stage.prove.check',
  'holder.stage.prove.prove',
  'holder.stage.prove.finish',
  'holder.stage.prove.done',
];

function stageOf(phase, step) {
  const s = String(step).replace(/^(main|helper): /, '');
  if (phase === 'key') {
    if (s === 'module ready') return 1;
    if (/^key (fetched|read from the cache|decoded)/.test(s)) return 2;
    return 0;
  }
  if (s === 'proof finished and self-checked') return 3;
  if (s === 'main MSMs done' || s.startsWith('helper part')) return 2;
  if (s.startsWith('statement checked') || s.startsWith('helper')) return 1;
  return 0;
}

function showProgress({ phase, step, done, total }) {
  const el = $('progress');
  const pct = total > 0 ? Math.max(0, Math.min(100, Math.round((100 * done) / total))) : 0;
  // A new phase (or a new proof) starts from its first stage.
  if (el.hidden || el.dataset.phase !== phase || step === 'start') state.progressStage = -1;
  state.progressStage = Math.max(state.progressStage, stageOf(phase, step));
  el.hidden = false;
  el.dataset.phase = phase;
  el.dataset.stage = String(state.progressStage);
  el.setAttribute('aria-valuenow', String(pct));
  el.dataset.i18nAriaLabel = phase === 'key' ? 'holder.progress.key' : 'holder.progress.prove';
  el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  $('progress-fill').style.width = `${pct}%`;
  const stages = phase === 'key' ? KEY_STAGES : PROVE_STAGES;
  setText($('progress-text'), stages[state.progressStage]);
}

function hideProgress() {
  const el = $('progress');
  el.hidden = true;
  el.dataset.phase = '';
  el.dataset.stage = '';
  el.setAttribute('aria-valuenow', '0');
  state.progressStage = -1;
}

/** The proof's age and venue code (the code's end as it is, in a `<code>`). */
function drawPayloadMeta() {
  const el = $('payload-meta');
  if (!state.payload) return;
  const age = Math.floor((Date.now() - state.payload.madeAt) / 1000);
  if (age >= 120) {
    setText(el, 'holder.payload.tooOld');
    return;
  }
  setTextWithCodes(el, age < 5 ? 'holder.payload.madeJustNow' : 'holder.payload.made', {
    ago: roughDuration(age), secs: (state.payload.ms / 1000).toFixed(1),
  }, { code: `…${state.payload.offer.slice(-8)}` });
}

function showPayload(result, offer) {
  clearPayload();
  const bytes = result.payloadBytes instanceof Uint8Array ? result.payloadBytes : new Uint8Array(result.payloadBytes);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  state.payload = { text: result.payloadText, madeAt: Date.now(), ms: result.ms, offer, epoch: result.epoch, url };
  const canvas = $('payload-qr');
  // 259 alphanumeric characters: version 9 at ecc M (53 modules), 4 modules
  // of quiet zone, 10 pixels a module: easy to scan from a phone's screen.
  const qr = drawQr(canvas, result.payloadText, { ecc: 'M', border: 4, minPixels: 600, minScale: 6 });
  Object.assign(canvas.dataset, {
    version: String(qr.version), modules: String(qr.modules), scale: String(qr.scale), ecc: qr.ecc, border: String(qr.border),
  });
  drawPayloadMeta();
  $('payload-meta').dataset.ms = String(Math.round(result.ms));
  $('payload-meta').dataset.epoch = result.epoch;
  $('download-payload').href = url;
  const text = $('payload-text');
  text.textContent = result.payloadText;
  $('payload').hidden = false;
  text.dataset.payload = result.payloadText; // last: a reader finds the QR drawn
}

// Bring the proof into view: called once the progress block is removed, so
// that nothing above the proof changes height after the scroll (it did: the
// QR code's top ended 39 px above a phone's screen). The whole section when
// it fits, else its QR code, which always fits (its width is the screen's).
function revealPayload() {
  const section = $('payload');
  const fits = section.getBoundingClientRect().height <= window.innerHeight;
  (fits ? section : $('payload-qr')).scrollIntoView({ block: fits ? 'start' : 'center', behavior: 'instant' });
}

async function onProve(event) {
  event.preventDefault();
  const input = $('challenge-input');
  const norm = config.normaliseOffer(input.value);
  if (norm.error) {
    showError('challenge-error', norm.error);
    input.focus();
    return;
  }
  showError('challenge-error', undefined);
  input.value = norm.offer;
  // The venue's time is past the next root's activation: the new roots and
  // registry are needed first.
  const next = state.registry?.nextActivation;
  if (next !== null && next !== undefined && norm.issuedAt >= BigInt(next)) await refreshRegistries({ roots: true });
  updateProveButton();
  if ($('prove-button').disabled) return;
  showError('prove-error', undefined);
  clearPayload();
  state.proving = true;
  document.body.dataset.proving = 'true';
  updateProveButton();
  showProgress({ phase: 'prove', step: 'start', done: 0, total: 100 });
  $('progress').scrollIntoView({ block: 'nearest' });
  let shown = false;
  try {
    const result = await state.prover.prove({
      credentialJson: state.credentialJson,
      holderSecretJson: state.secretJson,
      policyJson: state.policy.json,
      rootsJson: state.rootsJson,
      registries: [...state.registries.values()],
      presentation: { challenge: norm.offer },
    }, { onProgress: showProgress });
    showPayload(result, norm.offer);
    shown = true;
  } catch (e) {
    if (e.name === 'NotGreenError') {
      state.status = e.status ?? { green: false, reasons: e.reasons ?? [], greenUntil: null };
      renderStatus();
      showError('prove-error', belongsToAnother(state.status)
        ? { code: 'holder-mismatch', key: 'holder.prove.otherHolder' }
        : { code: 'not-green', key: 'holder.prove.notGreen' });
    } else if (REGISTRY_PROBLEMS.includes(e.code)) {
      showError('prove-error', { code: e.code, key: `holder.prove.registry.${e.code}` });
      refreshRegistries({ roots: true });
    } else {
      showError('prove-error', { code: e.code ?? 'error', key: 'holder.prove.failed', vars: { detail: detailOf(e) } });
    }
  } finally {
    state.proving = false;
    document.body.dataset.proving = 'false';
    hideProgress();
    updateProveButton();
  }
  if (shown) revealPayload();
}

function onChallengeInput() {
  // Clear a shown error as soon as the input is a valid code; report a bad
  // one when the field is left (or on Prove).
  const norm = config.normaliseOffer($('challenge-input').value);
  if (!norm.error) {
    showError('challenge-error', undefined);
    setText($('challenge-note'), undefined);
  }
}

function onChallengeChange() {
  const input = $('challenge-input');
  if (input.value.trim() === '') {
    showError('challenge-error', undefined);
    return;
  }
  const norm = config.normaliseOffer(input.value);
  showError('challenge-error', norm.error);
  if (!norm.error) input.value = norm.offer;
}

function useChallenge(text, how) {
  const norm = config.normaliseOffer(text);
  if (norm.error) return norm.error;
  $('challenge-input').value = norm.offer;
  showError('challenge-error', undefined);
  setTextWithCodes($('challenge-note'), how === 'photo' ? 'holder.challenge.notePhoto' : 'holder.challenge.noteScanned', {
    time: formatTime(norm.issuedAt),
  }, { code: `ZKC2:…${norm.offer.slice(-8)}` });
  if (!$('prove-button').disabled) $('prove-button').focus();
  return undefined;
}

async function onChallengeFile() {
  const input = $('challenge-file');
  const file = input.files && input.files[0];
  input.value = '';
  if (!file) return;
  const read = await readQrImageFile(file);
  if (read.error) {
    showError('challenge-error', { code: read.error.code, message: read.error.reason });
    return;
  }
  const error = useChallenge(read.text, 'photo');
  if (error) showError('challenge-error', { code: 'challenge-not-venue-code', key: 'holder.challenge.photoNotVenue' });
}

async function onCopy() {
  if (!state.payload) return;
  const text = state.payload.text;
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    // No clipboard permission: select the text for the person to copy.
    const details = $('payload-text').closest('details');
    if (details) details.open = true;
    const range = document.createRange();
    range.selectNodeContents($('payload-text'));
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
  }
  setText($('copy-status'), ok ? 'holder.payload.copied' : 'holder.payload.selected');
}

// ------------------------------------------------------- "Show my pass"
//
// A one-scan pass is a proof for one window of WINDOW_SECS (its public time
// is the window's start) in the scope of the operator named in holder.json
// (or the global scope): docs/formats.md, "One-scan windows and scopes".
// A door accepts the current window's pass, the previous one for 15 s after
// the window turns, and the next one 5 s before. The screen shows the
// current window's pass and makes the next one as soon as the current one is
// shown, so that at the turn the new code replaces the old with no gap; if
// the next one is late (a slow device), the old one stays up: it is still
// accepted for 15 s.

/** zkstatus_verifier::onescan::WINDOW_SECS. */
const WINDOW_SECS = 60n;
/** zkstatus_verifier::onescan::GRACE_SECS. */
const GRACE_SECS = 15n;

const windowStartOf = (secs) => secs - (secs % WINDOW_SECS);

function passPresentation(windowStart) {
  const p = { windowStart: String(windowStart) };
  if (state.settings.operator !== undefined) p.operator = state.settings.operator;
  return p;
}

function showPassError(error) {
  showError('pass-error', error);
}

function drawPass(windowStart) {
  const result = pass.ready.get(windowStart);
  const canvas = $('pass-qr');
  // 272 alphanumeric characters: version 10 at ecc M (57 modules).
  const qr = drawQr(canvas, result.payloadText, { ecc: 'M', border: 4, minPixels: 600, minScale: 6 });
  canvas.dataset.version = String(qr.version);
  canvas.hidden = false;
  $('pass-preparing').hidden = true;
  pass.shown = windowStart;
  const el = $('pass');
  el.dataset.windowStart = windowStart;
  el.dataset.payload = result.payloadText; // last: a reader finds the QR drawn
}

function passMeta() {
  if (pass.shown === undefined) return '';
  const end = Number(pass.shown) + Number(WINDOW_SECS);
  const left = end - Math.floor(Date.now() / 1000);
  return left > 0 ? t('holder.pass.meta', { left }) : t('holder.pass.metaSoon');
}

async function preparePass(windowStart) {
  pass.proving = true;
  state.proving = true;
  updateProveButton();
  try {
    const result = await state.prover.prove({
      credentialJson: state.credentialJson,
      holderSecretJson: state.secretJson,
      policyJson: state.policy.json,
      rootsJson: state.rootsJson,
      registries: [...state.registries.values()],
      presentation: passPresentation(windowStart),
    });
    if (pass.open) pass.ready.set(String(windowStart), result);
    showPassError(undefined);
  } catch (e) {
    pass.retryAt = Date.now() + 10_000;
    if (e.name === 'NotGreenError') {
      showPassError(belongsToAnother(e.status)
        ? { code: 'holder-mismatch', key: 'holder.pass.otherHolder' }
        : { code: 'not-green', key: 'holder.pass.notGreen' });
    } else if (REGISTRY_PROBLEMS.includes(e.code)) {
      showPassError({ code: e.code, key: `holder.pass.registry.${e.code}` });
      refreshRegistries({ roots: true });
    } else {
      showPassError({ code: e.code ?? 'error', key: 'holder.pass.failed', vars: { detail: detailOf(e) } });
    }
  } finally {
    pass.proving = false;
    state.proving = false;
    updateProveButton();
  }
  passTick();
}

function passTick() {
  clearTimeout(pass.timer);
  if (!pass.open) return;
  const now = nowSecs();
  const current = windowStartOf(now);
  const key = String(current);
  // The previous window's pass is still accepted for GRACE_SECS after the
  // turn (a pass that was being made as the window turned).
  const previous = String(current - WINDOW_SECS);
  const inGrace = now - current <= GRACE_SECS;
  if (pass.ready.has(key)) {
    if (pass.shown !== key) drawPass(key);
  } else if (pass.shown === undefined && inGrace && pass.ready.has(previous)) {
    drawPass(previous);
  } else if (pass.shown === undefined || BigInt(pass.shown) + WINDOW_SECS + GRACE_SECS < now) {
    // Nothing a door accepts any more (the first opening, or a device that slept).
    $('pass-qr').hidden = true;
    $('pass-preparing').hidden = false;
    pass.shown = undefined;
    $('pass').dataset.windowStart = '';
    $('pass').dataset.payload = '';
  }
  for (const k of [...pass.ready.keys()]) if (BigInt(k) < current - WINDOW_SECS || (k === previous && !inGrace)) pass.ready.delete(k);
  const next = String(current + WINDOW_SECS);
  $('pass').dataset.nextReady = String(pass.ready.has(next));
  if (!pass.proving && Date.now() >= pass.retryAt) {
    const want = [key, next].find((w) => !pass.ready.has(w));
    if (want !== undefined) preparePass(BigInt(want));
  }
  $('pass-meta').textContent = passMeta();
  // At the turn of the window (and every second for the countdown).
  const toTurn = Number(current + WINDOW_SECS) * 1000 - Date.now();
  pass.timer = setTimeout(passTick, Math.max(20, Math.min(1000, toTurn + 20)));
}

async function keepAwake() {
  const el = $('pass');
  const note = $('pass-awake');
  // The Screen Wake Lock API, where the browser has it.
  if (!('wakeLock' in navigator) || typeof navigator.wakeLock?.request !== 'function') {
    el.dataset.wakeLock = 'unsupported';
    setText(note, 'holder.pass.mayDim');
    return;
  }
  try {
    pass.wakeLock = await navigator.wakeLock.request('screen');
    el.dataset.wakeLock = 'on';
    setText(note, 'holder.pass.awake');
    pass.wakeLock.addEventListener('release', () => {
      pass.wakeLock = undefined;
      if (pass.open) el.dataset.wakeLock = 'released';
    });
  } catch {
    el.dataset.wakeLock = 'refused';
    setText(note, 'holder.pass.mayDim');
  }
}

function openPass() {
  if (proveBlocker() !== '' || pass.open) return;
  pass.open = true;
  pass.retryAt = 0;
  showPassError(undefined);
  const el = $('pass');
  el.hidden = false;
  document.body.dataset.pass = 'open';
  // Full screen where the browser allows it (from this click); the overlay
  // covers the page either way.
  const root = document.documentElement;
  if (typeof root.requestFullscreen === 'function') root.requestFullscreen({ navigationUI: 'hide' }).catch(() => {});
  keepAwake();
  $('pass-close').focus();
  passTick();
}

function closePass() {
  if (!pass.open) return;
  pass.open = false;
  clearTimeout(pass.timer);
  pass.wakeLock?.release().catch(() => {});
  pass.wakeLock = undefined;
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  // A pass is good for its window only; none is kept once the screen closes.
  pass.ready.clear();
  pass.shown = undefined;
  const el = $('pass');
  el.hidden = true;
  Object.assign(el.dataset, { windowStart: '', payload: '', nextReady: 'false', wakeLock: '' });
  $('pass-qr').hidden = true;
  $('pass-preparing').hidden = false;
  document.body.dataset.pass = '';
  $('pass-button').focus();
}

// ---------------------------------------------------------------- camera

async function startScan(purpose) {
  state.scanPurpose = purpose;
  setText($('scanner-title'), purpose === 'challenge' ? 'holder.scanner.titleChallenge' : 'holder.scanner.titleCredential');
  setText($('scanner-status'), 'holder.scanner.starting');
  $('scanner').hidden = false;
  // A new scanner each time: its "otherwise" words in the language of now.
  state.camera?.stop();
  state.camera = new CameraScanner($('scanner-video'), onScanned, { otherwise: t('holder.scanner.otherwise') });
  const error = await state.camera.start();
  if (error) {
    setText($('scanner-status'), undefined);
    $('scanner-status').textContent = error;
    return;
  }
  setText($('scanner-status'), 'holder.scanner.on');
}

function stopScan() {
  state.camera?.stop();
  state.scanPurpose = undefined;
  $('scanner').hidden = true;
}

function onScanned(text) {
  if (state.scanPurpose === 'challenge') {
    if (useChallenge(text, 'scanned') === undefined) {
      stopScan();
      if (!$('prove-button').disabled) $('prove-button').focus();
    } else {
      setText($('scanner-status'), 'holder.scanner.notVenue');
    }
  } else if (state.scanPurpose === 'credential') {
    let ok = false;
    try {
      config.checkCredential(text);
      ok = true;
    } catch {
      setText($('scanner-status'), 'holder.scanner.notCredential');
    }
    if (ok) {
      stopScan();
      acceptCredential(text, 'camera');
    }
  }
}

// ----------------------------------------------------------------- forget

function onForget() {
  $('forget-confirm-box').hidden = false;
  $('forget').hidden = true;
  $('forget-confirm').focus();
}

function onForgetCancel() {
  $('forget-confirm-box').hidden = true;
  $('forget').hidden = false;
}

function onForgetConfirm() {
  state.store.forget();
  state.credentialJson = undefined;
  state.credential = undefined;
  state.secretJson = undefined;
  state.holder = undefined;
  state.status = undefined;
  clearPayload();
  showError('credential-error', undefined);
  showError('secret-error', undefined);
  showError('prove-error', undefined);
  onForgetCancel();
  renderSecret();
  credentialChanged();
  setText($('forget-status'), 'holder.forget.done');
}

// -------------------------------------------------------- issuer registry
//
// The registry says which issuers are accredited; a proof shows that the
// credential's issuer is one of them, without saying which. The page
// downloads config/roots.json (every published root, with its activation
// time and the registry's end date) and, for the active root and every later
// one, the whole registry file config/registry-<epoch>.bin: the same
// download for every holder, so the server learns nothing about the
// holder's issuer. It refreshes before each root's activation (the roots
// file says when), every hour (a newly published root), and when the page
// comes back into view.

// The prover's registry errors with words of their own (holder.prove.registry.<code>, holder.pass.registry.<code>).
export const REGISTRY_PROBLEMS = ['registry-missing', 'no-active-root', 'registry-root-mismatch', 'bad-registry', 'bad-roots'];

// Say so this long before the registry's end date (its sunset).
const ENDING_SOON_SECS = 14 * 24 * 3600;

const REFRESH_MS = 3600_000;
// Download the next root's registry this long before it activates.
const AHEAD_SECS = 900;

function renderRegistry() {
  const box = $('registry');
  const r = state.registry;
  const err = state.registryError;
  box.dataset.ready = r?.ready ? 'true' : 'false';
  box.dataset.activeEpoch = r?.activeEpoch ?? '';
  box.dataset.endDate = r?.endDate ?? '';
  box.dataset.nextActivation = r?.nextActivation ?? '';
  box.dataset.code = err?.code ?? '';
  const lines = [];
  if (!r && !err) lines.push(t('holder.registry.downloading'));
  if (r) {
    if (r.activeEpoch === null) {
      lines.push(r.nextActivation ? t('holder.registry.noneYet', { time: formatTime(r.nextActivation) }) : t('holder.registry.none'));
    } else {
      lines.push(t(r.ready ? 'holder.registry.epoch' : 'holder.registry.epochMissing', { epoch: r.activeEpoch }));
      if (r.endDate !== null) lines.push(t('holder.registry.endDate', { time: formatTime(r.endDate) }));
    }
    if (r.nextActivation !== null) {
      const have = !r.missingEpochs.includes(r.nextEpoch);
      lines.push(t(have ? 'holder.registry.nextHave' : 'holder.registry.nextLater', { epoch: r.nextEpoch, time: formatTime(r.nextActivation) }));
    }
  }
  if (err) {
    const message = err.errors.map((e) => t(e.key, e.vars)).join(' ');
    lines.push(r?.ready ? t('holder.registry.errorButLoaded', { message }) : message);
  }
  // What the holder must know about the registry: aged out, ending soon,
  // its own issuer retired. Each also in data-notices, for tests and styles.
  const notices = [];
  const now = Number(nowSecs());
  if (err?.code === 'registry-too-old') notices.push(['too-old', t('holder.registry.tooOldNotice', { tooOld: t('registry.tooOld') })]);
  if (state.bundle && !err) lines.push(t('holder.registry.checked', { cosigned: formatTime(state.bundle.cosignedAt), until: formatTime(state.bundle.validUntil) }));
  if (r?.endDate !== null && r?.endDate !== undefined) {
    const left = Number(r.endDate) - now;
    if (left <= 0) notices.push(['ended', t('holder.registry.ended', { time: formatTime(r.endDate) })]);
    else if (left <= ENDING_SOON_SECS) notices.push(['ending', t('holder.registry.ending', { time: formatTime(r.endDate), left: roughDuration(left) })]);
  }
  const w = state.issuerWindow;
  const c = state.credential;
  if (w && c) {
    const until = Number(w.notAfter);
    if (until <= now) notices.push(['issuer-retired', t('holder.registry.issuerRetired', { time: formatTime(w.notAfter) })]);
    else if (until < Number(c.expiresAt)) notices.push(['issuer-retiring', t('holder.registry.issuerRetiring', { time: formatTime(w.notAfter) })]);
  } else if (w === null && c && r?.ready) {
    notices.push(['issuer-unknown', t('holder.registry.issuerUnknown')]);
  }
  box.dataset.notices = notices.map(([k]) => k).join(' ');
  setList($('registry-lines'), [...notices.map(([, t]) => t), ...lines]);
}

function scheduleRegistries() {
  clearTimeout(state.registryTimer);
  let delay = REFRESH_MS;
  const next = state.registry?.nextActivation;
  if (next !== null && next !== undefined) {
    const ahead = (Number(next) - AHEAD_SECS) * 1000 - Date.now();
    // Past the "ahead" time: once more at the activation itself.
    const at = ahead > 0 ? ahead : Number(next) * 1000 + 1000 - Date.now();
    if (at > 0) delay = Math.min(delay, at);
  }
  state.registryTimer = setTimeout(() => { refreshRegistries({ roots: true }); }, Math.max(30_000, delay));
}

let registryRefresh;
/** Bring the roots (if `roots` or an hour old) and the registry files up to date. */
function refreshRegistries({ roots = false } = {}) {
  registryRefresh ??= doRefreshRegistries(roots || Date.now() - state.rootsFetchedAt > REFRESH_MS)
    .finally(() => { registryRefresh = undefined; });
  return registryRefresh;
}

async function doRefreshRegistries(refetchRoots) {
  const errors = [];
  try {
    if (refetchRoots) {
      try {
        state.registryBundle = await config.fetchRegistryBundle(state.configBase);
        state.rootsFetchedAt = Date.now();
      } catch (e) {
        errors.push({ code: 'roots-fetch', key: 'holder.registry.fetchFailed', vars: { detail: detailOf(e) } });
      }
    }
    // The bundle is checked at every refresh, at the page's clock: the
    // roots are used only while it verifies (not aged out).
    try {
      const report = await rootsFromBundle({ ...state.registryBundle, now: nowSecs() });
      const epochs = config.checkRoots(report.rootsJson);
      state.rootsJson = report.rootsJson;
      state.bundle = report;
      for (const e of [...state.registries.keys()]) if (!epochs.includes(e)) state.registries.delete(e);
    } catch (e) {
      state.rootsJson = undefined;
      state.bundle = undefined;
      state.registry = undefined;
      state.issuerWindow = undefined;
      const key = e.code === 'registry-too-old' ? 'holder.registry.tooOld' : 'holder.registry.refused';
      errors.push({ code: e.code ?? 'bad-registry-bundle', key, vars: { detail: detailOf(e), tooOld: t('registry.tooOld') } });
      throw Object.assign(new Error(t(key, { detail: detailOf(e), tooOld: t('registry.tooOld') })), { code: e.code ?? 'bad-registry-bundle', reported: true });
    }
    const summary = () => registriesSummary({ rootsJson: state.rootsJson, registries: [...state.registries.values()], now: nowSecs() });
    let r = await summary();
    if (r.missingEpochs.length > 0) {
      for (const epoch of r.missingEpochs) {
        try {
          state.registries.set(epoch, await config.fetchRegistry(state.configBase, epoch));
        } catch (e) {
          errors.push({ code: 'registry-fetch', key: 'holder.registry.downloadFailed', vars: { epoch, detail: detailOf(e) } });
        }
      }
      try {
        r = await summary();
      } catch (e) {
        // A downloaded file that does not match its root: drop what was just added.
        for (const epoch of r.missingEpochs) state.registries.delete(epoch);
        errors.push({ code: e.code ?? 'bad-registry', key: 'holder.registry.fileRefused', vars: { detail: detailOf(e) } });
        r = await summary();
      }
    }
    state.registry = r;
    const registries = [...state.registries.values()];
    state.issuerWindow = state.credential
      ? await issuerWindowOf({ rootsJson: state.rootsJson, registries, issuer: state.credential.issuer, now: nowSecs() }).catch(() => undefined)
      : undefined;
  } catch (e) {
    if (!e.reported) errors.push({ code: e.code ?? 'bad-roots', key: 'holder.registry.unusable', vars: { detail: detailOf(e) } });
  }
  state.registryError = errors.length ? { code: errors[0].code, errors } : undefined;
  renderRegistry();
  renderStatus(); // its note, and the Prove button
  scheduleRegistries();
}

// ------------------------------------------------------------------ prover

// The proving key's problems, each with a title and a message
// (holder.key.<code>.title, holder.key.<code>.message).
export const KEY_PROBLEMS = ['pk-pin-mismatch', 'pk-fetch', 'pk-invalid', 'worker'];

function keyFailed(e) {
  const code = KEY_PROBLEMS.includes(e.code) ? e.code : 'worker';
  state.keyState = 'error';
  hideProgress();
  setText($('key-error-title'), `holder.key.${code}.title`);
  setText($('key-error-message'), `holder.key.${code}.message`);
  // The package's own words (which fingerprint it has, what it looks like),
  // or, from a prover that gives no separate detail, its message.
  setText($('key-error-detail'), 'holder.key.details', { detail: e.detail ?? e.message });
  const box = $('key-error');
  box.dataset.code = e.code ?? 'worker';
  box.hidden = false;
  document.body.dataset.state = 'key-error';
  renderStatus();
}

// The package on this thread makes holder secrets; offer it once it has
// made one that the page's own check accepts.
async function probeGenerate() {
  try {
    config.checkHolderSecret(await generateHolderSecret());
    state.canGenerate = true;
  } catch {
    state.canGenerate = false;
  }
  $('generate').hidden = !state.canGenerate;
}

async function startTheProver() {
  showProgress({ phase: 'key', step: 'start', done: 0, total: 100 });
  try {
    state.prover = await startProver({ keyUrl: state.settings.keyUrl, pin: state.settings.pin, onProgress: showProgress });
  } catch (e) {
    keyFailed(e);
    return;
  }
  state.keyState = 'ready';
  hideProgress();
  $('pk-fingerprint').textContent = `${state.prover.fingerprintHex.slice(0, 16)}…`;
  $('pk-fingerprint').title = state.prover.fingerprintHex;
  $('vk-fingerprint').textContent = state.prover.vkFingerprint;
  $('vk-fingerprint').dataset.full = state.prover.vkFingerprintHex;
  const workers = Number(state.prover.workers) || 1;
  $('prover-workers').dataset.workers = String(workers);
  drawWorkers();
  // Where each worker's key part came from (`fast` on a repeat visit: the
  // fast form an earlier visit kept, digest and pin checked): for tests.
  document.body.dataset.keySource = Array.isArray(state.prover.keySources) ? state.prover.keySources.join(' ') : '';
  await refreshStatus();
  document.body.dataset.state = 'ready';
}

function drawWorkers() {
  const n = Number($('prover-workers').dataset.workers);
  if (n > 0) $('prover-workers').textContent = plural('holder.tech.workers', n);
}

// ------------------------------------------------------------------- main

// The page's title and heading: the name in holder.json, if it has one.
function showTitle() {
  const { name } = state.settings ?? {};
  document.title = name === undefined ? t('holder.title') : t('holder.titleNamed', { name });
}

function showOperator() {
  if (state.settings.operator === undefined) setText($('pass-operator'), 'holder.pass.globalScope');
  else setText($('pass-operator'), 'holder.pass.operatorDoors', { operator: state.settings.operator });
}

/** A change of language: redraw the words this file wrote (the rest are marked with their keys). */
function redraw() {
  showTitle();
  showOperator();
  for (const p of [state.pagePolicy, state.policy]) if (p) p.words = policyInWords(p.policy);
  renderPolicy();
  renderCredential();
  renderSecret();
  renderStatus();
  renderRegistry();
  drawWorkers();
  tick();
  if (pass.open) $('pass-meta').textContent = passMeta();
}

function tick() {
  if (state.status?.green) $('status-until').textContent = greenUntilWords();
  if (state.payload) drawPayloadMeta();
}

async function main() {
  try {
    // Words first, so that even a missing file is reported in the page's language.
    ({ t, plural, setText, lang, has, onLangChange, initLang } = await import('./i18n.js'));
    initLang();
  } catch (e) {
    fatal(`the page's files did not load (${e && e.message ? e.message : e}): deploy the whole folder built by scripts/build-web.sh`);
    return;
  }
  try {
    const [qrModule, scanModule, wordsModule, configModule, storeModule, proverModule] = await Promise.all([
      import('./qr.js'),
      import('./scan.js'),
      import('./policy-words.js'),
      import('./config.js'),
      import('./store.js'),
      import('./prover.js'),
    ]);
    ({ drawQr } = qrModule);
    ({ CameraScanner, readTextOrQrFile, readQrImageFile } = scanModule);
    ({ policyInWords, roughDuration } = wordsModule);
    config = configModule;
    ({ HolderStore, STORAGE_KEYS } = storeModule);
    ({ startProver, localStatus, generateHolderSecret, registriesSummary } = proverModule);
    ({ rootsFromBundle, issuerWindow: issuerWindowOf } = proverModule);
  } catch (e) {
    fatal(t('holder.fatal.files', { detail: detailOf(e) }));
    return;
  }
  let loaded;
  try {
    state.configBase = new URL('config/', document.baseURI);
    loaded = await config.loadConfig(state.configBase, location.origin);
  } catch (e) {
    fatal(e instanceof config.ConfigError ? e.message : t('holder.fatal.unexpected', { detail: detailOf(e) }));
    return;
  }
  state.settings = loaded.settings;
  // The roots come from the bundle once the holder package has verified it
  // (doRefreshRegistries, at the first refresh).
  state.registryBundle = loaded.registry;
  state.rootsFetchedAt = Date.now();
  state.pagePolicy = { json: loaded.policyJson, policy: loaded.policy, words: policyInWords(loaded.policy) };
  state.policy = { ...state.pagePolicy, source: 'page' };
  showOperator();
  if (state.settings.name !== undefined) {
    setText($('page-name'), undefined);
    $('page-name').textContent = state.settings.name;
  }
  showTitle();

  state.store = new HolderStore();
  // Files kept from an earlier visit (checked again: storage can be edited).
  const keptCredential = state.store.credential;
  const keptSecret = state.store.holderSecret;
  if (keptSecret !== undefined) {
    try {
      state.holder = config.checkHolderSecret(keptSecret).holder;
      state.secretJson = keptSecret;
    } catch (e) {
      showError('secret-error', { code: 'stored-secret-damaged', key: 'holder.stored.secretDamaged', vars: { detail: e.message } });
    }
  }
  if (keptCredential !== undefined) {
    try {
      state.credential = config.checkCredential(keptCredential);
      state.credentialJson = keptCredential;
    } catch (e) {
      showError('credential-error', { code: 'stored-credential-damaged', key: 'holder.stored.credentialDamaged', vars: { detail: e.message } });
    }
  }
  renderPolicy();
  renderCredential();
  renderSecret();
  renderSetup();
  renderStorageNote();
  renderStatus();
  onLangChange(redraw);

  $('credential-file').addEventListener('change', () => { onCredentialFile(); });
  $('secret-file').addEventListener('change', () => { onSecretFile(); });
  $('policy-file').addEventListener('change', () => { onPolicyFile(); });
  $('policy-reset').addEventListener('click', onPolicyReset);
  $('generate-secret').addEventListener('click', () => { onGenerate(); });
  $('challenge-form').addEventListener('submit', (e) => { onProve(e); });
  $('challenge-input').addEventListener('input', onChallengeInput);
  $('challenge-input').addEventListener('change', onChallengeChange);
  $('challenge-file').addEventListener('change', () => { onChallengeFile(); });
  $('challenge-camera').addEventListener('click', () => { startScan('challenge'); });
  $('credential-camera').addEventListener('click', () => { startScan('credential'); });
  $('scanner-stop').addEventListener('click', stopScan);
  $('copy-payload').addEventListener('click', () => { onCopy(); });
  $('forget').addEventListener('click', onForget);
  $('forget-cancel').addEventListener('click', onForgetCancel);
  $('forget-confirm').addEventListener('click', onForgetConfirm);
  $('pass-button').addEventListener('click', openPass);
  $('pass-close').addEventListener('click', closePass);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    if (!$('scanner').hidden) stopScan();
    else if (pass.open) closePass();
  });
  // Online again: fetch the registry bundle now (it may have aged out).
  window.addEventListener('online', () => { refreshRegistries({ roots: true }); });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    refreshStatus();
    refreshRegistries();
    // A wake lock ends when the page is hidden: take it again.
    if (pass.open) {
      if (pass.wakeLock === undefined) keepAwake();
      passTick();
    }
  });
  setInterval(tick, 1000);

  $('loading').hidden = true;
  $('main').hidden = false;
  document.body.dataset.state = 'key-loading';
  updateProveButton();
  // The status and "make a secret" need no proving key: they run on this
  // thread while the workers load the key.
  await Promise.all([probeGenerate(), refreshStatus(), refreshRegistries()]);
  await startTheProver();
}

main();
