//! The wasm-bindgen boundary, and nothing else: every function converts its arguments, calls
//! `softkey-core`, and converts the result. No logic lives here.
//!
//! Conventions, so the JavaScript side stays small:
//! - the TOTP / MFA calls (`addTotp`, `totpCodes`, `totpPair`, `updateTotp`, `deleteTotp`,
//!   `mfaCandidates`, `addCapturedSecret`, `addCapturedUri`, `confirmTotp`,
//!   `rememberMfaChoice`, `mfaChoiceKey`, `siteOf`, `otpauthInfo`) take and return typed values
//!   (serde-wasm-bindgen), declared in the generated `softkey.d.ts` from the Rust types (tsify);
//!   a change returns a `Mutation<T>` object;
//! - the other calls still take and return JSON strings (the core's serde types are the schema);
//! - binary values (the vault envelope, the session key) are base64url strings, because
//!   `chrome.storage` stores JSON;
//! - a mutation returns `{"result": ..., "envelope": "<base64url>"}`: the caller stores the
//!   envelope before it uses the result;
//! - errors are JavaScript `Error`s whose `name` is [`softkey_core::KeyringError::name`] (a
//!   DOMException name for WebAuthn refusals) and whose `kind` is
//!   [`softkey_core::KeyringError::kind`], the stable identifier JS may branch on.
//!
//! Private keys and TOTP secrets never cross this boundary, except `totp_uri`, which the UI
//! shows as a QR code only after asking for the password again.

use serde::{Deserialize, Serialize};
use softkey_core::{AwsContext, Caller, KdfParams, KeyringError, Settings};
use softkey_webauthn::b64;
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};
use wasm_bindgen::prelude::*;

mod mfa;
mod sites;
mod u2f;

#[wasm_bindgen(
    inline_js = "export function make_error(name, kind, message) { const e = new Error(message); e.name = name; e.kind = kind; return e; }"
)]
extern "C" {
    fn make_error(name: &str, kind: &str, message: &str) -> JsValue;
}

fn js_error(error: &KeyringError) -> JsValue {
    make_error(error.name(), error.kind(), &error.to_string())
}

// What every call may throw; declared by hand because it is made in JS (`make_error`).
#[wasm_bindgen(typescript_custom_section)]
const SOFTKEY_ERROR_TS: &str = r#"
/** What the module throws: `kind` is stable (see KeyringError::kind), `message` is for people. */
export interface SoftKeyError extends Error { name: string; kind: string; message: string; }
"#;

/// A typed value in (serde-wasm-bindgen); a wrong shape is a `BadRequest`.
fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_request(format!("{what}: {e}")))
}

/// A typed value out, shaped as `JSON.parse` would have given it (plain objects, `null` for
/// `None`), so the JS that read the JSON answers reads these the same way.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| bad_request(format!("could not encode the result: {e}")))
}

/// `{result, envelope}`: what a change answers (as JSON, or as a typed value for the converted
/// calls). Serialized straight from the result's own type (no `serde_json::Value` in between:
/// that alone pulled ~20 KB of map and number code in).
#[derive(Serialize, tsify_next::Tsify)]
#[tsify(missing_as_null)]
pub struct Mutation<T> {
    /// What the change gives back.
    pub result: T,
    /// The new envelope (base64url) to store before `result` is used; `null` when the stored
    /// vault already covers the change.
    pub envelope: Option<String>,
}

/// What the core answered, as a typed value; its refusal as a named JS error.
fn answer_js<T: Serialize>(outcome: Result<T, KeyringError>) -> Result<JsValue, JsValue> {
    to_js(&outcome.map_err(|e| js_error(&e))?)
}

/// A change's `Mutation` as a JS object.
fn changed_js<T: Serialize, E: Into<Option<Vec<u8>>>>(
    change: Result<(T, E), KeyringError>,
) -> Result<JsValue, JsValue> {
    let (result, envelope) = change.map_err(|e| js_error(&e))?;
    to_js(&Mutation {
        result,
        envelope: envelope.into().as_deref().map(b64::encode),
    })
}

