//! The browser's side of the legacy FIDO U2F JavaScript API (v1.1, the high-level
//! `u2f.register` / `u2f.sign` of Google's `u2f-api.js`): check the AppID against the caller's
//! origin, decide which key answers, build the U2F client data, and shape the raw U2F messages
//! of [`crate::u2f`] into the API's response objects.
//!
//! Chrome answered this API through its built-in `cryptotoken` component until 2022; nothing in
//! the browser answers it now, so there is no "not ours, hand it to the browser" outcome here:
//! a request we cannot serve is an error with the API's own error code.
//!
//! Like [`crate::client`], each ceremony has two steps so the caller can ask the user in
//! between: `prepare_*` checks everything and changes nothing; `finish_*` registers or signs.

use core::fmt;

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use crate::authenticator::{Authenticator, rp_id_hash};
use crate::b64::{self, Base64Url};
use crate::client::Caller;
use crate::client_data::{U2fClientData, U2fClientDataType, client_data_hash};
use crate::error::WebAuthnError;
use crate::origin::Origin;
use crate::store::{CredentialRecord, CredentialStore};
use crate::u2f::{self, U2fError};

/// The only protocol version this authenticator speaks (raw messages v1.1 and later).
pub const U2F_V2: &str = "U2F_V2";

/// A `RegisterRequest`: one per protocol version the server accepts.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct U2fRegisterRequestJson {
    /// `U2F_V2` (or an older version we do not speak).
    pub version: String,
    /// The server's challenge, websafe base64 text, echoed verbatim in the client data.
    pub challenge: String,
}

/// A `RegisteredKey`: a key the server already knows for this user.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fRegisteredKeyJson {
    /// Protocol version the key was registered with.
    pub version: String,
    /// The key handle, websafe base64 without padding.
    pub key_handle: String,
    /// This key's own AppID, overriding the request's (v1.1 §4.1.2).
    #[serde(default)]
    pub app_id: Option<String>,
}

/// `u2f.register(appId, registerRequests, registeredKeys, …)`'s arguments.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fRegisterOptionsJson {
    /// The AppID; the caller's origin (its "facet ID") when absent.
    #[serde(default)]
    pub app_id: Option<String>,
    /// One request per version the server accepts.
    pub register_requests: Vec<U2fRegisterRequestJson>,
    /// Keys the user already registered: one of ours here means "already registered".
    #[serde(default)]
    pub registered_keys: Vec<U2fRegisteredKeyJson>,
}

/// `u2f.sign(appId, challenge, registeredKeys, …)`'s arguments.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fSignOptionsJson {
    /// The AppID; the caller's origin when absent.
    #[serde(default)]
    pub app_id: Option<String>,
    /// The server's challenge, websafe base64 text.
    pub challenge: String,
    /// The keys that may answer.
    #[serde(default)]
    pub registered_keys: Vec<U2fRegisteredKeyJson>,
}

/// `RegisterResponse`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fRegisterResponseJson {
    /// Always `U2F_V2`.
    pub version: String,
    /// The raw registration response message (raw messages §4.3).
    pub registration_data: Base64Url,
    /// The client data the registration signed (by hash).
    pub client_data: Base64Url,
}

/// `SignResponse`.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify))]
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct U2fSignResponseJson {
    /// The key handle that signed, exactly as the page gave it (servers match the string).
    pub key_handle: String,
    /// The raw authentication response message (raw messages §5.4).
    pub signature_data: Base64Url,
    /// The client data the signature covers (by hash).
    pub client_data: Base64Url,
}

/// Why a U2F request was refused, each with the JavaScript API's `ErrorCode`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum U2fApiError {
    /// `BAD_REQUEST` (2): the request is malformed, or the origin cannot use U2F at all.
    BadRequest(String),
    /// `BAD_REQUEST` (2): the AppID is not allowed for the calling origin. Chrome's U2F client
    /// reported a refused AppID this way (its internal `BAD_APP_ID` became `BAD_REQUEST`).
    AppIdNotAllowed {
        /// The AppID the page asked for.
        app_id: String,
        /// The calling origin.
        origin: String,
    },
    /// `CONFIGURATION_UNSUPPORTED` (3): no request in a protocol version we speak.
    ConfigurationUnsupported(String),
    /// `DEVICE_INELIGIBLE` (4): on register, one of the registered keys is ours already; on
    /// sign, none of them is ours.
    DeviceIneligible(String),
    /// `OTHER_ERROR` (1): the authenticator failed (the store could not record the key or its
    /// counter).
    Other(String),
}

impl U2fApiError {
    /// The U2F JavaScript API's `ErrorCode` for this refusal.
    pub fn error_code(&self) -> u8 {
        match self {
            Self::Other(_) => 1,
            Self::BadRequest(_) | Self::AppIdNotAllowed { .. } => 2,
            Self::ConfigurationUnsupported(_) => 3,
            Self::DeviceIneligible(_) => 4,
        }
    }

