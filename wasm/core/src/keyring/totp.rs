//! The authenticator app: TOTP entries added by hand or from a URI, their codes, edits, and
//! the entries that may answer an MFA prompt.

use serde::Serialize;
use softkey_otp::{OtpAuth, OtpKind, consecutive_pair, seconds_remaining};

use super::{Keyring, apply_edit, unix_seconds};
use crate::contents::{AwsContext, TotpEntry};
use crate::error::KeyringError;

/// A TOTP entry with its current code (no secret).
// Crosses to JS with `None` as `null`, as its JSON did.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TotpCode {
    /// Entry id.
    pub id: String,
    /// Editable name.
    pub label: String,
    /// Issuer.
    pub issuer: Option<String>,
    /// Account name.
    pub account: String,
    /// AWS account and user.
    pub aws: AwsContext,
    /// The code now (TOTP) or for the current counter (HOTP).
    pub code: String,
    /// Seconds until the code changes (TOTP only).
    pub seconds_remaining: Option<u32>,
    /// Period (TOTP only).
    pub period: Option<u32>,
    /// The AWS account (12 digits or alias) or Identity Center directory the entry belongs to,
    /// from whichever source names it (context, ARN, `otpauth` label): the popup groups by it.
    pub owner: Option<crate::mfa_match::Owner>,
    /// Captured, but the site has not yet shown that it accepted the device.
    pub unconfirmed: bool,
}

impl Keyring {
    /// Adds a TOTP entry from an `otpauth://` URI or a bare base32 secret (then TOTP, SHA-1,
    /// 6 digits, 30 s, as AWS uses). Refuses a duplicate secret for the same account, and HOTP
    /// (nothing here moves its counter on).
    pub fn add_totp(
        &mut self,
        uri_or_secret: &str,
        label: Option<String>,
        aws: AwsContext,
        now_ms: u64,
    ) -> Result<(TotpCode, Vec<u8>), KeyringError> {
        self.insert_totp(uri_or_secret, label, aws, now_ms, false)
    }

    /// Adds an entry captured from a site's setup page, marked unconfirmed until the page shows
    /// that the site accepted the device ([`Self::confirm_totp`]); otherwise as [`Self::add_totp`],
    /// except that capturing the same secret and account again (the user pressed the button
    /// twice, or reloaded the page) answers the stored entry and writes nothing.
    pub fn add_captured_totp(
        &mut self,
        uri_or_secret: &str,
        label: Option<String>,
        aws: AwsContext,
        now_ms: u64,
    ) -> Result<(TotpCode, Option<Vec<u8>>), KeyringError> {
        self.captured(
            |me| me.insert_totp(uri_or_secret, label, aws, now_ms, true),
            now_ms,
        )
    }

    /// The site accepted a captured device: its entry is no longer unconfirmed.
    pub fn confirm_totp(&mut self, id: &str) -> Result<Vec<u8>, KeyringError> {
        self.edit_totp(id, |entry| {
            entry.unconfirmed = false;
            Ok(())
        })
    }

