//! What the worker may know of the vault while it is locked: whether a request *might* be for a
//! key of ours, so the unlock window opens only for those (and every other request goes to the
//! browser without a prompt). It holds SHA-256 hashes only, of the credential IDs (base64url
//! text) and of the RP IDs of discoverable keys, so the stored index names no site and no
//! credential. Stored beside the envelope; the hash form is the one every stored index has used.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use softkey_webauthn::b64;

use crate::keyring::{Keyring, SecurityKeySummary};

/// The stored index.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockedIndex {
    /// base64url SHA-256 of each credential ID (as its base64url text).
    pub credentials: Vec<String>,
    /// base64url SHA-256 of the RP ID of each discoverable key.
    pub discoverable_rp_ids: Vec<String>,
}

fn hashed(text: &str) -> String {
    b64::encode(&Sha256::digest(text.as_bytes()))
}

impl LockedIndex {
    /// The index of these keys.
    pub fn of(keys: &[SecurityKeySummary]) -> Self {
        Self {
            credentials: keys.iter().map(|k| hashed(&k.id)).collect(),
            discoverable_rp_ids: keys
                .iter()
                .filter(|k| k.discoverable)
                .map(|k| hashed(&k.rp_id))
                .collect(),
        }
    }

    /// Whether a request naming `credential_ids` (base64url; none: a discoverable request) for
    /// `rp_id` might be for a key of ours.
    pub fn might_hold(&self, credential_ids: &[String], rp_id: &str) -> bool {
        if credential_ids.is_empty() {
            return self.discoverable_rp_ids.contains(&hashed(rp_id));
        }
        credential_ids
            .iter()
            .any(|id| self.credentials.contains(&hashed(id)))
    }
}

impl Keyring {
    /// The index of the keys that sign here (moved-away keys are not ours to answer for).
    pub fn locked_index(&self) -> LockedIndex {
        LockedIndex::of(&self.security_keys())
    }
}

#[cfg(test)]
mod tests;
