//! Entries captured from a setup page: what the page showed (a QR code's `otpauth://` URI, or the
//! secret key as text) becomes an entry whose `otpauth` label, issuer and name say whose device it
//! is, the same way every time, so the sign-in matching (`mfa_match`) finds it again.

use serde::Deserialize;
use softkey_otp::{Algorithm, OtpAuth, OtpKind, Secret};

use super::{Keyring, TotpCode};
use crate::{AwsContext, KeyringError};

/// The issuer AWS writes into its virtual MFA devices' URIs.
const AWS_ISSUER: &str = "Amazon Web Services";
/// An Identity Center or Builder ID device (AWS's own URI for them is not public).
const IDENTITY_CENTER_ISSUER: &str = "AWS IAM Identity Center";
/// Amazon.com's two-step verification.
const AMAZON_ISSUER: &str = "Amazon";

/// Which setup page a secret was read from.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CaptureSite {
    /// An AWS console, Identity Center portal or Builder ID profile.
    Aws,
    /// Amazon.com's two-step verification settings.
    Amazon,
}

/// A secret key shown as text on a setup page, with what the page says about it.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretCapture {
    /// Where it was shown.
    pub site: CaptureSite,
    /// The base32 secret as shown (spaces and lower case allowed).
    pub secret: String,
    /// The MFA device name the user typed (AWS).
    #[serde(default)]
    pub device_name: Option<String>,
    /// The account's e-mail address as the page shows it (Amazon.com); refused when it is not one.
    #[serde(default)]
    pub email: Option<String>,
    /// What the user typed at Amazon's sign-in in this tab (an e-mail address or a phone
    /// number): the account's e-mail when the page shows none, if it is an e-mail address.
    #[serde(default)]
    pub sign_in_name: Option<String>,
}

/// The name an AWS capture gets: the device and whose it is.
fn aws_label(device: &str, aws: &AwsContext) -> String {
    match (&aws.directory, &aws.account) {
        (Some(directory), _) => format!("{device} (Identity Center {directory})"),
        (None, Some(account)) => format!("{device} (AWS {account})"),
        (None, None) => device.to_owned(),
    }
}

/// An account as a page shows it: a 12-digit ID is stored without the dashes the console writes
/// (`1234-5678-9012`); an alias (lower-case letters, digits and hyphens) is kept as it is.
fn account_id(shown: &str) -> String {
    let shown = shown.trim();
    let digits: String = shown.chars().filter(|c| *c != '-').collect();
    if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits
    } else {
        shown.to_owned()
    }
}

/// The page's account normalised, for every capture.
fn with_account_id(mut aws: AwsContext) -> AwsContext {
    aws.account = aws
        .account
        .as_deref()
        .map(account_id)
        .filter(|a| !a.is_empty());
    aws
}

/// An e-mail address as Amazon.com shows it: one `@`, something before it, a dotted domain
/// after it, no spaces. Case is folded, as Amazon's sign-in folds it.
fn email_address(shown: &str) -> Result<String, KeyringError> {
    let email = shown.trim().to_ascii_lowercase();
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            (1..=64).contains(&local.len())
                && domain.len() <= 253
                && !domain.contains('@')
                && domain.split('.').count() >= 2
                && domain.split('.').all(|label| !label.is_empty())
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(email)
    } else {
        Err(KeyringError::BadRequest(
            "the page's e-mail address is not an e-mail address".to_owned(),
        ))
    }
}

fn device_name(capture: Option<&str>) -> String {
    capture
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(|| "AWS MFA".to_owned(), |d| d.chars().take(128).collect())
}

impl Keyring {
    /// Adds a secret key read as text from a setup page (unconfirmed, like every capture): the
    /// `otpauth` label and the entry's name are composed here, as AWS and Amazon.com write them
    /// (`Amazon Web Services:<device>@<account>`, `Amazon:<e-mail>`), with TOTP's defaults
    /// (SHA-1, 6 digits, 30 s), which both use.
    pub fn add_captured_secret(
        &mut self,
        capture: &SecretCapture,
        aws: AwsContext,
        now_ms: u64,
    ) -> Result<(TotpCode, Option<Vec<u8>>), KeyringError> {
        let secret = Secret::from_base32(&capture.secret)?;
        let aws = with_account_id(aws);
        let (issuer, account, label) = match capture.site {
            CaptureSite::Aws => {
                let device = device_name(capture.device_name.as_deref());
                let (issuer, account) = match (&aws.directory, &aws.account) {
                    (Some(_), _) => (IDENTITY_CENTER_ISSUER, device.clone()),
                    (None, Some(account)) => (AWS_ISSUER, format!("{device}@{account}")),
                    (None, None) => (AWS_ISSUER, device.clone()),
                };
                (issuer, account, aws_label(&device, &aws))
            }
            CaptureSite::Amazon => {
                let email = match capture.email.as_deref().map(str::trim) {
                    Some(shown) if !shown.is_empty() => Some(email_address(shown)?),
                    // A phone number at sign-in is no e-mail: the entry is then just Amazon.com's.
                    _ => capture
                        .sign_in_name
                        .as_deref()
                        .and_then(|typed| email_address(typed).ok()),
                };
                let label = email
                    .as_deref()
                    .map_or_else(|| "Amazon.com".to_owned(), |e| format!("Amazon.com ({e})"));
                (
                    AMAZON_ISSUER,
                    email.unwrap_or_else(|| "Amazon.com".to_owned()),
                    label,
                )
            }
        };
        let otp = OtpAuth {
            issuer: Some(issuer.to_owned()),
            account,
            secret,
            algorithm: Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        };
        self.captured(
            |me| me.insert_otp(otp, Some(label), aws, now_ms, true),
            now_ms,
        )
    }

    /// Adds the `otpauth://` URI read from a setup page's QR code, named after the device and
    /// the page's account or directory (unconfirmed, like every capture).
    pub fn add_captured_uri(
        &mut self,
        uri: &str,
        device: Option<&str>,
        aws: AwsContext,
        now_ms: u64,
    ) -> Result<(TotpCode, Option<Vec<u8>>), KeyringError> {
        let aws = with_account_id(aws);
        let label = aws_label(&device_name(device), &aws);
        self.add_captured_totp(uri, Some(label), aws, now_ms)
    }

    /// A capture made again (the button pressed twice, the page reloaded) answers the stored
    /// entry and writes nothing.
    pub(super) fn captured(
        &mut self,
        insert: impl FnOnce(&mut Self) -> Result<(TotpCode, Vec<u8>), KeyringError>,
        now_ms: u64,
    ) -> Result<(TotpCode, Option<Vec<u8>>), KeyringError> {
        match insert(self) {
            Ok((code, envelope)) => Ok((code, Some(envelope))),
            Err(KeyringError::DuplicateEntry(id)) => {
                let entry = self.contents.totp.iter().find(|e| e.id == id);
                let entry = entry.ok_or_else(|| KeyringError::NotFound(id.clone()))?;
                Ok((Self::code_of(entry, now_ms)?, None))
            }
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
