// A zkstatus policy and durations in plain words (shared by the venue and
// holder pages; scripts/build-web.sh copies it next to each page). No
// dependencies but i18n.js (the words, in the page's language): it runs in
// Node as well (web/test/gate.test.mjs).

import { plural, t } from './i18n.js';

/** A whole number of seconds as the largest fitting unit: "72 hours", "10 days", "90 minutes". */
export function duration(secs) {
  const s = Number(secs);
  if (s % 3600 === 0 && s <= 72 * 3600) return plural('unit.hour', s / 3600);
  if (s % 86400 === 0) return plural('unit.day', s / 86400);
  if (s % 3600 === 0) return plural('unit.hour', s / 3600);
  if (s % 60 === 0) return plural('unit.minute', s / 60);
  return plural('unit.second', s);
}

/**
 * An approximate span for people, at most two units: "2 days 5 hours",
 * "3 hours 12 minutes", "45 seconds".
 */
export function roughDuration(secs) {
  const s = Math.max(0, Math.floor(Number(secs)));
  const units = [[86400, 'unit.day'], [3600, 'unit.hour'], [60, 'unit.minute'], [1, 'unit.second']];
  const i = units.findIndex(([size]) => s >= size);
  if (i < 0) return plural('unit.second', 0);
  const [size, name] = units[i];
  const first = plural(name, Math.floor(s / size));
  if (i + 1 === units.length) return first;
  const [next, nextName] = units[i + 1];
  const rest = Math.floor((s % size) / next);
  return rest === 0 ? first : t('unit.join', { first, second: plural(nextName, rest) });
}

/**
 * The policy in plain words, one rule a line, from the verifier package's
 * `policy()` shape: `{ maxTestAge: { pcr, rapidAntigen }, minExposureGap }`
 * (seconds as decimal strings, `null`: not accepted), in the page's language.
 */
export function policyInWords(policy) {
  const lines = [];
  const { pcr, rapidAntigen } = policy.maxTestAge;
  lines.push(pcr === null ? t('policy.pcr.none') : t('policy.pcr.max', { age: duration(pcr) }));
  lines.push(rapidAntigen === null ? t('policy.antigen.none') : t('policy.antigen.max', { age: duration(rapidAntigen) }));
  lines.push(policy.minExposureGap === '0'
    ? t('policy.exposure.none')
    : t('policy.exposure.gap', { gap: duration(policy.minExposureGap) }));
  lines.push(t('policy.general'));
  return lines;
}
