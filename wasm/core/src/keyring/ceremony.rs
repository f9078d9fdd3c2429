//! The WebAuthn ceremonies on the vault's keys: `navigator.credentials.create` (checked, then
//! registered once the user agreed) and `navigator.credentials.get` (checked, then signed), and
//! the signature counter's write-ahead that both sign-in APIs share.

use serde::Serialize;
use softkey_webauthn::Authenticator;
use softkey_webauthn::b64;
use softkey_webauthn::client::{self, Caller, Plan};
use softkey_webauthn::json::{
    AuthenticationResponseJson, CreationOptionsJson, RegistrationResponseJson, RequestOptionsJson,
};

use super::pending::take;
use super::{Keyring, SecurityKeySummary, transfer};
use crate::contents::{AwsContext, SecurityKey, VaultContents};
use crate::error::KeyringError;

/// What `prepare_create` decided.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CreateDecision {
    /// Not ours: hand the request to the browser.
    #[serde(rename_all = "camelCase")]
    NotOurs {
        /// Why, for logs.
        reason: String,
    },
    /// Ours once the user agrees.
    #[serde(rename_all = "camelCase")]
    NeedsConsent {
        /// RP ID the credential will belong to.
        rp_id: String,
        /// RP name.
        rp_name: String,
        /// User name.
        user_name: String,
        /// User display name.
        user_display_name: String,
        /// Calling origin.
        origin: String,
        /// Discoverable credential.
        discoverable: bool,
    },
}

/// What `prepare_get` decided.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum GetDecision {
    /// Not ours: hand the request to the browser.
    #[serde(rename_all = "camelCase")]
    NotOurs {
        /// Why, for logs.
        reason: String,
    },
    /// We hold a credential for it.
    #[serde(rename_all = "camelCase")]
    Ready {
        /// RP ID.
        rp_id: String,
        /// Calling origin.
        origin: String,
        /// The key that will sign.
        credential: Box<SecurityKeySummary>,
    },
}

impl Keyring {
    /// Gives the key a registration just added its creation time, AWS context and the label the
    /// user chose (a blank one keeps the default).
    pub(super) fn describe_new_key(
        &mut self,
        aws: AwsContext,
        label: Option<String>,
        now_ms: u64,
    ) -> Result<&mut SecurityKey, KeyringError> {
        let key = self
            .contents
            .security_keys
            .last_mut()
            .ok_or_else(|| KeyringError::Contents("the new key was not recorded".into()))?;
        key.created_ms = now_ms;
        key.aws = aws;
        if let Some(label) = label.filter(|l| !l.trim().is_empty()) {
            key.label = label.trim().to_owned();
        }
        Ok(key)
    }

    /// Checks a `navigator.credentials.create` request; keeps it pending under `request_id`.
    pub fn prepare_create(
        &mut self,
        request_id: &str,
        caller: &Caller,
        options: &CreationOptionsJson,
    ) -> Result<CreateDecision, KeyringError> {
        let authenticator = Authenticator::new(&self.key_handles, &self.attestation);
        match client::prepare_create(
            &authenticator,
            &self.contents.security_keys,
            caller,
            options,
        )? {
            Plan::NotOurs(reason) => Ok(CreateDecision::NotOurs {
                reason: reason.into(),
            }),
            Plan::Ready(prepared) => {
                let decision = CreateDecision::NeedsConsent {
                    rp_id: prepared.rp_id.clone(),
                    rp_name: prepared.rp_name.clone(),
                    user_name: prepared.user.name.clone(),
                    user_display_name: prepared.user.display_name.clone(),
                    origin: prepared.origin.clone(),
                    discoverable: prepared.discoverable,
                };
                self.pending.admit(request_id)?;
                self.pending.creates.insert(request_id.to_owned(), prepared);
                Ok(decision)
            }
        }
    }

    /// Registers the pending request after the user agreed; returns the response and the
    /// envelope to store before answering.
    pub fn finish_create(
        &mut self,
        request_id: &str,
        aws: AwsContext,
        label: Option<String>,
        now_ms: u64,
    ) -> Result<(RegistrationResponseJson, Vec<u8>), KeyringError> {
        let prepared = take(&mut self.pending.creates, request_id)?;
        let format = self.attested_format();
        self.commit(|me| {
            let authenticator = Authenticator::new(&me.key_handles, &me.attestation);
            let response = client::finish_create(
                &authenticator,
                &mut me.contents.security_keys,
                &prepared,
                format,
                true,
                &mut me.rng,
            )?;
            me.describe_new_key(aws, label, now_ms)?;
            Ok(response)
        })
    }

