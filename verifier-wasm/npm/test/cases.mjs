// Hand-made malformed and rejected payloads, one per class of
// docs/security.md, section C (items 49–59) plus the text form, each with
// the verdict it must get. Used by malformed.test.mjs and, for the native
// agreement, by native.test.mjs.
import {
  fx, Q, R, TWIST_B, OFF, le32, patched, isSquare, f2mul, modpow, toText, base45,
} from './helpers.mjs';

// --- G1 (y² = x³ + 3 over Fq): an x that is on no point.
function g1OffCurveX() {
  for (let x = 1n; ; x++) if (!isSquare(x ** 3n + 3n, Q)) return x;
}
// --- G2 (y² = x³ + b' over Fq2): x³ + b' is a square in Fq2 iff its norm is
// a square in Fq (q ≡ 3 mod 4). A decodable x is, with overwhelming
// probability, on the twist but outside the prime-order subgroup (V21).
function g2X(wantOnTwist) {
  for (let x0 = 1n; ; x0++) {
    const x = [x0, 1n];
    const [c0, c1] = f2mul(f2mul(x, x), x);
    const rhs = [(c0 + TWIST_B[0]) % Q, (c1 + TWIST_B[1]) % Q];
    const norm = (rhs[0] * rhs[0] + rhs[1] * rhs[1]) % Q;
    if (isSquare(norm, Q) === wantOnTwist) return x;
  }
}
const g2Bytes = ([x0, x1]) => Uint8Array.from([...le32(x0), ...le32(x1)]);

// arkworks' compressed flags live in the top two bits of a point's last
// byte: 0x40 point at infinity, 0x80 "y negative".
const G1_IDENTITY = (() => { const b = new Uint8Array(32); b[31] = 0x40; return b; })();
const G2_IDENTITY = (() => { const b = new Uint8Array(64); b[63] = 0x40; return b; })();
const g1NonCanonicalIdentity = (() => { const b = le32(7n); b[31] |= 0x40; return b; })();

// --- BabyJubJub (a x² + y² = 1 + d x² y² over Fr), circomlib packPoint:
// LE32(y), the top bit set when x > (r − 1) / 2.
const A = 168700n;
const D = 168696n;
function bjjOffCurveY() {
  for (let y = 2n; ; y++) {
    const num = (1n - y * y) % R;
    const den = (A - D * y * y) % R;
    const x2 = (((num * modpow(((den % R) + R) % R, R - 2n, R)) % R) + R) % R;
    if (!isSquare(x2, R)) return y;
  }
}
/** circomlib Base8: a valid key in the prime-order subgroup, not trusted by the fixture. */
const BASE8_PACKED = le32(16950150798460657717958625567821834550301663161624707787222815936182638968203n);

const nowBytes = (t) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, t);
  return b;
};

const body = fx.text.slice(5);
const M = 'malformed';
const J = 'reject';