/// A change whose only result is the new envelope: `{result: null, envelope}`.
fn envelope_only_js(change: Result<Vec<u8>, KeyringError>) -> Result<JsValue, JsValue> {
    changed_js(change.map(|envelope| ((), envelope)))
}

fn bad_request(message: String) -> JsValue {
    js_error(&KeyringError::BadRequest(message))
}

fn parse<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<T, JsValue> {
    // from_slice, as the core reads the vault with: one serde_json reader type in the module.
    serde_json::from_slice(json.as_bytes()).map_err(|e| bad_request(format!("{what}: {e}")))
}

fn to_json(value: &impl serde::Serialize) -> Result<String, JsValue> {
    serde_json::to_string(value)
        .map_err(|e| bad_request(format!("could not encode the result: {e}")))
}

fn with_envelope<T: Serialize>(result: &T, envelope: Option<&[u8]>) -> Result<String, JsValue> {
    to_json(&Mutation {
        result,
        envelope: envelope.map(b64::encode),
    })
}

/// What the core answered, as JSON; its refusal as a named JS error.
fn answer<T: Serialize>(outcome: Result<T, KeyringError>) -> Result<String, JsValue> {
    to_json(&outcome.map_err(|e| js_error(&e))?)
}

/// A change's `{result, envelope}`. The core gives the envelope as `Vec<u8>` when it must be
/// stored, and as `Option` where it may not need to be (a sign-in within the reserved counters).
fn changed<T: Serialize, E: Into<Option<Vec<u8>>>>(
    change: Result<(T, E), KeyringError>,
) -> Result<String, JsValue> {
    let (result, envelope) = change.map_err(|e| js_error(&e))?;
    with_envelope(&result, envelope.into().as_deref())
}

/// A change whose only result is the new envelope: `{result: null, envelope}`.
fn envelope_only(change: Result<Vec<u8>, KeyringError>) -> Result<String, JsValue> {
    changed(change.map(|envelope| ((), envelope)))
}

fn decode_b64(text: &str, what: &str) -> Result<Vec<u8>, JsValue> {
    b64::decode(text).map_err(|e| bad_request(format!("{what}: {e}")))
}

/// Milliseconds from `Date.now()` as an integer (negative or NaN becomes 0).
fn millis(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

/// `{origin, topOrigin?, options}`: who is calling (from the browser, not the page) and what.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CeremonyRequest<T> {
    origin: String,
    #[serde(default)]
    top_origin: Option<String>,
    options: T,
}

/// Reads a `{origin, topOrigin?, options}` request into the caller and its options.
fn ceremony<T: for<'de> Deserialize<'de>>(json: &str, what: &str) -> Result<(Caller, T), JsValue> {
    let request: CeremonyRequest<T> = parse(json, what)?;
    let caller = Caller {
        origin: request.origin,
        top_origin: request.top_origin,
    };
    Ok((caller, request.options))
}

/// `{mCostKib, tCost, pCost}`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KdfJson {
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
}

/// `{label?, aws?}` for a new or edited entry.
#[derive(Deserialize, Default, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct EntryMeta {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    aws: Option<AwsContext>,
    /// Security keys only: ask before each sign-in.
    #[serde(default)]
    ask_before_sign_in: Option<bool>,
}

/// `{label?, aws?}`, or the defaults for an empty string.
fn entry_meta(json: &str) -> Result<EntryMeta, JsValue> {
    if json.is_empty() {
        Ok(EntryMeta::default())
    } else {
        parse(json, "entry")
    }
}

/// The unlocked vault.
#[wasm_bindgen]
pub struct Keyring {
    inner: softkey_core::Keyring,
}

