//! Criterion benchmarks for zkstatus live in `benches/benches/`.
#![forbid(unsafe_code)]
