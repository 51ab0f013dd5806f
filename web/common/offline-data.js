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
//            → the names it lists (none today: the holder's registry files
//            are named by its bundle, binary, and kept when fetched);
//   kinds    what a file is, for the "updated" notice: "key" (a pinned key
//            or the setting that pins it), "registry", "policy", "settings".
//            A request under config/ is kept only if its name has a kind;
//            anything else (the proving key, whose copy the prover keeps in
//            its own cache, checked against the pin on every read) goes to
//            the network untouched.

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
    // The registry files are named by the bundle's roots, which only the
    // holder package reads (after verifying it): the page fetches each one,
    // and the worker keeps what it fetched.
    named: {},
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
