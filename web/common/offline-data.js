// The data files each page reads from its config/ folder and that its
// service worker (sw.js) keeps for offline use: the one list to extend when
// a page reads a new file (for example a signed registry bundle). A classic
// script, loaded by sw.js with importScripts.
//
// For each page:
//   files    the files read at start-up, fetched again when the worker is
//            installed, so that the first visit already leaves a complete
//            offline copy; a 404 is kept too (venue.json is optional);
//   named    files whose names come from another file: (name, its bytes)
//            → the names it lists (the registry file of each root in the
//            holder's registry.bundle);
//   kinds    what a file is, for the "updated" notice: "key" (a pinned key
//            or the setting that pins it), "registry", "policy", "settings".
//            A request under config/ is kept only if its name has a kind;
//            anything else (the proving key, whose copy the prover keeps in
//            its own cache, checked against the pin on every read) goes to
//            the network untouched.

// The epochs of a registry bundle's root-published entries (at most 16),
// as decimal strings; [] for anything that is not a bundle.
function bundleEpochs(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (b.length < 14 || b.length > 4096 || String.fromCharCode(...b.subarray(0, 4)) !== 'ZKRB' || b[4] !== 1) return [];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const count = b[13];
  const epochs = [];
  let at = 14;
  for (let i = 0; i < count && i < 16; i++) {
    if (at + 2 > b.length) return [];
    const len = view.getUint16(at);
    at += 2;
    if (at + len > b.length) return [];
    // An entry: version 1, kind 3 (root published), epoch (u64, big-endian).
    if (len >= 10 && b[at] === 1 && b[at + 1] === 3) epochs.push(view.getBigUint64(at + 2).toString());
    at += len;
  }
  return epochs;
}

self.ZKSTATUS_OFFLINE_DATA = Object.freeze({
  venue: {
    files: ['zkstatus.vk', 'registry.bundle', 'trust.json', 'policy.json', 'venue.json'],
    named: {},
    kinds: [
      [/^zkstatus\.vk$/, 'key'],
      // The bundle (checked by the page at its own clock on every proof:
      // an offline copy that has aged out is refused, never used quietly)
      // and the log and witness keys it must be signed with.
      [/^registry\.bundle$/, 'registry'],
      [/^trust\.json$/, 'key'],
      [/^policy\.json$/, 'policy'],
      [/^venue\.json$/, 'settings'],
    ],
  },
  holder: {
    files: ['holder.json', 'policy.json', 'registry.bundle', 'trust.json'],
    named: {
      // The registry file of each root the bundle publishes (its previous
      // and latest root), read from the bundle's root-published entries
      // (docs/formats.md, "Registry bundle" and "Log entries"). Only to name
      // files to keep: the holder package verifies the bundle itself.
      'registry.bundle': (bytes) => bundleEpochs(bytes).map((e) => `registry-${e}.bin`),
    },
    kinds: [
      // holder.json pins the proving key (pinnedPkSha256).
      [/^holder\.json$/, 'key'],
      [/^registry\.bundle$/, 'registry'],
      [/^trust\.json$/, 'key'],
      [/^registry-\d{1,20}\.bin$/, 'registry'],
      [/^policy\.json$/, 'policy'],
    ],
  },
});
