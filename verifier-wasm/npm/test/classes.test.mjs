// docs/security.md, items 49–53 (and the text wrappers of item 60) through
// the WASM boundary: one hand-made case per malformed-payload class that the
// native tests name (verifier/tests/payload_v2_decoding.rs), made from the
// test set's own payloads. Each case is a verdict, never a trap or a thrown
// Error, with the class's code and a reason naming what is wrong; the binary
// cases give the same kind and code in the text form too. The same gate then
// accepts the unmodified payload, so a gate that refused everything, or that
// a case had poisoned, fails the test.
//
// The points are made here, with BigInt arithmetic over BN254's base field
// and its quadratic extension (the twist), and checked for what they stand
// for (off the curve, on the twist but outside the prime-order subgroup)
// before they are used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fx, fixtureGate, issuedGate, toText } from './helpers.mjs';

// ---------------------------------------------------------------------------
// BN254: the base field Fq, Fq2 = Fq[u]/(u² + 1), the curves y² = x³ + 3
// (G1) and y² = x³ + 3/(9 + u) (the twist, G2), the group order r.

const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const mod = (a) => ((a % P) + P) % P;
function pow(b, e) {
  let out = 1n;
  for (b = mod(b); e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) out = (out * b) % P;
  return out;
}
const inv = (a) => pow(a, P - 2n);
/** Euler's criterion. */
const isSquare = (a) => mod(a) === 0n || pow(a, (P - 1n) / 2n) === 1n;

// Fq2 elements as [c0, c1] = c0 + c1·u.
const F2 = {
  add: ([a, b], [c, d]) => [mod(a + c), mod(b + d)],
  sub: ([a, b], [c, d]) => [mod(a - c), mod(b - d)],
  mul: ([a, b], [c, d]) => [mod(a * c - b * d), mod(a * d + b * c)],
  neg: ([a, b]) => [mod(-a), mod(-b)],
  inv: ([a, b]) => {
    const n = inv(a * a + b * b);
    return [mod(a * n), mod(-b * n)];
  },
  eq: ([a, b], [c, d]) => a === c && b === d,
  /** a is a square in Fq2 iff its norm a0² + a1² is a square in Fq. */
  isSquare: ([a, b]) => isSquare(a * a + b * b),
  pow(x, e) {
    let out = [1n, 0n];
    for (; e > 0n; e >>= 1n, x = F2.mul(x, x)) if (e & 1n) out = F2.mul(out, x);
    return out;
  },
  /** A square root for p ≡ 3 (mod 4) (Adj and Rodríguez-Henríquez, algorithm 9). */
  sqrt(a) {
    const a1 = F2.pow(a, (P - 3n) / 4n);
    const alpha = F2.mul(F2.mul(a1, a1), a);
    const x0 = F2.mul(a1, a);
    if (F2.eq(alpha, [P - 1n, 0n])) return F2.mul([0n, 1n], x0);
    return F2.mul(F2.pow(F2.add([1n, 0n], alpha), (P - 1n) / 2n), x0);
  },
};
const TWIST_B = F2.mul([3n, 0n], F2.inv([9n, 1n]));
const twistRhs = (x) => F2.add(F2.mul(F2.mul(x, x), x), TWIST_B);

/** [k]Q on the twist, affine (null is the identity). */
function twistMul(k, q) {
  const add = (s, t) => {
    if (s === null) return t;
    if (t === null) return s;
    let l;
    if (F2.eq(s[0], t[0])) {
      if (!F2.eq(s[1], t[1]) || F2.eq(s[1], [0n, 0n])) return null;
      const x2 = F2.mul(s[0], s[0]);
      l = F2.mul(F2.add(F2.add(x2, x2), x2), F2.inv(F2.add(s[1], s[1])));
    } else {
      l = F2.mul(F2.sub(t[1], s[1]), F2.inv(F2.sub(t[0], s[0])));
    }
    const x = F2.sub(F2.sub(F2.mul(l, l), s[0]), t[0]);
    return [x, F2.sub(F2.mul(l, F2.sub(s[0], x)), s[1])];
  };
  let out = null;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    out = add(out, out);
    if ((k >> i) & 1n) out = add(out, q);
  }
  return out;
}

