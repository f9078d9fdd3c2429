//! Replays every corpus file through its target, without libFuzzer: the short fuzzing step of
//! `./build.sh test` (`cargo test --manifest-path tests/fuzz/Cargo.toml --no-default-features`).
//! The corpora hold the seeds and what the long runs kept (minimized), so this re-checks every
//! path the fuzzer reached, and every crash it ever found once its input sits in the corpus.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    out.sort();
    out
}

fn replay(target: &str) {
    let (_, run) = softkey_fuzz::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .unwrap_or_else(|| panic!("no target {target}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = files(&root.join("corpus").join(target));
    // Inputs of crashes found and fixed, kept as regression cases (regressions/<target>/).
    let artifacts = root.join("regressions").join(target);
    if artifacts.is_dir() {
        inputs.extend(files(&artifacts));
    }
    assert!(!inputs.is_empty(), "corpus/{target} is empty");
    let mut failed = Vec::new();
    for path in &inputs {
        let data = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs failed:\n{}",
        failed.len(),
        inputs.len(),
        failed.join("\n")
    );
    println!("{target}: {} inputs replayed", inputs.len());
}

/// Every file in `fuzz_targets/` is a listed target with a corpus, and the other way round.
#[test]
fn every_target_is_listed_and_has_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<String> = files(&root.join("fuzz_targets"))
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = softkey_fuzz::TARGETS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    listed.sort();
    assert_eq!(on_disk, listed);
    for name in &listed {
        assert!(root.join("corpus").join(name).is_dir(), "no corpus/{name}");
    }
}

macro_rules! replay_tests {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                replay(stringify!($name));
            }
        )*
    };
}

replay_tests!(
    otpauth,
    qr_decode,
    qr_roundtrip,
    vault_envelope,
    cbor_attestation,
    key_handle,
    u2f_raw,
    u2f_client_json,
    webauthn_create_json,
    webauthn_get_json,
    mfa_query_json,
    backup,
    aegis,
    bitwarden,
    google_migration_uri,
    google_migration_payload,
    twofas,
    authenticator_extension,
    otpauth_list,
    import_any,
);
