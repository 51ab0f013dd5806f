// Node entry: the same API as the browser entry, initialized on import
// (calling `init()` is then a no-op).
export * from './index.js';
export { default } from './index.js';