/** `{ name, input, kind, code, item }` for every hand-made case. */
export const CASES = [
  // 49: lengths, before any curve decoding
  { item: 49, name: 'empty payload', input: new Uint8Array(0), kind: M, code: 'wrong-length' },
  { item: 49, name: 'one byte', input: new Uint8Array([1]), kind: M, code: 'wrong-length' },
  { item: 49, name: '168 bytes (truncated)', input: fx.payload.slice(0, 168), kind: M, code: 'wrong-length' },
  { item: 49, name: 'proof only (128 bytes)', input: fx.payload.slice(1, 129), kind: M, code: 'wrong-length' },
  { item: 49, name: '4096 bytes', input: new Uint8Array(4096).fill(1), kind: M, code: 'wrong-length' },
  // 50: trailing bytes
  { item: 50, name: '169 + 1 trailing byte', input: Uint8Array.from([...fx.payload, 0]), kind: M, code: 'wrong-length' },
  { item: 50, name: '169 + 3 trailing bytes', input: Uint8Array.from([...fx.payload, 1, 2, 3]), kind: M, code: 'wrong-length' },
  // version byte
  { item: 75, name: 'version 0', input: patched(0, [0]), kind: M, code: 'unknown-version' },
  { item: 75, name: 'version 2', input: patched(0, [2]), kind: M, code: 'unknown-version' },
  { item: 75, name: 'version 255', input: patched(0, [255]), kind: M, code: 'unknown-version' },
  // 51: non-canonical encodings
  { item: 51, name: 'A: identity flag with x = 7 (V20)', input: patched(OFF.A, g1NonCanonicalIdentity), kind: M, code: 'invalid-proof-encoding' },
  { item: 51, name: 'A: both flags set', input: patched(OFF.A + 31, [fx.payload[OFF.A + 31] | 0xc0]), kind: M, code: 'invalid-proof-encoding' },
  { item: 51, name: 'C: identity flag with garbage x', input: patched(OFF.C, (() => { const b = new Uint8Array(32).fill(0x11); b[31] = 0x40; return b; })()), kind: M, code: 'invalid-proof-encoding' },
  { item: 51, name: 'B: identity flag with garbage x', input: patched(OFF.B, (() => { const b = new Uint8Array(64).fill(0x22); b[63] = 0x40; return b; })()), kind: M, code: 'invalid-proof-encoding' },
  // 52: off-curve, off-subgroup, x ≥ q
  { item: 52, name: 'A: x not on the curve', input: patched(OFF.A, le32(g1OffCurveX())), kind: M, code: 'invalid-proof-encoding' },
  { item: 52, name: 'C: x not on the curve', input: patched(OFF.C, le32(g1OffCurveX())), kind: M, code: 'invalid-proof-encoding' },
  { item: 52, name: 'A: x = q', input: patched(OFF.A, le32(Q)), kind: M, code: 'invalid-proof-encoding' },
  { item: 52, name: 'C: x = 2^254 − 1', input: patched(OFF.C, le32((1n << 254n) - 1n)), kind: M, code: 'invalid-proof-encoding' },
  { item: 52, name: 'B: on the twist, outside the subgroup (V21)', input: patched(OFF.B, g2Bytes(g2X(true))), kind: M, code: 'invalid-proof-encoding' },
  { item: 52, name: 'B: not on the twist', input: patched(OFF.B, g2Bytes(g2X(false))), kind: M, code: 'invalid-proof-encoding' },
  { item: 52, name: 'B: x.c0 = q', input: patched(OFF.B, g2Bytes([Q, 1n])), kind: M, code: 'invalid-proof-encoding' },
  // 53: identity proofs verify as false → rejected, not accepted
  { item: 53, name: 'all-identity proof (V17)', input: patched(OFF.A, [...G1_IDENTITY, ...G2_IDENTITY, ...G1_IDENTITY]), kind: J, code: 'proof-invalid' },
  { item: 53, name: 'A = identity', input: patched(OFF.A, G1_IDENTITY), kind: J, code: 'proof-invalid' },
  { item: 53, name: 'B = identity', input: patched(OFF.B, G2_IDENTITY), kind: J, code: 'proof-invalid' },
  { item: 3, name: 'A and C swapped', input: patched(OFF.C, fx.payload.slice(OFF.A, OFF.B), patched(OFF.A, fx.payload.slice(OFF.C, OFF.NOW))), kind: J, code: 'proof-invalid' },
  // 59: the issuer key
  { item: 59, name: 'issuer key: identity (0, 1)', input: patched(OFF.KEY, le32(1n)), kind: M, code: 'invalid-issuer-key' },
  { item: 59, name: 'issuer key: order 2 (0, −1)', input: patched(OFF.KEY, le32(R - 1n)), kind: M, code: 'invalid-issuer-key' },
  { item: 59, name: 'issuer key: y = p', input: patched(OFF.KEY, le32(R)), kind: M, code: 'invalid-issuer-key' },
  { item: 59, name: 'issuer key: y = 2^255 − 1', input: patched(OFF.KEY, le32((1n << 255n) - 1n)), kind: M, code: 'invalid-issuer-key' },
  { item: 59, name: 'issuer key: not on the curve', input: patched(OFF.KEY, le32(bjjOffCurveY())), kind: M, code: 'invalid-issuer-key' },
  { item: 59, name: 'issuer key: "negative zero" x', input: patched(OFF.KEY, (() => { const b = le32(1n); b[31] |= 0x80; return b; })()), kind: M, code: 'invalid-issuer-key' },
  { item: 78, name: 'issuer key: valid (Base8) but not trusted', input: patched(OFF.KEY, BASE8_PACKED), kind: J, code: 'untrusted-issuer' },
  // the payload's time
  { item: 73, name: 'payload now = 0', input: patched(OFF.NOW, nowBytes(0n)), kind: J, code: 'implausible-time' },
  { item: 73, name: 'payload now = 2^64 − 1', input: patched(OFF.NOW, nowBytes((1n << 64n) - 1n)), kind: J, code: 'implausible-time' },
  { item: 73, name: 'payload now in milliseconds', input: patched(OFF.NOW, nowBytes(fx.now * 1000n)), kind: J, code: 'implausible-time' },
  { item: 31, name: 'payload now + 301 s (beyond skew)', input: patched(OFF.NOW, nowBytes(fx.now + 301n)), kind: J, code: 'clock-skew' },
  { item: 31, name: 'payload now + 1 s (within skew, proof bound to now)', input: patched(OFF.NOW, nowBytes(fx.now + 1n)), kind: J, code: 'proof-invalid' },
  // the text form
  { item: 60, name: 'text: empty', input: '', kind: M, code: 'missing-prefix' },
  { item: 60, name: 'text: no prefix', input: body, kind: M, code: 'missing-prefix' },
  { item: 60, name: 'text: lowercase prefix', input: `zks1:${body}`, kind: M, code: 'wrong-prefix' },
  { item: 60, name: 'text: another version', input: `ZKS2:${body}`, kind: M, code: 'wrong-prefix' },
  { item: 60, name: 'text: lowercase body', input: `ZKS1:${body.toLowerCase()}`, kind: M, code: 'invalid-base45' },
  { item: 60, name: 'text: a character outside base45', input: `ZKS1:#${body.slice(1)}`, kind: M, code: 'invalid-base45' },
  { item: 60, name: 'text: a non-ASCII character', input: `ZKS1:€${body.slice(1)}`, kind: M, code: 'wrong-length' },
  { item: 60, name: 'text: a newline inside', input: `ZKS1:${body.slice(0, 100)}\n${body.slice(101)}`, kind: M, code: 'invalid-base45' },
  { item: 60, name: 'text: triple overflow (GGW)', input: `ZKS1:GGW${body.slice(3)}`, kind: M, code: 'invalid-base45' },
  { item: 60, name: 'text: final pair overflow (ZZ)', input: `ZKS1:${body.slice(0, -2)}ZZ`, kind: M, code: 'invalid-base45' },
  { item: 60, name: 'text: one character short', input: fx.text.slice(0, -1), kind: M, code: 'wrong-length' },
  { item: 50, name: 'text: trailing characters', input: `${fx.text}00`, kind: M, code: 'wrong-length' },
  { item: 50, name: 'text: trailing bytes, encoded', input: toText(Uint8Array.from([...fx.payload, 0])), kind: M, code: 'wrong-length' },
  { item: 75, name: 'text: version 2, encoded', input: toText(patched(0, [2])), kind: M, code: 'unknown-version' },
  { item: 52, name: 'text: B off the subgroup, encoded', input: `ZKS1:${base45(patched(OFF.B, g2Bytes(g2X(true))))}`, kind: M, code: 'invalid-proof-encoding' },
];

/** Text forms that must still be accepted (surrounding ASCII whitespace). */
export const ACCEPTED_TEXT = [` ${fx.text}`, `${fx.text}\n`, `\r\n\t${fx.text} \r\n`];
