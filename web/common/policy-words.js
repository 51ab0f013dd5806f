// A zkstatus policy and durations in plain words (shared by the venue and
// holder pages; scripts/build-web.sh copies it next to each page). No
// dependencies: it runs in Node as well (web/test/gate.test.mjs).

/** A whole number of seconds as the largest fitting unit: "72 hours", "10 days", "90 minutes". */
export function duration(secs) {
  const s = Number(secs);
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (s % 3600 === 0 && s <= 72 * 3600) return unit(s / 3600, 'hour');
  if (s % 86400 === 0) return unit(s / 86400, 'day');
  if (s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s % 60 === 0) return unit(s / 60, 'minute');
  return unit(s, 'second');
}

/**
 * An approximate span for people, at most two units: "2 days 5 hours",
 * "3 hours 12 minutes", "45 seconds".
 */
export function roughDuration(secs) {
  const s = Math.max(0, Math.floor(Number(secs)));
  const units = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];
  const word = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const i = units.findIndex(([size]) => s >= size);
  if (i < 0) return word(0, 'second');
  const [size, name] = units[i];
  const first = word(Math.floor(s / size), name);
  if (i + 1 === units.length) return first;
  const [next, nextName] = units[i + 1];
  const rest = Math.floor((s % size) / next);
  return rest === 0 ? first : `${first} ${word(rest, nextName)}`;
}

/**
 * The policy in plain words, one rule a line, from the verifier package's
 * `policy()` shape: `{ maxTestAge: { pcr, rapidAntigen }, minExposureGap }`
 * (seconds as decimal strings, `null`: not accepted).
 */
export function policyInWords(policy) {
  const lines = [];
  const { pcr, rapidAntigen } = policy.maxTestAge;
  lines.push(pcr === null ? 'PCR tests: not accepted' : `PCR test taken at most ${duration(pcr)} ago`);
  lines.push(rapidAntigen === null ? 'Rapid antigen tests: not accepted' : `Rapid antigen test taken at most ${duration(rapidAntigen)} ago`);
  lines.push(policy.minExposureGap === '0'
    ? 'Recorded exposures: not considered'
    : `No recorded exposure in the last ${duration(policy.minExposureGap)}`);
  lines.push('Result negative, credential not expired, from a lab this venue trusts');
  return lines;
}
