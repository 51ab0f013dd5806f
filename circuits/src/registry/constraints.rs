//! The registry gadget: a leaf and its path to the root, twin of
//! [`super::IssuerLeaf::hash`] and [`super::MerklePath::root`].
//!
//! Cost per level: 2 booleanity constraints for the position bits, 1 for
//! `b0·b1`, 6 for placing the node among its siblings, and `H_4`'s 297: 306,
//! so 1,836 for the six levels (`docs/circuit.md`, rule 8).

use super::{ARITY, DEPTH, INDEX_BITS, ISSUER_LEAF_TAG};
use crate::poseidon::constraints::hash as poseidon;
use ark_bn254::Fr;
use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
};
use ark_relations::r1cs::{ConstraintSystemRef, SynthesisError};

/// A leaf's path as circuit variables: the index bits and the siblings.
#[derive(Debug, Clone)]
pub struct MerklePathVar {
    /// [`INDEX_BITS`] little-endian bits of the leaf index.
    pub index_bits: Vec<Boolean<Fr>>,
    /// The three siblings per level, leaf level first.
    pub siblings: Vec<[FpVar<Fr>; ARITY - 1]>,
}

impl MerklePathVar {
    /// Allocate a path as witnesses (booleanity of the index bits enforced).
    /// `index_bits` and `siblings` are read only outside setup mode.
    pub fn new_witness(
        cs: ConstraintSystemRef<Fr>,
        index_bits: impl Fn() -> Result<[bool; INDEX_BITS], SynthesisError>,
        siblings: impl Fn() -> Result<[[Fr; ARITY - 1]; DEPTH], SynthesisError>,
    ) -> Result<Self, SynthesisError> {
        let bits = (0..INDEX_BITS)
            .map(|i| Boolean::new_witness(cs.clone(), || index_bits().map(|b| b[i])))
            .collect::<Result<Vec<_>, _>>()?;
        let sibs = (0..DEPTH)
            .map(|level| {
                let one =
                    |j: usize| FpVar::new_witness(cs.clone(), || siblings().map(|s| s[level][j]));
                Ok([one(0)?, one(1)?, one(2)?])
            })
            .collect::<Result<Vec<_>, SynthesisError>>()?;
        Ok(Self {
            index_bits: bits,
            siblings: sibs,
        })
    }

    /// The root this path gives for `leaf`.
    pub fn root(&self, leaf: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
        if self.index_bits.len() != INDEX_BITS || self.siblings.len() != DEPTH {
            return Err(SynthesisError::Unsatisfiable);
        }
        let mut node = leaf.clone();
        for (level, sib) in self.siblings.iter().enumerate() {
            let children = insert_at(
                &node,
                &self.index_bits[2 * level],
                &self.index_bits[2 * level + 1],
                sib,
            )?;
            node = poseidon(&children)?;
        }
        Ok(node)
    }
}

/// `node` placed at position `b0 + 2·b1` among `s = siblings`:
///
/// ```text
/// e3 = b0·b1, e0 = 1 − b0 − b1 + e3, e1 = b0 − e3, e2 = b1 − e3
/// c0 = s0 + e0·(node − s0)
/// c1 = s1 + e0·(s0 − s1) + e1·(node − s1)
/// c2 = s2 + (1 − b1)·(s1 − s2) + e2·(node − s2)
/// c3 = s2 + e3·(node − s2)
/// ```
///
/// Six products and `e3`: 7 constraints. The `e_i` are the indicators of the
/// four positions (exactly one is 1 for boolean `b0, b1`).
pub fn insert_at(
    node: &FpVar<Fr>,
    b0: &Boolean<Fr>,
    b1: &Boolean<Fr>,
    s: &[FpVar<Fr>; ARITY - 1],
) -> Result<[FpVar<Fr>; ARITY], SynthesisError> {
    let b0 = FpVar::from(b0.clone());
    let b1 = FpVar::from(b1.clone());
    let e3 = &b0 * &b1;
    let e0 = FpVar::one() - &b0 - &b1 + &e3;
    let e1 = &b0 - &e3;
    let e2 = &b1 - &e3;
    let c0 = &s[0] + &e0 * (node - &s[0]);
    let c1 = &s[1] + &e0 * (&s[0] - &s[1]) + &e1 * (node - &s[1]);
    let c2 = &s[2] + (FpVar::one() - &b1) * (&s[1] - &s[2]) + &e2 * (node - &s[2]);
    let c3 = &s[2] + &e3 * (node - &s[2]);
    Ok([c0, c1, c2, c3])
}

