//! One error type for everything the extension asks of the core, each with a stable name the
//! JavaScript side can branch on and a message a person understands.

use core::fmt;

use softkey_formats::FormatError;
use softkey_otp::OtpError;
use softkey_vault::VaultError;
use softkey_webauthn::WebAuthnError;
use softkey_webauthn::u2f_client::U2fApiError;

/// Why an operation on the keyring failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyringError {
    /// Opening, sealing or re-keying the vault failed.
    Vault(VaultError),
    /// A WebAuthn or U2F request was refused.
    WebAuthn(WebAuthnError),
    /// A legacy U2F API request (`u2f.register` / `u2f.sign`) was refused.
    U2f(U2fApiError),
    /// A TOTP entry or URI is invalid.
    Otp(OtpError),
    /// An `otpauth://hotp/` entry: the extension has no way to move a counter on, so it would
    /// show one code for ever.
    CounterBasedCode,
    /// The decrypted vault contents do not parse (damaged before encryption, or a bug).
    Contents(String),
    /// The decrypted vault contents are in a format this version does not read (a newer
    /// SoftKey wrote them): refused whole, never half-read and rewritten.
    UnsupportedContents {
        /// The contents' own format number.
        format: u32,
    },
    /// The decrypted vault contents are in an older format this build does not read (the
    /// sign-in module has no JSON reader); the transfer module rewrites them (`Keyring::migrate`).
    ContentsNeedMigration {
        /// The contents' own format number.
        format: u32,
    },
    /// No entry with that id.
    NotFound(String),
    /// A request id is unknown (never prepared, already finished, or cancelled).
    UnknownRequest(String),
    /// A request's JSON does not have the expected shape.
    BadRequest(String),
    /// The caller (a browser tab) already has the most requests waiting that it may; the new
    /// one is refused, as a browser refuses a second request while one is pending.
    TooManyPending {
        /// The caller part of the request id.
        caller: String,
    },
    /// The entry (this secret for this account) is already in the vault, under the given id.
    DuplicateEntry(String),
    /// An export or import file could not be written or read; its `kind()` names the problem
    /// (`WrongPassword`, `Truncated`, `Corrupted`, `TooLarge`, `KdfParamsOutOfBounds`, …).
    Format(FormatError),
}

impl KeyringError {
    /// A stable name for JavaScript: the DOMException name for WebAuthn refusals, one of
    /// `U2fBadRequest`, `U2fConfigurationUnsupported`, `U2fDeviceIneligible`, `U2fOtherError`
    /// for U2F refusals (one per U2F error code), otherwise one of `WrongPassword`, `VaultCorrupted`, `SessionKeyRejected`, `VaultUnsupported`, `VaultError`, `InvalidEntry`,
    /// `NotFound`, `UnknownRequest`, `BadRequest`, `DuplicateEntry`, `ContentsError`; for an
    /// export or import file, its problem (`softkey_formats::FormatError::kind`: `WrongPassword`,
    /// `Truncated`, `Corrupted`, `TooLarge`, `KdfParamsOutOfBounds`, `NotThisFormat`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Vault(VaultError::WrongPassword) => "WrongPassword",
            Self::Vault(
                VaultError::NotAVault
                | VaultError::Truncated
                | VaultError::Corrupted
                | VaultError::Tampered,
            ) => "VaultCorrupted",
            // The session key no longer fits (vault re-created elsewhere): ask for the password.
            Self::Vault(VaultError::MasterKeyRejected) => "SessionKeyRejected",
            Self::Vault(
                VaultError::UnsupportedVersion { .. }
                | VaultError::UnsupportedKdf { .. }
                | VaultError::KdfParamsOutOfBounds { .. },
            )
            | Self::UnsupportedContents { .. } => "VaultUnsupported",
            Self::Vault(_) => "VaultError",
            Self::WebAuthn(e) => e.dom_name().as_str(),
            Self::U2f(e) => e.name(),
            Self::Otp(_) | Self::CounterBasedCode => "InvalidEntry",
            Self::Contents(_) => "ContentsError",
            Self::ContentsNeedMigration { .. } => "VaultNeedsMigration",
            Self::NotFound(_) => "NotFound",
            Self::UnknownRequest(_) => "UnknownRequest",
            Self::BadRequest(_) => "BadRequest",
            Self::TooManyPending { .. } => "NotAllowedError",
            Self::DuplicateEntry(_) => "DuplicateEntry",
            Self::Format(e) => e.kind(),
        }
    }
}

