//! The accredited-issuer registry as a 4-ary Poseidon Merkle tree, natively;
//! its gadget is in [`constraints`] (with `r1cs`).
//!
//! A leaf commits to one issuer key and its validity window (statement v2,
//! rule 8 in `docs/circuit.md`):
//!
//! ```text
//! leaf = H_5(ISSUER_LEAF_TAG, Ax, Ay, not_before, not_after)
//! node = H_4(child_0, child_1, child_2, child_3)
//! ```
//!
//! with circomlib's `Poseidon(5)` and `Poseidon(4)`, so circomlibjs
//! reproduces every leaf, node and root. The tree has depth [`DEPTH`] = 6
//! and so [`CAPACITY`] = 4,096 leaves. An empty slot holds [`EMPTY_LEAF`]
//! (zero): no leaf hash is zero except with negligible probability, so an
//! empty slot opens to no issuer.
//!
//! Domain separation: leaves are `Poseidon(5)` with a leading tag, nodes
//! `Poseidon(4)`, the record commitment `Poseidon(10)` with its own tag, and
//! the EdDSA challenge `Poseidon(5)` whose first input is a curve point's
//! coordinate. Different arities are different permutations (width and round
//! constants), and within arity 5 the first input separates them: no tag is
//! the x-coordinate of a signature's `R8` except with negligible probability
//! (docs/security.md, V1).
//!
//! A path names a leaf's position by its index (little-endian base 4: level
//! `k` uses bits `2k` and `2k+1`) and, per level, the three siblings in
//! position order, skipping the node's own position.

#[cfg(feature = "r1cs")]
pub mod constraints;

use crate::eddsa::PublicKey;
use crate::poseidon::hash_fixed;
use ark_bn254::Fr;
use ark_ff::{AdditiveGroup, MontFp};

/// `"zkstatus.issuer"` read as a big-endian integer.
pub const ISSUER_LEAF_TAG: Fr = MontFp!("635639581825605744674309778359805298");
/// Children per node.
pub const ARITY: usize = 4;
/// Levels between a leaf and the root.
pub const DEPTH: usize = 6;
/// Leaves in a full tree, `ARITY^DEPTH`.
pub const CAPACITY: usize = 4096;
/// Bits of a leaf index (2 per level).
pub const INDEX_BITS: usize = 2 * DEPTH;
/// The value of an empty slot.
pub const EMPTY_LEAF: Fr = Fr::ZERO;

/// Why a window, a tree or a path cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// `not_before ≥ not_after`: the window would be empty.
    #[error("an issuer's window must end after it starts (not_before {not_before} ≥ not_after {not_after})")]
    EmptyWindow {
        /// Start of the window, unix seconds.
        not_before: u64,
        /// End of the window (first second outside it), unix seconds.
        not_after: u64,
    },
    /// More leaves than the tree holds.
    #[error("a registry holds at most {CAPACITY} issuers, got {0}")]
    TooManyLeaves(usize),
    /// A leaf index outside the tree.
    #[error("leaf index {0} is outside the registry (0..{CAPACITY})")]
    IndexOutOfRange(usize),
}

/// An issuer's validity window `[not_before, not_after)`, unix seconds;
/// non-empty unless [`Window::closed`] by a retirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    not_before: u64,
    not_after: u64,
}

impl Window {
    /// A non-empty window.
    pub fn new(not_before: u64, not_after: u64) -> Result<Self, RegistryError> {
        if not_before >= not_after {
            return Err(RegistryError::EmptyWindow {
                not_before,
                not_after,
            });
        }
        Ok(Self {
            not_before,
            not_after,
        })
    }

    /// A window that contains no time, `[at, at)`: an issuer retired
    /// before its window opened. Rule 9 holds for no `now`.
    pub fn closed(at: u64) -> Self {
        Self {
            not_before: at,
            not_after: at,
        }
    }

    /// First second inside the window.
    pub fn not_before(&self) -> u64 {
        self.not_before
    }

    /// First second after the window.
    pub fn not_after(&self) -> u64 {
        self.not_after
    }

    /// Whether `now` lies in the window (rule 9: `not_before ≤ now < not_after`).
    pub fn contains(&self, now: u64) -> bool {
        self.not_before <= now && now < self.not_after
    }
}

