//! WebAuthn's ceremonies: the vault-free prechecks, then `prepare_*` (is it ours?) and
//! `finish_*` (sign or register after consent). Options and responses are WebAuthn's own JSON
//! forms (`PublicKeyCredentialCreationOptionsJSON`, `RegistrationResponseJSON`, …), as objects.

use serde::Deserialize;
use softkey_core::Caller;
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};
use wasm_bindgen::prelude::*;

use super::{Keyring, answer_js, changed_js, from_js, from_js_or_default, millis};
use crate::totp::EntryMeta;

/// `{origin, topOrigin?, options}`: who is calling (from the browser, not the page) and what.
#[derive(Deserialize, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CeremonyRequest<T> {
    /// The calling frame's origin, as the browser reported it.
    pub origin: String,
    /// The top-level document's origin, when the caller is a frame.
    #[serde(default)]
    pub top_origin: Option<String>,
    /// The page's options.
    pub options: T,
}

/// Reads a `{origin, topOrigin?, options}` request into the caller and its options.
pub(crate) fn ceremony<T: for<'de> Deserialize<'de>>(
    request: JsValue,
    what: &str,
) -> Result<(Caller, T), JsValue> {
    let request: CeremonyRequest<T> = from_js(request, what)?;
    let caller = Caller {
        origin: request.origin,
        top_origin: request.top_origin,
    };
    Ok((caller, request.options))
}

#[wasm_bindgen]
impl Keyring {
    /// Checks a create request; keeps it pending under `request_id`.
    #[wasm_bindgen(js_name = prepareCreate, unchecked_return_type = "CreateDecision")]
    pub fn prepare_create(
        &mut self,
        request_id: &str,
        #[wasm_bindgen(unchecked_param_type = "CeremonyRequest<CreationOptionsJson>")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (caller, options) = ceremony::<CreationOptionsJson>(request, "create request")?;
        answer_js(self.inner.prepare_create(request_id, &caller, &options))
    }

    /// Registers a prepared request after consent, named and placed by `meta`.
    #[wasm_bindgen(
        js_name = finishCreate,
        unchecked_return_type = "Mutation<RegistrationResponseJson>"
    )]
    pub fn finish_create(
        &mut self,
        request_id: &str,
        #[wasm_bindgen(unchecked_param_type = "EntryMeta | null | undefined")] meta: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let meta: EntryMeta = from_js_or_default(meta, "entry")?;
        changed_js(self.inner.finish_create(
            request_id,
            meta.aws.unwrap_or_default(),
            meta.label,
            millis(now_ms),
        ))
    }

    /// Checks a get request; keeps it pending under `request_id`.
    #[wasm_bindgen(js_name = prepareGet, unchecked_return_type = "GetDecision")]
    pub fn prepare_get(
        &mut self,
        request_id: &str,
        #[wasm_bindgen(unchecked_param_type = "CeremonyRequest<RequestOptionsJson>")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (caller, options) = ceremony::<RequestOptionsJson>(request, "get request")?;
        answer_js(self.inner.prepare_get(request_id, &caller, &options))
    }

    /// Signs a prepared request; `envelope` is `null` when the stored vault already covers the
    /// new counter.
    #[wasm_bindgen(
        js_name = finishGet,
        unchecked_return_type = "Mutation<AuthenticationResponseJson>"
    )]
    pub fn finish_get(&mut self, request_id: &str, now_ms: f64) -> Result<JsValue, JsValue> {
        changed_js(self.inner.finish_get(request_id, millis(now_ms)))
    }

    /// Reserves the next counters of every key for a keyring just opened: the envelope
    /// (base64url) to store before any answer carrying a counter is released, or `null` when no
    /// key needed it. See `softkey_core::Keyring::reserve_counters`.
    #[wasm_bindgen(js_name = reserveCounters)]
    pub fn reserve_counters(&mut self) -> Result<Option<String>, JsValue> {
        self.inner
            .reserve_counters()
            .map(|envelope| envelope.as_deref().map(softkey_webauthn::b64::encode))
            .map_err(|e| super::js_error(&e))
    }

    /// Forgets a prepared request (WebAuthn or U2F).
    pub fn cancel(&mut self, request_id: &str) {
        self.inner.cancel(request_id);
    }
}

/// The vault-free checks of a create request, run before any unlock window: a `Precheck`, or
/// the browser's error (`SecurityError`, ...).
#[wasm_bindgen(js_name = precheckCreate, unchecked_return_type = "Precheck")]
pub fn precheck_create(
    #[wasm_bindgen(unchecked_param_type = "CeremonyRequest<CreationOptionsJson>")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let (caller, options) = ceremony::<CreationOptionsJson>(request, "create request")?;
    answer_js(softkey_core::precheck_create(&caller, &options))
}

/// The same for a get request.
#[wasm_bindgen(js_name = precheckGet, unchecked_return_type = "Precheck")]
pub fn precheck_get(
    #[wasm_bindgen(unchecked_param_type = "CeremonyRequest<RequestOptionsJson>")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let (caller, options) = ceremony::<RequestOptionsJson>(request, "get request")?;
    answer_js(softkey_core::precheck_get(&caller, &options))
}
