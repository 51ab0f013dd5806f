// The zkstatus statement (docs/circuit.md) written with circomlib 2.0.5
// templates, for the side-by-side benchmark against snarkjs (benches/peer/).
//
// It is meant to be *the same statement* as circuits/src/statement/constraints.rs:
// the same eight public inputs in the same order, the same record commitment,
// EdDSA-Poseidon as circomlibjs signs it, the same range checks and the same
// comparison boundaries, so that a valid zkstatus credential gives a satisfying
// witness here and the public signals equal zkstatus's public inputs.
// Rules are numbered and ordered as in docs/circuit.md §5; section numbers in
// the comments refer to that document. benches/peer/README.md lists the (few)
// places where the constraints differ in form.
pragma circom 2.0.0;

include "../node_modules/circomlib/circuits/poseidon.circom";
include "../node_modules/circomlib/circuits/bitify.circom";
include "../node_modules/circomlib/circuits/comparators.circom";
include "../node_modules/circomlib/circuits/babyjub.circom";
include "../node_modules/circomlib/circuits/eddsaposeidon.circom";

// Times are u64 (docs/circuit.md §5, "Ranges").
function TIME_BITS() { return 64; }

template ZkStatus() {
    // §3 Public inputs, declared in zkstatus's order (circom orders public
    // signals by declaration; the main component has no outputs, so these are
    // snarkjs's public signals 0..7 exactly).
    signal input issuer_ax;              // 0
    signal input issuer_ay;              // 1
    signal input now;                    // 2
    signal input challenge;              // 3
    signal input accepted_test_types;    // 4: bit 0 PCR, bit 1 rapid antigen
    signal input max_age_pcr;            // 5
    signal input max_age_rapid_antigen;  // 6
    signal input min_exposure_gap;       // 7

    // §4 Witness.
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

    var T = TIME_BITS();

    // signature_r8_on_curve: R8 is a point of BabyJubJub (circomlib form).
    component r8OnCurve = BabyCheck();
    r8OnCurve.x <== r8x;
    r8OnCurve.y <== r8y;

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

    // issuer_key_on_curve: A is a point of BabyJubJub. (8·A ≠ O is checked
    // inside EdDSAPoseidonVerifier, rule 1.2.)
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
}

component main {public [
    issuer_ax, issuer_ay, now, challenge,
    accepted_test_types, max_age_pcr, max_age_rapid_antigen, min_exposure_gap
]} = ZkStatus();