    /// Changes one TOTP entry and seals the result.
    fn edit_totp(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut TotpEntry) -> Result<(), KeyringError>,
    ) -> Result<Vec<u8>, KeyringError> {
        self.commit(|me| change(entry_mut(&mut me.contents.totp, id)?))
            .map(|((), envelope)| envelope)
    }

    /// The user picked `id` for the prompt `query` describes: the entry learns what the prompt
    /// named and it lacked (see [`crate::mfa_match::learned_context`]), so the next sign-in
    /// needs no choice. `None` when there was nothing to learn (nothing is written).
    pub fn remember_mfa_choice(
        &mut self,
        id: &str,
        query: &crate::mfa_match::MfaQuery,
    ) -> Result<Option<Vec<u8>>, KeyringError> {
        let entry = entry(&self.contents.totp, id)?;
        let Some(query) = query.clone().resolve() else {
            return Ok(None);
        };
        let Some(aws) = crate::mfa_match::learned_context(&query, entry) else {
            return Ok(None);
        };
        self.edit_totp(id, |entry| {
            entry.aws = aws;
            Ok(())
        })
        .map(Some)
    }

    fn insert_totp(
        &mut self,
        uri_or_secret: &str,
        label: Option<String>,
        aws: AwsContext,
        now_ms: u64,
        unconfirmed: bool,
    ) -> Result<(TotpCode, Vec<u8>), KeyringError> {
        let text = uri_or_secret.trim();
        let otp = if text.to_ascii_lowercase().starts_with("otpauth:") {
            OtpAuth::parse(text)?
        } else {
            OtpAuth {
                issuer: None,
                account: label.clone().unwrap_or_default(),
                secret: softkey_otp::Secret::from_base32(text)?,
                algorithm: softkey_otp::Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            }
        };
        self.insert_otp(otp, label, aws, now_ms, unconfirmed)
    }

    pub(super) fn insert_otp(
        &mut self,
        otp: OtpAuth,
        label: Option<String>,
        aws: AwsContext,
        now_ms: u64,
        unconfirmed: bool,
    ) -> Result<(TotpCode, Vec<u8>), KeyringError> {
        otp.validate()?;
        if matches!(otp.kind, OtpKind::Hotp { .. }) {
            return Err(KeyringError::CounterBasedCode);
        }
        if let Some(same) = self
            .contents
            .totp
            .iter()
            .find(|e| e.otp.secret == otp.secret && e.otp.account == otp.account)
        {
            return Err(KeyringError::DuplicateEntry(same.id.clone()));
        }
        let mut id_bytes = [0u8; 8];
        rand_core::Rng::fill_bytes(&mut self.rng, &mut id_bytes);
        let id: String = id_bytes.iter().map(|b| format!("{b:02x}")).collect();
        let label = label
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| match &otp.issuer {
                Some(issuer) => format!("{issuer}: {}", otp.account),
                None => otp.account.clone(),
            });
        let entry = TotpEntry {
            id,
            otp,
            label,
            aws,
            created_ms: now_ms,
            unconfirmed,
        };
        let code = Self::code_of(&entry, now_ms)?;
        self.commit(|me| {
            me.contents.totp.push(entry);
            Ok(code)
        })
    }

    pub(super) fn code_of(entry: &TotpEntry, now_ms: u64) -> Result<TotpCode, KeyringError> {
        let now = unix_seconds(now_ms);
        let (remaining, period) = match entry.otp.kind {
            OtpKind::Totp { period } => (Some(seconds_remaining(now, period)?), Some(period)),
            OtpKind::Hotp { .. } => (None, None),
        };
        Ok(TotpCode {
            id: entry.id.clone(),
            label: entry.label.clone(),
            issuer: entry.otp.issuer.clone(),
            account: entry.otp.account.clone(),
            aws: entry.aws.clone(),
            code: entry.otp.code_at(now)?,
            seconds_remaining: remaining,
            period,
            owner: crate::mfa_match::owner_of(entry),
            unconfirmed: entry.unconfirmed,
        })
    }

    /// Every entry's current code.
    pub fn totp_codes(&self, now_ms: u64) -> Result<Vec<TotpCode>, KeyringError> {
        self.contents
            .totp
            .iter()
            .map(|e| Self::code_of(e, now_ms))
            .collect()
    }

    /// Two consecutive codes for AWS's "MFA code 1 / MFA code 2" form, starting at the next
    /// step when fewer than `min_remaining_secs` are left.
    pub fn totp_pair(
        &self,
        id: &str,
        now_ms: u64,
        min_remaining_secs: u32,
    ) -> Result<(String, String), KeyringError> {
        let entry = entry(&self.contents.totp, id)?;
        Ok(consecutive_pair(
            &entry.otp,
            unix_seconds(now_ms),
            min_remaining_secs,
        )?)
    }

    /// The entry's `otpauth://` URI (for moving it to a phone): the caller re-asks the password.
    pub fn totp_uri(&self, id: &str) -> Result<String, KeyringError> {
        entry(&self.contents.totp, id).map(|e| e.otp.to_uri())
    }

    /// Renames a TOTP entry and/or sets its AWS context.
    pub fn update_totp(
        &mut self,
        id: &str,
        label: Option<String>,
        aws: Option<AwsContext>,
    ) -> Result<Vec<u8>, KeyringError> {
        self.edit_totp(id, |entry| {
            apply_edit(&mut entry.label, &mut entry.aws, label, aws)
        })
    }

    /// Deletes a TOTP entry.
    pub fn delete_totp(&mut self, id: &str) -> Result<Vec<u8>, KeyringError> {
        self.commit(|me| {
            let before = me.contents.totp.len();
            me.contents.totp.retain(|e| e.id != id);
            if me.contents.totp.len() == before {
                return Err(KeyringError::NotFound(id.into()));
            }
            Ok(())
        })
        .map(|((), envelope)| envelope)
    }

    /// The TOTP entries that may answer an MFA prompt for `query` (see [`crate::mfa_match`]),
    /// with their current codes, in vault order. Empty when none fits.
    pub fn mfa_candidates(
        &self,
        query: &crate::mfa_match::MfaQuery,
        now_ms: u64,
    ) -> Result<Vec<TotpCode>, KeyringError> {
        let Some(query) = query.clone().resolve() else {
            return Ok(Vec::new());
        };
        crate::mfa_match::choose(&query, &self.contents.totp)
            .into_iter()
            .map(|i| Self::code_of(&self.contents.totp[i], now_ms))
            .collect()
    }
}

#[cfg(test)]
mod tests;

/// The entry `id`, or `NotFound`.
fn entry<'a>(entries: &'a [TotpEntry], id: &str) -> Result<&'a TotpEntry, KeyringError> {
    entries
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| KeyringError::NotFound(id.into()))
}

/// The entry `id` to change, or `NotFound`.
fn entry_mut<'a>(
    entries: &'a mut [TotpEntry],
    id: &str,
) -> Result<&'a mut TotpEntry, KeyringError> {
    entries
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or_else(|| KeyringError::NotFound(id.into()))
}
