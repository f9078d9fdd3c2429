//! What the vault holds once decrypted; [`codec`] says how it is written inside the envelope.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use softkey_otp::OtpAuth;
use softkey_webauthn::b64::Base64Url;
use softkey_webauthn::{CredentialRecord, CredentialStore};
use zeroize::Zeroize;

pub(crate) mod codec;
pub mod transfer;
pub use transfer::KeyTransfer;

/// Format of [`VaultContents`] this version writes (CBOR; see [`codec`] for the formats it
/// reads). Any other is refused rather than half-read.
pub const CONTENTS_FORMAT: u32 = 2;

/// How far above the last counter value given to a site the stored counter is set. Only when a
/// counter passes its stored ceiling must the vault be written before the assertion is released,
/// so fifteen of sixteen sign-ins skip the storage write, and after a crash or restart counting
/// resumes above the ceiling: counters may skip ahead (relying parties accept any increase) but
/// never repeat.
pub const COUNTER_RESERVE: u32 = 16;

/// Which AWS account and user a key or entry belongs to; defined once, beside the import and
/// export formats that carry it too.
pub use softkey_formats::AwsContext;

/// A security-key credential with what the user sees of it.
///
/// Written and read as one map: the record's members, then its own (see [`SecurityKeyFields`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityKey {
    /// What the authenticator needs.
    pub record: CredentialRecord,
    /// A name the user can edit.
    pub label: String,
    /// AWS account and user.
    pub aws: AwsContext,
    /// When it was made (ms since the epoch).
    pub created_ms: u64,
    /// When it last signed.
    pub last_used_ms: Option<u64>,
    /// Ask before each sign-in with this key, even when sign-in is otherwise auto-approved.
    pub ask_before_sign_in: bool,
    /// Made through the legacy U2F JavaScript API (`u2f.register`), so `record.rp_id` is its
    /// AppID; such a key also signs WebAuthn sign-ins that pass that AppID as `appid`.
    pub made_with_u2f: bool,
    /// Imported from another vault, moved out of this one, or copied (see `docs/key-transfer.md`).
    pub transfer: KeyTransfer,
    /// The last counter value given to a site since the vault was opened (memory only); the
    /// stored `record.sign_count` is a ceiling at or above every value ever given.
    pub issued_count: Option<u32>,
}

/// How a [`SecurityKey`] is read: the record's members beside its own, as `#[serde(flatten)]`
/// wrote them, but in one pass. Flatten's reader buffered every member it did not know and read
/// the record again from that buffer, a second deserializer compiled for every member type: the
/// largest part of the vault's reader in the wasm module.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecurityKeyFields {
    id: Base64Url,
    rp_id: String,
    rp_id_hash: Base64Url,
    user: Option<softkey_webauthn::UserEntity>,
    discoverable: bool,
    sign_count: u32,
    backup_eligible: bool,
    label: String,
    #[serde(default)]
    aws: AwsContext,
    created_ms: u64,
    #[serde(default)]
    last_used_ms: Option<u64>,
    #[serde(default)]
    ask_before_sign_in: bool,
    #[serde(default)]
    made_with_u2f: bool,
    #[serde(default)]
    transfer: KeyTransfer,
}

impl From<SecurityKeyFields> for SecurityKey {
    fn from(f: SecurityKeyFields) -> Self {
        Self {
            record: CredentialRecord {
                id: f.id,
                rp_id: f.rp_id,
                rp_id_hash: f.rp_id_hash,
                user: f.user,
                discoverable: f.discoverable,
                sign_count: f.sign_count,
                backup_eligible: f.backup_eligible,
            },
            label: f.label,
            aws: f.aws,
            created_ms: f.created_ms,
            last_used_ms: f.last_used_ms,
            ask_before_sign_in: f.ask_before_sign_in,
            made_with_u2f: f.made_with_u2f,
            transfer: f.transfer,
            issued_count: None,
        }
    }
}

/// How a [`SecurityKey`] is written: the members `#[serde(flatten)]` wrote, in the same order, as
/// a map of known length (flatten's was of indefinite length; readers take both).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecurityKeyOut<'a> {
    id: &'a Base64Url,
    rp_id: &'a str,
    rp_id_hash: &'a Base64Url,
    user: &'a Option<softkey_webauthn::UserEntity>,
    discoverable: bool,
    sign_count: u32,
    backup_eligible: bool,
    label: &'a str,
    aws: &'a AwsContext,
    created_ms: u64,
    last_used_ms: Option<u64>,
    ask_before_sign_in: bool,
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    made_with_u2f: bool,
    #[serde(skip_serializing_if = "KeyTransfer::is_default")]
    transfer: &'a KeyTransfer,
}