// Compressed encodings as arkworks writes them: x little-endian (c0 then c1
// for Fq2), the flags in the top two bits of the last byte (0x80: y is the
// larger root, 0x40: the point at infinity).
const le32 = (n) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
const be32 = (n) => le32(n).reverse();
const g1 = (x, flags = 0) => {
  const b = le32(x);
  b[31] |= flags;
  return b;
};
const g2 = ([c0, c1], flags = 0) => {
  const b = new Uint8Array(64);
  b.set(le32(c0), 0);
  b.set(le32(c1), 32);
  b[63] |= flags;
  return b;
};
const NEGATIVE = 0x80;
const INFINITY = 0x40;

/** The first x ≥ 2 with no G1 point: x³ + 3 is not a square. */
let x = 2n;
while (isSquare(x * x * x + 3n)) x++;
const G1_X_OFF_CURVE = x;
/** The first x = i + u with no point on the twist. */
let i = 1n;
while (F2.isSquare(twistRhs([i, 1n]))) i++;
const G2_X_OFF_TWIST = [i, 1n];
/** The first x = i + u with a point on the twist; r·Q ≠ 0 is checked below. */
i = 1n;
while (!F2.isSquare(twistRhs([i, 1n]))) i++;
const TWIST_POINT = [[i, 1n], F2.sqrt(twistRhs([i, 1n]))];

test('the hand-made points are what they stand for', () => {
  assert.equal(isSquare(G1_X_OFF_CURVE ** 3n + 3n), false);
  assert.equal(F2.isSquare(twistRhs(G2_X_OFF_TWIST)), false);
  const [tx, ty] = TWIST_POINT;
  assert.ok(F2.eq(F2.mul(ty, ty), twistRhs(tx)), 'on the twist');
  assert.notEqual(twistMul(R, TWIST_POINT), null, 'outside the prime-order subgroup');
  // The arithmetic itself: the standard G2 generator is on the twist and
  // has order r.
  const gen = [
    [10857046999023057135944570762232829481370756359578518086990519993285655852781n, 11559732032986387107991004021392285783925812861821192530917403151452391805634n],
    [8495653923123431417604973247489272438418190587263600148770280649306958101930n, 4082367875863433681332203403145435568316851327593401208105741076214120093531n],
  ];
  assert.ok(F2.eq(F2.mul(gen[1], gen[1]), twistRhs(gen[0])));
  assert.equal(twistMul(R, gen), null);
});

// ---------------------------------------------------------------------------
// The binary payload: version, mode, epoch (8 bytes), time (8, big-endian),
// proof A (G1, 32), B (G2, 64), C (G1, 32); a one-scan pass adds its
// nullifier (32, big-endian).

const MODE_AT = 1;
const NOW_AT = 10;
const A_AT = 18;
const B_AT = A_AT + 32;
const C_AT = B_AT + 64;
const INTERACTIVE = 146;
const ONE_SCAN = 178;

/** `payload` with `bytes` written at `at`. */
function patched(payload, at, bytes) {
  const out = new Uint8Array(payload);
  out.set(bytes, at);
  return out;
}
const concat = (a, b) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};
const u64be = (n) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
};
const invalid = (what) => new RegExp(`^invalid proof encoding: ${what} is not a valid curve point in the prime-order subgroup$`);
const nonCanonical = (what) => new RegExp(`^invalid proof encoding: ${what} is not canonically encoded$`);