    /// A stable name for JavaScript, one per error code (the page turns it back into the code).
    pub fn name(&self) -> &'static str {
        match self.error_code() {
            2 => "U2fBadRequest",
            3 => "U2fConfigurationUnsupported",
            4 => "U2fDeviceIneligible",
            _ => "U2fOtherError",
        }
    }
}

impl fmt::Display for U2fApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadRequest(why) => write!(f, "the U2F request is malformed: {why}"),
            Self::AppIdNotAllowed { app_id, origin } => write!(
                f,
                "the page at {origin} asked for the U2F AppID \"{app_id}\", which it may not use"
            ),
            Self::ConfigurationUnsupported(why) => f.write_str(why),
            Self::DeviceIneligible(why) => f.write_str(why),
            Self::Other(why) => write!(f, "the security key failed: {why}"),
        }
    }
}

impl std::error::Error for U2fApiError {}

/// The origin and the AppID checks, as U2F errors.
fn checked(origin: &str) -> Result<Origin, U2fApiError> {
    Origin::parse(origin).map_err(|e| U2fApiError::BadRequest(e.to_string()))
}

fn check_app_id(origin: &Origin, app_id: &str) -> Result<(), U2fApiError> {
    origin.check_app_id(app_id).map_err(|e| match e {
        WebAuthnError::AppIdNotAllowed { app_id, origin } => {
            U2fApiError::AppIdNotAllowed { app_id, origin }
        }
        other => U2fApiError::BadRequest(other.to_string()),
    })
}

/// The request's AppID, or the caller's origin when the page gave none (the facet ID).
fn app_id_of(requested: Option<&str>, origin: &Origin) -> Result<String, U2fApiError> {
    let app_id = match requested {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => origin.as_str().to_owned(),
    };
    check_app_id(origin, &app_id)?;
    Ok(app_id)
}

/// A registered key in a version we speak, checked.
struct CheckedKey<'a> {
    key: &'a U2fRegisteredKeyJson,
    handle: Vec<u8>,
    /// Its own AppID, or the request's; allowed for the origin either way.
    app_id: &'a str,
}

/// The registered keys in a version we speak, each with its handle's bytes and its effective
/// AppID, which must be allowed for the origin as well.
fn v2_keys<'a>(
    keys: &'a [U2fRegisteredKeyJson],
    app_id: &'a str,
    origin: &Origin,
) -> Result<Vec<CheckedKey<'a>>, U2fApiError> {
    keys.iter()
        .filter(|k| k.version == U2F_V2)
        .map(|key| {
            let own_app_id = key.app_id.as_deref().filter(|id| !id.is_empty());
            if let Some(id) = own_app_id {
                check_app_id(origin, id)?;
            }
            let handle = b64::decode(&key.key_handle)
                .map_err(|e| U2fApiError::BadRequest(format!("keyHandle: {e}")))?;
            if handle.is_empty() || handle.len() > 255 {
                return Err(U2fApiError::BadRequest(
                    "keyHandle must be 1 to 255 bytes long".into(),
                ));
            }
            Ok(CheckedKey {
                key,
                handle,
                app_id: own_app_id.unwrap_or(app_id),
            })
        })
        .collect()
}

fn nonempty_challenge(challenge: &str) -> Result<(), U2fApiError> {
    if challenge.is_empty() {
        return Err(U2fApiError::BadRequest("the challenge is empty".into()));
    }
    Ok(())
}

fn authenticator_failed(e: U2fError) -> U2fApiError {
    match e {
        // The key went away between prepare and finish (deleted from the vault meanwhile).
        U2fError::WrongData => U2fApiError::DeviceIneligible(e.to_string()),
        other => U2fApiError::Other(other.to_string()),
    }
}

/// A checked `u2f.register` waiting for the user's consent.
#[derive(Debug, Clone)]
pub struct PreparedU2fRegister {
    /// The AppID the key will be bound to.
    pub app_id: String,
    /// The calling origin.
    pub origin: String,
    client_data_json: Vec<u8>,
}

/// Checks a `u2f.register` request. A key of ours among `registeredKeys` is U2F's "already
/// registered" (`DEVICE_INELIGIBLE`), as a hardware key answered when it recognised a handle.
pub fn prepare_register(
    authenticator: &Authenticator<'_>,
    store: &dyn CredentialStore,
    caller: &Caller,
    options: &U2fRegisterOptionsJson,
) -> Result<PreparedU2fRegister, U2fApiError> {
    let origin = checked(&caller.origin)?;
    let app_id = app_id_of(options.app_id.as_deref(), &origin)?;
    if options.register_requests.is_empty() {
        return Err(U2fApiError::BadRequest("registerRequests is empty".into()));
    }
    let request = options
        .register_requests
        .iter()
        .find(|r| r.version == U2F_V2)
        .ok_or_else(|| {
            U2fApiError::ConfigurationUnsupported(format!(
                "this security key only speaks {U2F_V2}, and the site offered no request for it"
            ))
        })?;
    nonempty_challenge(&request.challenge)?;
    for key in v2_keys(&options.registered_keys, &app_id, &origin)? {
        if authenticator
            .lookup(store, &key.handle, &rp_id_hash(key.app_id))
            .is_some()
        {
            return Err(U2fApiError::DeviceIneligible(
                "this software security key is already registered for this account".into(),
            ));
        }
    }
    let client_data_json = U2fClientData {
        typ: U2fClientDataType::Register,
        challenge: request.challenge.clone(),
        origin: caller.origin.clone(),
    }
    .to_json();
    Ok(PreparedU2fRegister {
        app_id,
        origin: caller.origin.clone(),
        client_data_json,
    })
}

