// The pages' words (web/common/strings-en.js, strings-zh.js, through
// i18n.js), checked in Node without a browser or a build: both languages
// have the same keys, none empty, with the same {variables}; every key the
// pages use (data-i18n… in their HTML, key literals in their JS, and the
// keys made from verdict codes and notice kinds) is in the table.
//
//   (cd web && node --test test/i18n-keys.test.mjs)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WEB_DIR } from './helpers.mjs';

const i18n = await import(pathToFileURL(path.join(WEB_DIR, 'common', 'i18n.js')).href);
const { strings } = i18n;

/** The pages converted to i18n.js, each with its HTML and JS sources. */
const PAGES = { venue: path.join(WEB_DIR, 'venue'), holder: path.join(WEB_DIR, 'holder') };
const COMMON = path.join(WEB_DIR, 'common');

// The first part of every key (a literal in JS with one of these before a
// dot is taken for a key; file names such as 'venue.json' are not).
const NAMESPACES = ['unit', 'policy', 'scan', 'offline', 'registry', 'venue', 'verdict', 'config', 'holder', 'common'];
const FILE_NAME = /\.(json|js|mjs|bin|vk|pk|bundle|txt|css|html|svg|webmanifest|png)$/;

const vars = (template) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

async function sources(dir, ext) {
  const names = (await readdir(dir)).filter((n) => n.endsWith(ext) && !/^strings-/.test(n));
  return Promise.all(names.map(async (n) => ({ file: path.join(dir, n), text: await readFile(path.join(dir, n), 'utf8') })));
}

