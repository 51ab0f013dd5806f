// The data files each page reads from its config/ folder and that its
// service worker (sw.js) keeps for offline use: the one list to extend when
// a page reads a new file (for example a signed registry bundle). A classic
// script, loaded by sw.js with importScripts.
//
// For each page:
//   files    the files read at start-up, fetched again when the worker is
//            installed, so that the first visit already leaves a complete
//            offline copy; a 404 is kept too (venue.json is optional);
//   named    files whose names come from another file: (name, parsed JSON)
//            → the names it lists (the registry file of each epoch in
//            roots.json);
//   kinds    what a file is, for the "updated" notice: "key" (a pinned key
//            or the setting that pins it), "registry", "policy", "settings".
//            A request under config/ is kept only if its name has a kind;
//            anything else (the proving key, whose copy the prover keeps in
//            its own cache, checked against the pin on every read) goes to
//            the network untouched.

self.ZKSTATUS_OFFLINE_DATA = Object.freeze({
  venue: {
    files: ['zkstatus.vk', 'roots.json', 'policy.json', 'venue.json'],
    named: {},
    kinds: [
      [/^zkstatus\.vk$/, 'key'],
      [/^roots\.json$/, 'registry'],
      [/^policy\.json$/, 'policy'],
      [/^venue\.json$/, 'settings'],
    ],
  },
  holder: {
    files: ['holder.json', 'policy.json', 'roots.json'],
    named: {
      'roots.json': (roots) => (Array.isArray(roots?.roots) ? roots.roots.slice(0, 64) : [])
        .filter((r) => Number.isSafeInteger(r?.epoch) && r.epoch >= 0)
        .map((r) => `registry-${r.epoch}.bin`),
    },
    kinds: [
      // holder.json pins the proving key (pinnedPkSha256).
      [/^holder\.json$/, 'key'],
      [/^roots\.json$/, 'registry'],
      [/^registry-\d{1,20}\.bin$/, 'registry'],
      [/^policy\.json$/, 'policy'],
    ],
  },
});
