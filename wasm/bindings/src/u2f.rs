//! The legacy U2F JavaScript API's calls on [`Keyring`], in the same conventions as the
//! WebAuthn ones (typed values, a `Mutation` for changes, named errors: a refusal's name is one
//! of `U2fBadRequest`, `U2fConfigurationUnsupported`, `U2fDeviceIneligible`, `U2fOtherError`).

use softkey_webauthn::u2f_client::{U2fRegisterOptionsJson, U2fSignOptionsJson};
use wasm_bindgen::prelude::*;

use super::{Keyring, answer_js, changed_js, from_js_or_default, millis};
use crate::ceremonies::ceremony;
use crate::totp::EntryMeta;

#[wasm_bindgen]
impl Keyring {
    /// Checks a `u2f.register` request; keeps it pending under `request_id`.
    #[wasm_bindgen(js_name = prepareU2fRegister, unchecked_return_type = "U2fRegisterDecision")]
    pub fn prepare_u2f_register(
        &mut self,
        request_id: &str,
        #[wasm_bindgen(unchecked_param_type = "CeremonyRequest<U2fRegisterOptionsJson>")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (caller, options) =
            ceremony::<U2fRegisterOptionsJson>(request, "u2f.register request")?;
        answer_js(
            self.inner
                .prepare_u2f_register(request_id, &caller, &options),
        )
    }

    /// Registers a prepared request after consent, named and placed by `meta`.
    #[wasm_bindgen(
        js_name = finishU2fRegister,
        unchecked_return_type = "Mutation<U2fRegisterResponseJson>"
    )]
    pub fn finish_u2f_register(
        &mut self,
        request_id: &str,
        #[wasm_bindgen(unchecked_param_type = "EntryMeta | null | undefined")] meta: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let meta: EntryMeta = from_js_or_default(meta, "entry")?;
        changed_js(self.inner.finish_u2f_register(
            request_id,
            meta.aws.unwrap_or_default(),
            meta.label,
            millis(now_ms),
        ))
    }

    /// Checks a `u2f.sign` request; keeps it pending under `request_id`.
    #[wasm_bindgen(js_name = prepareU2fSign, unchecked_return_type = "U2fSignDecision")]
    pub fn prepare_u2f_sign(
        &mut self,
        request_id: &str,
        #[wasm_bindgen(unchecked_param_type = "CeremonyRequest<U2fSignOptionsJson>")]
        request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (caller, options) = ceremony::<U2fSignOptionsJson>(request, "u2f.sign request")?;
        answer_js(self.inner.prepare_u2f_sign(request_id, &caller, &options))
    }

    /// Signs a prepared request; `envelope` is `null` when the stored vault already covers the
    /// new counter.
    #[wasm_bindgen(
        js_name = finishU2fSign,
        unchecked_return_type = "Mutation<U2fSignResponseJson>"
    )]
    pub fn finish_u2f_sign(&mut self, request_id: &str, now_ms: f64) -> Result<JsValue, JsValue> {
        changed_js(self.inner.finish_u2f_sign(request_id, millis(now_ms)))
    }
}
