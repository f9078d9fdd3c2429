//! The MFA-prompt calls on [`Keyring`] that capture and sign-in pages need beyond adding and
//! listing entries: typed values in and out, a `Mutation<T>` for changes.

use softkey_core::AwsContext;
use softkey_core::keyring::SecretCapture;
use softkey_core::mfa_match::MfaQuery;
use wasm_bindgen::prelude::*;

use super::{Keyring, changed_js, envelope_only_js, from_js, millis, to_js};

/// An `AwsContext`; `undefined` or `null` is none.
fn aws_context(value: JsValue) -> Result<AwsContext, JsValue> {
    if value.is_null_or_undefined() {
        Ok(AwsContext::default())
    } else {
        from_js(value, "AWS context")
    }
}

#[wasm_bindgen]
impl Keyring {
    /// Adds a secret key shown as text on a setup page, with the page's AWS context (or none).
    /// The core composes the `otpauth` label and the name. A capture made again answers the
    /// stored entry (then `envelope` is `null`).
    #[wasm_bindgen(js_name = addCapturedSecret, unchecked_return_type = "Mutation<TotpCode>")]
    pub fn add_captured_secret(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SecretCapture")] capture: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AwsContext | null | undefined")] aws: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let capture: SecretCapture = from_js(capture, "capture")?;
        let aws = aws_context(aws)?;
        changed_js(
            self.inner
                .add_captured_secret(&capture, aws, millis(now_ms)),
        )
    }

    /// Adds the `otpauth://` URI of a setup page's QR code, named after `device` and the AWS
    /// context.
    #[wasm_bindgen(js_name = addCapturedUri, unchecked_return_type = "Mutation<TotpCode>")]
    pub fn add_captured_uri(
        &mut self,
        uri: &str,
        device: &str,
        #[wasm_bindgen(unchecked_param_type = "AwsContext | null | undefined")] aws: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let aws = aws_context(aws)?;
        changed_js(
            self.inner
                .add_captured_uri(uri, Some(device), aws, millis(now_ms)),
        )
    }

    /// The site accepted a captured device.
    #[wasm_bindgen(js_name = confirmTotp, unchecked_return_type = "Mutation<null>")]
    pub fn confirm_totp(&mut self, id: &str) -> Result<JsValue, JsValue> {
        envelope_only_js(self.inner.confirm_totp(id))
    }

    /// The user picked entry `id` for the prompt `query`: the entry learns the user, account or
    /// directory it lacked (no envelope when there was nothing to learn).
    #[wasm_bindgen(js_name = rememberMfaChoice, unchecked_return_type = "Mutation<null>")]
    pub fn remember_mfa_choice(
        &mut self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "MfaQuery")] query: JsValue,
    ) -> Result<JsValue, JsValue> {
        let query: MfaQuery = from_js(query, "MFA query")?;
        changed_js(self.inner.remember_mfa_choice(id, &query).map(|e| ((), e)))
    }
}

/// The key of a remembered MFA choice for the prompt `query` (an `MfaQuery` with its `url`): a
/// SHA-256 hex string, or `null` when the URL is not a surface where codes are filled.
#[wasm_bindgen(js_name = mfaChoiceKey, unchecked_return_type = "string | null")]
pub fn mfa_choice_key(
    #[wasm_bindgen(unchecked_param_type = "MfaQuery")] query: JsValue,
) -> Result<JsValue, JsValue> {
    let query: MfaQuery = from_js(query, "MFA query")?;
    to_js(&query.choice_key())
}