/** [name, payload, kind, code, reason] for the interactive payload's gate. */
function interactiveCases() {
  const p = fx.interactive;
  assert.equal(p.length, INTERACTIVE);
  const cases = [];
  const add = (name, bytes, code, reason, kind = 'malformed') => cases.push([name, bytes, kind, code, reason]);

  // Item 49: lengths, before any point.
  add('empty', new Uint8Array(0), 'wrong-length', /^a payload has exactly 146 bytes, got 0$/);
  add('one byte short', p.subarray(0, INTERACTIVE - 1), 'wrong-length', /^a payload has exactly 146 bytes, got 145$/);
  add('the header only', p.subarray(0, A_AT), 'wrong-length', /^a payload has exactly 146 bytes, got 18$/);
  // Item 50 (V19): trailing bytes.
  add('one trailing zero byte', concat(p, new Uint8Array(1)), 'wrong-length', /^a payload has exactly 146 bytes, got 147$/);
  add('32 trailing bytes (a one-scan length, an interactive mode)', concat(p, new Uint8Array(32).fill(0xff)), 'wrong-length', /^a payload has exactly 146 bytes, got 178$/);
  add('relabelled one-scan', patched(p, MODE_AT, [1]), 'wrong-length', /^a payload has exactly 178 bytes, got 146$/);
  // Versions (before the proof: A is not a point here) and modes.
  for (const v of [0, 1, 3, 255]) {
    add(`version ${v}`, patched(patched(p, 0, [v]), A_AT, le32(P)), 'unsupported-version', new RegExp(`^payload version ${v}: this verifier reads version 2 \\(statement v2\\); the holder must update$`));
  }
  for (const m of [2, 0x80, 255]) {
    add(`mode ${m}`, patched(p, MODE_AT, [m]), 'unknown-mode', new RegExp(`^unknown presentation mode ${m} \\(0 is interactive, 1 is one-scan\\)$`));
  }
  // Item 51 (V20): non-canonical identity encodings.
  for (const [at, what] of [[A_AT, 'proof point A'], [C_AT, 'proof point C']]) {
    const garbage = g1(7n, INFINITY);
    add(`${what}: the infinity flag with x = 7`, patched(p, at, garbage), 'invalid-proof-encoding', nonCanonical(what));
    const top = g1(0n, INFINITY);
    top[31] |= 0x01;
    add(`${what}: the infinity flag with a high bit of x set`, patched(p, at, top), 'invalid-proof-encoding', nonCanonical(what));
    add(`${what}: both flags`, patched(p, at, g1(0n, INFINITY | NEGATIVE)), 'invalid-proof-encoding', invalid(what));
    add(`${what}: the infinity flag with x = p`, patched(p, at, g1(P, INFINITY)), 'invalid-proof-encoding', invalid(what));
  }
  for (const garbageAt of [0, 32, 62]) {
    const b = new Uint8Array(64);
    b[garbageAt] = 7;
    b[63] = INFINITY;
    add(`proof point B: the infinity flag with a nonzero byte ${garbageAt}`, patched(p, B_AT, b), 'invalid-proof-encoding', nonCanonical('proof point B'));
  }
  // Item 52: x not below p, off the curve, on the twist outside the subgroup.
  const allOnes = new Uint8Array(32).fill(0xff);
  allOnes[31] = 0x3f;
  for (const [at, what] of [[A_AT, 'proof point A'], [C_AT, 'proof point C']]) {
    add(`${what}: x = p`, patched(p, at, g1(P)), 'invalid-proof-encoding', invalid(what));
    add(`${what}: x = p + 1`, patched(p, at, g1(P + 1n)), 'invalid-proof-encoding', invalid(what));
    add(`${what}: x = 2^254 − 1`, patched(p, at, allOnes), 'invalid-proof-encoding', invalid(what));
    add(`${what}: x = ${G1_X_OFF_CURVE}, off the curve`, patched(p, at, g1(G1_X_OFF_CURVE)), 'invalid-proof-encoding', invalid(what));
    add(`${what}: x = ${G1_X_OFF_CURVE}, off the curve, the other sign`, patched(p, at, g1(G1_X_OFF_CURVE, NEGATIVE)), 'invalid-proof-encoding', invalid(what));
  }
  add('proof point B: x.c0 = p', patched(p, B_AT, g2([P, 0n])), 'invalid-proof-encoding', invalid('proof point B'));
  add('proof point B: x.c1 = p', patched(p, B_AT, g2([0n, P])), 'invalid-proof-encoding', invalid('proof point B'));
  add('proof point B: off the twist', patched(p, B_AT, g2(G2_X_OFF_TWIST)), 'invalid-proof-encoding', invalid('proof point B'));
  for (const flags of [0, NEGATIVE]) {
    add(`proof point B: on the twist, outside the subgroup (flags ${flags})`, patched(p, B_AT, g2(TWIST_POINT[0], flags)), 'invalid-proof-encoding', invalid('proof point B'));
  }
  // Item 53 (V17): the identity decodes, and the proof is rejected, not
  // malformed and never accepted.
  const zero1 = g1(0n, INFINITY);
  const zero2 = g2([0n, 0n], INFINITY);
  add('an all-identity proof', patched(patched(patched(p, A_AT, zero1), B_AT, zero2), C_AT, zero1), 'proof-invalid', /^the proof does not verify/, 'reject');
  add('A the identity', patched(p, A_AT, zero1), 'proof-invalid', /^the proof does not verify/, 'reject');
  add('B the identity', patched(p, B_AT, zero2), 'proof-invalid', /^the proof does not verify/, 'reject');
  add('C the identity', patched(p, C_AT, zero1), 'proof-invalid', /^the proof does not verify/, 'reject');
  return cases;
}

