// Checks the browser tests share: axe-core's violations, English left on a
// page shown in Chinese, and which fonts Chromium drew an element with.
// (a11y, holder-ux, i18n and holder-i18n use them.)
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Words allowed on a Chinese page: the product, codes, units and formats that are written the same in Chinese. */
export const ALLOWED_LATIN = Object.freeze(['zkstatus', 'ZKS2', 'ZKC2', 'PCR', 'UTC', 'HTTP', 'JSON', 'ASCII', 'https',
  'localhost', 'PNG', 'JPEG', 'GIF', 'WebP', 'UTF', 'MB', 'README', 'WebAssembly', 'JavaScript']);

/** axe-core's violations on the page as it is now, one line each. (Needs bypassCSP: axe is injected inline.) */
export async function violations(p) {
  if (!await p.evaluate(() => typeof globalThis.axe === 'object')) await p.addScriptTag({ content: AXE });
  const found = await p.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.join(', ')}`);
}

/**
 * English left on screen: every visible text node and the aria-label,
 * placeholder, title and alt of visible elements, with the `allowed` words,
 * file names and translate="no" / lang="en" subtrees taken out; a string of
 * two or more Latin letters left is English.
 */
export async function englishLeft(p, allowed) {
  const texts = await p.evaluate(() => {
    const out = [];
    const skip = (el) => el.closest('[translate="no"], [lang="en"], script, style, noscript') !== null;
    const visible = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (n.data.trim() !== '' && !skip(el) && visible(el)) out.push(`${el.tagName.toLowerCase()}#${el.id}: ${n.data.trim()}`);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (skip(el) || !visible(el)) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) if (el.hasAttribute(a)) out.push(`${el.tagName.toLowerCase()}#${el.id}[${a}]: ${el.getAttribute(a)}`);
    }
    out.push(`title: ${document.title}`);
    return out;
  });
  const words = new RegExp(`\\b(?:${allowed.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`, 'g');
  // File names (config/venue.json, payload.bin, holder.secret) are typed as they are, too.
  const files = /\b(?:config\/)?[\w-]*\.(?:json|vk|pk|bundle|bin|txt|secret)\b|\bconfig\//g;
  return texts.filter((line) => /[A-Za-z]{2,}/.test(line.slice(line.indexOf(': ') + 2).replace(files, '').replace(words, '')));
}

/** The platform fonts Chromium drew `selector`'s text with (DevTools protocol). */
export async function platformFonts(p, selector) {
  const cdp = await p.context().newCDPSession(p);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    return (await cdp.send('CSS.getPlatformFontsForNode', { nodeId })).fonts;
  } finally {
    await cdp.detach();
  }
}

/** The page is in Chinese: `<html lang>`, no English left (`allowed` words aside), and (unless `axe` is false) no axe-core violation. */
export async function assertChinese(p, where, allowed, { axe = true } = {}) {
  assert.equal(await p.evaluate(() => document.documentElement.lang), 'zh-Hans', where);
  assert.deepEqual(await englishLeft(p, allowed), [], `${where}: no English left on screen`);
  if (axe) assert.deepEqual(await violations(p), [], `${where}: axe-core`);
}
