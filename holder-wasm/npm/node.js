// Node entry (package.json "exports" → "node"): the same ES module as the
// browser entry, instantiated synchronously from the .wasm file next to it,
// so `import { Holder } from 'zkstatus-holder'` is ready to use.
import { readFileSync } from 'node:fs';
import { initSync } from './index.js';

initSync({ module: readFileSync(new URL('./zkstatus_holder_bg.wasm', import.meta.url)) });

export * from './index.js';
export { default } from './index.js';
