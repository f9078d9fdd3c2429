//! FIDO U2F raw messages (FIDO U2F Raw Message Formats v1.2, §4 and §5).
//!
//! Registration and authentication share keys and counters with the WebAuthn path: the
//! application parameter is SHA-256(AppID), the same hash the `appid` extension binds to, so a
//! key registered here signs later through WebAuthn with `extensions: {appid}`.

use rand_core::CryptoRng;

use crate::attestation::u2f_registration_signed_data;
use crate::authenticator::Authenticator;
use crate::store::CredentialStore;

/// Status words a U2F authenticator answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum U2fError {
    /// `SW_CONDITIONS_NOT_SATISFIED` (0x6985): user presence is required (or, for a check-only
    /// request, the key handle *is* ours).
    ConditionsNotSatisfied,
    /// `SW_WRONG_DATA` (0x6A80): the key handle is not ours for this application.
    WrongData,
    /// `SW_WRONG_LENGTH` (0x6700): the request is malformed.
    WrongLength,
    /// The store failed (reported as 0x6F00, "no precise diagnosis").
    Store(String),
}

impl U2fError {
    /// The ISO 7816 status word.
    pub fn status_word(&self) -> u16 {
        match self {
            Self::ConditionsNotSatisfied => 0x6985,
            Self::WrongData => 0x6A80,
            Self::WrongLength => 0x6700,
            Self::Store(_) => 0x6F00,
        }
    }
}

impl core::fmt::Display for U2fError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::ConditionsNotSatisfied => f.write_str("user presence is required"),
            Self::WrongData => {
                f.write_str("the key handle does not belong to this security key and site")
            }
            Self::WrongLength => f.write_str("the U2F request has the wrong length"),
            Self::Store(why) => write!(f, "the key store could not be updated: {why}"),
        }
    }
}

impl std::error::Error for U2fError {}

/// Control byte: check whether a key handle is ours, sign nothing.
pub const CHECK_ONLY: u8 = 0x07;
/// Control byte: require user presence and sign.
pub const ENFORCE_USER_PRESENCE: u8 = 0x03;
/// Control byte: sign without requiring user presence.
pub const DONT_ENFORCE_USER_PRESENCE: u8 = 0x08;

fn split32(bytes: &[u8]) -> Option<([u8; 32], &[u8])> {
    let head: [u8; 32] = bytes.get(..32)?.try_into().ok()?;
    Some((head, &bytes[32..]))
}

/// U2F_REGISTER. `request` is `challenge parameter (32) ‖ application parameter (32)`.
/// `app_id` names the AppID when the caller knows it (for the credential list); otherwise the
/// record is labelled by the hash. Answers `0x05 ‖ public key ‖ L ‖ key handle ‖ certificate ‖
/// signature`.
pub fn register<R: CryptoRng + ?Sized>(
    authenticator: &Authenticator<'_>,
    store: &mut dyn CredentialStore,
    request: &[u8],
    app_id: Option<&str>,
    user_present: bool,
    rng: &mut R,
) -> Result<Vec<u8>, U2fError> {
    if request.len() != 64 {
        return Err(U2fError::WrongLength);
    }
    let (challenge, rest) = split32(request).ok_or(U2fError::WrongLength)?;
    let (application, _) = split32(rest).ok_or(U2fError::WrongLength)?;
    if !user_present {
        return Err(U2fError::ConditionsNotSatisfied);
    }
    let label = match app_id {
        Some(id) if crate::authenticator::rp_id_hash(id) == application => id.to_owned(),
        _ => application
            .iter()
            .fold(String::from("u2f:"), |mut label, b| {
                label.push_str(&format!("{b:02x}"));
                label
            }),
    };
    let (key_handle, key) = authenticator
        .create_key(
            store,
            crate::authenticator::NewKeySpec {
                rp_id: label,
                rp_id_hash: application,
                user: None,
                discoverable: false,
                backup_eligible: true,
            },
            rng,
        )
        .map_err(|e| U2fError::Store(e.to_string()))?;
    let public_key = key.public_key_sec1();
    let signed = u2f_registration_signed_data(&application, &challenge, &key_handle, &public_key)
        .map_err(|_| U2fError::WrongLength)?;
    let identity = authenticator.attestation();
    let signature = identity.key().sign(&signed);
    let mut out = Vec::with_capacity(1 + 65 + 1 + key_handle.len() + 600);
    out.push(0x05);
    out.extend_from_slice(&public_key);
    // Our key handles are 61 bytes; u2f_registration_signed_data refused anything over 255.
    out.push(u8::try_from(key_handle.len()).map_err(|_| U2fError::WrongLength)?);
    out.extend_from_slice(&key_handle);
    out.extend_from_slice(identity.certificate_der());
    out.extend_from_slice(&signature);
    Ok(out)
}

/// U2F_AUTHENTICATE. `request` is `challenge (32) ‖ application (32) ‖ L ‖ key handle`.
/// Answers `user presence (1) ‖ counter (4, big-endian) ‖ signature`.
pub fn authenticate(
    authenticator: &Authenticator<'_>,
    store: &mut dyn CredentialStore,
    control: u8,
    request: &[u8],
    user_present: bool,
) -> Result<Vec<u8>, U2fError> {
    let (challenge, rest) = split32(request).ok_or(U2fError::WrongLength)?;
    let (application, rest) = split32(rest).ok_or(U2fError::WrongLength)?;
    let (&len, key_handle) = rest.split_first().ok_or(U2fError::WrongLength)?;
    if key_handle.len() != usize::from(len) {
        return Err(U2fError::WrongLength);
    }
    let (_, key) = authenticator
        .lookup(store, key_handle, &application)
        .ok_or(U2fError::WrongData)?;
    let presence = match control {
        CHECK_ONLY => return Err(U2fError::ConditionsNotSatisfied),
        ENFORCE_USER_PRESENCE if !user_present => return Err(U2fError::ConditionsNotSatisfied),
        ENFORCE_USER_PRESENCE => 0x01,
        DONT_ENFORCE_USER_PRESENCE => u8::from(user_present),
        _ => return Err(U2fError::WrongData),
    };
    let counter = store
        .increment_sign_count(key_handle)
        .map_err(U2fError::Store)?;
    let mut signed = Vec::with_capacity(32 + 1 + 4 + 32);
    signed.extend_from_slice(&application);
    signed.push(presence);
    signed.extend_from_slice(&counter.to_be_bytes());
    signed.extend_from_slice(&challenge);
    let signature = key.sign(&signed);
    let mut out = Vec::with_capacity(5 + signature.len());
    out.push(presence);
    out.extend_from_slice(&counter.to_be_bytes());
    out.extend_from_slice(&signature);
    Ok(out)
}
