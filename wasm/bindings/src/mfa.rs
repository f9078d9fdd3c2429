//! The MFA-prompt calls on [`Keyring`] that capture and sign-in pages need beyond adding and
//! listing entries, in the crate's conventions (JSON strings, `{result, envelope}` for changes).

use softkey_core::AwsContext;
use softkey_core::keyring::SecretCapture;
use softkey_core::mfa_match::MfaQuery;
use wasm_bindgen::prelude::*;

use super::{Keyring, changed, envelope_only, millis, parse};

/// An `AwsContext` from JSON; empty text is none.
fn aws_context(json: &str) -> Result<AwsContext, JsValue> {
    if json.is_empty() {
        Ok(AwsContext::default())
    } else {
        parse(json, "AWS context")
    }
}

#[wasm_bindgen]
impl Keyring {
    /// Adds a secret key shown as text on a setup page: `capture_json` is a `SecretCapture`
    /// (`{site: "aws"|"amazon", secret, deviceName?, email?}`), `aws_json` an `AwsContext` or
    /// empty. The core composes the `otpauth` label and the name. A capture made again answers
    /// the stored entry. Returns `{result: TotpCode, envelope: string|null}`.
    #[wasm_bindgen(js_name = addCapturedSecret)]
    pub fn add_captured_secret(
        &mut self,
        capture_json: &str,
        aws_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let capture: SecretCapture = parse(capture_json, "capture")?;
        let aws = aws_context(aws_json)?;
        changed(
            self.inner
                .add_captured_secret(&capture, aws, millis(now_ms)),
        )
    }

    /// Adds the `otpauth://` URI of a setup page's QR code, named after `device` and the AWS
    /// context (`aws_json`). Returns `{result: TotpCode, envelope: string|null}`.
    #[wasm_bindgen(js_name = addCapturedUri)]
    pub fn add_captured_uri(
        &mut self,
        uri: &str,
        device: &str,
        aws_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let aws = aws_context(aws_json)?;
        changed(
            self.inner
                .add_captured_uri(uri, Some(device), aws, millis(now_ms)),
        )
    }

    /// The site accepted a captured device. Returns `{result: null, envelope}`.
    #[wasm_bindgen(js_name = confirmTotp)]
    pub fn confirm_totp(&mut self, id: &str) -> Result<String, JsValue> {
        envelope_only(self.inner.confirm_totp(id))
    }

    /// The user picked entry `id` for the prompt `query_json` (an `MfaQuery`): the entry learns
    /// the user, account or directory it lacked. Returns `{result: null, envelope: string|null}`
    /// (no envelope when there was nothing to learn).
    #[wasm_bindgen(js_name = rememberMfaChoice)]
    pub fn remember_mfa_choice(&mut self, id: &str, query_json: &str) -> Result<String, JsValue> {
        let query: MfaQuery = parse(query_json, "MFA query")?;
        changed(self.inner.remember_mfa_choice(id, &query).map(|e| ((), e)))
    }
}

/// The key of a remembered MFA choice for the prompt `query_json` (an `MfaQuery` with its
/// `url`): a SHA-256 hex string, or `null` when the URL is not a surface where codes are filled.
#[wasm_bindgen(js_name = mfaChoiceKey)]
pub fn mfa_choice_key(query_json: &str) -> Result<String, JsValue> {
    let query: MfaQuery = parse(query_json, "MFA query")?;
    super::to_json(&query.choice_key())
}
