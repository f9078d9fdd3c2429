//! What a security key remembers about moving between vaults (see `docs/key-transfer.md`).

use serde::{Deserialize, Serialize};
use softkey_webauthn::b64::Base64Url;
use zeroize::Zeroize;

/// The private scalar of a key imported from another vault. Its credential ID is a key handle
/// of that other vault, which this vault cannot open, and the relying party knows the key by
/// that ID, so the key itself is kept (inside the encrypted contents, like the attestation key).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ImportedKey(pub Base64Url);

impl Drop for ImportedKey {
    fn drop(&mut self) {
        self.0.0.zeroize();
    }
}

impl core::fmt::Debug for ImportedKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ImportedKey(..)")
    }
}

/// A security key's transfer state. All default for a key made here and never exported, which
/// is how vaults written before transfers existed read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KeyTransfer {
    /// Set for a key imported from another vault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imported_key: Option<ImportedKey>,
    /// When the key was moved out to another vault (ms): from then on it no longer signs here,
    /// so only one place counts for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_ms: Option<u64>,
    /// The key was exported as a copy, so more than one vault signs with it: its counter follows
    /// the clock (at least the current Unix time in seconds), which keeps copies ahead of one
    /// another without talking to each other.
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    pub clock_counter: bool,
}

impl KeyTransfer {
    /// Nothing to store.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Whether this vault still signs with the key.
    pub fn signs_here(&self) -> bool {
        self.moved_ms.is_none()
    }
}
