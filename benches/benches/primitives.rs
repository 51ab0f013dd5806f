//! Native primitives: Poseidon at the arities the statement uses, EdDSA-Poseidon
//! sign and verify, and the payload's binary and text encodings.
//!
//! `cargo bench -p zkstatus-benches --bench primitives`; see `benches/README.md`.

use ark_bn254::Fr;
use ark_std::UniformRand;
use criterion::{black_box, BenchmarkId, Criterion};
use zkstatus_benches::{rng, thread_header, Fixture, Result};
use zkstatus_circuits::eddsa::PrivateKey;
use zkstatus_circuits::poseidon;
use zkstatus_verifier::v2::payload::PayloadV2;

/// Poseidon(n) for the arities in the statement: 1 (holder commitment),
/// 5 (EdDSA challenge hash), 10 (record commitment).
fn bench_poseidon(c: &mut Criterion) -> Result<()> {
    let mut g = c.benchmark_group("poseidon");
    let mut r = rng(1);
    for n in [1usize, 5, 10] {
        let inputs: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut r)).collect();
        // Fail before timing if this arity is not supported.
        poseidon::hash(&inputs)?;
        g.bench_with_input(BenchmarkId::new("hash", n), &inputs, |b, inputs| {
            b.iter(|| poseidon::hash(black_box(inputs)))
        });
    }
    g.finish();
    Ok(())
}

/// EdDSA-Poseidon on BabyJubJub: sign (issuer) and verify (native statement
/// check, rule 1).
fn bench_eddsa(c: &mut Criterion) -> Result<()> {
    let mut g = c.benchmark_group("eddsa");
    let mut r = rng(2);
    let key = PrivateKey::generate(&mut r);
    let public = key.public_key();
    let msg = Fr::rand(&mut r);
    let sig = key.sign(msg);
    public.verify(msg, &sig)?;
    g.bench_function("sign", |b| b.iter(|| key.sign(black_box(msg))));
    g.bench_function("verify", |b| {
        b.iter(|| public.verify(black_box(msg), black_box(&sig)))
    });
    g.finish();
    Ok(())
}

/// The payload: binary (146 B interactive) and text (`ZKS2:` + base45).
/// Decoding validates the proof's points (on curve, in the subgroup,
/// canonical).
fn bench_payload(c: &mut Criterion, fixture: &Fixture) -> Result<()> {
    let mut g = c.benchmark_group("payload");
    let payload = PayloadV2::from_bytes(&fixture.payload)?;
    let bytes = payload.to_bytes();
    let text = payload.to_text();
    if PayloadV2::from_text(&text)? != payload {
        return Err("payload text round trip differs".into());
    }
    g.bench_function("encode_binary", |b| {
        b.iter(|| black_box(&payload).to_bytes())
    });
    g.bench_function("decode_binary", |b| {
        b.iter(|| PayloadV2::from_bytes(black_box(&bytes)))
    });
    g.bench_function("encode_text", |b| b.iter(|| black_box(&payload).to_text()));
    g.bench_function("decode_text", |b| {
        b.iter(|| PayloadV2::from_text(black_box(&text)))
    });
    g.finish();
    Ok(())
}

fn main() -> Result<()> {
    println!("{}", thread_header());
    let fixture = Fixture::load()?;
    let mut c = Criterion::default().configure_from_args();
    bench_poseidon(&mut c)?;
    bench_eddsa(&mut c)?;
    bench_payload(&mut c, &fixture)?;
    c.final_summary();
    Ok(())
}