/// One registry entry: an issuer key and its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuerLeaf {
    /// The issuer's key (validated: on the curve, in the prime-order subgroup).
    pub key: PublicKey,
    /// When the key is accredited.
    pub window: Window,
}

impl IssuerLeaf {
    /// The leaf's field elements, in hashing order.
    pub fn to_field_elements(&self) -> [Fr; 5] {
        [
            ISSUER_LEAF_TAG,
            self.key.x(),
            self.key.y(),
            Fr::from(self.window.not_before),
            Fr::from(self.window.not_after),
        ]
    }

    /// `H_5(ISSUER_LEAF_TAG, Ax, Ay, not_before, not_after)`.
    pub fn hash(&self) -> Fr {
        hash_fixed(self.to_field_elements())
    }
}

/// `H_4(children)`.
pub fn node_hash(children: [Fr; ARITY]) -> Fr {
    hash_fixed(children)
}

/// `children` with `node` inserted at `position` among the three `siblings`.
pub fn insert_at(node: Fr, position: usize, siblings: &[Fr; ARITY - 1]) -> [Fr; ARITY] {
    let mut out = [Fr::ZERO; ARITY];
    let mut s = siblings.iter();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = if i == position {
            node
        } else {
            s.next().copied().unwrap_or(Fr::ZERO)
        };
    }
    out
}

/// A leaf's authentication path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerklePath {
    index: usize,
    siblings: [[Fr; ARITY - 1]; DEPTH],
}

impl MerklePath {
    /// A path for the leaf at `index`.
    pub fn new(index: usize, siblings: [[Fr; ARITY - 1]; DEPTH]) -> Result<Self, RegistryError> {
        if index >= CAPACITY {
            return Err(RegistryError::IndexOutOfRange(index));
        }
        Ok(Self { index, siblings })
    }

    /// The leaf's index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The siblings, leaf level first.
    pub fn siblings(&self) -> &[[Fr; ARITY - 1]; DEPTH] {
        &self.siblings
    }

    /// The position (0..4) of the path's node at `level`.
    pub fn position(&self, level: usize) -> usize {
        (self.index >> (2 * level)) & (ARITY - 1)
    }

    /// The index as [`INDEX_BITS`] little-endian bits.
    pub fn index_bits(&self) -> [bool; INDEX_BITS] {
        let mut bits = [false; INDEX_BITS];
        for (i, b) in bits.iter_mut().enumerate() {
            *b = (self.index >> i) & 1 == 1;
        }
        bits
    }

    /// The root this path gives for `leaf`.
    pub fn root(&self, leaf: Fr) -> Fr {
        self.siblings
            .iter()
            .enumerate()
            .fold(leaf, |node, (level, sib)| {
                node_hash(insert_at(node, self.position(level), sib))
            })
    }
}

/// A whole registry tree, every level kept (for the authority and for a
/// holder who downloaded the registry and computes its own path).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryTree {
    /// `levels[0]` are the leaves, `levels[DEPTH]` the root; each level holds
    /// only the nodes that are not the empty subtree's hash.
    levels: Vec<Vec<Fr>>,
    /// `empty[k]`: the hash of an empty subtree of height `k`.
    empty: [Fr; DEPTH + 1],
}

impl RegistryTree {
    /// The tree whose first leaves are `leaves` (in order) and the rest empty.
    pub fn new(leaves: &[Fr]) -> Result<Self, RegistryError> {
        if leaves.len() > CAPACITY {
            return Err(RegistryError::TooManyLeaves(leaves.len()));
        }
        let mut empty = [EMPTY_LEAF; DEPTH + 1];
        for k in 1..=DEPTH {
            empty[k] = node_hash([empty[k - 1]; ARITY]);
        }
        let mut levels = vec![leaves.to_vec()];
        for k in 0..DEPTH {
            let below = &levels[k];
            let above: Vec<Fr> = below
                .chunks(ARITY)
                .map(|c| {
                    let mut children = [empty[k]; ARITY];
                    children[..c.len()].copy_from_slice(c);
                    node_hash(children)
                })
                .collect();
            levels.push(above);
        }
        Ok(Self { levels, empty })
    }