impl<'de> Deserialize<'de> for SecurityKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SecurityKeyFields::deserialize(deserializer).map(Self::from)
    }
}

impl Serialize for SecurityKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let record = &self.record;
        SecurityKeyOut {
            id: &record.id,
            rp_id: &record.rp_id,
            rp_id_hash: &record.rp_id_hash,
            user: &record.user,
            discoverable: record.discoverable,
            sign_count: record.sign_count,
            backup_eligible: record.backup_eligible,
            label: &self.label,
            aws: &self.aws,
            created_ms: self.created_ms,
            last_used_ms: self.last_used_ms,
            ask_before_sign_in: self.ask_before_sign_in,
            made_with_u2f: self.made_with_u2f,
            transfer: &self.transfer,
        }
        .serialize(serializer)
    }
}

impl SecurityKey {
    /// The counter value a site saw last (or the stored ceiling, before any use this session).
    pub fn sign_count(&self) -> u32 {
        self.issued_count.unwrap_or(self.record.sign_count)
    }
}

/// A TOTP/HOTP entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpEntry {
    /// Random id (hex).
    pub id: String,
    /// Issuer, account, secret, algorithm, digits, period.
    pub otp: OtpAuth,
    /// A name the user can edit.
    pub label: String,
    /// AWS account and user.
    #[serde(default)]
    pub aws: AwsContext,
    /// When it was added.
    pub created_ms: u64,
    /// Captured from a setup page that has not yet shown that the site accepted it: the device
    /// may never have been enabled there, so the user is offered to remove it.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub unconfirmed: bool,
}

/// The per-install attestation key and certificate.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAttestation {
    /// Private scalar.
    pub private_key: Base64Url,
    /// DER certificate.
    pub certificate: Base64Url,
}

impl Drop for StoredAttestation {
    fn drop(&mut self) {
        self.private_key.0.zeroize();
    }
}

impl core::fmt::Debug for StoredAttestation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StoredAttestation(..)")
    }
}

/// User settings.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Lock after this many idle minutes (0 = never).
    pub auto_lock_minutes: u32,
    /// Statement format when a site asks for attestation: `packed` or `fido-u2f`.
    pub attestation_format: String,
    /// Sign in on AWS without asking each time (registration always asks).
    pub auto_approve_sign_in: bool,
    /// Submit the MFA form after filling a code, per site.
    pub auto_submit: AutoSubmit,
    /// Empty the clipboard a while after a code was copied from the popup, if it still holds
    /// that code.
    pub clear_clipboard: bool,
    /// How long after the copy, in seconds: [`Settings::CLEAR_CLIPBOARD_SECONDS`], default 30.
    pub clear_clipboard_seconds: u32,
}

impl Settings {
    /// Bounds of [`Settings::clear_clipboard_seconds`]. Below a few seconds a paste could lose
    /// the race; the popup does not offer other values, tests use the lower bound.
    pub const CLEAR_CLIPBOARD_SECONDS: core::ops::RangeInclusive<u32> = 3..=600;
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            auto_lock_minutes: 15,
            attestation_format: "packed".into(),
            auto_approve_sign_in: true,
            auto_submit: AutoSubmit::default(),
            clear_clipboard: true,
            clear_clipboard_seconds: 30,
        }
    }
}

/// Whether the MFA form is submitted after SoftKey filled a code, for each site it fills on
/// (the sites of [`crate::mfa_match::MfaSite`]; the service worker picks one from the sender's
/// origin, never from the page).
///
/// Stored as `"autoSubmit": {"aws": true, "amazon": true}`: one setting with a field per site
/// rather than a second top-level flag, so the name says what it is about and a third site
/// would be one more field. Vaults written before it was per site hold one flag,
/// `"autoSubmit": false` or `true`, which applied to both sites; it is read as that value for
/// both, so someone who had turned it off does not find it on anywhere. A missing site (or a missing
/// setting) is on. Written back, the vault holds the object form; an older build of SoftKey would
/// not read that, which is acceptable as builds only move forward.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AutoSubmit {
    /// AWS sign-in (`signin.aws.amazon.com` and its regional and per-account hosts).
    pub aws: bool,
    /// Amazon.com's sign-in (`www.amazon.com/ap/`).
    pub amazon: bool,
}

