//! Wrote `fixtures/vault-contents-cbor.bin`: the JSON fixture (`vault-contents-json.bin`, the
//! same facts) opened and saved by SoftKey while security keys were still written with serde's
//! `flatten` (maps of indefinite length), so that later readers are checked against bytes that
//! older code wrote. Run once, at commit bc8daef5, with `SOFTKEY_REWRITE_VAULT_FIXTURE=1 cargo
//! test -p softkey-core --test make_cbor_vault_fixture -- --ignored`; the committed file is that
//! run's output and must not be regenerated. The tests in `vault_fixture.rs` open it.

#![cfg(feature = "json-contents")]
#![allow(clippy::expect_used, missing_docs)]

use softkey_core::Keyring;

#[test]
#[ignore = "writes the committed fixture; run by hand only (see the file's docs)"]
fn write_the_cbor_vault_fixture() {
    if std::env::var_os("SOFTKEY_REWRITE_VAULT_FIXTURE").is_none() {
        eprintln!("not rewriting the committed fixture (see this file's docs)");
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let envelope = std::fs::read(format!("{dir}/vault-contents-json.bin")).expect("envelope");
    let mut keyring = Keyring::unlock(&envelope, "fixture password é".as_bytes()).expect("opens");
    let saved = keyring.seal().expect("save");
    std::fs::write(format!("{dir}/vault-contents-cbor.bin"), saved).expect("write");
}