/// `H_5(ISSUER_LEAF_TAG, Ax, Ay, not_before, not_after)`; the tag is a
/// constant, so its S-box is free.
pub fn leaf_hash(
    ax: &FpVar<Fr>,
    ay: &FpVar<Fr>,
    not_before: &FpVar<Fr>,
    not_after: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    poseidon(&[
        FpVar::Constant(ISSUER_LEAF_TAG),
        ax.clone(),
        ay.clone(),
        not_before.clone(),
        not_after.clone(),
    ])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::eddsa::PrivateKey;
    use crate::registry::{IssuerLeaf, RegistryTree, Window, CAPACITY};
    use ark_r1cs_std::R1CSVar;
    use ark_relations::r1cs::ConstraintSystem;

    fn leaves() -> Vec<IssuerLeaf> {
        (1..=9u8)
            .map(|i| IssuerLeaf {
                key: PrivateKey::from_bytes([i; 32]).public_key(),
                window: Window::new(1_000 * u64::from(i), 1_000_000).unwrap(),
            })
            .collect()
    }

    fn root_in_circuit(leaf: Fr, index: usize, tree: &RegistryTree) -> (Fr, usize) {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let path = tree.path(index).unwrap();
        let leaf = FpVar::new_witness(cs.clone(), || Ok(leaf)).unwrap();
        let before = cs.num_constraints();
        let var = MerklePathVar::new_witness(
            cs.clone(),
            || Ok(path.index_bits()),
            || Ok(*path.siblings()),
        )
        .unwrap();
        let root = var.root(&leaf).unwrap().value().unwrap();
        assert!(cs.is_satisfied().unwrap());
        (root, cs.num_constraints() - before)
    }

    #[test]
    fn gadget_root_equals_native_root_at_every_position_class() {
        let l = leaves();
        let hashes: Vec<Fr> = l.iter().map(IssuerLeaf::hash).collect();
        let tree = RegistryTree::new(&hashes).unwrap();
        // Positions 0..3 at the leaf level, and indices whose digits vary at
        // every level.
        for index in [0, 1, 2, 3, 4, 7, 8] {
            let (root, _) = root_in_circuit(hashes[index], index, &tree);
            assert_eq!(root, tree.root(), "index {index}");
        }
        let (root, n) = root_in_circuit(Fr::from(0u64), CAPACITY - 1, &tree);
        assert_eq!(root, tree.root());
        // Rule 8's per-level cost, as docs/circuit.md states it.
        assert_eq!(n, DEPTH * (2 + 1 + 6 + 297));
    }

    #[test]
    fn gadget_leaf_hash_equals_native() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        for leaf in leaves() {
            let f = leaf.to_field_elements();
            let w = |x: Fr| FpVar::new_witness(cs.clone(), || Ok(x)).unwrap();
            let h = leaf_hash(&w(f[1]), &w(f[2]), &w(f[3]), &w(f[4])).unwrap();
            assert_eq!(h.value().unwrap(), leaf.hash());
        }
        assert!(cs.is_satisfied().unwrap());
    }

    #[test]
    fn insert_at_places_the_node_at_each_position() {
        let cs = ConstraintSystem::<Fr>::new_ref();
        let w = |x: u64| FpVar::new_witness(cs.clone(), || Ok(Fr::from(x))).unwrap();
        let s = [w(10), w(11), w(12)];
        let node = w(99);
        for pos in 0..4usize {
            let b0 = Boolean::new_witness(cs.clone(), || Ok(pos & 1 == 1)).unwrap();
            let b1 = Boolean::new_witness(cs.clone(), || Ok(pos & 2 == 2)).unwrap();
            let got: Vec<Fr> = insert_at(&node, &b0, &b1, &s)
                .unwrap()
                .iter()
                .map(|c| c.value().unwrap())
                .collect();
            let want = crate::registry::insert_at(
                Fr::from(99u64),
                pos,
                &[Fr::from(10u64), Fr::from(11u64), Fr::from(12u64)],
            );
            assert_eq!(got, want, "position {pos}");
        }
        assert!(cs.is_satisfied().unwrap());
    }
}
