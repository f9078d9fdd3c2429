//! What the authenticator remembers, behind a trait so the vault (or a test) can hold it.

use serde::{Deserialize, Serialize};

use crate::b64::Base64Url;
use crate::credential_key::CredentialKey;

/// A WebAuthn user entity (`PublicKeyCredentialUserEntity`).
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntity {
    /// The RP's opaque user handle (1 to 64 bytes).
    pub id: Base64Url,
    /// Account name, e.g. `alice`.
    pub name: String,
    /// Display name.
    pub display_name: String,
}

/// One credential this authenticator made. The private key is not here: it is inside the
/// credential ID (see [`crate::key_handle`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialRecord {
    /// The credential ID, which is the wrapped key.
    pub id: Base64Url,
    /// The RP ID, or for credentials made through U2F the AppID (`https://…/app-id.json`) or,
    /// when only its hash was given, `u2f:` and the hash in hex.
    pub rp_id: String,
    /// SHA-256 of the RP ID or AppID: the key the credential is bound to.
    pub rp_id_hash: Base64Url,
    /// The user, for discoverable credentials and for display.
    pub user: Option<UserEntity>,
    /// Whether `get` without `allowCredentials` may find it.
    pub discoverable: bool,
    /// The signature counter last returned.
    pub sign_count: u32,
    /// The BE flag it was created with (fixed for the credential's life).
    pub backup_eligible: bool,
}

/// Storage for credential records and counters.
///
/// `increment_sign_count` must be durable, or at least ordered before the caller releases the
/// signed result: a counter that goes backwards makes relying parties suspect a cloned key.
pub trait CredentialStore {
    /// The record for a credential ID, if we hold it.
    fn find(&self, id: &[u8]) -> Option<CredentialRecord>;
    /// Discoverable credentials bound to this RP ID hash, newest first.
    fn discoverable(&self, rp_id_hash: &[u8; 32]) -> Vec<CredentialRecord>;
    /// Adds a new credential.
    fn insert(&mut self, record: CredentialRecord) -> Result<(), String>;
    /// Adds one to the credential's counter and returns the new value.
    fn increment_sign_count(&mut self, id: &[u8]) -> Result<u32, String>;
    /// The private key of a credential whose ID is not one of our key handles: one imported
    /// from another authenticator, whose relying party knows it by that other ID. `None` for
    /// every credential we made ourselves.
    fn imported_key(&self, _id: &[u8]) -> Option<CredentialKey> {
        None
    }
}

/// An in-memory store, for tests and for callers that persist the records themselves.
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    /// Records, oldest first.
    pub records: Vec<CredentialRecord>,
}

impl CredentialStore for MemoryStore {
    fn find(&self, id: &[u8]) -> Option<CredentialRecord> {
        self.records.iter().find(|r| r.id.0 == id).cloned()
    }

    fn discoverable(&self, rp_id_hash: &[u8; 32]) -> Vec<CredentialRecord> {
        self.records
            .iter()
            .rev()
            .filter(|r| r.discoverable && r.rp_id_hash.0 == rp_id_hash)
            .cloned()
            .collect()
    }

    fn insert(&mut self, record: CredentialRecord) -> Result<(), String> {
        if self.records.iter().any(|r| r.id == record.id) {
            return Err("a credential with this ID already exists".into());
        }
        self.records.push(record);
        Ok(())
    }

    fn increment_sign_count(&mut self, id: &[u8]) -> Result<u32, String> {
        let record = self
            .records
            .iter_mut()
            .find(|r| r.id.0 == id)
            .ok_or("no such credential")?;
        record.sign_count = record
            .sign_count
            .checked_add(1)
            .ok_or("the signature counter is exhausted")?;
        Ok(record.sign_count)
    }
}