#[wasm_bindgen]
impl Keyring {
    /// Creates a vault. `kdf_json` is `{mCostKib, tCost, pCost}` or empty for the defaults.
    /// Call `seal()` for the envelope to store.
    pub fn create(password: &str, kdf_json: &str, now_ms: f64) -> Result<Keyring, JsValue> {
        let params = if kdf_json.is_empty() {
            KdfParams::DEFAULT
        } else {
            let k: KdfJson = parse(kdf_json, "KDF parameters")?;
            KdfParams {
                m_cost_kib: k.m_cost_kib,
                t_cost: k.t_cost,
                p_cost: k.p_cost,
            }
        };
        softkey_core::Keyring::create(password.as_bytes(), params, millis(now_ms))
            .map(|(inner, _)| Keyring { inner })
            .map_err(|e| js_error(&e))
    }

    /// Opens a stored envelope with the password.
    pub fn unlock(envelope: &str, password: &str) -> Result<Keyring, JsValue> {
        let envelope = decode_b64(envelope, "vault envelope")?;
        softkey_core::Keyring::unlock(&envelope, password.as_bytes())
            .map(|inner| Keyring { inner })
            .map_err(|e| js_error(&e))
    }

    /// Reopens with the session key (after a service-worker restart).
    pub fn resume(envelope: &str, session_key: &str) -> Result<Keyring, JsValue> {
        let envelope = decode_b64(envelope, "vault envelope")?;
        let key = zeroize::Zeroizing::new(decode_b64(session_key, "session key")?);
        softkey_core::Keyring::resume(&envelope, &key)
            .map(|inner| Keyring { inner })
            .map_err(|e| js_error(&e))
    }

    /// The session key, base64url, for `chrome.storage.session` only.
    #[wasm_bindgen(js_name = sessionKey)]
    pub fn session_key(&self) -> String {
        b64::encode(self.inner.session_key().as_slice())
    }

    /// The current contents sealed into an envelope (base64url).
    pub fn seal(&mut self) -> Result<String, JsValue> {
        self.inner
            .seal()
            .map(|e| b64::encode(&e))
            .map_err(|e| js_error(&e))
    }

    /// Changes the password; returns `{result: null, envelope}`.
    #[wasm_bindgen(js_name = changePassword)]
    pub fn change_password(&mut self, old: &str, new: &str) -> Result<String, JsValue> {
        envelope_only(self.inner.change_password(
            old.as_bytes(),
            new.as_bytes(),
            KdfParams::DEFAULT,
        ))
    }

    /// Checks a create request `{origin, topOrigin?, options}`; returns a `CreateDecision`.
    #[wasm_bindgen(js_name = prepareCreate)]
    pub fn prepare_create(
        &mut self,
        request_id: &str,
        request_json: &str,
    ) -> Result<String, JsValue> {
        let (caller, options) = ceremony::<CreationOptionsJson>(request_json, "create request")?;
        answer(self.inner.prepare_create(request_id, &caller, &options))
    }

    /// Registers a prepared request after consent; `meta_json` is `{label?, aws?}`.
    /// Returns `{result: RegistrationResponseJSON, envelope}`.
    #[wasm_bindgen(js_name = finishCreate)]
    pub fn finish_create(
        &mut self,
        request_id: &str,
        meta_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let meta = entry_meta(meta_json)?;
        changed(self.inner.finish_create(
            request_id,
            meta.aws.unwrap_or_default(),
            meta.label,
            millis(now_ms),
        ))
    }

    /// Checks a get request `{origin, topOrigin?, options}`; returns a `GetDecision`.
    #[wasm_bindgen(js_name = prepareGet)]
    pub fn prepare_get(&mut self, request_id: &str, request_json: &str) -> Result<String, JsValue> {
        let (caller, options) = ceremony::<RequestOptionsJson>(request_json, "get request")?;
        answer(self.inner.prepare_get(request_id, &caller, &options))
    }

    /// Signs a prepared request. Returns `{result: AuthenticationResponseJSON, envelope}` where
    /// `envelope` is `null` when the stored vault already covers the new counter.
    #[wasm_bindgen(js_name = finishGet)]
    pub fn finish_get(&mut self, request_id: &str, now_ms: f64) -> Result<String, JsValue> {
        changed(self.inner.finish_get(request_id, millis(now_ms)))
    }

