//! The security keys as the popup lists and edits them (no key material).

use wasm_bindgen::prelude::*;

use super::{Keyring, envelope_only_js, from_js, to_js};
use crate::totp::EntryMeta;

#[wasm_bindgen]
impl Keyring {
    /// The security keys.
    #[wasm_bindgen(js_name = securityKeys, unchecked_return_type = "SecurityKeySummary[]")]
    pub fn security_keys(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.security_keys())
    }

    /// Renames a security key, sets its AWS context or whether to ask before each sign-in.
    #[wasm_bindgen(js_name = updateSecurityKey, unchecked_return_type = "Mutation<null>")]
    pub fn update_security_key(
        &mut self,
        id: &str,
        #[wasm_bindgen(unchecked_param_type = "EntryMeta")] patch: JsValue,
    ) -> Result<JsValue, JsValue> {
        let patch: EntryMeta = from_js(patch, "update")?;
        envelope_only_js(self.inner.update_security_key(
            id,
            patch.label,
            patch.aws,
            patch.ask_before_sign_in,
        ))
    }

    /// Deletes a security key.
    #[wasm_bindgen(js_name = deleteSecurityKey, unchecked_return_type = "Mutation<null>")]
    pub fn delete_security_key(&mut self, id: &str) -> Result<JsValue, JsValue> {
        envelope_only_js(self.inner.delete_security_key(id))
    }
}
