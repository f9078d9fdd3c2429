//! The unlocked vault and everything the extension does with it.
//!
//! Every change is made on a copy and only kept once the new envelope is sealed, and every
//! change returns that envelope: the caller stores it before it answers the page, so a counter
//! that went to a relying party is never lost, and a failed write leaves the last good vault.

use std::collections::BTreeMap;

use serde::Serialize;
use softkey_otp::{OtpAuth, OtpKind, consecutive_pair, seconds_remaining};
use softkey_vault::{KdfParams, MasterKey, UnlockedVault, Vault};
use softkey_webauthn::b64::{self, Base64Url};
use softkey_webauthn::client::{self, Caller, Plan, PreparedCreate, PreparedGet};
use softkey_webauthn::json::{
    AuthenticationResponseJson, CreationOptionsJson, RegistrationResponseJson, RequestOptionsJson,
};
use softkey_webauthn::u2f_client::{PreparedU2fRegister, PreparedU2fSign};
use softkey_webauthn::{
    AttestationFormat, AttestationIdentity, Authenticator, CredentialRecord, KeyHandleKey,
};
use zeroize::Zeroizing;

use crate::contents::{
    AwsContext, CONTENTS_FORMAT, SecurityKey, Settings, StoredAttestation, TotpEntry, VaultContents,
};
use crate::error::KeyringError;
use crate::rng::{SystemRng, system_rng};

/// Purpose label of the key that wraps credential keys into key handles.
const KEY_HANDLE_LABEL: &[u8] = b"softkey/key-handles/v1";

/// Most pending (prepared, not finished) requests one caller (a browser tab) may have at once.
/// Beyond it a new request is refused; nothing already waiting is ever pushed out, so one tab
/// cannot evict another tab's consent (or its own earlier requests).
pub const MAX_PENDING_PER_CALLER: usize = 16;

/// Most pending requests of all callers together: a bound on memory, reached only when very
/// many tabs are waiting at once. Also refuses rather than evicts.
pub const MAX_PENDING: usize = 1024;

/// The caller a request id belongs to: the text before its first `.` (the service worker
/// writes `<tab id>.<port>.<page request id>`); an id without a `.` is a caller of its own.
fn caller_of(request_id: &str) -> &str {
    request_id
        .split_once('.')
        .map_or(request_id, |(caller, _)| caller)
}

/// The unlocked vault.
pub struct Keyring {
    vault: UnlockedVault,
    contents: VaultContents,
    key_handles: KeyHandleKey,
    attestation: AttestationIdentity,
    pending_creates: BTreeMap<String, PreparedCreate>,
    pending_gets: BTreeMap<String, PreparedGet>,
    pending_u2f_registers: BTreeMap<String, PreparedU2fRegister>,
    pending_u2f_signs: BTreeMap<String, PreparedU2fSign>,
    rng: SystemRng,
}

impl core::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Keyring({} security keys, {} TOTP entries)",
            self.contents.security_keys.len(),
            self.contents.totp.len()
        )
    }
}

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
    fn of(key: &SecurityKey) -> Self {
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
    pub owner: Option<String>,
    /// Captured, but the site has not yet shown that it accepted the device.
    pub unconfirmed: bool,
}

/// A user's edit of an entry's name and AWS context; an empty name is refused.
fn apply_edit(
    label: &mut String,
    aws: &mut AwsContext,
    new_label: Option<String>,
    new_aws: Option<AwsContext>,
) -> Result<(), KeyringError> {
    if let Some(new_label) = new_label {
        let trimmed = new_label.trim();
        if trimmed.is_empty() {
            return Err(KeyringError::BadRequest("a name cannot be empty".into()));
        }
        *label = trimmed.to_owned();
    }
    if let Some(new_aws) = new_aws {
        *aws = new_aws;
    }
    Ok(())
}

fn unix_seconds(now_ms: u64) -> u64 {
    now_ms / 1000
}

impl Keyring {
    fn from_parts(vault: UnlockedVault, plaintext: &[u8]) -> Result<Self, KeyringError> {
        let contents: VaultContents =
            serde_json::from_slice(plaintext).map_err(|e| KeyringError::Contents(e.to_string()))?;
        if contents.format != CONTENTS_FORMAT {
            return Err(KeyringError::Contents(format!(
                "format {} is newer than this version understands ({CONTENTS_FORMAT})",
                contents.format
            )));
        }
        let attestation = AttestationIdentity::from_parts(
            &contents.attestation.private_key.0,
            contents.attestation.certificate.0.clone(),
        )?;
        let key_handles = KeyHandleKey::new(vault.master_key().derive_subkey(KEY_HANDLE_LABEL));
        Ok(Self {
            vault,
            contents,
            key_handles,
            attestation,
            pending_creates: BTreeMap::new(),
            pending_gets: BTreeMap::new(),
            pending_u2f_registers: BTreeMap::new(),
            pending_u2f_signs: BTreeMap::new(),
            rng: system_rng(),
        })
    }

