//! Deterministic fixtures shared by the targets. Built once per process.

use std::cell::RefCell;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use softkey_core::Keyring;
use softkey_webauthn::authenticator::rp_id_hash;
use softkey_webauthn::store::MemoryStore;
use softkey_webauthn::{AttestationIdentity, Authenticator, KeyHandleKey};

/// The vault crate's seeded generator (SHA-256 in counter mode): one seed, one stream, so a
/// crash reproduces. Predictable, hence for tests and fuzzing only.
pub use softkey_vault::test_rng::SeededRng;

/// 2026-01-01T00:00:00Z, the fixtures' clock.
pub const NOW_MS: u64 = 1_767_225_600_000;

/// The AppID the fixture's U2F key is registered for.
pub const APP_ID: &str = "https://signin.aws.amazon.com/u2f-app-id.json";

/// The key that wraps the fixture's key handles.
pub fn key_handle_key() -> KeyHandleKey {
    KeyHandleKey::new([0x4b; 32].into())
}

/// A fixed attestation identity (key and self-signed certificate).
pub fn attestation() -> &'static AttestationIdentity {
    static IDENTITY: OnceLock<AttestationIdentity> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        #[allow(clippy::expect_used)]
        AttestationIdentity::generate(&mut SeededRng::new(1), NOW_MS / 1000)
            .expect("a fixed identity")
    })
}

/// A store holding one U2F key for [`APP_ID`], registered with [`key_handle_key`]; and its key
/// handle.
pub fn u2f_store() -> &'static (MemoryStore, Vec<u8>) {
    static STORE: OnceLock<(MemoryStore, Vec<u8>)> = OnceLock::new();
    STORE.get_or_init(|| {
        let khk = key_handle_key();
        let authenticator = Authenticator::new(&khk, attestation());
        let mut store = MemoryStore::default();
        let mut request = [0u8; 64];
        request[..32].copy_from_slice(&[0x11; 32]);
        request[32..].copy_from_slice(&rp_id_hash(APP_ID));
        #[allow(clippy::expect_used)]
        let response = softkey_webauthn::u2f::register(
            &authenticator,
            &mut store,
            &request,
            Some(APP_ID),
            true,
            &mut SeededRng::new(2),
        )
        .expect("fixture registration");
        let len = usize::from(response[66]);
        let handle = response[67..67 + len].to_vec();
        (store, handle)
    })
}

/// The committed fixture vault (`fixtures/keyring.json`, made by `examples/seeds.rs`): two
/// WebAuthn credentials for `amazon.com` (one discoverable), a U2F key for [`APP_ID`], and TOTP
/// entries for AWS and Amazon.com. Opened with its session key, so no Argon2 run.
const KEYRING_JSON: &str = include_str!("../fixtures/keyring.json");

/// The fixture's envelope and session key.
pub fn keyring_parts() -> (Vec<u8>, Vec<u8>) {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Parts {
        envelope: softkey_webauthn::b64::Base64Url,
        session_key: softkey_webauthn::b64::Base64Url,
    }
    #[allow(clippy::expect_used)]
    let parts: Parts = serde_json::from_str(KEYRING_JSON).expect("fixtures/keyring.json");
    (parts.envelope.0, parts.session_key.0)
}

thread_local! {
    static KEYRING: RefCell<Option<Keyring>> = const { RefCell::new(None) };
}

/// Runs `f` on the fixture keyring (opened on first use, kept for the process: requests left
/// pending are cancelled by the targets).
pub fn with_keyring<T>(f: impl FnOnce(&mut Keyring) -> T) -> T {
    KEYRING.with(|cell| {
        let mut slot = cell.borrow_mut();
        let keyring = slot.get_or_insert_with(|| {
            let (envelope, session_key) = keyring_parts();
            #[allow(clippy::expect_used)]
            Keyring::resume(&envelope, &session_key).expect("the fixture vault opens")
        });
        f(keyring)
    })
}

/// `bytes` with its last 32 replaced by the SHA-256 of the rest, as an intact vault envelope or
/// backup file has (both end in that checksum): lets the fuzzer past the checksum to the version,
/// KDF and decryption checks.
pub fn with_checksum(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.len() >= 32 {
        let body = out.len() - 32;
        let sum = Sha256::digest(&out[..body]);
        out[body..].copy_from_slice(&sum);
    }
    out
}