/** The same for the one-scan pass: its time and its nullifier. */
function oneScanCases() {
  const p = fx.oneScan;
  assert.equal(p.length, ONE_SCAN);
  const cases = [];
  const add = (name, bytes, code, reason, kind = 'malformed') => cases.push([name, bytes, kind, code, reason]);
  add('one byte short', p.subarray(0, ONE_SCAN - 1), 'wrong-length', /^a payload has exactly 178 bytes, got 177$/);
  add('one trailing byte', concat(p, new Uint8Array(1)), 'wrong-length', /^a payload has exactly 178 bytes, got 179$/);
  add('relabelled interactive', patched(p, MODE_AT, [0]), 'wrong-length', /^a payload has exactly 146 bytes, got 178$/);
  const t = fx.windowStart + 1n;
  add('a time that is not a window start', patched(p, NOW_AT, u64be(t)), 'misaligned-window', new RegExp(`^one-scan time ${t} is not the start of a 60-second window$`));
  for (const [name, n] of [['r', be32(R)], ['r + 1', be32(R + 1n)], ['2^256 − 1', new Uint8Array(32).fill(0xff)]]) {
    add(`nullifier ${name}`, patched(p, INTERACTIVE, n), 'non-canonical-nullifier', /^the nullifier is not a canonical field element \(it must be below the field modulus\)$/);
  }
  // r − 1 decodes: a verdict on the proof.
  add('nullifier r − 1', patched(p, INTERACTIVE, be32(R - 1n)), 'proof-invalid', /^the proof does not verify/, 'reject');
  add('proof point B: on the twist, outside the subgroup', patched(p, B_AT, g2(TWIST_POINT[0])), 'invalid-proof-encoding', invalid('proof point B'));
  return cases;
}

