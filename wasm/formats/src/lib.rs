//! Moving keys in and out of SoftKey: its own encrypted backup, and the files other
//! authenticators read and write.
//!
//! | module | format | directions |
//! |---|---|---|
//! | [`backup`] | SoftKey's encrypted backup (`docs/backup-format.md`) | both |
//! | [`otpauth_list`] | one `otpauth://` URI a line | both |
//! | [`google`] | Google Authenticator `otpauth-migration://offline?data=` (protobuf) | both |
//! | [`aegis`] | Aegis vault, plain and encrypted (scrypt + AES-256-GCM) | both |
//! | [`bitwarden`] | Bitwarden JSON export: `login.totp`, `login.fido2Credentials` | both |
//! | [`twofas`] | 2FAS `.2fas` backup, plain | import |
//! | [`authenticator_extension`] | Authenticator-Extension backup, plain | import |
//!
//! Every reader is bounded: files above [`MAX_FILE_BYTES`], more than [`MAX_ENTRIES`] entries or
//! KDF costs outside the vault's bounds are refused with an error naming the problem, before any
//! expensive work. Secrets live in types that wipe themselves on drop ([`PrivateKey`],
//! [`softkey_otp::Secret`]). Pure Rust with no clock and no global RNG: the caller passes both.

pub mod aegis;
pub mod authenticator_extension;
pub mod backup;
pub mod bitwarden;
mod codec;
mod error;
pub mod google;
pub mod import;
mod model;
pub mod otpauth_list;
pub mod twofas;

pub use error::FormatError;
pub use model::{AwsContext, Backup, PasskeyItem, PasskeyUser, PrivateKey, Skipped, TotpItem};

/// Largest file any reader accepts. A real export of a few hundred entries is tens of KB; a
/// ceiling keeps a wrong or hostile file from exhausting the extension's memory.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Most entries (TOTP and security keys together) any reader accepts from one file.
pub const MAX_ENTRIES: usize = 5_000;

/// Refuses input over [`MAX_FILE_BYTES`].
pub(crate) fn check_size(format: &'static str, len: usize) -> Result<(), FormatError> {
    if len > MAX_FILE_BYTES {
        return Err(FormatError::TooLarge {
            format,
            size: len,
            max: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

/// The strict readers: a skipped entry fails the read, naming it.
pub(crate) fn strict(
    format: &'static str,
    items: Vec<TotpItem>,
    skipped: Vec<Skipped>,
) -> Result<Vec<TotpItem>, FormatError> {
    match skipped.into_iter().next() {
        None => Ok(items),
        Some(Skipped { label, why }) => Err(FormatError::Unsupported {
            format,
            what: format!("an entry SoftKey cannot keep (\"{label}\": {why})"),
        }),
    }
}

/// Refuses more than [`MAX_ENTRIES`] entries.
pub(crate) fn check_count(format: &'static str, count: usize) -> Result<(), FormatError> {
    if count > MAX_ENTRIES {
        return Err(FormatError::TooManyEntries {
            format,
            count,
            max: MAX_ENTRIES,
        });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod test_support {
    use sha2::{Digest, Sha256};
    use softkey_otp::OtpAuth;

    use crate::{AwsContext, PasskeyItem, PasskeyUser, PrivateKey, TotpItem};

    pub(crate) type TestRng = rand_core::UnwrapErr<getrandom::SysRng>;

    pub(crate) fn rng() -> TestRng {
        rand_core::UnwrapErr(getrandom::SysRng)
    }

    pub(crate) fn totp(uri: &str) -> TotpItem {
        TotpItem::from_otp(OtpAuth::parse(uri).expect("test URI"))
    }

    pub(crate) fn sample_totp() -> Vec<TotpItem> {
        let mut aws = totp(
            "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
        );
        aws.aws = AwsContext {
            account: Some("123456789012".into()),
            user: Some("alice".into()),
            arn: Some("arn:aws:iam::123456789012:mfa/alice".into()),
            directory: None,
        };
        aws.label = "prod alice".into();
        aws.created_ms = 1_700_000_000_000;
        vec![
            aws,
            totp(
                "otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA512&digits=8",
            ),
        ]
    }

    /// RFC 6979 A.2.5's P-256 key, so the public key is known independently.
    pub(crate) fn sample_passkey() -> PasskeyItem {
        let scalar: Vec<u8> = (0..32)
            .map(|i| {
                u8::from_str_radix(
                    &"c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
                        [i * 2..i * 2 + 2],
                    16,
                )
                .expect("hex")
            })
            .collect();
        PasskeyItem {
            credential_id: (0u8..61).collect(),
            rp_id: "amazon.com".into(),
            rp_id_hash: Sha256::digest(b"amazon.com").to_vec(),
            user: Some(PasskeyUser {
                id: vec![7; 16],
                name: "alice".into(),
                display_name: "Alice".into(),
            }),
            private_key: PrivateKey::from_scalar(&scalar).expect("valid scalar"),
            sign_count: 41,
            discoverable: false,
            backup_eligible: true,
            label: "root MFA".into(),
            aws: AwsContext {
                account: Some("123456789012".into()),
                user: Some("root".into()),
                ..AwsContext::default()
            },
            created_ms: 1_700_000_000_000,
            made_with_u2f: false,
            clock_counter: false,
        }
    }
}
