// The page's prover: the zkstatus-holder package (pkg/, built by
// scripts/build-holder-wasm.sh).
//
// - startProver (pkg/prover.js): the proving key, fetched once, pinned and
//   cached, in module Web Workers; one proof is split across two workers
//   (zkstatus_prover::split), or made in one when the device has one core.
// - localStatus, registriesSummary and generateHolderSecret: the package on
//   this page's thread, for what needs no proving key, so the holder sees
//   their status, the registry's epoch and end date (and can make a secret)
//   even while the key loads, or when it cannot be used.
//
// Nothing here sends anything: the credential, the holder secret and the
// proof stay in this page and its workers.

import init, { Holder, Registries, generateHolderSecret as generate, verifyRegistryBundle } from './pkg/index.js';

export { startProver } from './pkg/prover.js';

let ready;
function local() {
  ready ??= init();
  return ready;
}

/**
 * `{ green, reasons, now, greenUntil }` under `policyJson` at `now`, on this
 * thread (the package's `Holder.status`); throws an Error with a `code` on a
 * bad file.
 */
export async function localStatus({ credentialJson, holderSecretJson, policyJson, now }) {
  await local();
  const holder = new Holder(credentialJson, holderSecretJson);
  try {
    return holder.status(policyJson, now);
  } finally {
    holder.free();
  }
}

/** A new holder-secret file (`zkstatus/holder-secret`), from crypto.getRandomValues. */
export async function generateHolderSecret() {
  await local();
  return generate();
}

/**
 * The roots of a registry bundle that verifies against its trust
 * configuration at `now` (the package's `verifyRegistryBundle`, the gates'
 * own check): `{ rootsJson, cosignedAt, validUntil, maxAgeSecs, logSize }`;
 * throws an Error with a `code` (`bad-registry-bundle`, `registry-too-old`,
 * `bad-registry-trust`).
 */
export async function rootsFromBundle({ bundle, trust, now }) {
  await local();
  return verifyRegistryBundle({ bundle, trust, now });
}

/**
 * The window of `issuer` (a credential's packed key) in the registry in
 * force at `now`, or null (the package's `Registries.issuerWindow`).
 */
export async function issuerWindow({ rootsJson, registries, issuer, now }) {
  await local();
  const r = new Registries(rootsJson, registries);
  try {
    return r.issuerWindow(issuer, now);
  } finally {
    r.free();
  }
}

/**
 * The registry material at `now` (the package's `Registries.summary`):
 * `{ activeEpoch, endDate, nextActivation, nextEpoch, ready, missingEpochs,
 * registries }`; throws an Error with a `code` (`bad-roots`,
 * `bad-registry`, `registry-root-mismatch`) on a bad file.
 */
export async function registriesSummary({ rootsJson, registries, now }) {
  await local();
  const r = new Registries(rootsJson, registries);
  try {
    return r.summary(now);
  } finally {
    r.free();
  }
}
