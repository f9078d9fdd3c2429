//! Key handles (credential IDs): a page sends them back in `allowCredentials`, `excludeCredentials`
//! and U2F's `registeredKeys`, and only ours for the right site may open.

use softkey_webauthn::credential_key::CredentialKey;
use softkey_webauthn::key_handle::KEY_HANDLE_LEN;

use crate::Input;
use crate::fixtures::{SeededRng, key_handle_key};

/// Target `key_handle`: `[mode, rp hash(32), rest...]`.
/// - even mode: the rest is a handle; it must not open unless it is the fixture's U2F handle
///   for its own AppID (the seeds hold it; a fuzzer cannot make another);
/// - odd mode: `rest[..32]` is a private key; wrapped, it must open to the same key for the same
///   site only, and not at all with any one byte changed (the byte and bit chosen by the input).
pub fn key_handle(data: &[u8]) {
    let khk = key_handle_key();
    let mut input = Input::new(data);
    let mode = input.byte();
    let rp_id_hash: [u8; 32] = input.array();
    if mode.is_multiple_of(2) {
        let handle = input.rest();
        let (_, ours) = crate::fixtures::u2f_store();
        let ours_here = handle == ours.as_slice()
            && rp_id_hash == softkey_webauthn::authenticator::rp_id_hash(crate::fixtures::APP_ID);
        if let Some(key) = khk.unwrap(handle, &rp_id_hash)
            && !ours_here
        {
            // Forging a handle means breaking AES-GCM; a fuzzer that does has found a bug.
            let rewrapped = khk.wrap(&key, &rp_id_hash, &mut SeededRng::new(7));
            panic!(
                "a handle we did not wrap opened ({} bytes; ours are {})",
                handle.len(),
                rewrapped.len()
            );
        }
        return;
    }
    let key_bytes: [u8; 32] = input.array();
    let Ok(key) = CredentialKey::from_bytes(&key_bytes) else {
        return;
    };
    let (flip_at, flip_bits) = (input.byte(), input.byte() | 1);
    let handle = khk.wrap(&key, &rp_id_hash, &mut SeededRng::new(u64::from(mode)));
    assert_eq!(handle.len(), KEY_HANDLE_LEN);
    match khk.unwrap(&handle, &rp_id_hash) {
        Some(opened) => assert!(opened.to_bytes() == key.to_bytes(), "unwrap(wrap(k)) != k"),
        None => panic!("our own handle did not open"),
    }
    let mut other_site = rp_id_hash;
    other_site[usize::from(flip_at) % 32] ^= flip_bits;
    assert!(
        khk.unwrap(&handle, &other_site).is_none(),
        "a handle opened for another site"
    );
    let mut damaged = handle.clone();
    damaged[usize::from(flip_at) % KEY_HANDLE_LEN] ^= flip_bits;
    assert!(
        khk.unwrap(&damaged, &rp_id_hash).is_none(),
        "a damaged handle opened"
    );
    assert!(
        khk.unwrap(&handle[..KEY_HANDLE_LEN - 1], &rp_id_hash)
            .is_none()
    );
}