    /// Number of leaves given (the rest are empty).
    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    /// Whether no leaf was given.
    pub fn is_empty(&self) -> bool {
        self.levels[0].is_empty()
    }

    fn node(&self, level: usize, i: usize) -> Fr {
        self.levels[level]
            .get(i)
            .copied()
            .unwrap_or(self.empty[level])
    }

    /// The root.
    pub fn root(&self) -> Fr {
        self.node(DEPTH, 0)
    }

    /// The path of the leaf at `index` (an empty slot has a path too).
    pub fn path(&self, index: usize) -> Result<MerklePath, RegistryError> {
        if index >= CAPACITY {
            return Err(RegistryError::IndexOutOfRange(index));
        }
        let mut siblings = [[Fr::ZERO; ARITY - 1]; DEPTH];
        let mut i = index;
        for (level, sib) in siblings.iter_mut().enumerate() {
            let first = i - i % ARITY;
            let mut s = sib.iter_mut();
            for j in first..first + ARITY {
                if j != i {
                    if let Some(slot) = s.next() {
                        *slot = self.node(level, j);
                    }
                }
            }
            i /= ARITY;
        }
        MerklePath::new(index, siblings)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::eddsa::PrivateKey;

    fn leaf(seed: u8, nb: u64, na: u64) -> IssuerLeaf {
        IssuerLeaf {
            key: PrivateKey::from_bytes([seed; 32]).public_key(),
            window: Window::new(nb, na).unwrap(),
        }
    }

    #[test]
    fn every_path_of_a_tree_gives_its_root() {
        let leaves: Vec<Fr> = (0..7).map(|i| leaf(i + 1, 100, 200).hash()).collect();
        let tree = RegistryTree::new(&leaves).unwrap();
        for (i, l) in leaves.iter().enumerate() {
            assert_eq!(tree.path(i).unwrap().root(*l), tree.root());
        }
        // An empty slot opens to the empty leaf.
        assert_eq!(tree.path(4095).unwrap().root(EMPTY_LEAF), tree.root());
        // A leaf at another position does not.
        assert_ne!(tree.path(1).unwrap().root(leaves[0]), tree.root());
    }

    #[test]
    fn a_full_tree_agrees_with_the_sparse_computation() {
        let leaves: Vec<Fr> = (0..CAPACITY as u64).map(Fr::from).collect();
        let full = RegistryTree::new(&leaves).unwrap();
        let mut level = leaves.clone();
        for _ in 0..DEPTH {
            level = level
                .chunks(ARITY)
                .map(|c| node_hash([c[0], c[1], c[2], c[3]]))
                .collect();
        }
        assert_eq!(full.root(), level[0]);
        assert_eq!(full.path(2025).unwrap().root(Fr::from(2025u64)), level[0]);
        assert_eq!(
            RegistryTree::new(&vec![Fr::ZERO; CAPACITY + 1]),
            Err(RegistryError::TooManyLeaves(CAPACITY + 1))
        );
    }

    #[test]
    fn the_leaf_commits_to_the_key_and_both_window_ends() {
        let base = leaf(1, 100, 200).hash();
        assert_ne!(base, leaf(2, 100, 200).hash());
        assert_ne!(base, leaf(1, 101, 200).hash());
        assert_ne!(base, leaf(1, 100, 199).hash());
    }

    #[test]
    fn windows_are_half_open_and_never_empty() {
        let w = Window::new(100, 200).unwrap();
        assert!(!w.contains(99));
        assert!(w.contains(100));
        assert!(w.contains(199));
        assert!(!w.contains(200));
        assert!(Window::new(200, 200).is_err());
        assert!(Window::new(201, 200).is_err());
    }

    #[test]
    fn indices_outside_the_tree_are_refused() {
        let tree = RegistryTree::new(&[]).unwrap();
        assert_eq!(
            tree.path(CAPACITY),
            Err(RegistryError::IndexOutOfRange(CAPACITY))
        );
        assert!(MerklePath::new(CAPACITY, [[Fr::ZERO; 3]; DEPTH]).is_err());
    }
}
