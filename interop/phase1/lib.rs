//! Empty: `interop/phase1/Cargo.toml` exists only to fetch the ppot-rs
//! crate's `8.ptau` (the public Hermez power-8 phase 1); nothing builds this.
