// The pages' languages (shared by the venue and holder pages;
// scripts/build-web.sh copies it next to each page, with strings-en.js and
// strings-zh.js, the one place that holds each language's strings).
//
// - `t(key, vars)`: the string of `key` in the current language, with each
//   `{name}` replaced by `vars.name`. A key missing in the table throws (a
//   test checks every key the pages use: web/test/i18n.test.mjs).
// - In the HTML, `data-i18n="key"` fills an element's text, keeping its
//   child elements marked `data-slot="name"` at the template's `{name}`
//   (a `<span id="countdown">` inside a sentence stays the same element);
//   `data-i18n-vars` (JSON) gives the other variables. `data-i18n-aria-label`,
//   `data-i18n-placeholder`, `data-i18n-title` and `data-i18n-alt` fill
//   those attributes.
// - The language: the one saved by the page's switch (localStorage
//   "zkstatus-lang": a preference, nothing else), else the first of
//   navigator.languages that is Chinese (zh*) or English (en*), else
//   English. `<html lang>` is set to zh-Hans or en.
//
// No DOM at import time: gate.js and policy-words.js use `t` in Node too
// (the language is then English unless `setLang` is called).

import en from './strings-en.js';
import zh from './strings-zh.js';

/** Every language's strings: key → template. */
export const strings = Object.freeze({ en, zh });

/** The languages, in the switch's order, with their `<html lang>` and own name. */
export const LANGS = Object.freeze({
  en: Object.freeze({ htmlLang: 'en', name: 'English' }),
  zh: Object.freeze({ htmlLang: 'zh-Hans', name: '中文' }),
});

/** Where the switch keeps the chosen language. */
export const STORAGE_KEY = 'zkstatus-lang';

let current = 'en';
const listeners = [];

/** The current language: "en" or "zh". */
export function lang() {
  return current;
}

/** Whether `key` is in the table. */
export function has(key) {
  return Object.hasOwn(strings.en, key);
}

/** The string of `key` in the current language, `{name}` replaced from `vars`. */
export function t(key, vars = {}) {
  const table = strings[current];
  if (!Object.hasOwn(table, key)) throw new Error(`i18n: no string "${key}" in ${current}`);
  return table[key].replace(/\{(\w+)\}/g, (all, name) => (Object.hasOwn(vars, name) ? String(vars[name]) : all));
}

/** `{base}.one` or `{base}.other` (English needs the singular; Chinese has both the same), with `{n}`. */
export function plural(base, n) {
  return t(`${base}.${n === 1 ? 'one' : 'other'}`, { n });
}

/** The language for a list of BCP 47 tags (navigator.languages): zh* → zh, en* → en, the first that is either; else en. */
export function fromLanguages(languages) {
  for (const tag of languages ?? []) {
    const l = String(tag).toLowerCase();
    if (l === 'zh' || l.startsWith('zh-')) return 'zh';
    if (l === 'en' || l.startsWith('en-')) return 'en';
  }
  return 'en';
}

function stored() {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return Object.hasOwn(LANGS, v ?? '') ? v : undefined;
  } catch {
    return undefined; // storage blocked: the browser's language
  }
}

/** Call `fn(lang)` after every change of language (to redraw text set by code). */
export function onLangChange(fn) {
  listeners.push(fn);
}

/**
 * Set the language (and, in a page, `<html lang>`, every marked element and
 * the switch). `remember`: save it as the person's choice.
 */
export function setLang(l, { remember = false } = {}) {
  if (!Object.hasOwn(LANGS, l)) throw new Error(`i18n: unknown language "${l}"`);
  current = l;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, l);
    } catch {
      // Not saved: the choice lasts until the page is closed.
    }
  }
  if (typeof document === 'undefined') return;
  document.documentElement.lang = LANGS[l].htmlLang;
  applyTranslations(document);
  for (const fn of listeners) fn(l);
}

const ATTRS = ['aria-label', 'placeholder', 'title', 'alt'];

/** Fill one element marked data-i18n from its key, keeping its data-slot children. */
export function fill(el) {
  const key = el.dataset.i18n;
  let vars = {};
  if (el.dataset.i18nVars) vars = JSON.parse(el.dataset.i18nVars);
  const slots = new Map();
  for (const child of el.children) if (child.dataset.slot) slots.set(child.dataset.slot, child);
  const parts = [];
  const text = t(key, vars);
  let last = 0;
  for (const m of text.matchAll(/\{(\w+)\}/g)) {
    if (!slots.has(m[1])) continue;
    parts.push(text.slice(last, m.index), slots.get(m[1]));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  el.replaceChildren(...parts.filter((p) => p !== ''));
}

/** Fill every marked element (and attribute) under `root`. */
export function applyTranslations(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) fill(el);
  for (const attr of ATTRS) {
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
  }
}

/**
 * Give `el` the text of `key` (with `vars`), and keep it marked so that a
 * change of language redraws it. An undefined key clears it.
 */
export function setText(el, key, vars) {
  if (key === undefined) {
    delete el.dataset.i18n;
    delete el.dataset.i18nVars;
    el.textContent = '';
    return;
  }
  el.dataset.i18n = key;
  if (vars !== undefined) el.dataset.i18nVars = JSON.stringify(vars);
  else delete el.dataset.i18nVars;
  fill(el);
}

/** Show the switch's label: the other language's own name, in that language. */
function drawSwitch(button) {
  const other = current === 'en' ? 'zh' : 'en';
  button.textContent = LANGS[other].name;
  button.lang = LANGS[other].htmlLang;
  button.dataset.lang = other;
}

/**
 * Start a page's languages: choose the language, fill the page, and wire the
 * switch button (`#lang-switch`, if the page has one).
 */
export function initLang() {
  const chosen = stored() ?? fromLanguages(globalThis.navigator?.languages ?? [globalThis.navigator?.language]);
  const button = document.getElementById('lang-switch');
  if (button) {
    onLangChange(() => drawSwitch(button));
    button.addEventListener('click', () => setLang(button.dataset.lang, { remember: true }));
  }
  setLang(chosen);
  return chosen;
}