/// Registers after the user agreed: a new key bound to SHA-256(AppID), recorded in `store`
/// with the AppID as its RP.
pub fn finish_register<R: CryptoRng + ?Sized>(
    authenticator: &Authenticator<'_>,
    store: &mut dyn CredentialStore,
    prepared: &PreparedU2fRegister,
    rng: &mut R,
) -> Result<U2fRegisterResponseJson, U2fApiError> {
    let mut request = Vec::with_capacity(64);
    request.extend_from_slice(&client_data_hash(&prepared.client_data_json));
    request.extend_from_slice(&rp_id_hash(&prepared.app_id));
    let registration = u2f::register(
        authenticator,
        store,
        &request,
        Some(&prepared.app_id),
        true,
        rng,
    )
    .map_err(authenticator_failed)?;
    Ok(U2fRegisterResponseJson {
        version: U2F_V2.into(),
        registration_data: Base64Url(registration),
        client_data: Base64Url(prepared.client_data_json.clone()),
    })
}

/// A checked `u2f.sign` waiting for user presence.
#[derive(Debug, Clone)]
pub struct PreparedU2fSign {
    /// The AppID the chosen key is bound to.
    pub app_id: String,
    /// The calling origin.
    pub origin: String,
    /// The key that will sign.
    pub credential: CredentialRecord,
    key_handle_text: String,
    client_data_json: Vec<u8>,
}

/// Checks a `u2f.sign` request and picks the first registered key we hold. None of ours is
/// `DEVICE_INELIGIBLE`: there is no browser U2F left to hand the request to, so that is exactly
/// what the page would hear with no matching key plugged in.
pub fn prepare_sign(
    authenticator: &Authenticator<'_>,
    store: &dyn CredentialStore,
    caller: &Caller,
    options: &U2fSignOptionsJson,
) -> Result<PreparedU2fSign, U2fApiError> {
    let origin = checked(&caller.origin)?;
    let app_id = app_id_of(options.app_id.as_deref(), &origin)?;
    nonempty_challenge(&options.challenge)?;
    let keys = v2_keys(&options.registered_keys, &app_id, &origin)?;
    let (key, credential) = keys
        .into_iter()
        .find_map(|key| {
            authenticator
                .lookup(store, &key.handle, &rp_id_hash(key.app_id))
                .map(|(record, _)| (key, record))
        })
        .ok_or_else(|| {
            U2fApiError::DeviceIneligible(
                "none of the site's registered security keys is in SoftKey".into(),
            )
        })?;
    let client_data_json = U2fClientData {
        typ: U2fClientDataType::Sign,
        challenge: options.challenge.clone(),
        origin: caller.origin.clone(),
    }
    .to_json();
    Ok(PreparedU2fSign {
        app_id: key.app_id.to_owned(),
        origin: caller.origin.clone(),
        credential,
        key_handle_text: key.key.key_handle.clone(),
        client_data_json,
    })
}

/// Signs the prepared request with user presence. The counter is incremented in `store`
/// first; the caller must persist the store before handing the result to the page.
pub fn finish_sign(
    authenticator: &Authenticator<'_>,
    store: &mut dyn CredentialStore,
    prepared: &PreparedU2fSign,
) -> Result<U2fSignResponseJson, U2fApiError> {
    let handle = &prepared.credential.id.0;
    let mut request = Vec::with_capacity(65 + handle.len());
    request.extend_from_slice(&client_data_hash(&prepared.client_data_json));
    request.extend_from_slice(&rp_id_hash(&prepared.app_id));
    // Key handles were checked to be at most 255 bytes in prepare_sign.
    request.push(
        u8::try_from(handle.len())
            .map_err(|_| U2fApiError::BadRequest("key handle too long".into()))?,
    );
    request.extend_from_slice(handle);
    let signature = u2f::authenticate(
        authenticator,
        store,
        u2f::ENFORCE_USER_PRESENCE,
        &request,
        true,
    )
    .map_err(authenticator_failed)?;
    Ok(U2fSignResponseJson {
        key_handle: prepared.key_handle_text.clone(),
        signature_data: Base64Url(signature),
        client_data: Base64Url(prepared.client_data_json.clone()),
    })
}

#[cfg(test)]
mod tests;