    /// A new, empty vault under `password`, with a fresh attestation identity. Returns the
    /// keyring and the envelope to store.
    pub fn create(
        password: &[u8],
        params: KdfParams,
        now_ms: u64,
    ) -> Result<(Self, Vec<u8>), KeyringError> {
        let mut rng = system_rng();
        let identity = AttestationIdentity::generate(&mut rng, unix_seconds(now_ms))?;
        let contents = VaultContents {
            format: CONTENTS_FORMAT,
            attestation: StoredAttestation {
                private_key: Base64Url(identity.key().to_bytes().to_vec()),
                certificate: Base64Url(identity.certificate_der().to_vec()),
            },
            security_keys: Default::default(),
            totp: Vec::new(),
            settings: Settings::default(),
        };
        let plaintext = Zeroizing::new(
            serde_json::to_vec(&contents).map_err(|e| KeyringError::Contents(e.to_string()))?,
        );
        let (vault, envelope) = Vault::create(password, params, &mut rng, &plaintext)?;
        let keyring = Self::from_parts(vault, &plaintext)?;
        Ok((keyring, envelope))
    }

    /// Opens a stored vault with the password.
    pub fn unlock(envelope: &[u8], password: &[u8]) -> Result<Self, KeyringError> {
        let (vault, plaintext) = Vault::unlock(envelope, password)?;
        Self::from_parts(vault, &plaintext)
    }

    /// Reopens a stored vault with the key from [`Keyring::session_key`], without the password
    /// (after the service worker was stopped while the vault was unlocked).
    pub fn resume(envelope: &[u8], session_key: &[u8]) -> Result<Self, KeyringError> {
        let bytes: &[u8; MasterKey::LEN] = session_key
            .try_into()
            .map_err(|_| KeyringError::BadRequest("the session key must be 32 bytes".into()))?;
        let master = MasterKey::from_bytes(bytes);
        let (vault, plaintext) = UnlockedVault::resume(envelope, &master)?;
        Self::from_parts(vault, &plaintext)
    }

    /// The unlocked master key, for `chrome.storage.session` only.
    pub fn session_key(&self) -> Zeroizing<[u8; MasterKey::LEN]> {
        self.vault.master_key().to_bytes()
    }

    /// The decrypted contents (read-only).
    pub fn contents(&self) -> &VaultContents {
        &self.contents
    }

    /// Seals the current contents into a new envelope.
    pub fn seal(&mut self) -> Result<Vec<u8>, KeyringError> {
        let plaintext = Zeroizing::new(
            serde_json::to_vec(&self.contents)
                .map_err(|e| KeyringError::Contents(e.to_string()))?,
        );
        Ok(self.vault.seal(&plaintext, &mut self.rng)?)
    }

    /// Applies `change` to the contents and seals; on any failure the contents are as before.
    fn commit<T>(
        &mut self,
        change: impl FnOnce(&mut Self) -> Result<T, KeyringError>,
    ) -> Result<(T, Vec<u8>), KeyringError> {
        let before = self.contents.clone();
        let result = change(self).and_then(|value| Ok((value, self.seal()?)));
        if result.is_err() {
            self.contents = before;
        }
        result
    }

    /// Changes the password (the master key and the data stay); returns the new envelope.
    pub fn change_password(
        &mut self,
        old: &[u8],
        new: &[u8],
        params: KdfParams,
    ) -> Result<Vec<u8>, KeyringError> {
        self.vault
            .change_password(old, new, params, &mut self.rng)?;
        self.seal()
    }

    fn attested_format(&self) -> AttestationFormat {
        AttestationFormat::parse(&self.contents.settings.attestation_format)
            .unwrap_or(AttestationFormat::PackedSelf)
    }

    /// Every pending request id, whatever its ceremony.
    fn pending_ids(&self) -> impl Iterator<Item = &String> {
        self.pending_creates
            .keys()
            .chain(self.pending_gets.keys())
            .chain(self.pending_u2f_registers.keys())
            .chain(self.pending_u2f_signs.keys())
    }

