// Statement v2 (docs/circuit.md §12) written with circomlib 2.0.5 templates,
// for the side-by-side benchmark against snarkjs (benches/peer/).
//
// It is meant to be *the same statement* as
// circuits/src/statement/v2/constraints.rs: the same ten public inputs in the
// same order (§12.2), rules 1–7 exactly as circuits/status.circom (v1's port)
// writes them but with the issuer key private, and rules 8–10 (§12.3): the
// issuer's leaf in a 4-ary Poseidon registry of depth 6, the issuer's window
// open at `now`, and the one-scan nullifier. A valid zkstatus v2 witness
// (benches/examples/peer_input_v2.rs makes some) satisfies this circuit, and
// snarkjs's public signals equal zkstatus's public inputs.
// Rules are numbered and ordered as in docs/circuit.md; benches/peer/README.md
// lists the (few) places where the constraints differ in form.
pragma circom 2.0.0;

include "../node_modules/circomlib/circuits/poseidon.circom";
include "../node_modules/circomlib/circuits/bitify.circom";
include "../node_modules/circomlib/circuits/comparators.circom";
include "../node_modules/circomlib/circuits/babyjub.circom";
include "../node_modules/circomlib/circuits/eddsaposeidon.circom";

// Times are u64 (docs/circuit.md §5, "Ranges").
function TIME_BITS() { return 64; }
// The registry (docs/circuit.md §12.1, circuits/src/registry/mod.rs):
// 4-ary, depth 6, so 4,096 leaves and 12 index bits.
function REGISTRY_DEPTH() { return 6; }
// "zkstatus.issuer" read as a big-endian integer (registry::ISSUER_LEAF_TAG).
function ISSUER_LEAF_TAG() { return 635639581825605744674309778359805298; }
// "zkstatus.nullifier" read as a big-endian integer (statement::v2::NULLIFIER_TAG).
function NULLIFIER_TAG() { return 10664262562437861909241837178309932369929586; }

// Rule 8 — `node` placed at position b0 + 2·b1 among the three siblings `s`
// (given in position order, skipping the node's own position), with the
// position indicators of circuits/src/registry/constraints.rs (`insert_at`):
//   e3 = b0·b1, e0 = 1 − b0 − b1 + e3, e1 = b0 − e3, e2 = b1 − e3
//   c0 = s0 + e0·(node − s0)
//   c1 = s1 + e0·(s0 − s1) + e1·(node − s1)
//   c2 = s2 + (1 − b1)·(s1 − s2) + e2·(node − s2)
//   c3 = s2 + e3·(node − s2)
// b0 and b1 must be booleans (the caller's Num2Bits); 7 constraints.
template InsertAt() {
    signal input node;
    signal input b0;
    signal input b1;
    signal input s[3];
    signal output c[4];

    signal e3 <== b0 * b1;
    var e0 = 1 - b0 - b1 + e3;
    var e1 = b0 - e3;
    var e2 = b1 - e3;
    signal t1 <== e0 * (s[0] - s[1]);
    signal t2 <== (1 - b1) * (s[1] - s[2]);
    c[0] <== s[0] + e0 * (node - s[0]);
    c[1] <== s[1] + t1 + e1 * (node - s[1]);
    c[2] <== s[2] + t2 + e2 * (node - s[2]);
    c[3] <== s[2] + e3 * (node - s[2]);
}

// Rule 8 — the root a leaf's path gives: per level, the node placed among its
// siblings by the level's two index bits (2k, 2k+1, little-endian), then
// node = Poseidon(4)(children) (registry::MerklePath::root).
template RegistryRoot(DEPTH) {
    signal input leaf;
    signal input index_bits[2 * DEPTH];
    signal input siblings[DEPTH][3];
    signal output root;

    signal node[DEPTH + 1];
    component place[DEPTH];
    component hash[DEPTH];
    node[0] <== leaf;
    for (var k = 0; k < DEPTH; k++) {
        place[k] = InsertAt();
        place[k].node <== node[k];
        place[k].b0 <== index_bits[2 * k];
        place[k].b1 <== index_bits[2 * k + 1];
        for (var j = 0; j < 3; j++) {
            place[k].s[j] <== siblings[k][j];
        }
        hash[k] = Poseidon(4);
        for (var j = 0; j < 4; j++) {
            hash[k].inputs[j] <== place[k].c[j];
        }
        node[k + 1] <== hash[k].out;
    }
    root <== node[DEPTH];
}

