//! The legacy FIDO U2F JavaScript API (`u2f.register` / `u2f.sign`) on the vault's keys.
//!
//! A key registered here is an ordinary security key of the vault, bound to SHA-256(AppID) and
//! recorded with the AppID as its RP, so the WebAuthn `appid` extension finds and signs with it
//! later (and this API signs with it too). It is marked
//! [`made_with_u2f`](crate::contents::SecurityKey::made_with_u2f).

use serde::Serialize;
use softkey_webauthn::u2f_client::{
    self, U2fRegisterOptionsJson, U2fRegisterResponseJson, U2fSignOptionsJson, U2fSignResponseJson,
};
use softkey_webauthn::{Authenticator, client::Caller};

use super::pending::take;
use super::{Keyring, SecurityKeySummary};
use crate::contents::AwsContext;
use crate::error::KeyringError;

/// A checked `u2f.register`, waiting for the user's consent.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fRegisterDecision {
    /// The AppID the key will be bound to.
    pub app_id: String,
    /// The calling origin.
    pub origin: String,
}

/// A checked `u2f.sign`: the key that will answer.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fSignDecision {
    /// The AppID the key is bound to.
    pub app_id: String,
    /// The calling origin.
    pub origin: String,
    /// The key that will sign.
    pub credential: Box<SecurityKeySummary>,
}

impl Keyring {
    /// Checks a `u2f.register` request; keeps it pending under `request_id`.
    pub fn prepare_u2f_register(
        &mut self,
        request_id: &str,
        caller: &Caller,
        options: &U2fRegisterOptionsJson,
    ) -> Result<U2fRegisterDecision, KeyringError> {
        let authenticator = Authenticator::new(&self.key_handles, &self.attestation);
        let prepared = u2f_client::prepare_register(
            &authenticator,
            &self.contents.security_keys,
            caller,
            options,
        )?;
        let decision = U2fRegisterDecision {
            app_id: prepared.app_id.clone(),
            origin: prepared.origin.clone(),
        };
        self.pending.admit(request_id)?;
        self.pending
            .u2f_registers
            .insert(request_id.to_owned(), prepared);
        Ok(decision)
    }

    /// Registers the pending request after the user agreed; returns the response and the
    /// envelope to store before answering.
    pub fn finish_u2f_register(
        &mut self,
        request_id: &str,
        aws: AwsContext,
        label: Option<String>,
        now_ms: u64,
    ) -> Result<(U2fRegisterResponseJson, Vec<u8>), KeyringError> {
        let prepared = take(&mut self.pending.u2f_registers, request_id)?;
        self.commit(|me| {
            let authenticator = Authenticator::new(&me.key_handles, &me.attestation);
            let response = u2f_client::finish_register(
                &authenticator,
                &mut me.contents.security_keys,
                &prepared,
                &mut me.rng,
            )?;
            me.describe_new_key(aws, label, now_ms)?.made_with_u2f = true;
            Ok(response)
        })
    }

    /// Checks a `u2f.sign` request and picks the key; keeps it pending under `request_id`.
    pub fn prepare_u2f_sign(
        &mut self,
        request_id: &str,
        caller: &Caller,
        options: &U2fSignOptionsJson,
    ) -> Result<U2fSignDecision, KeyringError> {
        let authenticator = Authenticator::new(&self.key_handles, &self.attestation);
        let prepared = u2f_client::prepare_sign(
            &authenticator,
            &self.contents.security_keys,
            caller,
            options,
        )?;
        let key = self
            .contents
            .security_keys
            .iter()
            .find(|k| k.record.id == prepared.credential.id)
            .ok_or_else(|| KeyringError::NotFound(prepared.credential.rp_id.clone()))?;
        let decision = U2fSignDecision {
            app_id: prepared.app_id.clone(),
            origin: prepared.origin.clone(),
            credential: Box::new(SecurityKeySummary::of(key)),
        };
        self.pending.admit(request_id)?;
        self.pending
            .u2f_signs
            .insert(request_id.to_owned(), prepared);
        Ok(decision)
    }

    /// Signs the pending request (user presence established by the caller). Returns the
    /// response and, when the counter passed its stored ceiling, the envelope that must be
    /// stored before the response is released (as [`Keyring::finish_get`]).
    pub fn finish_u2f_sign(
        &mut self,
        request_id: &str,
        now_ms: u64,
    ) -> Result<(U2fSignResponseJson, Option<Vec<u8>>), KeyringError> {
        let prepared = take(&mut self.pending.u2f_signs, request_id)?;
        let credential_id = prepared.credential.id.0.clone();
        self.sign_counted(&credential_id, now_ms, |me| {
            let authenticator = Authenticator::new(&me.key_handles, &me.attestation);
            Ok(u2f_client::finish_sign(
                &authenticator,
                &mut me.contents.security_keys,
                &prepared,
            )?)
        })
    }
}

#[cfg(test)]
mod tests;