/** Every key the pages' HTML and JS name, with where. */
async function usedKeys() {
  const used = new Map();
  const add = (key, where) => { if (!used.has(key)) used.set(key, where); };
  for (const dir of [...Object.values(PAGES), COMMON]) {
    for (const { file, text } of await sources(dir, '.html')) {
      for (const m of text.matchAll(/\bdata-i18n(?:-aria-label|-placeholder|-title|-alt)?="([^"]+)"/g)) add(m[1], path.relative(WEB_DIR, file));
    }
    for (const { file, text } of await sources(dir, '.js')) {
      const code = text.replace(/^\s*\/\/.*$/gm, '');
      for (const m of code.matchAll(/(['"])([a-z]+(?:\.[\w-]+)+)\1/g)) {
        const [ns] = m[2].split('.');
        if (!NAMESPACES.includes(ns) || FILE_NAME.test(m[2])) continue;
        // A plural's base ('unit.day' in a list of units): its .one and .other.
        if (Object.hasOwn(strings.en, `${m[2]}.one`)) {
          add(`${m[2]}.one`, path.relative(WEB_DIR, file));
          add(`${m[2]}.other`, path.relative(WEB_DIR, file));
        } else {
          add(m[2], path.relative(WEB_DIR, file));
        }
      }
      // plural('unit.hour', n): unit.hour.one and unit.hour.other.
      for (const m of code.matchAll(/\bplural\(\s*(['"])([\w.-]+)\1/g)) {
        add(`${m[2]}.one`, path.relative(WEB_DIR, file));
        add(`${m[2]}.other`, path.relative(WEB_DIR, file));
      }
    }
  }
  return used;
}

/** A `export const NAME = [ 'a', 'b' ];` array of a source file. */
async function arrayIn(file, name) {
  const text = await readFile(file, 'utf8');
  const m = text.match(new RegExp(`export const ${name} = \\[([^\\]]*)\\]`));
  assert.ok(m, `${name} in ${file}`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

test('both languages have the same keys, none empty, with the same {variables}', () => {
  assert.deepEqual(Object.keys(strings).sort(), ['en', 'zh']);
  const en = Object.keys(strings.en).sort();
  const zh = Object.keys(strings.zh).sort();
  assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'keys missing in Chinese (strings-zh.js)');
  assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'keys missing in English (strings-en.js)');
  for (const lang of ['en', 'zh']) {
    for (const [key, value] of Object.entries(strings[lang])) {
      assert.equal(typeof value, 'string', `${lang} ${key}`);
      assert.ok(value.trim() !== '', `${lang} ${key} is empty`);
    }
  }
  for (const key of en) assert.deepEqual(vars(strings.zh[key]), vars(strings.en[key]), `the {variables} of ${key}`);
  assert.ok(en.length > 100, `${en.length} keys`);
});

test('the Chinese strings are Chinese: each has a CJK character, unless it is only a code or a unit-free pattern', () => {
  // Strings with no words, the same in both languages on purpose (a
  // placeholder showing the format, a pattern of variables, an HTTP status).
  const same = new Set(['venue.paste.placeholder', 'unit.join', 'config.http']);
  for (const [key, value] of Object.entries(strings.zh)) {
    if (same.has(key)) continue;
    assert.match(value, /[\u3400-\u9fff]/, `zh ${key}: ${value}`);
    assert.notEqual(value, strings.en[key], `zh ${key} is the English text`);
  }
});

test('every key the pages use is in the table (HTML data-i18n…, JS literals, verdict codes, notice kinds)', async () => {
  const used = await usedKeys();
  for (const code of await arrayIn(path.join(PAGES.venue, 'gate.js'), 'VERDICT_CODES')) used.set(`verdict.${code}`, 'venue/gate.js VERDICT_CODES');
  for (const code of await arrayIn(path.join(PAGES.venue, 'gate.js'), 'ONE_SCAN_CODES')) used.set(`verdict.oneScan.${code}`, 'venue/gate.js ONE_SCAN_CODES');
  // The holder page's keys made from codes (app.js).
  const holderApp = path.join(PAGES.holder, 'app.js');
  for (const code of await arrayIn(holderApp, 'REGISTRY_PROBLEMS')) {
    for (const where of ['prove', 'pass']) used.set(`holder.${where}.registry.${code}`, 'holder/app.js REGISTRY_PROBLEMS');
  }
  for (const code of await arrayIn(holderApp, 'KEY_PROBLEMS')) {
    for (const part of ['title', 'message']) used.set(`holder.key.${code}.${part}`, 'holder/app.js KEY_PROBLEMS');
  }
  for (const code of await arrayIn(holderApp, 'REASON_CODES')) used.set(`holder.reason.${code}`, 'holder/app.js REASON_CODES');
  for (const kind of await arrayIn(path.join(COMMON, 'offline.js'), 'KINDS').catch(() => [])) {
    for (const when of ['now', 'later']) used.set(`offline.${kind}.${when}`, 'common/offline.js KINDS');
  }
  assert.ok(used.size > 80, `${used.size} keys used`);
  const missing = [...used].filter(([key]) => !Object.hasOwn(strings.en, key)).map(([key, where]) => `${key} (${where})`);
  assert.deepEqual(missing, [], 'keys used by the pages but not in strings-en.js / strings-zh.js');
});

test('t() fills variables, throws on an unknown key; the language comes from navigator.languages', () => {
  i18n.setLang('en');
  assert.equal(i18n.t('venue.titleNamed', { name: 'Hall' }), 'Hall · zkstatus venue check');
  assert.throws(() => i18n.t('venue.no-such-key'), /no string "venue.no-such-key"/);
  i18n.setLang('zh');
  assert.equal(i18n.t('venue.titleNamed', { name: 'Hall' }), 'Hall · zkstatus 场所查验');
  assert.equal(i18n.plural('unit.hour', 72), '72 小时');
  i18n.setLang('en');
  assert.equal(i18n.plural('unit.hour', 1), '1 hour');
  assert.equal(i18n.plural('unit.hour', 72), '72 hours');
  for (const [languages, want] of [
    [['zh-CN'], 'zh'], [['zh-TW', 'en'], 'zh'], [['zh'], 'zh'], [['en-US', 'zh-CN'], 'en'],
    [['fr-FR', 'zh-Hans'], 'zh'], [['fr-FR'], 'en'], [[], 'en'], [undefined, 'en'], [['zhx'], 'en'],
  ]) assert.equal(i18n.fromLanguages(languages), want, JSON.stringify(languages));
});
