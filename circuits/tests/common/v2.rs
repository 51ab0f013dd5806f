//! The honest baseline of statement v2: the issuer's leaf in a small
//! registry, an interactive statement at `NOW`, and ways to change the
//! issuer key or window while keeping the registry root consistent, so that
//! a test breaks exactly one rule.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use super::{holder_secret, issuer_key, policy, record, DAY, NOW};
use ark_bn254::Fr;
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::poseidon::hash_fixed;
use zkstatus_circuits::registry::{IssuerLeaf, MerklePath, RegistryTree, Window, ISSUER_LEAF_TAG};
use zkstatus_circuits::statement::v2::constraints::{StatusCircuit, StatusWitness};
use zkstatus_circuits::statement::v2::{Mode, PublicInputs, N_PUBLIC_INPUTS, REGISTRY_ROOT};
use zkstatus_circuits::statement::Challenge;

/// The issuer's leaf index (every base-4 position occurs along its path).
pub const INDEX: usize = 1 + 2 * 4 + 3 * 16 + 256;

pub fn window() -> Window {
    Window::new(NOW - 30 * DAY, NOW + 365 * DAY).unwrap()
}

pub fn issuer() -> IssuerLeaf {
    IssuerLeaf {
        key: issuer_key().public_key(),
        window: window(),
    }
}

/// A registry of `INDEX + 3` leaves with `leaf` at `INDEX`.
pub fn registry_with(leaf: Fr) -> RegistryTree {
    let leaves: Vec<Fr> = (0..INDEX + 3)
        .map(|i| {
            if i == INDEX {
                leaf
            } else {
                let seed = (i % 250) as u8 + 1;
                let mut bytes = [seed; 32];
                bytes[0] = (i / 250) as u8;
                IssuerLeaf {
                    key: PrivateKey::from_bytes(bytes).public_key(),
                    window: window(),
                }
                .hash()
            }
        })
        .collect();
    RegistryTree::new(&leaves).unwrap()
}

pub fn registry() -> RegistryTree {
    registry_with(issuer().hash())
}

pub fn path() -> MerklePath {
    registry().path(INDEX).unwrap()
}

/// The interactive statement at `NOW` under the baseline registry.
pub fn public() -> PublicInputs {
    PublicInputs {
        registry_root: registry().root(),
        now: NOW,
        policy: policy(),
        mode: Mode::Interactive {
            challenge: Challenge::from_field(Fr::from(0xc4a11e49eu64)),
        },
    }
}

pub fn honest_public() -> [Fr; N_PUBLIC_INPUTS] {
    public().to_field_elements()
}

pub fn honest_witness() -> StatusWitness {
    let r = record();
    let sig = issuer_key().sign(r.commitment());
    StatusWitness::new(&r, &holder_secret(), &sig, &issuer(), &path())
}

pub fn circuit(public: [Fr; N_PUBLIC_INPUTS], witness: StatusWitness) -> StatusCircuit {
    StatusCircuit {
        public: Some(public),
        witness: Some(witness),
    }
}

/// The raw leaf hash of any coordinates and window (the circuit's rule 8,
/// without the key validation `IssuerLeaf` requires).
pub fn raw_leaf(ax: Fr, ay: Fr, not_before: Fr, not_after: Fr) -> Fr {
    hash_fixed([ISSUER_LEAF_TAG, ax, ay, not_before, not_after])
}

/// Put `w`'s issuer leaf (its key and window, as they are now) into the
/// registry at `INDEX`, and return the public inputs with the matching root
/// and `w` with the matching path: rule 8 holds for whatever `w` claims.
pub fn rooted(
    mut p: [Fr; N_PUBLIC_INPUTS],
    mut w: StatusWitness,
) -> ([Fr; N_PUBLIC_INPUTS], StatusWitness) {
    let leaf = raw_leaf(w.issuer_ax, w.issuer_ay, w.not_before, w.not_after);
    let tree = registry_with(leaf);
    p[REGISTRY_ROOT] = tree.root();
    w.siblings = *tree.path(INDEX).unwrap().siblings();
    (p, w)
}

/// The baseline with the issuer key replaced by `(x, y)` (any point, even
/// invalid), the registry rebuilt around it.
pub fn with_issuer_point(x: Fr, y: Fr) -> ([Fr; N_PUBLIC_INPUTS], StatusWitness) {
    let mut w = honest_witness();
    w.issuer_ax = x;
    w.issuer_ay = y;
    rooted(honest_public(), w)
}

/// Assert the baseline holds, then that `c` fails in namespace `rule`.
#[track_caller]
pub fn assert_fails_at(c: StatusCircuit, rule: &str) {
    assert_eq!(
        super::first_failure(circuit(honest_public(), honest_witness())),
        None,
        "baseline must hold"
    );
    match super::first_failure(c) {
        None => panic!("expected a failure in {rule}, but the circuit is satisfied"),
        Some(trace) => assert!(
            trace.contains(rule),
            "expected a failure in {rule}, got {trace}"
        ),
    }
}

#[track_caller]
pub fn assert_satisfied(c: StatusCircuit) {
    if let Some(trace) = super::first_failure(c) {
        panic!("expected satisfied, failed at {trace}");
    }
}
