//! The sign-in module's build of the core (without `json-contents`) has no JSON reader: a vault
//! written before its contents were CBOR (`fixtures/README.md`) is not half-read but answered
//! with the error on which the worker has the transfer module migrate it. Run with
//! `cargo test -p softkey-core --no-default-features --test vault_needs_migration`.

#![cfg(not(feature = "json-contents"))]
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use softkey_core::{Keyring, KeyringError};

#[test]
fn without_a_json_reader_the_old_vault_asks_for_migration() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let envelope = std::fs::read(dir.join("vault-contents-json.bin")).expect("fixture");
    let refused = Keyring::unlock(&envelope, "fixture password é".as_bytes()).map(|_| ());
    assert!(
        matches!(
            refused,
            Err(KeyringError::ContentsNeedMigration { format: 1 })
        ),
        "{refused:?}"
    );
    assert_eq!(refused.unwrap_err().kind(), "needsMigration");
}