impl KeyringError {
    /// A stable identifier of what went wrong, for code to branch on (the message is for people
    /// and may change; `name` follows DOMException names, so unrelated refusals share
    /// `NotAllowedError`). One of `wrongPassword`, `vaultCorrupted`, `sessionKeyRejected`,
    /// `vaultUnsupported`, `vault`, `webauthn`, `u2f`, `notOtpauth` (a text that is no
    /// `otpauth://` URI), `invalidEntry` (also an HOTP entry),
    /// `contents`, `needsMigration`, `notFound`, `unknownRequest`, `badRequest`, `tooManyPending`, `duplicate`,
    /// `format`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Vault(VaultError::WrongPassword) => "wrongPassword",
            Self::Vault(
                VaultError::NotAVault
                | VaultError::Truncated
                | VaultError::Corrupted
                | VaultError::Tampered,
            ) => "vaultCorrupted",
            Self::Vault(VaultError::MasterKeyRejected) => "sessionKeyRejected",
            Self::Vault(
                VaultError::UnsupportedVersion { .. }
                | VaultError::UnsupportedKdf { .. }
                | VaultError::KdfParamsOutOfBounds { .. },
            )
            | Self::UnsupportedContents { .. } => "vaultUnsupported",
            Self::Vault(_) => "vault",
            Self::WebAuthn(_) => "webauthn",
            Self::U2f(_) => "u2f",
            // Not an authenticator code at all (a QR code of something else), apart from one
            // that is but cannot be used: the capture then falls back to the secret shown as text.
            Self::Otp(OtpError::NotOtpauthUri) => "notOtpauth",
            Self::Otp(_) | Self::CounterBasedCode => "invalidEntry",
            Self::Contents(_) => "contents",
            Self::ContentsNeedMigration { .. } => "needsMigration",
            Self::NotFound(_) => "notFound",
            Self::UnknownRequest(_) => "unknownRequest",
            Self::BadRequest(_) => "badRequest",
            Self::TooManyPending { .. } => "tooManyPending",
            Self::DuplicateEntry(_) => "duplicate",
            Self::Format(_) => "format",
        }
    }
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Vault(e) => write!(f, "{e}"),
            Self::WebAuthn(e) => write!(f, "{e}"),
            Self::U2f(e) => write!(f, "{e}"),
            Self::Otp(e) => write!(f, "{e}"),
            Self::CounterBasedCode => f.write_str(
                "unsupported otpauth type 'hotp': SoftKey keeps time-based (totp) codes only, as AWS and Amazon use",
            ),
            Self::Contents(why) => write!(f, "the vault's contents could not be read: {why}"),
            Self::UnsupportedContents { format } => write!(
                f,
                "the vault's contents are in format {format}, which this version of SoftKey does not read (it reads formats 1 to {}): a newer SoftKey wrote them; update the extension to open this vault",
                crate::contents::CONTENTS_FORMAT
            ),
            Self::ContentsNeedMigration { format } => write!(
                f,
                "the vault's contents are in format {format}, which SoftKey rewrites in the current format before opening it"
            ),
            Self::NotFound(id) => write!(f, "no entry with id {id}"),
            Self::UnknownRequest(id) => write!(
                f,
                "request {id} is not pending (finished, cancelled or never started)"
            ),
            Self::BadRequest(why) => write!(f, "malformed request: {why}"),
            Self::TooManyPending { .. } => f.write_str(
                "too many security-key requests are already waiting in this tab; try again once they are answered",
            ),
            Self::DuplicateEntry(_) => f.write_str("this authenticator entry is already in the vault"),
            Self::Format(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for KeyringError {}

impl From<VaultError> for KeyringError {
    fn from(e: VaultError) -> Self {
        Self::Vault(e)
    }
}

impl From<WebAuthnError> for KeyringError {
    fn from(e: WebAuthnError) -> Self {
        Self::WebAuthn(e)
    }
}

impl From<U2fApiError> for KeyringError {
    fn from(e: U2fApiError) -> Self {
        Self::U2f(e)
    }
}

impl From<OtpError> for KeyringError {
    fn from(e: OtpError) -> Self {
        Self::Otp(e)
    }
}

impl From<FormatError> for KeyringError {
    fn from(e: FormatError) -> Self {
        Self::Format(e)
    }
}
