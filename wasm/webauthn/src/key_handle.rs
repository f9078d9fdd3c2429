//! Key handles: the credential's private key, wrapped so only this install can use it.
//!
//! Non-discoverable credentials keep no private key in the vault: the credential ID *is* the
//! key, encrypted with AES-256-GCM under a key derived from the vault's master key. The RP ID hash
//! (or AppID hash) is the associated data, so a handle presented by another site does not open,
//! and a handle from another install does not open either.
//!
//! Layout (61 bytes): `version (1) ‖ nonce (12) ‖ AES-256-GCM(private scalar (32)) ‖ tag (16)`.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::credential_key::CredentialKey;

const VERSION: u8 = 1;
const NONCE_LEN: usize = 12;
/// Length of every key handle we issue.
pub const KEY_HANDLE_LEN: usize = 1 + NONCE_LEN + 32 + 16;

/// The AES-256 key that wraps credential keys. Derive it from the vault's master key with a
/// purpose label; never use the master key itself.
pub struct KeyHandleKey(Zeroizing<[u8; 32]>);

impl core::fmt::Debug for KeyHandleKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("KeyHandleKey(..)")
    }
}

impl KeyHandleKey {
    /// Wraps 32 secret bytes.
    pub fn new(bytes: Zeroizing<[u8; 32]>) -> Self {
        Self(bytes)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&(*self.0).into())
    }

    /// Wraps `key` for the site whose RP ID (or AppID) hashes to `rp_id_hash`.
    pub fn wrap<R: CryptoRng + ?Sized>(
        &self,
        key: &CredentialKey,
        rp_id_hash: &[u8; 32],
        rng: &mut R,
    ) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let aad = associated_data(rp_id_hash);
        let secret = key.to_bytes();
        let sealed = self
            .cipher()
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: secret.as_slice(),
                    aad: &aad,
                },
            )
            // AES-GCM encryption of 32 bytes has no failure mode.
            .unwrap_or_default();
        let mut handle = Vec::with_capacity(KEY_HANDLE_LEN);
        handle.push(VERSION);
        handle.extend_from_slice(&nonce);
        handle.extend_from_slice(&sealed);
        handle
    }

    /// Opens a handle for the site whose RP ID hashes to `rp_id_hash`. `None` for anything that
    /// is not ours for that site: another authenticator's handle, another site's, or damaged.
    pub fn unwrap(&self, handle: &[u8], rp_id_hash: &[u8; 32]) -> Option<CredentialKey> {
        if handle.len() != KEY_HANDLE_LEN || handle[0] != VERSION {
            return None;
        }
        let nonce: [u8; NONCE_LEN] = handle[1..1 + NONCE_LEN].try_into().ok()?;
        let aad = associated_data(rp_id_hash);
        let secret = Zeroizing::new(
            self.cipher()
                .decrypt(
                    &Nonce::from(nonce),
                    Payload {
                        msg: &handle[1 + NONCE_LEN..],
                        aad: &aad,
                    },
                )
                .ok()?,
        );
        CredentialKey::from_bytes(&secret).ok()
    }
}

fn associated_data(rp_id_hash: &[u8; 32]) -> [u8; 33] {
    let mut aad = [0u8; 33];
    aad[0] = VERSION;
    aad[1..].copy_from_slice(rp_id_hash);
    aad
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::test_rng;

    #[test]
    fn handle_opens_only_for_its_site_and_its_install() {
        let mut rng = test_rng();
        let kh = KeyHandleKey::new(Zeroizing::new([1; 32]));
        let other_install = KeyHandleKey::new(Zeroizing::new([2; 32]));
        let key = CredentialKey::generate(&mut rng);
        let site = [0x11; 32];
        let handle = kh.wrap(&key, &site, &mut rng);
        assert_eq!(handle.len(), KEY_HANDLE_LEN);
        let opened = kh.unwrap(&handle, &site).expect("opens for its site");
        assert_eq!(opened.public_key_sec1(), key.public_key_sec1());
        assert!(kh.unwrap(&handle, &[0x12; 32]).is_none(), "another site");
        assert!(
            other_install.unwrap(&handle, &site).is_none(),
            "another install"
        );
        for i in 0..handle.len() {
            let mut bad = handle.clone();
            bad[i] ^= 0x01;
            assert!(kh.unwrap(&bad, &site).is_none(), "flipped byte {i}");
        }
        assert!(kh.unwrap(&handle[..60], &site).is_none(), "truncated");
    }
}
