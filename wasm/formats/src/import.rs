//! One entry point for the import page: recognise the file, read it, and give back the neutral
//! model, so the caller neither asks the user which format it is nor trusts a file extension.

use serde_json::Value;

use crate::model::Backup;
use crate::{FormatError, aegis, authenticator_extension, backup, bitwarden, check_size, google};
use crate::{otpauth_list, twofas};

/// The formats [`read_any`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// SoftKey's encrypted backup.
    SoftKeyBackup,
    /// `otpauth://` lines.
    OtpauthList,
    /// `otpauth-migration://` lines.
    GoogleMigration,
    /// Aegis vault.
    Aegis,
    /// Bitwarden JSON export.
    Bitwarden,
    /// 2FAS backup.
    TwoFas,
    /// Authenticator-Extension backup.
    AuthenticatorExtension,
}

impl Format {
    /// A stable name for the UI.
    pub fn name(self) -> &'static str {
        match self {
            Self::SoftKeyBackup => "softkey-backup",
            Self::OtpauthList => "otpauth",
            Self::GoogleMigration => "google-migration",
            Self::Aegis => "aegis",
            Self::Bitwarden => "bitwarden",
            Self::TwoFas => "2fas",
            Self::AuthenticatorExtension => "authenticator-extension",
        }
    }
}

/// Recognises and reads any supported file. `password` is used by the encrypted formats; one
/// that needs it and has none fails with [`FormatError::PasswordRequired`].
pub fn read_any(bytes: &[u8], password: Option<&[u8]>) -> Result<(Format, Backup), FormatError> {
    const FORMAT: &str = "import";
    check_size(FORMAT, bytes.len())?;
    if bytes.starts_with(backup::MAGIC) {
        let password = password.ok_or(FormatError::PasswordRequired {
            format: "SoftKey backup",
        })?;
        return Ok((Format::SoftKeyBackup, backup::open(bytes, password)?));
    }
    let text = core::str::from_utf8(bytes).map_err(|_| FormatError::NotThisFormat {
        format: FORMAT,
        why: "it is neither a SoftKey backup nor text".into(),
    })?;
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    let totp_only = |format, totp| {
        Ok((
            format,
            Backup {
                totp,
                ..Backup::default()
            },
        ))
    };
    let lenient = |format, (totp, skipped)| {
        Ok((
            format,
            Backup {
                totp,
                skipped,
                ..Backup::default()
            },
        ))
    };
    if start.len() >= 19 && start[..19].eq_ignore_ascii_case("otpauth-migration:/") {
        return totp_only(Format::GoogleMigration, google::read_uris(text)?);
    }
    if start.len() >= 8 && start[..8].eq_ignore_ascii_case("otpauth:") {
        return totp_only(Format::OtpauthList, otpauth_list::read(text)?);
    }
    let json: Value = serde_json::from_str(text).map_err(|_| FormatError::NotThisFormat {
        format: FORMAT,
        why: "it is not a file SoftKey can import (not a backup, not otpauth:// text, not JSON)"
            .into(),
    })?;
    let has = |key: &str| json.get(key).is_some();
    if has("header") && has("db") {
        lenient(Format::Aegis, aegis::read_lenient(text, password)?)
    } else if has("items") || (has("encrypted") && has("data")) {
        let read = bitwarden::read(text)?;
        Ok((
            Format::Bitwarden,
            Backup {
                created_ms: 0,
                totp: read.totp,
                security_keys: read.security_keys,
                skipped: read.skipped,
            },
        ))
    } else if has("services") || has("servicesEncrypted") {
        lenient(Format::TwoFas, twofas::read_lenient(text)?)
    } else {
        lenient(
            Format::AuthenticatorExtension,
            authenticator_extension::read_lenient(text)?,
        )
    }
}
