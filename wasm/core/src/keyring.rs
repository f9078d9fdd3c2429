//! The unlocked vault and everything the extension does with it.
//!
//! Every change is made on a copy and only kept once the new envelope is sealed, and every
//! change returns that envelope: the caller stores it before it answers the page, so a counter
//! that went to a relying party is never lost, and a failed write leaves the last good vault.
//!
//! One module per job: [`ceremony`] (WebAuthn create and get) and [`u2f`] (the legacy U2F
//! API) answer pages, holding their checked requests in [`pending`]; [`security_keys`],
//! [`totp`], [`capture`] and [`settings`] are what the popup and the setup pages change;
//! [`transfer`] is export and import. This file opens, seals and re-keys the vault.

use rand_core::CryptoRng;
use softkey_vault::{KdfParams, MasterKey, UnlockedVault, Vault};
use softkey_webauthn::b64::Base64Url;
use softkey_webauthn::{AttestationIdentity, KeyHandleKey};
use zeroize::Zeroizing;

use crate::contents::{
    AwsContext, CONTENTS_FORMAT, Settings, StoredAttestation, VaultContents, codec,
};
use crate::error::KeyringError;
use crate::rng::system_rng;

mod capture;
mod ceremony;
mod pending;
mod security_keys;
mod settings;
mod totp;
mod transfer;
mod u2f;

pub use capture::{CaptureSite, SecretCapture};
pub use ceremony::{CreateDecision, GetDecision};
pub use pending::{MAX_PENDING, MAX_PENDING_PER_CALLER};
pub use security_keys::{SecurityKeySummary, default_key_label};
pub use totp::TotpCode;
pub use transfer::{ExportFormat, ExportedFile, FileImport, ImportPreview, KeyExport, KeyUpdate};
pub use u2f::{U2fRegisterDecision, U2fSignDecision};

/// Purpose label of the key that wraps credential keys into key handles.
const KEY_HANDLE_LABEL: &[u8] = b"softkey/key-handles/v1";

/// Where a keyring's randomness comes from: new keys, key-handle and vault nonces, entry ids.
/// The extension passes the system's ([`crate::rng::system_rng`]); tests pass a seeded one so
/// what they make is reproducible.
pub type KeyringRng = Box<dyn CryptoRng>;

/// What opens a vault: the password, or the session key a worker restart resumes with.
#[derive(Clone, Copy)]
pub enum VaultOpener<'a> {
    /// The user's password.
    Password(&'a [u8]),
    /// The session key ([`Keyring::session_key`]).
    SessionKey(&'a [u8]),
}

/// The unlocked vault.
pub struct Keyring {
    vault: UnlockedVault,
    contents: VaultContents,
    key_handles: KeyHandleKey,
    attestation: AttestationIdentity,
    pending: pending::Pending,
    rng: KeyringRng,
}

impl core::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Keyring({} security keys, {} TOTP entries)",
            self.contents.security_keys.len(),
            self.contents.totp.len()
        )
    }
}

/// A user's edit of an entry's name and AWS context; an empty name is refused.
fn apply_edit(
    label: &mut String,
    aws: &mut AwsContext,
    new_label: Option<String>,
    new_aws: Option<AwsContext>,
) -> Result<(), KeyringError> {
    if let Some(new_label) = new_label {
        let trimmed = new_label.trim();
        if trimmed.is_empty() {
            return Err(KeyringError::BadRequest("a name cannot be empty".into()));
        }
        *label = trimmed.to_owned();
    }
    if let Some(new_aws) = new_aws {
        *aws = new_aws;
    }
    Ok(())
}

fn unix_seconds(now_ms: u64) -> u64 {
    now_ms / 1000
}

impl Keyring {
    fn from_parts(
        vault: UnlockedVault,
        plaintext: &[u8],
        rng: KeyringRng,
    ) -> Result<Self, KeyringError> {
        let contents = codec::decode(plaintext)?;
        let attestation = AttestationIdentity::from_parts(
            &contents.attestation.private_key.0,
            contents.attestation.certificate.0.clone(),
        )?;
        let key_handles = KeyHandleKey::new(vault.master_key().derive_subkey(KEY_HANDLE_LABEL));
        Ok(Self {
            vault,
            contents,
            key_handles,
            attestation,
            pending: pending::Pending::default(),
            rng,
        })
    }

    /// A new, empty vault under `password`, with a fresh attestation identity. Returns the
    /// keyring and the envelope to store.
    pub fn create(
        password: &[u8],
        params: KdfParams,
        now_ms: u64,
    ) -> Result<(Self, Vec<u8>), KeyringError> {
        Self::create_with_rng(password, params, now_ms, Box::new(system_rng()))
    }

