//! Which MSMs the helper computes ([`Share`]) and the names of the four it
//! can take ([`Msm`]).

use zkstatus_verifier::groth16::{G1_BYTES, G2_BYTES};

/// One of the multi-scalar multiplications a helper can take (the fifth,
/// `H`, needs the witness map's output and stays with the main worker).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Msm {
    /// `A = a₀ + Σ aᵢ·zᵢ` (G1).
    A,
    /// `B = b₀ + Σ bᵢ·zᵢ` in G1.
    BG1,
    /// `B = b₀ + Σ bᵢ·zᵢ` in G2: the most expensive one.
    BG2,
    /// `L = Σ lᵢ·wᵢ` over the witness part of the assignment (G1).
    L,
}

impl Msm {
    /// All four, in their encoding order.
    pub const ALL: [Msm; 4] = [Msm::A, Msm::BG1, Msm::BG2, Msm::L];

    pub(super) const fn bit(self) -> u8 {
        match self {
            Msm::A => 1,
            Msm::BG1 => 2,
            Msm::BG2 => 4,
            Msm::L => 8,
        }
    }

    pub(super) const fn name(self) -> &'static str {
        match self {
            Msm::A => "a",
            Msm::BG1 => "b_g1",
            Msm::BG2 => "b_g2",
            Msm::L => "l",
        }
    }

    /// Bytes of its compressed point in a part.
    pub(super) const fn point_bytes(self) -> usize {
        match self {
            Msm::BG2 => G2_BYTES,
            _ => G1_BYTES,
        }
    }
}

/// Which MSMs the helper computes: a non-empty subset of
/// `{A, B in G1, B in G2, L}`; the main worker computes the others and `H`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Share(u8);

impl Share {
    /// The split this build uses (measured in WebAssembly on two cores:
    /// holder-wasm/README.md): the helper takes `B` in G1 and G2 and `L`;
    /// the main worker the witness map, `H` and `A`.
    pub const DEFAULT: Share = Share(Msm::BG1.bit() | Msm::BG2.bit() | Msm::L.bit());

    /// The share of these MSMs; `None` if empty.
    pub fn of(msms: &[Msm]) -> Option<Share> {
        Share::from_bits(msms.iter().fold(0, |b, m| b | m.bit()))
    }

    /// The share whose encoding byte is `bits` (bit 0 `A`, 1 `B` in G1, 2 `B`
    /// in G2, 3 `L`); `None` if empty or with unknown bits.
    pub fn from_bits(bits: u8) -> Option<Share> {
        (bits != 0 && bits & !0x0f == 0).then_some(Share(bits))
    }

    /// The encoding byte.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether the helper computes `m`.
    pub fn contains(self, m: Msm) -> bool {
        self.0 & m.bit() != 0
    }

    /// The helper's MSMs, in encoding order.
    pub fn msms(self) -> impl Iterator<Item = Msm> {
        Msm::ALL.into_iter().filter(move |m| self.contains(*m))
    }
}

impl core::fmt::Display for Share {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let names: Vec<&str> = self.msms().map(Msm::name).collect();
        f.write_str(&names.join("+"))
    }
}

impl core::fmt::Debug for Share {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Share({self})")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn shares_encode_as_a_nonempty_subset_of_four_bits() {
        assert_eq!(Share::from_bits(0), None);
        assert_eq!(Share::from_bits(0x10), None);
        assert_eq!(Share::from_bits(0xff), None);
        for bits in 1..=15u8 {
            let s = Share::from_bits(bits).map(Share::bits);
            assert_eq!(s, Some(bits));
        }
        assert_eq!(Share::of(&[]), None);
        assert_eq!(
            Share::of(&[Msm::L, Msm::BG2, Msm::BG1]),
            Some(Share::DEFAULT)
        );
        assert_eq!(Share::DEFAULT.to_string(), "b_g1+b_g2+l");
    }
}