    /// Whether `request_id` may be kept pending: refused when its caller, or everyone together,
    /// already has the most allowed. A request id already pending may be prepared again.
    fn admit(&self, request_id: &str) -> Result<(), KeyringError> {
        if self.pending_ids().any(|id| id == request_id) {
            return Ok(());
        }
        let caller = caller_of(request_id);
        let (mut total, mut of_caller) = (0usize, 0usize);
        for id in self.pending_ids() {
            total += 1;
            if caller_of(id) == caller {
                of_caller += 1;
            }
        }
        if of_caller >= MAX_PENDING_PER_CALLER || total >= MAX_PENDING {
            return Err(KeyringError::TooManyPending {
                caller: caller.to_owned(),
            });
        }
        Ok(())
    }

    /// Takes the prepared request `request_id` out of `map`: each is finished at most once, and
    /// one cancelled is unknown.
    fn take<T>(map: &mut BTreeMap<String, T>, request_id: &str) -> Result<T, KeyringError> {
        map.remove(request_id)
            .ok_or_else(|| KeyringError::UnknownRequest(request_id.into()))
    }

    /// Gives the key a registration just added its creation time, AWS context and the label the
    /// user chose (a blank one keeps the default).
    fn describe_new_key(
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
                self.admit(request_id)?;
                self.pending_creates.insert(request_id.to_owned(), prepared);
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
        let prepared = Self::take(&mut self.pending_creates, request_id)?;
        let format = self.attested_format();
        self.commit(|me| {
            let authenticator = Authenticator::new(&me.key_handles, &me.attestation);
            let mut rng = system_rng();
            let response = client::finish_create(
                &authenticator,
                &mut me.contents.security_keys,
                &prepared,
                format,
                true,
                &mut rng,
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
                self.admit(request_id)?;
                self.pending_gets.insert(request_id.to_owned(), prepared);
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
        let prepared = Self::take(&mut self.pending_gets, request_id)?;
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

    /// Runs `sign`, which increments the counter of `credential_id`, and stamps the key's last
    /// use. Returns its result and, when the counter passed its stored ceiling, the envelope to
    /// store before the result is released; `None` means the stored vault already covers the
    /// new counter (see [`crate::contents::COUNTER_RESERVE`]). On failure nothing changed.
    fn sign_counted<T>(
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

    /// Forgets a pending request (the page aborted, or the user declined).
    pub fn cancel(&mut self, request_id: &str) {
        self.pending_creates.remove(request_id);
        self.pending_gets.remove(request_id);
        self.pending_u2f_registers.remove(request_id);
        self.pending_u2f_signs.remove(request_id);
    }

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
        self.commit(|me| {
            let entry = me
                .contents
                .totp
                .iter_mut()
                .find(|e| e.id == id)
                .ok_or_else(|| KeyringError::NotFound(id.into()))?;
            change(entry)
        })
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
        let entry = self
            .contents
            .totp
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| KeyringError::NotFound(id.into()))?;
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

    fn insert_otp(
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

    fn code_of(entry: &TotpEntry, now_ms: u64) -> Result<TotpCode, KeyringError> {
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
        let entry = self
            .contents
            .totp
            .iter()
            .find(|e| e.id == id)
            .ok_or_else(|| KeyringError::NotFound(id.into()))?;
        Ok(consecutive_pair(
            &entry.otp,
            unix_seconds(now_ms),
            min_remaining_secs,
        )?)
    }

    /// The entry's `otpauth://` URI (for moving it to a phone): the caller re-asks the password.
    pub fn totp_uri(&self, id: &str) -> Result<String, KeyringError> {
        self.contents
            .totp
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.otp.to_uri())
            .ok_or_else(|| KeyringError::NotFound(id.into()))
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

    /// Replaces the settings.
    pub fn set_settings(&mut self, settings: Settings) -> Result<Vec<u8>, KeyringError> {
        if AttestationFormat::parse(&settings.attestation_format)
            .is_none_or(|f| f == AttestationFormat::None)
        {
            return Err(KeyringError::BadRequest(format!(
                "attestation format must be \"packed\" or \"fido-u2f\", not \"{}\"",
                settings.attestation_format
            )));
        }
        let range = Settings::CLEAR_CLIPBOARD_SECONDS;
        if !range.contains(&settings.clear_clipboard_seconds) {
            return Err(KeyringError::BadRequest(format!(
                "the clipboard is cleared after {} to {} seconds, not {}",
                range.start(),
                range.end(),
                settings.clear_clipboard_seconds
            )));
        }
        self.commit(|me| {
            me.contents.settings = settings;
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

mod capture;
mod u2f;
pub use capture::{CaptureSite, SecretCapture};
pub use u2f::{U2fRegisterDecision, U2fSignDecision};

mod transfer;
pub use transfer::{ExportFormat, ExportedFile, FileImport, ImportPreview, KeyExport, KeyUpdate};

#[cfg(test)]
mod tests;
