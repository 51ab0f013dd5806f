//! Scans of the workspace's non-test sources (each crate's `src/`, with
//! `#[cfg(test)]` items cut out): docs/security.md, items 54, 76 and 82.
//!
//! Each scan has an explicit allowlist of `(file, needle, count, reason)`;
//! a new use anywhere (or one more in an allowlisted file) fails, and so
//! does an allowlist entry that no longer matches, so the list stays exact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The source without the items marked `#[cfg(test)]` (a module, a function,
/// a `use`): the attribute's item is skipped up to its matching closing
/// brace, or to its `;` if it has no body.
fn without_test_items(src: &str) -> String {
    let mut out = String::new();
    let mut lines = src.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            let mut depth = 0i64;
            let mut opened = false;
            let mut rest = line["#[cfg(test)]".len() + line.find('#').unwrap()..].to_string();
            loop {
                for c in rest.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            opened = true;
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                let t = rest.trim_end();
                if (opened && depth == 0) || (!opened && t.ends_with(';')) {
                    break;
                }
                match lines.next() {
                    Some(l) => rest = l.to_string(),
                    None => break,
                }
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Occurrences of each needle per file (path relative to the workspace) in
/// the non-test source of `crates`.
fn scan(crates: &[&str], needles: &[&str]) -> BTreeMap<(String, String), usize> {
    let root = workspace();
    let mut found = BTreeMap::new();
    for krate in crates {
        let mut files = Vec::new();
        rust_files(&root.join(krate).join("src"), &mut files);
        assert!(!files.is_empty(), "{krate}/src has no Rust file");
        for f in files {
            let src = without_test_items(&std::fs::read_to_string(&f).unwrap());
            let rel = f
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            for n in needles {
                let k = src.matches(n).count();
                if k > 0 {
                    found.insert((rel.clone(), n.to_string()), k);
                }
            }
        }
    }
    found
}

fn check_against(found: BTreeMap<(String, String), usize>, allow: &[(&str, &str, usize, &str)]) {
    let allowed: BTreeMap<(String, String), usize> = allow
        .iter()
        .map(|(f, n, k, _why)| ((f.to_string(), n.to_string()), *k))
        .collect();
    for ((file, needle), k) in &found {
        match allowed.get(&(file.clone(), needle.clone())) {
            Some(a) if a == k => {}
            Some(a) => panic!("{file}: `{needle}` {k} times, the allowlist says {a}"),
            None => panic!("{file}: `{needle}` outside tests, and not on the allowlist"),
        }
    }
    for ((file, needle), _) in allowed {
        assert!(
            found.contains_key(&(file.clone(), needle.clone())),
            "stale allowlist entry: {file}: `{needle}`"
        );
    }
}

#[test]
fn test_item_stripping_cuts_test_modules_and_keeps_the_rest() {
    let src = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() { x(); }\n}\nfn c() {}\n\
               #[cfg(test)]\nuse foo::bar;\nfn d() {}\n";
    assert_eq!(without_test_items(src), "fn a() {}\nfn c() {}\nfn d() {}\n");
}

/// docs/security.md, items 76 and 82: no release code path of the crates
/// that make keys and proofs (the prover library, the CLI, both WASM
/// packages) takes a fixed seed or `test_rng`. The one seeded generator is
/// seeded from the platform's secure source.
#[test]
fn release_code_paths_take_no_fixed_seed() {
    let found = scan(
        &["prover", "cli", "holder-wasm", "verifier-wasm"],
        &[
            "seed_from_u64",
            "test_rng",
            "from_seed(",
            "StdRng",
            "thread_rng",
        ],
    );
    check_against(
        found,
        &[(
            "holder-wasm/src/holder.rs",
            "from_seed(",
            1,
            "platform_rng: ChaCha20 seeded with 32 bytes from getrandom",
        )],
    );
}

/// docs/security.md, item 54: no crate that decodes outside input uses an
/// unchecked deserializer or a reducing field decoder, except the reviewed
/// uses below, none of which takes input bytes that could be reduced or
/// unchecked points that were not pinned.
#[test]
fn no_crate_decodes_outside_input_with_unchecked_or_reducing_decoders() {
    let found = scan(
        &[
            "verifier",
            "prover",
            "cli",
            "holder-wasm",
            "verifier-wasm",
            "circuits",
        ],
        &[
            "deserialize_compressed_unchecked",
            "deserialize_uncompressed_unchecked",
            "Validate::No",
            "from_le_bytes_mod_order",
            "from_be_bytes_mod_order",
        ],
    );
    check_against(
        found,
        &[
            (
                "prover/src/keys.rs",
                "Validate::No",
                1,
                "Points::Pinned: only after the file's SHA-256 matched a pin made from a validated file",
            ),
            (
                "prover/src/split/cache.rs",
                "Validate::No",
                1,
                "a worker's fast form (uncompressed points): only after its SHA-256 digest, its pin, part, share and exact length matched; made only from a key loaded from the pinned file",
            ),
            (
                "verifier/src/groth16.rs",
                "Validate::No",
                1,
                "decode_g2: ark-serialize skips only the curve and subgroup checks, which the next line makes (is_on_curve, then g2_in_subgroup, tested against [r]P = O); x must still be canonical and the bytes re-encode exactly",
            ),
            (
                "verifier/src/onescan.rs",
                "from_be_bytes_mod_order",
                1,
                "31 bytes of a SHA-256 digest: below 2^248 < p, never reduced",
            ),
            (
                "verifier/src/challenge.rs",
                "from_be_bytes_mod_order",
                1,
                "a SHA-256 digest masked below 2^253 < p, never reduced",
            ),
            (
                "circuits/src/poseidon/grain.rs",
                "from_le_bytes_mod_order",
                1,
                "Poseidon round constants from the Grain LFSR: no input",
            ),
            (
                "circuits/src/babyjubjub/constraints.rs",
                "from_le_bytes_mod_order",
                1,
                "the offset point's constant seed: no input",
            ),
            (
                "circuits/src/eddsa/mod.rs",
                "from_le_bytes_mod_order",
                3,
                "signing: hm (< p) and the signer's own scalar and Blake-512 output, reduced mod l by design",
            ),
            (
                "circuits/src/statement/constraints.rs",
                "from_le_bytes_mod_order",
                1,
                "a parsed signature's S (< l < p) moved from Fs to Fr: never reduced",
            ),
        ],
    );
}

/// docs/security.md, item 85: every record the CLI issues takes its
/// `credential_id` (the record's blinding toward the verifier) as a uniform
/// field element (~254 bits) from the operating system's generator. Each
/// `credential_id:` initialiser in the non-test source of `cli` is listed.
#[test]
fn issued_credential_ids_are_uniform_field_elements_from_the_os() {
    let root = workspace();
    let mut files = Vec::new();
    rust_files(&root.join("cli/src"), &mut files);
    let mut sites = Vec::new();
    for f in files {
        let src = without_test_items(&std::fs::read_to_string(&f).unwrap());
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        for line in src.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("credential_id:") {
                assert_eq!(
                    rest.trim(),
                    "ark_bn254::Fr::rand(&mut rand::rngs::OsRng),",
                    "{rel}: credential_id not drawn from OsRng"
                );
                sites.push(rel.clone());
            }
        }
    }
    // `zkstatus issuer issue` and `zkstatus demo`.
    assert_eq!(sites, ["cli/src/demo.rs", "cli/src/issuer.rs"]);
}
