//! The MFA-prompt calls on [`Keyring`] that capture and sign-in pages need beyond adding and
//! listing entries, in the crate's conventions (JSON strings, `{result, envelope}` for changes).

use softkey_core::mfa_match::MfaQuery;
use wasm_bindgen::prelude::*;

use super::{Keyring, changed, entry_meta, envelope_only, millis, parse};

#[wasm_bindgen]
impl Keyring {
    /// Adds an entry captured from a setup page, unconfirmed until the page shows success;
    /// `meta_json` is `{label?, aws?}`. Returns `{result: TotpCode, envelope}`.
    #[wasm_bindgen(js_name = addCapturedTotp)]
    pub fn add_captured_totp(
        &mut self,
        text: &str,
        meta_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let meta = entry_meta(meta_json)?;
        changed(self.inner.add_captured_totp(
            text,
            meta.label,
            meta.aws.unwrap_or_default(),
            millis(now_ms),
        ))
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
