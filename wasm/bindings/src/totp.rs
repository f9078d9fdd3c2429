//! Authenticator (TOTP) entries: adding, listing with codes, editing; and what an `otpauth://`
//! URI among the texts of a page's QR codes names.

use serde::{Deserialize, Serialize};
use softkey_core::AwsContext;
use wasm_bindgen::prelude::*;

use super::{
    Keyring, answer_js, changed_js, envelope_only_js, from_js, from_js_or_default, js_error,
    millis, to_js,
};

/// `{label?, aws?, askBeforeSignIn?}` for a new or edited entry or security key.
#[derive(Deserialize, Default, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct EntryMeta {
    /// The name; kept as it is when absent.
    #[serde(default)]
    pub label: Option<String>,
    /// The AWS account, user or directory; kept as it is when absent.
    #[serde(default)]
    pub aws: Option<AwsContext>,
    /// Security keys only: ask before each sign-in.
    #[serde(default)]
    pub ask_before_sign_in: Option<bool>,
}

#[wasm_bindgen]
impl Keyring {
    /// Adds an `otpauth://` URI or base32 secret, named and placed by `meta`.
    #[wasm_bindgen(js_name = addTotp, unchecked_return_type = "Mutation<TotpCode>")]
    pub fn add_totp(
        &mut self,
        text: &str,
        #[wasm_bindgen(unchecked_param_type = "EntryMeta | null | undefined")] meta: JsValue,
        now_ms: f64,
    ) -> Result<JsValue, JsValue> {
        let meta: EntryMeta = from_js_or_default(meta, "entry")?;
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
        answer_js(self.inner.totp_pair(id, millis(now_ms), min_remaining_secs))
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
}

/// The texts of QR codes (a screenshot's, a picture's) that are for an authenticator: `{uris,
/// transfers}`, `otpauth://` URIs and Google Authenticator transfer codes, trimmed, in the order
/// read (`softkey_otp::authenticator_texts`); anything else is dropped.
#[wasm_bindgen(js_name = authenticatorTexts, unchecked_return_type = "AuthenticatorTexts")]
pub fn authenticator_texts(texts: Vec<String>) -> Result<JsValue, JsValue> {
    let found = softkey_otp::authenticator_texts(&texts);
    to_js(&AuthenticatorTexts {
        uris: found.uris,
        transfers: found.transfers,
    })
}

/// [`authenticator_texts`]'s answer.
#[derive(Serialize, tsify_next::Tsify)]
pub struct AuthenticatorTexts<'a> {
    /// `otpauth://` URIs, one entry each.
    pub uris: Vec<&'a str>,
    /// `otpauth-migration:` transfer codes.
    pub transfers: Vec<&'a str>,
}

/// Of the texts read from the QR codes on a page, the authenticator's `otpauth://` URI and what
/// it names, without its secret (`softkey_otp::first_otpauth` chooses). `sameSecret` says whether
/// `shown_secret` (the secret key shown as text beside the code; empty: none) is the URI's secret.
/// Errors: kind `notOtpauth` when no text is an `otpauth://` URI, else `invalidEntry` (the URI's
/// or the shown secret's problem).
#[wasm_bindgen(js_name = qrCaptureInfo, unchecked_return_type = "QrCaptureInfo")]
pub fn qr_capture_info(texts: Vec<String>, shown_secret: &str) -> Result<JsValue, JsValue> {
    let (uri, entry) = softkey_otp::first_otpauth(&texts).map_err(|e| js_error(&e.into()))?;
    let same = if shown_secret.trim().is_empty() {
        None
    } else {
        Some(
            entry
                .secret_matches(shown_secret)
                .map_err(|e| js_error(&e.into()))?,
        )
    };
    to_js(&QrCaptureInfo {
        uri,
        issuer: entry.issuer.as_deref(),
        account: &entry.account,
        same_secret: same,
    })
}

/// [`qr_capture_info`]'s answer.
#[derive(Serialize, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct QrCaptureInfo<'a> {
    /// The chosen text, trimmed: the URI to capture.
    pub uri: &'a str,
    /// The issuer, if the URI names one.
    pub issuer: Option<&'a str>,
    /// The account name.
    pub account: &'a str,
    /// Whether the secret shown as text is the URI's; `null` when none was shown.
    pub same_secret: Option<bool>,
}