    /// Forgets a prepared request.
    pub fn cancel(&mut self, request_id: &str) {
        self.inner.cancel(request_id);
    }

    /// The security keys (JSON array of summaries, no key material).
    #[wasm_bindgen(js_name = securityKeys)]
    pub fn security_keys(&self) -> Result<String, JsValue> {
        to_json(&self.inner.security_keys())
    }

    /// Renames a security key, sets its AWS context or whether to ask before each sign-in;
    /// `patch_json` is `{label?, aws?, askBeforeSignIn?}`.
    #[wasm_bindgen(js_name = updateSecurityKey)]
    pub fn update_security_key(&mut self, id: &str, patch_json: &str) -> Result<String, JsValue> {
        let patch: EntryMeta = parse(patch_json, "update")?;
        envelope_only(self.inner.update_security_key(
            id,
            patch.label,
            patch.aws,
            patch.ask_before_sign_in,
        ))
    }

    /// Deletes a security key.
    #[wasm_bindgen(js_name = deleteSecurityKey)]
    pub fn delete_security_key(&mut self, id: &str) -> Result<String, JsValue> {
        envelope_only(self.inner.delete_security_key(id))
    }

    /// Adds an `otpauth://` URI or base32 secret, named and placed by `meta`.
    #[wasm_bindgen(js_name = addTotp, unchecked_return_type = "Mutation<TotpCode>")]
    pub fn add_totp(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "EntryMeta")] meta: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let meta: EntryMeta = from_js(meta, "entry")?;
        changed_js(self.inner.add_totp(
            text,
            meta.label,
            meta.aws.unwrap_or_default(),
            millis(now_ms),
        ))
    }

    /// Every TOTP entry with its current code.
    #[wasm_bindgen(js_name = totpCodes, unchecked_return_type = "TotpCode[]")]
    pub fn totp_codes(&self, now_ms: f64) -> Result<JsValue, JsValue> {
        answer_js(self.inner.totp_codes(millis(now_ms)))
    }

    /// Two consecutive codes for AWS's setup form.
    #[wasm_bindgen(js_name = totpPair, unchecked_return_type = "[string, string]")]
    pub fn totp_pair(
        &self,
        id: &str,
        now_ms: f64,
        min_remaining_secs: u32,
    ) -> Result<JsValue, JsValue> {
        let pair = self
            .inner
            .totp_pair(id, millis(now_ms), min_remaining_secs)
            .map_err(|e| js_error(&e))?;
        to_js(&pair)
    }

    /// The entry's `otpauth://` URI (contains the secret).
    #[wasm_bindgen(js_name = totpUri)]
    pub fn totp_uri(&self, id: &str) -> Result<String, JsValue> {
        self.inner.totp_uri(id).map_err(|e| js_error(&e))
    }

    /// Renames a TOTP entry or sets its AWS context.
    #[wasm_bindgen(js_name = updateTotp, unchecked_return_type = "Mutation<null>")]
    pub fn update_totp(
        &mut self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "EntryMeta")] patch: JsValue,
    ) -> Result<JsValue, JsValue> {
        let patch: EntryMeta = from_js(patch, "update")?;
        envelope_only_js(self.inner.update_totp(id, patch.label, patch.aws))
    }

    /// Deletes a TOTP entry.
    #[wasm_bindgen(js_name = deleteTotp, unchecked_return_type = "Mutation<null>")]
    pub fn delete_totp(&mut self, id: &str) -> Result<JsValue, JsValue> {
        envelope_only_js(self.inner.delete_totp(id))
    }

    /// The TOTP entries that may answer the MFA prompt `query`, with their current codes.
    #[wasm_bindgen(js_name = mfaCandidates, unchecked_return_type = "TotpCode[]")]
    pub fn mfa_candidates(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MfaQuery")] query: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let query: softkey_core::mfa_match::MfaQuery = from_js(query, "MFA query")?;
        answer_js(self.inner.mfa_candidates(&query, millis(now_ms)))
    }

    /// The settings (JSON).
    pub fn settings(&self) -> Result<String, JsValue> {
        to_json(&self.inner.contents().settings)
    }

    /// Replaces the settings.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(&mut self, settings_json: &str) -> Result<String, JsValue> {
        let settings: Settings = parse(settings_json, "settings")?;
        envelope_only(self.inner.set_settings(settings))
    }
}

