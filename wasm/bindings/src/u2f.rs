//! The legacy U2F JavaScript API's calls on [`Keyring`], in the same conventions as the
//! WebAuthn ones (JSON strings in and out, `{result, envelope}` for changes, named errors: a
//! refusal's name is one of `U2fBadRequest`, `U2fConfigurationUnsupported`,
//! `U2fDeviceIneligible`, `U2fOtherError`).

use softkey_webauthn::u2f_client::{U2fRegisterOptionsJson, U2fSignOptionsJson};
use wasm_bindgen::prelude::*;

use super::{Keyring, answer, ceremony, changed, entry_meta, millis};

#[wasm_bindgen]
impl Keyring {
    /// Checks a `u2f.register` request `{origin, topOrigin?, options}`; returns a
    /// `U2fRegisterDecision` (`{appId, origin}`).
    #[wasm_bindgen(js_name = prepareU2fRegister)]
    pub fn prepare_u2f_register(
        &mut self,
        request_id: &str,
        request_json: &str,
    ) -> Result<String, JsValue> {
        let (caller, options) =
            ceremony::<U2fRegisterOptionsJson>(request_json, "u2f.register request")?;
        answer(
            self.inner
                .prepare_u2f_register(request_id, &caller, &options),
        )
    }

    /// Registers a prepared request after consent; `meta_json` is `{label?, aws?}`.
    /// Returns `{result: RegisterResponse, envelope}`.
    #[wasm_bindgen(js_name = finishU2fRegister)]
    pub fn finish_u2f_register(
        &mut self,
        request_id: &str,
        meta_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let meta = entry_meta(meta_json)?;
        changed(self.inner.finish_u2f_register(
            request_id,
            meta.aws.unwrap_or_default(),
            meta.label,
            millis(now_ms),
        ))
    }

    /// Checks a `u2f.sign` request `{origin, topOrigin?, options}`; returns a
    /// `U2fSignDecision` (`{appId, origin, credential}`).
    #[wasm_bindgen(js_name = prepareU2fSign)]
    pub fn prepare_u2f_sign(
        &mut self,
        request_id: &str,
        request_json: &str,
    ) -> Result<String, JsValue> {
        let (caller, options) = ceremony::<U2fSignOptionsJson>(request_json, "u2f.sign request")?;
        answer(self.inner.prepare_u2f_sign(request_id, &caller, &options))
    }

    /// Signs a prepared request. Returns `{result: SignResponse, envelope}` where `envelope` is
    /// `null` when the stored vault already covers the new counter.
    #[wasm_bindgen(js_name = finishU2fSign)]
    pub fn finish_u2f_sign(&mut self, request_id: &str, now_ms: f64) -> Result<String, JsValue> {
        changed(self.inner.finish_u2f_sign(request_id, millis(now_ms)))
    }
}