template ZkStatusV2() {
    // §12.2 Public inputs, declared in zkstatus's order
    // (statement::v2::PUBLIC_INPUT_NAMES; circom orders public signals by
    // declaration and the main component has no outputs, so these are
    // snarkjs's public signals 0..9 exactly). No issuer key is public.
    signal input registry_root;          // 0
    signal input now;                    // 1
    signal input challenge;              // 2: 0 in one-scan mode
    signal input one_scan;               // 3: 1 one-scan, 0 interactive
    signal input scope;                  // 4: 0 in interactive mode
    signal input nullifier;              // 5: 0 in interactive mode
    signal input accepted_test_types;    // 6: bit 0 PCR, bit 1 rapid antigen
    signal input max_age_pcr;            // 7
    signal input max_age_rapid_antigen;  // 8
    signal input min_exposure_gap;       // 9

    // §4 Witness (v1's) …
    signal input holder_secret;
    signal input test_result;
    signal input test_type;
    signal input test_time;
    signal input exposure_time;
    signal input issued_at;
    signal input expires_at;
    signal input credential_id;
    signal input r8x;
    signal input r8y;
    signal input s;
    // … and §12.2's: the issuer key (private in v2), its window, the leaf
    // index (0..4095; zkstatus takes its 12 bits, here Num2Bits(12) makes
    // them) and the 6 × 3 siblings, leaf level first.
    signal input issuer_ax;
    signal input issuer_ay;
    signal input not_before;
    signal input not_after;
    signal input leaf_index;
    signal input siblings[REGISTRY_DEPTH()][3];

    var T = TIME_BITS();

    // signature_r8_on_curve: R8 is a point of BabyJubJub (circomlib form).
    component r8OnCurve = BabyCheck();
    r8OnCurve.x <== r8x;
    r8OnCurve.y <== r8y;

    // rule8_index_bits_boolean: the 12 index bits are booleans (zkstatus
    // enforces this when it allocates them); Num2Bits also ties them to
    // leaf_index, a linear constraint that --O2 removes.
    component indexBits = Num2Bits(2 * REGISTRY_DEPTH());
    indexBits.in <== leaf_index;

    // Rule 7 — the challenge is bound: challenge · challenge = c², so that no
    // optimiser can drop the input from the matrices.
    signal challengeSquared;
    challengeSquared <== challenge * challenge;

    // Ranges (public_inputs_in_range): range64 of now, the two maximum ages and
    // the minimum exposure gap; accepted_test_types into exactly 2 bits.
    component nowBits = Num2Bits(T);
    nowBits.in <== now;
    component maxAgePcrBits = Num2Bits(T);
    maxAgePcrBits.in <== max_age_pcr;
    component maxAgeAgBits = Num2Bits(T);
    maxAgeAgBits.in <== max_age_rapid_antigen;
    component minGapBits = Num2Bits(T);
    minGapBits.in <== min_exposure_gap;
    component mask = Num2Bits(2);
    mask.in <== accepted_test_types;
    signal acceptPcr <== mask.out[0];
    signal acceptAntigen <== mask.out[1];

    // issuer_key_on_curve: A (private) is a point of BabyJubJub. (8·A ≠ O is
    // checked inside EdDSAPoseidonVerifier, rule 1.2; subgroup membership is
    // checked by the registry authority, docs/circuit.md §12.4.)
    component issuerOnCurve = BabyCheck();
    issuerOnCurve.x <== issuer_ax;
    issuerOnCurve.y <== issuer_ay;

    // Rule 2 — the holder knows the secret behind `holder`:
    // holder = H_1(holder_secret), an internal value fed into C.
    component holderHash = Poseidon(1);
    holderHash.inputs[0] <== holder_secret;

    // Rule 1 — the record is signed by the issuer.
    // C = H_10(DOMAIN_TAG, FORMAT_VERSION, holder, test_result, test_type,
    //          test_time, exposure_time, issued_at, expires_at, credential_id)
    // (§2, circuits/src/record.rs: the tag is "zkstatus.credential" read as a
    // big-endian integer, the version is 1).
    component commitment = Poseidon(10);
    commitment.inputs[0] <== 2730051215984092648765858315769139577894822252;
    commitment.inputs[1] <== 1;
    commitment.inputs[2] <== holderHash.out;
    commitment.inputs[3] <== test_result;
    commitment.inputs[4] <== test_type;
    commitment.inputs[5] <== test_time;
    commitment.inputs[6] <== exposure_time;
    commitment.inputs[7] <== issued_at;
    commitment.inputs[8] <== expires_at;
    commitment.inputs[9] <== credential_id;

    // Rule 1.3 — eddsa_r8_not_identity: R8x ≠ 0 (on the curve, x = 0 only for
    // O and the point of order 2). circomlib's verifier has no such check.
    component r8xIsZero = IsZero();
    r8xIsZero.in <== r8x;
    r8xIsZero.out === 0;

    // Rule 1.1, 1.2, 1.4, 1.5 — circomlib's EdDSAPoseidonVerifier, enabled:
    // S ≤ l − 1 (Num2Bits(253) + CompConstant(l − 1)), 8·A ≠ O (IsZero of
    // (8·A).x), hm = H_5(R8x, R8y, Ax, Ay, C) strictly decomposed
    // (Num2Bits_strict), and [S]·Base8 = R8 + [hm]·(8·A).
    component sig = EdDSAPoseidonVerifier();
    sig.enabled <== 1;
    sig.Ax <== issuer_ax;
    sig.Ay <== issuer_ay;
    sig.S <== s;
    sig.R8x <== r8x;
    sig.R8y <== r8y;
    sig.M <== commitment.out;

    // Rule 3 — negative, and a test type the policy accepts.
    // rule3_test_negative: test_result = 0.
    test_result === 0;
    // rule3_test_type_known: (test_type − 1)·(test_type − 2) = 0.
    signal typeMinus1 <== test_type - 1;
    typeMinus1 * (test_type - 2) === 0;
    // rule3_test_type_accepted: (t − 1)·(m_ag − m_pcr) = 1 − m_pcr.
    typeMinus1 * (acceptAntigen - acceptPcr) === 1 - acceptPcr;

    // Ranges (record_times_in_range): range64 of the four record times, before
    // any subtraction.
    component testTimeBits = Num2Bits(T);
    testTimeBits.in <== test_time;
    component exposureBits = Num2Bits(T);
    exposureBits.in <== exposure_time;
    component issuedBits = Num2Bits(T);
    issuedBits.in <== issued_at;
    component expiresBits = Num2Bits(T);
    expiresBits.in <== expires_at;

    // Rule 4 — the test is recent.
    // rule4_test_not_in_future: test_time ≤ now.
    component notInFuture = LessEqThan(T);
    notInFuture.in[0] <== test_time;
    notInFuture.in[1] <== now;
    notInFuture.out === 1;
    // rule4_test_recent_enough: max_age = max_age_pcr + (t − 1)·(max_age_ag − max_age_pcr),
    // then now − test_time ≤ max_age.
    signal maxAge <== max_age_pcr + typeMinus1 * (max_age_rapid_antigen - max_age_pcr);
    component recentEnough = LessEqThan(T);
    recentEnough.in[0] <== now - test_time;
    recentEnough.in[1] <== maxAge;
    recentEnough.out === 1;

    // Rule 5 — no recent exposure (rule5_no_recent_exposure):
    // exposed = (exposure_time ≠ 0), slack = exposed · (now − exposure_time − min_gap),
    // range64(slack); with exposed = 1 this means exposure_time + min_gap ≤ now.
    component noExposure = IsZero();
    noExposure.in <== exposure_time;
    signal slack <== (1 - noExposure.out) * (now - exposure_time - min_exposure_gap);
    component slackBits = Num2Bits(T);
    slackBits.in <== slack;

    // Rule 6 — issued and unexpired.
    // rule6_issued_not_after_now: issued_at ≤ now.
    component issuedNotAfterNow = LessEqThan(T);
    issuedNotAfterNow.in[0] <== issued_at;
    issuedNotAfterNow.in[1] <== now;
    issuedNotAfterNow.out === 1;
    // rule6_not_expired: now < expires_at.
    component notExpired = LessThan(T);
    notExpired.in[0] <== now;
    notExpired.in[1] <== expires_at;
    notExpired.out === 1;

    // Rule 8 — the issuer is accredited.
    // rule8_issuer_leaf: leaf = H_5(ISSUER_LEAF_TAG, Ax, Ay, not_before, not_after).
    component leaf = Poseidon(5);
    leaf.inputs[0] <== ISSUER_LEAF_TAG();
    leaf.inputs[1] <== issuer_ax;
    leaf.inputs[2] <== issuer_ay;
    leaf.inputs[3] <== not_before;
    leaf.inputs[4] <== not_after;
    // rule8_issuer_in_registry: the leaf's path gives registry_root.
    component registry = RegistryRoot(REGISTRY_DEPTH());
    registry.leaf <== leaf.out;
    for (var i = 0; i < 2 * REGISTRY_DEPTH(); i++) {
        registry.index_bits[i] <== indexBits.out[i];
    }
    for (var k = 0; k < REGISTRY_DEPTH(); k++) {
        for (var j = 0; j < 3; j++) {
            registry.siblings[k][j] <== siblings[k][j];
        }
    }
    registry.root === registry_root;

    // Rule 9 — the issuer's window is open: not_before ≤ now < not_after.
    // rule9_window_in_range: range64 of both window ends.
    component notBeforeBits = Num2Bits(T);
    notBeforeBits.in <== not_before;
    component notAfterBits = Num2Bits(T);
    notAfterBits.in <== not_after;
    // rule9_issuer_accredited_yet: not_before ≤ now.
    component accreditedYet = LessEqThan(T);
    accreditedYet.in[0] <== not_before;
    accreditedYet.in[1] <== now;
    accreditedYet.out === 1;
    // rule9_issuer_window_open: now < not_after (now = not_after is refused).
    component windowOpen = LessThan(T);
    windowOpen.in[0] <== now;
    windowOpen.in[1] <== not_after;
    windowOpen.out === 1;

    // Rule 10 — mode and nullifier.
    // rule10_mode_is_a_bit: one_scan · (1 − one_scan) = 0.
    one_scan * (1 - one_scan) === 0;
    // rule10_modes_exclusive: a one-scan proof carries no challenge, an
    // interactive one no scope.
    one_scan * challenge === 0;
    (1 - one_scan) * scope === 0;
    // rule10_nullifier: nullifier = one_scan · H_3(NULLIFIER_TAG, holder_secret, scope)
    // (the constant 0 in interactive mode).
    component nullifierHash = Poseidon(3);
    nullifierHash.inputs[0] <== NULLIFIER_TAG();
    nullifierHash.inputs[1] <== holder_secret;
    nullifierHash.inputs[2] <== scope;
    nullifier === one_scan * nullifierHash.out;
}

component main {public [
    registry_root, now, challenge, one_scan, scope, nullifier,
    accepted_test_types, max_age_pcr, max_age_rapid_antigen, min_exposure_gap
]} = ZkStatusV2();
