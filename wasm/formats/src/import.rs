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
    // Compared as bytes: the 19th or 8th byte of any text may fall inside a character.
    let starts_with = |prefix: &str| {
        start
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if starts_with("otpauth-migration:/") {
        return totp_only(Format::GoogleMigration, google::read_uris(text)?);
    }
    if starts_with("otpauth:") {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A multi-byte character across the 8th or 19th byte, where the format is sniffed, is an
    /// error, not a panic (found by the `import_any` fuzz target:
    /// `tests/fuzz/regressions/import_any/`).
    #[test]
    fn a_character_across_the_sniffed_prefix_is_not_a_panic() {
        let found = b"otpauth://offoi/\n\xf2\x84\x84\x8c\0ine?data=AjEKraC";
        assert!(read_any(found, None).is_err());
        for text in [
            "otpauth\u{e9}x",
            "otpauth-migration\u{1f600}//offline?data=x",
            "\u{e9}",
        ] {
            assert!(read_any(text.as_bytes(), None).is_err(), "{text}");
        }
        let uri = "OTPAUTH://totp/a?secret=JBSWY3DPEHPK3PXP";
        assert_eq!(
            read_any(uri.as_bytes(), None).expect("reads").0,
            Format::OtpauthList
        );
    }
}
