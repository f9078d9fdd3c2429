//! The security keys as the popup lists and edits them: names, AWS context, "ask before
//! sign-in", deletion. No key material leaves here.

use serde::Serialize;
use softkey_webauthn::CredentialRecord;
use softkey_webauthn::b64;

use super::{Keyring, apply_edit};
use crate::contents::{AwsContext, SecurityKey};
use crate::error::KeyringError;

/// A security key as the UI shows it (no key material).
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityKeySummary {
    /// base64url credential ID.
    pub id: String,
    /// RP ID or AppID.
    pub rp_id: String,
    /// Editable name.
    pub label: String,
    /// User name at the RP.
    pub user_name: Option<String>,
    /// AWS account and user.
    pub aws: AwsContext,
    /// Signature counter.
    pub sign_count: u32,
    /// Discoverable.
    pub discoverable: bool,
    /// Created (ms).
    pub created_ms: u64,
    /// Last used (ms).
    pub last_used_ms: Option<u64>,
    /// Ask before each sign-in with this key.
    pub ask_before_sign_in: bool,
    /// Made through the legacy U2F API; `rp_id` is then its AppID.
    pub made_with_u2f: bool,
}

impl SecurityKeySummary {
    pub(super) fn of(key: &SecurityKey) -> Self {
        Self {
            id: b64::encode(&key.record.id.0),
            rp_id: key.record.rp_id.clone(),
            label: key.label.clone(),
            user_name: key.record.user.as_ref().map(|u| u.name.clone()),
            aws: key.aws.clone(),
            sign_count: key.sign_count(),
            discoverable: key.record.discoverable,
            created_ms: key.created_ms,
            last_used_ms: key.last_used_ms,
            ask_before_sign_in: key.ask_before_sign_in,
            made_with_u2f: key.made_with_u2f,
        }
    }
}

/// The name a new security key gets until the user renames it: the site, then whose it is
/// (user, account, Identity Center directory), the parts the page did not show left out.
pub fn default_key_label(rp_id: &str, aws: &AwsContext) -> String {
    let whose = [&aws.user, &aws.account, &aws.directory]
        .into_iter()
        .flatten()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty());
    std::iter::once(rp_id)
        .chain(whose)
        .collect::<Vec<_>>()
        .join(" · ")
}

impl Keyring {
    /// The security keys, oldest first. A key moved to another vault is not listed: it no
    /// longer signs here (its record stays, so importing it back keeps the higher counter).
    pub fn security_keys(&self) -> Vec<SecurityKeySummary> {
        self.contents
            .security_keys
            .iter()
            .filter(|k| k.transfer.signs_here())
            .map(SecurityKeySummary::of)
            .collect()
    }

    fn security_key_mut(&mut self, id: &str) -> Result<&mut SecurityKey, KeyringError> {
        let raw = b64::decode(id).map_err(KeyringError::BadRequest)?;
        self.contents
            .security_keys
            .iter_mut()
            .find(|k| k.record.id.0 == raw)
            .ok_or_else(|| KeyringError::NotFound(id.into()))
    }

    /// Renames a security key and/or sets its AWS context.
    pub fn update_security_key(
        &mut self,
        id: &str,
        label: Option<String>,
        aws: Option<AwsContext>,
        ask_before_sign_in: Option<bool>,
    ) -> Result<Vec<u8>, KeyringError> {
        self.commit(|me| {
            let key = me.security_key_mut(id)?;
            if let Some(ask) = ask_before_sign_in {
                key.ask_before_sign_in = ask;
            }
            apply_edit(&mut key.label, &mut key.aws, label, aws)
        })
        .map(|((), envelope)| envelope)
    }

    /// Deletes a security key: it will no longer sign, even if a site presents its ID.
    pub fn delete_security_key(&mut self, id: &str) -> Result<Vec<u8>, KeyringError> {
        self.commit(|me| {
            let raw = b64::decode(id).map_err(KeyringError::BadRequest)?;
            let before = me.contents.security_keys.len();
            me.contents.security_keys.retain(|k| k.record.id.0 != raw);
            if me.contents.security_keys.len() == before {
                return Err(KeyringError::NotFound(id.into()));
            }
            Ok(())
        })
        .map(|((), envelope)| envelope)
    }

    /// The credential record of a security key (for tests and export).
    pub fn security_key_record(&self, id: &str) -> Option<CredentialRecord> {
        let raw = b64::decode(id).ok()?;
        self.contents
            .security_keys
            .iter()
            .find(|k| k.record.id.0 == raw)
            .map(|k| k.record.clone())
    }
}

#[cfg(test)]
mod tests;