/// Benchmark and test hooks that exercise the core's primitives directly.
#[wasm_bindgen]
pub struct BenchSigner {
    key: softkey_webauthn::credential_key::CredentialKey,
}

#[wasm_bindgen]
impl BenchSigner {
    /// A random ES256 key.
    #[wasm_bindgen(constructor)]
    pub fn new() -> BenchSigner {
        BenchSigner {
            key: softkey_webauthn::credential_key::CredentialKey::generate(
                &mut softkey_core::rng::system_rng(),
            ),
        }
    }

    /// DER ECDSA-SHA256 signature over `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign(message)
    }

    /// The uncompressed SEC1 public key.
    #[wasm_bindgen(js_name = publicKey)]
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key_sec1().to_vec()
    }
}

impl Default for BenchSigner {
    fn default() -> Self {
        Self::new()
    }
}

/// What an `otpauth://` URI read from a QR code names, without its secret; `sameSecret` says
/// whether `shown_secret` (the secret key shown as text beside the code; empty: none) is the
/// URI's secret. Errors are the URI's or the shown secret's, of kind `invalidEntry`.
#[wasm_bindgen(js_name = otpauthInfo, unchecked_return_type = "OtpauthInfo")]
pub fn otpauth_info(uri: &str, shown_secret: &str) -> Result<JsValue, JsValue> {
    let entry = softkey_otp::OtpAuth::parse(uri).map_err(|e| js_error(&e.into()))?;
    let same = if shown_secret.trim().is_empty() {
        None
    } else {
        Some(
            entry
                .secret_matches(shown_secret)
                .map_err(|e| js_error(&e.into()))?,
        )
    };
    to_js(&OtpauthInfo {
        issuer: entry.issuer.as_deref(),
        account: &entry.account,
        same_secret: same,
    })
}

/// [`otpauth_info`]'s answer.
#[derive(Serialize, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct OtpauthInfo<'a> {
    /// The issuer, if the URI names one.
    pub issuer: Option<&'a str>,
    /// The account name.
    pub account: &'a str,
    /// Whether the secret shown as text is the URI's; `null` when none was shown.
    pub same_secret: Option<bool>,
}

/// A TOTP code for a base32 secret at `unix_seconds` (SHA-1, 6 digits, 30 s), for benchmarks.
#[wasm_bindgen(js_name = totpCode)]
pub fn totp_code(secret_base32: &str, unix_seconds: f64) -> Result<String, JsValue> {
    let secret =
        softkey_otp::Secret::from_base32(secret_base32).map_err(|e| js_error(&e.into()))?;
    softkey_otp::totp(
        &secret,
        millis(unix_seconds * 1000.0) / 1000,
        30,
        6,
        softkey_otp::Algorithm::Sha1,
    )
    .map_err(|e| js_error(&e.into()))
}

/// The vault-free checks of a create request `{origin, topOrigin?, options}`, run before any
/// unlock window: a `Precheck` (`{kind: "notOurs", reason}` or
/// `{kind: "continue", rpId, host, sameSite}`), or the browser's error (`SecurityError`, ...).
#[wasm_bindgen(js_name = precheckCreate)]
pub fn precheck_create(request_json: &str) -> Result<String, JsValue> {
    let (caller, options) = ceremony::<CreationOptionsJson>(request_json, "create request")?;
    answer(softkey_core::precheck_create(&caller, &options))
}

/// The same for a get request.
#[wasm_bindgen(js_name = precheckGet)]
pub fn precheck_get(request_json: &str) -> Result<String, JsValue> {
    let (caller, options) = ceremony::<RequestOptionsJson>(request_json, "get request")?;
    answer(softkey_core::precheck_get(&caller, &options))
}