/** Text cases: [name, text, code, reason]. */
function textCases(good) {
  const PREFIX = 'ZKS2:';
  const body = good.slice(PREFIX.length);
  const cases = [];
  const add = (name, text, code, reason) => cases.push([name, text, 'malformed', code, reason]);
  const missing = /^a text payload starts with ZKS2:$/;
  add('empty', '', 'missing-prefix', missing);
  add('the body alone', body, 'missing-prefix', missing);
  add('no colon', `ZKS2${body}`, 'missing-prefix', missing);
  add('a no-break space first', `\u00a0${good}`, 'missing-prefix', missing);
  add('ZKS1:', `ZKS1:${body}`, 'unsupported-version', /^payload version 1: this verifier reads version 2/);
  for (const prefix of ['zks2:', 'Zks2:']) {
    add(prefix, `${prefix}${body}`, 'wrong-prefix', /^wrong prefix: a text payload starts with ZKS2: \(uppercase, this version\)$/);
  }
  const firstLetter = [...body].findIndex((c) => c >= 'A' && c <= 'Z');
  add('a lowercase body', `${PREFIX}${body.toLowerCase()}`, 'invalid-base45', new RegExp(`^invalid base45 at character ${PREFIX.length + firstLetter}$`));
  // Each replaces as many characters as it has UTF-8 bytes (positions are
  // byte offsets, and the length stays valid).
  for (const [at, bad] of [[0, '#'], [100, '='], [150, '\n'], [body.length - 3, '_'], [50, 'é']]) {
    add(`${JSON.stringify(bad)} at ${at}`, `${PREFIX}${body.slice(0, at)}${bad}${body.slice(at + Buffer.byteLength(bad))}`, 'invalid-base45', new RegExp(`^invalid base45 at character ${PREFIX.length + at}$`));
  }
  // "GGW" is 65536: one above what two bytes hold.
  add('a triple above 65535', `${PREFIX}GGW${body.slice(3)}`, 'invalid-base45', new RegExp(`^invalid base45 at character ${PREFIX.length + 2}$`));
  // Refused by the body's length, before decoding; the reason gives the
  // byte length that many characters would decode to.
  const length = (chars) => {
    const expected = chars < 267 ? INTERACTIVE : ONE_SCAN;
    const got = Math.floor(chars / 3) * 2 + Math.max((chars % 3) - 1, 0);
    return new RegExp(`^a payload has exactly ${expected} bytes, got ${got}$`);
  };
  add('the prefix alone', PREFIX, 'wrong-length', length(0));
  add('one character short', `${PREFIX}${body.slice(0, -1)}`, 'wrong-length', length(body.length - 1));
  add('one character long', `${PREFIX}${body}0`, 'wrong-length', length(body.length + 1));
  add('a space inside', `${PREFIX}${body.slice(0, 100)} ${body.slice(100)}`, 'wrong-length', length(body.length + 1));
  add('the body twice', `${PREFIX}${body}${body}`, 'wrong-length', length(2 * body.length));
  return cases;
}

/**
 * Verify each case on `g` at `now`: a verdict (a trap would throw a
 * RuntimeError here), of the case's kind and code, its reason naming what
 * is wrong. Binary cases are also sent as text (same kind and code).
 */
function refuseAll(g, now, cases) {
  for (const [name, payload, kind, code, reason] of cases) {
    const r = g.verify(payload, now);
    assert.equal(r.ok, false, `${name}: accepted`);
    assert.deepEqual([r.kind, r.code], [kind, code], `${name}: ${JSON.stringify(r)}`);
    assert.match(r.reason, reason, name);
    if (payload instanceof Uint8Array) {
      const t = g.verify(toText(payload), now);
      assert.deepEqual([t.ok, t.kind, t.code], [false, kind, code], `${name} (text): ${JSON.stringify(t)}`);
    }
  }
}

test('every malformed interactive class is refused with its code and reason; the payload is then accepted', () => {
  const g = issuedGate();
  const cases = [...interactiveCases(), ...textCases(fx.interactiveText)];
  assert.ok(cases.length >= 60, `${cases.length} cases`);
  refuseAll(g, fx.now + 3n, cases);
  const r = g.verify(fx.interactive, fx.now + 3n);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.mode, 'interactive');
});

test('every malformed one-scan class is refused with its code and reason; the pass is then accepted', () => {
  const g = fixtureGate();
  refuseAll(g, fx.windowStart + 10n, [...oneScanCases(), ...textCases(fx.oneScanText)]);
  const r = g.verify(fx.oneScanText, fx.windowStart + 10n);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.mode, 'one-scan');
});
