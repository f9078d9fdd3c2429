//! The security keys as the popup lists and edits them (no key material).

use wasm_bindgen::prelude::*;

use softkey_core::keyring::default_key_label;
use softkey_core::{AwsContext, LockedIndex};

use super::{Keyring, envelope_only_js, from_js, from_js_or_default, to_js};
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

    /// The hashes by which a locked vault tells which requests might be ours (stored beside the
    /// envelope).
    #[wasm_bindgen(js_name = lockedIndex, unchecked_return_type = "LockedIndex")]
    pub fn locked_index(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.locked_index())
    }

    /// Deletes a security key.
    #[wasm_bindgen(js_name = deleteSecurityKey, unchecked_return_type = "Mutation<null>")]
    pub fn delete_security_key(&mut self, id: &str) -> Result<JsValue, JsValue> {
        envelope_only_js(self.inner.delete_security_key(id))
    }
}

/// Whether a request naming `credentialIds` (none: a discoverable request) for `rpId` might be
/// for a key in the stored `index`: answerable while the vault is locked.
#[wasm_bindgen(js_name = indexMightHold)]
pub fn index_might_hold(
    #[wasm_bindgen(unchecked_param_type = "LockedIndex")] index: JsValue,
    credential_ids: Vec<String>,
    rp_id: &str,
) -> Result<bool, JsValue> {
    let index: LockedIndex = from_js(index, "locked index")?;
    Ok(index.might_hold(&credential_ids, rp_id))
}

/// The name a new security key is offered: the site and whose it is.
#[wasm_bindgen(js_name = keyLabel)]
pub fn key_label(
    rp_id: &str,
    #[wasm_bindgen(unchecked_param_type = "AwsContext | null | undefined")] aws: JsValue,
) -> Result<String, JsValue> {
    let aws: AwsContext = from_js_or_default(aws, "AWS context")?;
    Ok(default_key_label(rp_id, &aws))
}
