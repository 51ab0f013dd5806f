//! The binary `.r1cs` format of circom and snarkjs (iden3 r1csfile,
//! `doc/r1cs_bin_format.md`, version 1), written by hand: no maintained
//! Rust crate writes it (ark-circom only reads it, and pulls wasmer).
//!
//! Layout (all integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 4 | magic `r1cs` |
//! | 4 | version 1 |
//! | 4 | number of sections: 3 |
//! | per section | type (`u32`), size (`u64`), content |
//!
//! 1. **Header**: field size `fs = 32`, the prime `r` (32 bytes), `nWires`,
//!    `nPubOut`, `nPubIn`, `nPrvIn` (`u32`), `nLabels` (`u64`),
//!    `mConstraints` (`u32`).
//! 2. **Constraints**: for each constraint, the linear combinations `A`,
//!    `B`, `C`, each as its term count (`u32`) and `(wire: u32, value: fs
//!    bytes)` pairs; values in standard (not Montgomery) form, canonical.
//! 3. **Wire-to-label map**: one `u64` label per wire.
//!
//! **Wires.** arkworks numbers the matrix columns the way circom numbers
//! wires: column 0 is the constant one, columns `1..=n` the instance
//! variables in allocation order, then the witness. So wire `i` is column
//! `i`, and snarkjs' public signals (`publicSignals[k]` is wire `k + 1`) are
//! our public inputs in our order (statement v2: `REGISTRY_ROOT` first,
//! `docs/circuit.md` §12.2). Every instance variable is a public *input*:
//! `nPubOut = 0` (circom puts outputs first; we have none, and calling some
//! of ours outputs would only rename them). `nPrvIn = 0`: the format's
//! "private inputs" are circom's input signals, a distinction our witness
//! does not make; snarkjs' Groth16 setup does not read it. The label of
//! wire `i` is `i` (there is no `.sym` file to point into).

use ark_bn254::Fr;
use ark_ff::{BigInteger, PrimeField};
use ark_relations::r1cs::ConstraintMatrices;

/// Magic bytes of a `.r1cs` file.
pub const MAGIC: [u8; 4] = *b"r1cs";
/// The format version written.
pub const VERSION: u32 = 1;
/// Section type of the header.
pub const SECTION_HEADER: u32 = 1;
/// Section type of the constraints.
pub const SECTION_CONSTRAINTS: u32 = 2;
/// Section type of the wire-to-label map.
pub const SECTION_WIRE_TO_LABEL: u32 = 3;
/// Bytes of a field element (`fs`).
pub const FIELD_BYTES: usize = 32;