    /// [`Keyring::create`] drawing every random value from `rng`, now and later.
    pub fn create_with_rng(
        password: &[u8],
        params: KdfParams,
        now_ms: u64,
        mut rng: KeyringRng,
    ) -> Result<(Self, Vec<u8>), KeyringError> {
        let identity = AttestationIdentity::generate(&mut rng, unix_seconds(now_ms))?;
        let contents = VaultContents {
            format: CONTENTS_FORMAT,
            attestation: StoredAttestation {
                private_key: Base64Url(identity.key().to_bytes().to_vec()),
                certificate: Base64Url(identity.certificate_der().to_vec()),
            },
            security_keys: Default::default(),
            totp: Vec::new(),
            settings: Settings::default(),
        };
        let plaintext = codec::encode(&contents)?;
        let (vault, envelope) = Vault::create(password, params, &mut rng, &plaintext)?;
        let keyring = Self::from_parts(vault, &plaintext, rng)?;
        Ok((keyring, envelope))
    }

    /// Opens a stored vault with the password.
    pub fn unlock(envelope: &[u8], password: &[u8]) -> Result<Self, KeyringError> {
        Self::unlock_with_rng(envelope, password, Box::new(system_rng()))
    }

    /// [`Keyring::unlock`], then drawing every random value from `rng`.
    pub fn unlock_with_rng(
        envelope: &[u8],
        password: &[u8],
        rng: KeyringRng,
    ) -> Result<Self, KeyringError> {
        let (vault, plaintext) = Vault::unlock(envelope, password)?;
        Self::from_parts(vault, &plaintext, rng)
    }

    /// Reopens a stored vault with the key from [`Keyring::session_key`], without the password
    /// (after the service worker was stopped while the vault was unlocked).
    pub fn resume(envelope: &[u8], session_key: &[u8]) -> Result<Self, KeyringError> {
        Self::resume_with_rng(envelope, session_key, Box::new(system_rng()))
    }

    /// [`Keyring::resume`], then drawing every random value from `rng`.
    pub fn resume_with_rng(
        envelope: &[u8],
        session_key: &[u8],
        rng: KeyringRng,
    ) -> Result<Self, KeyringError> {
        let bytes: &[u8; MasterKey::LEN] = session_key
            .try_into()
            .map_err(|_| KeyringError::BadRequest("the session key must be 32 bytes".into()))?;
        let master = MasterKey::from_bytes(bytes);
        let (vault, plaintext) = UnlockedVault::resume(envelope, &master)?;
        Self::from_parts(vault, &plaintext, rng)
    }

    /// The unlocked master key, for `chrome.storage.session` only.
    pub fn session_key(&self) -> Zeroizing<[u8; MasterKey::LEN]> {
        self.vault.master_key().to_bytes()
    }

    /// The decrypted contents (read-only).
    pub fn contents(&self) -> &VaultContents {
        &self.contents
    }

    /// Seals the current contents into a new envelope (always in the current format, so a
    /// vault read in an older one is rewritten by its first save).
    pub fn seal(&mut self) -> Result<Vec<u8>, KeyringError> {
        let plaintext = codec::encode(&self.contents)?;
        Ok(self.vault.seal(&plaintext, &mut self.rng)?)
    }

    /// Rewrites a vault whose contents are in an older format (JSON) in the current one, opened
    /// with the password or, after a worker restart, the session key; the same key seals it, so
    /// the password and the session key stay valid. For builds without a reader of the old
    /// format, which answer [`KeyringError::ContentsNeedMigration`].
    #[cfg(feature = "json-contents")]
    pub fn migrate(envelope: &[u8], opener: VaultOpener<'_>) -> Result<Vec<u8>, KeyringError> {
        let mut keyring = match opener {
            VaultOpener::Password(password) => Self::unlock(envelope, password)?,
            VaultOpener::SessionKey(key) => Self::resume(envelope, key)?,
        };
        keyring.seal()
    }

    /// Applies `change` to the contents and seals; on any failure the contents are as before.
    fn commit<T>(
        &mut self,
        change: impl FnOnce(&mut Self) -> Result<T, KeyringError>,
    ) -> Result<(T, Vec<u8>), KeyringError> {
        let before = self.contents.clone();
        let result = change(self).and_then(|value| Ok((value, self.seal()?)));
        if result.is_err() {
            self.contents = before;
        }
        result
    }

    /// Changes the password (the master key and the data stay); returns the new envelope.
    pub fn change_password(
        &mut self,
        old: &[u8],
        new: &[u8],
        params: KdfParams,
    ) -> Result<Vec<u8>, KeyringError> {
        self.vault
            .change_password(old, new, params, &mut self.rng)?;
        self.seal()
    }

    /// Forgets a pending request (the page aborted, or the user declined).
    pub fn cancel(&mut self, request_id: &str) {
        self.pending.cancel(request_id);
    }
}

#[cfg(test)]
mod tests;