impl AutoSubmit {
    /// The same value for every site.
    pub const fn everywhere(on: bool) -> Self {
        Self {
            aws: on,
            amazon: on,
        }
    }
}

impl Default for AutoSubmit {
    fn default() -> Self {
        Self::everywhere(true)
    }
}

/// The object form, each site defaulting to on.
#[derive(Deserialize)]
#[serde(default)]
struct AutoSubmitPerSite {
    aws: bool,
    amazon: bool,
}

impl Default for AutoSubmitPerSite {
    fn default() -> Self {
        let AutoSubmit { aws, amazon } = AutoSubmit::default();
        Self { aws, amazon }
    }
}

impl<'de> Deserialize<'de> for AutoSubmit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A visitor rather than an untagged enum: no buffering, and an error that names both
        // accepted shapes.
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = AutoSubmit;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(r#"true, false or {"aws": true|false, "amazon": true|false}"#)
            }

            fn visit_bool<E: de::Error>(self, on: bool) -> Result<AutoSubmit, E> {
                Ok(AutoSubmit::everywhere(on))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AutoSubmit, A::Error> {
                let AutoSubmitPerSite { aws, amazon } =
                    AutoSubmitPerSite::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(AutoSubmit { aws, amazon })
            }
        }
        deserializer.deserialize_any(Either)
    }
}

/// Everything in the vault.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultContents {
    /// [`CONTENTS_FORMAT`].
    pub format: u32,
    /// Attestation key and certificate.
    pub attestation: StoredAttestation,
    /// Security keys, oldest first.
    #[serde(default)]
    pub security_keys: SecurityKeys,
    /// TOTP entries, oldest first.
    #[serde(default)]
    pub totp: Vec<TotpEntry>,
    /// Settings.
    #[serde(default)]
    pub settings: Settings,
}

/// The security keys, as the authenticator's credential store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecurityKeys(pub Vec<SecurityKey>);

impl core::ops::Deref for SecurityKeys {
    type Target = Vec<SecurityKey>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl core::ops::DerefMut for SecurityKeys {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl CredentialStore for SecurityKeys {
    // A key moved to another vault is not ours any more: requests for it go to the browser.
    fn find(&self, id: &[u8]) -> Option<CredentialRecord> {
        self.iter()
            .find(|k| k.record.id.0 == id && k.transfer.signs_here())
            .map(|k| k.record.clone())
    }

    fn discoverable(&self, rp_id_hash: &[u8; 32]) -> Vec<CredentialRecord> {
        self.iter()
            .rev()
            .filter(|k| {
                k.record.discoverable
                    && k.record.rp_id_hash.0 == rp_id_hash
                    && k.transfer.signs_here()
            })
            .map(|k| k.record.clone())
            .collect()
    }

    fn imported_key(&self, id: &[u8]) -> Option<softkey_webauthn::credential_key::CredentialKey> {
        let key = self.iter().find(|k| k.record.id.0 == id)?;
        let scalar = &key.transfer.imported_key.as_ref()?.0.0;
        softkey_webauthn::credential_key::CredentialKey::from_bytes(scalar).ok()
    }

    fn insert(&mut self, record: CredentialRecord) -> Result<(), String> {
        if self.iter().any(|k| k.record.id == record.id) {
            return Err("a credential with this ID already exists".into());
        }
        let label = match &record.user {
            Some(user) if !user.name.is_empty() => format!("{} ({})", record.rp_id, user.name),
            _ => record.rp_id.clone(),
        };
        self.push(SecurityKey {
            record,
            label,
            aws: AwsContext::default(),
            created_ms: 0,
            last_used_ms: None,
            ask_before_sign_in: false,
            made_with_u2f: false,
            transfer: KeyTransfer::default(),
            issued_count: None,
        });
        Ok(())
    }

    fn increment_sign_count(&mut self, id: &[u8]) -> Result<u32, String> {
        let key = self
            .iter_mut()
            .find(|k| k.record.id.0 == id)
            .ok_or("no such credential")?;
        let next = key
            .sign_count()
            .checked_add(1)
            .ok_or("the signature counter is exhausted")?;
        key.issued_count = Some(next);
        if next > key.record.sign_count {
            key.record.sign_count = next.saturating_add(COUNTER_RESERVE - 1);
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests;