/// Why matrices could not be written as `.r1cs`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum R1csError {
    /// A count does not fit the format's `u32` fields.
    #[error("the constraint system's {0} does not fit the r1cs format's 32-bit counts")]
    TooLarge(&'static str),
    /// A matrix row names a column outside the variables, or the matrices
    /// disagree with their own counts (not finalized matrices).
    #[error("the constraint matrices are malformed: {0}")]
    Malformed(&'static str),
}

fn u32_of(n: usize, what: &'static str) -> Result<u32, R1csError> {
    u32::try_from(n).map_err(|_| R1csError::TooLarge(what))
}

fn section(out: &mut Vec<u8>, kind: u32, body: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(body);
}

/// The number of wires of `m`: the constant one, the public inputs and the
/// witness (arkworks' `num_instance_variables` counts the one).
pub fn num_wires(m: &ConstraintMatrices<Fr>) -> usize {
    m.num_instance_variables + m.num_witness_variables
}

/// Write `m` as a `.r1cs` file, every instance variable after the constant
/// one a public input (module docs). Any finalized matrices go through this
/// one function: the statement's and the test circuit's.
pub fn write(m: &ConstraintMatrices<Fr>) -> Result<Vec<u8>, R1csError> {
    let wires = num_wires(m);
    let n_wires = u32_of(wires, "wire count")?;
    let n_constraints = u32_of(m.num_constraints, "constraint count")?;
    if m.num_instance_variables == 0 {
        return Err(R1csError::Malformed("no constant-one variable"));
    }
    let n_pub_in = u32_of(m.num_instance_variables - 1, "public-input count")?;
    if m.a.len() != m.num_constraints
        || m.b.len() != m.num_constraints
        || m.c.len() != m.num_constraints
    {
        return Err(R1csError::Malformed(
            "row count differs from the constraint count",
        ));
    }

    let mut header = Vec::with_capacity(4 + FIELD_BYTES + 4 * 4 + 8 + 4);
    header.extend_from_slice(&(FIELD_BYTES as u32).to_le_bytes());
    header.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    header.extend_from_slice(&n_wires.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes()); // nPubOut
    header.extend_from_slice(&n_pub_in.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes()); // nPrvIn
    header.extend_from_slice(&(wires as u64).to_le_bytes()); // nLabels
    header.extend_from_slice(&n_constraints.to_le_bytes());

    let mut constraints = Vec::new();
    for i in 0..m.num_constraints {
        for matrix in [&m.a, &m.b, &m.c] {
            let row = matrix.get(i).ok_or(R1csError::Malformed(
                "row count differs from the constraint count",
            ))?;
            constraints.extend_from_slice(&u32_of(row.len(), "row length")?.to_le_bytes());
            for (coeff, col) in row {
                if *col >= wires {
                    return Err(R1csError::Malformed("a column beyond the variables"));
                }
                constraints.extend_from_slice(&(*col as u32).to_le_bytes());
                // Standard form, canonical (< r): r1csfile's `fromRprLE`.
                constraints.extend_from_slice(&coeff.into_bigint().to_bytes_le());
            }
        }
    }

    let mut labels = Vec::with_capacity(8 * wires);
    for i in 0..wires as u64 {
        labels.extend_from_slice(&i.to_le_bytes());
    }

    let mut out = Vec::with_capacity(12 + 3 * 12 + header.len() + constraints.len() + labels.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&3u32.to_le_bytes());
    section(&mut out, SECTION_HEADER, &header);
    section(&mut out, SECTION_CONSTRAINTS, &constraints);
    section(&mut out, SECTION_WIRE_TO_LABEL, &labels);
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ark_ff::One;

    fn tiny() -> ConstraintMatrices<Fr> {
        // x1 · (2·w) = one + (p − 1)·x1, over one public input and one witness.
        ConstraintMatrices {
            num_instance_variables: 2,
            num_witness_variables: 1,
            num_constraints: 1,
            a_num_non_zero: 1,
            b_num_non_zero: 1,
            c_num_non_zero: 2,
            a: vec![vec![(Fr::one(), 1)]],
            b: vec![vec![(Fr::from(2u64), 2)]],
            c: vec![vec![(Fr::one(), 0), (-Fr::one(), 1)]],
        }
    }

    #[test]
    fn a_one_constraint_system_is_written_byte_for_byte_as_the_spec_lays_it_out() {
        let f = write(&tiny()).unwrap();
        let mut want = Vec::new();
        want.extend_from_slice(b"r1cs");
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&3u32.to_le_bytes());
        // header: 4 + 32 + 4·4 + 8 + 4 = 64 bytes
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend_from_slice(&64u64.to_le_bytes());
        want.extend_from_slice(&32u32.to_le_bytes());
        want.extend_from_slice(&Fr::MODULUS.to_bytes_le());
        for n in [3u32, 0, 1, 0] {
            want.extend_from_slice(&n.to_le_bytes());
        }
        want.extend_from_slice(&3u64.to_le_bytes());
        want.extend_from_slice(&1u32.to_le_bytes());
        // constraints: (4 + 36) + (4 + 36) + (4 + 72) = 156 bytes
        want.extend_from_slice(&2u32.to_le_bytes());
        want.extend_from_slice(&156u64.to_le_bytes());
        let term = |col: u32, v: Fr| {
            let mut t = col.to_le_bytes().to_vec();
            t.extend_from_slice(&v.into_bigint().to_bytes_le());
            t
        };
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend(term(1, Fr::one()));
        want.extend_from_slice(&1u32.to_le_bytes());
        want.extend(term(2, Fr::from(2u64)));
        want.extend_from_slice(&2u32.to_le_bytes());
        want.extend(term(0, Fr::one()));
        want.extend(term(1, -Fr::one()));
        // labels
        want.extend_from_slice(&3u32.to_le_bytes());
        want.extend_from_slice(&24u64.to_le_bytes());
        for i in 0u64..3 {
            want.extend_from_slice(&i.to_le_bytes());
        }
        assert_eq!(f, want);
    }

    #[test]
    fn malformed_matrices_are_refused_not_written() {
        let mut m = tiny();
        m.b[0][0].1 = 3;
        assert_eq!(
            write(&m),
            Err(R1csError::Malformed("a column beyond the variables"))
        );
        let mut m = tiny();
        m.num_constraints = 2;
        assert_eq!(
            write(&m),
            Err(R1csError::Malformed(
                "row count differs from the constraint count"
            ))
        );
    }
}