    /// Checks a `navigator.credentials.get` request; keeps it pending under `request_id`.
    pub fn prepare_get(
        &mut self,
        request_id: &str,
        caller: &Caller,
        options: &RequestOptionsJson,
    ) -> Result<GetDecision, KeyringError> {
        let authenticator = Authenticator::new(&self.key_handles, &self.attestation);
        match client::prepare_get(
            &authenticator,
            &self.contents.security_keys,
            caller,
            options,
            None,
        )? {
            Plan::NotOurs(reason) => Ok(GetDecision::NotOurs {
                reason: reason.into(),
            }),
            Plan::Ready(prepared) => {
                let key = self
                    .contents
                    .security_keys
                    .iter()
                    .find(|k| k.record.id == prepared.credential.id)
                    .ok_or_else(|| {
                        KeyringError::NotFound(b64::encode(&prepared.credential.id.0))
                    })?;
                let decision = GetDecision::Ready {
                    rp_id: prepared.rp_id.clone(),
                    origin: prepared.origin.clone(),
                    credential: Box::new(SecurityKeySummary::of(key)),
                };
                self.pending.admit(request_id)?;
                self.pending.gets.insert(request_id.to_owned(), prepared);
                Ok(decision)
            }
        }
    }

    /// Signs the pending request (user presence established by the caller). Returns the
    /// response and, when the counter passed its stored ceiling, the envelope that must be
    /// stored before the response is released; `None` means the stored vault already covers
    /// this counter (see [`crate::contents::COUNTER_RESERVE`]) and only cosmetic fields (last
    /// used) are unsaved.
    pub fn finish_get(
        &mut self,
        request_id: &str,
        now_ms: u64,
    ) -> Result<(AuthenticationResponseJson, Option<Vec<u8>>), KeyringError> {
        let prepared = take(&mut self.pending.gets, request_id)?;
        let credential_id = prepared.credential.id.0.clone();
        self.sign_counted(&credential_id, now_ms, |me| {
            let authenticator = Authenticator::new(&me.key_handles, &me.attestation);
            Ok(client::finish_get(
                &authenticator,
                &mut me.contents.security_keys,
                &prepared,
                true,
            )?)
        })
    }

    /// Reserves the next [`crate::contents::COUNTER_RESERVE`] counters of every key that signs
    /// here and has signed nothing since this keyring was opened, and returns the envelope to
    /// store, or `None` when no key needed it. The reservation is exactly what each key's first
    /// signature would store (ceiling + 1 issued next, the ceiling raised by the reserve), so a
    /// caller can write it as soon as the vault opens, beside the first request's work rather
    /// than after its signature; until that write is durable, no answer carrying a counter may
    /// be released (the first signature then reports no envelope of its own). Keys whose
    /// counters follow the clock are left to [`Self::finish_get`]'s own write.
    pub fn reserve_counters(&mut self) -> Result<Option<Vec<u8>>, KeyringError> {
        let before = self.contents.clone();
        let mut raised = false;
        for key in self.contents.security_keys.iter_mut() {
            if key.issued_count.is_some()
                || !key.transfer.signs_here()
                || key.transfer.clock_counter
            {
                continue;
            }
            let ceiling = key.record.sign_count;
            // An exhausted counter stays as it is: its next signature is refused anyway.
            let Some(next) = ceiling.checked_add(1) else {
                continue;
            };
            // The stored ceiling is at or above every value a site saw, so counting on from it
            // repeats none.
            key.issued_count = Some(ceiling);
            key.record.sign_count = next.saturating_add(crate::contents::COUNTER_RESERVE - 1);
            raised = true;
        }
        if !raised {
            return Ok(None);
        }
        match self.seal() {
            Ok(envelope) => Ok(Some(envelope)),
            Err(e) => {
                self.contents = before;
                Err(e)
            }
        }
    }

    /// Runs `sign`, which increments the counter of `credential_id`, and stamps the key's last
    /// use. Returns its result and, when the counter passed its stored ceiling, the envelope to
    /// store before the result is released; `None` means the stored vault already covers the
    /// new counter (see [`crate::contents::COUNTER_RESERVE`]). On failure nothing changed.
    pub(super) fn sign_counted<T>(
        &mut self,
        credential_id: &[u8],
        now_ms: u64,
        sign: impl FnOnce(&mut Self) -> Result<T, KeyringError>,
    ) -> Result<(T, Option<Vec<u8>>), KeyringError> {
        let before = self.contents.clone();
        let ceiling_of = |contents: &VaultContents| {
            contents
                .security_keys
                .iter()
                .find(|k| k.record.id.0 == credential_id)
                .map(|k| k.record.sign_count)
        };
        let old_ceiling = ceiling_of(&self.contents);
        transfer::raise_clock_counter(&mut self.contents, credential_id, now_ms);
        let outcome = sign(self).and_then(|value| {
            if let Some(key) = self
                .contents
                .security_keys
                .iter_mut()
                .find(|k| k.record.id.0 == credential_id)
            {
                key.last_used_ms = Some(now_ms);
            }
            let envelope = if ceiling_of(&self.contents) == old_ceiling {
                None
            } else {
                Some(self.seal()?)
            };
            Ok((value, envelope))
        });
        if outcome.is_err() {
            self.contents = before;
        }
        outcome
    }
}

#[cfg(test)]
mod tests;
