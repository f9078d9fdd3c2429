//! Creating, opening and sealing the vault, and its password.

use serde::Deserialize;
use softkey_core::KdfParams;
use softkey_webauthn::b64;
use wasm_bindgen::prelude::*;

use super::{Keyring, decode_b64, envelope_only_js, from_js, js_error, millis};

/// Argon2id's cost for a new vault: `{mCostKib, tCost, pCost}` (the core refuses values below
/// its floor).
#[derive(Deserialize, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct KdfCost {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

#[wasm_bindgen]
impl Keyring {
    /// Creates a vault, with Argon2id at `kdf` or, for `null`/`undefined`, the defaults.
    /// Call `seal()` for the envelope to store.
    pub fn create(
        password: &str,
        #[wasm_bindgen(unchecked_param_type = "KdfCost | null | undefined")] kdf: JsValue,
        now_ms: f64,
    ) -> Result<Keyring, JsValue> {
        let params = if kdf.is_null_or_undefined() {
            KdfParams::DEFAULT
        } else {
            let k: KdfCost = from_js(kdf, "KDF parameters")?;
            KdfParams {
                m_cost_kib: k.m_cost_kib,
                t_cost: k.t_cost,
                p_cost: k.p_cost,
            }
        };
        softkey_core::Keyring::create(password.as_bytes(), params, millis(now_ms))
            .map(|(inner, _)| Keyring { inner })
            .map_err(|e| js_error(&e))
    }

    /// Opens a stored envelope (base64url) with the password.
    pub fn unlock(envelope: &str, password: &str) -> Result<Keyring, JsValue> {
        let envelope = decode_b64(envelope, "vault envelope")?;
        softkey_core::Keyring::unlock(&envelope, password.as_bytes())
            .map(|inner| Keyring { inner })
            .map_err(|e| js_error(&e))
    }

    /// Reopens with the session key (after a service-worker restart).
    pub fn resume(envelope: &str, session_key: &str) -> Result<Keyring, JsValue> {
        let envelope = decode_b64(envelope, "vault envelope")?;
        let key = zeroize::Zeroizing::new(decode_b64(session_key, "session key")?);
        softkey_core::Keyring::resume(&envelope, &key)
            .map(|inner| Keyring { inner })
            .map_err(|e| js_error(&e))
    }

    /// The session key, base64url, for `chrome.storage.session` only (it stores JSON).
    #[wasm_bindgen(js_name = sessionKey)]
    pub fn session_key(&self) -> String {
        b64::encode(self.inner.session_key().as_slice())
    }

    /// The current contents sealed into an envelope (base64url, for IndexedDB).
    pub fn seal(&mut self) -> Result<String, JsValue> {
        self.inner
            .seal()
            .map(|e| b64::encode(&e))
            .map_err(|e| js_error(&e))
    }

    /// Changes the password (Argon2id at the defaults).
    #[wasm_bindgen(js_name = changePassword, unchecked_return_type = "Mutation<null>")]
    pub fn change_password(&mut self, old: &str, new: &str) -> Result<JsValue, JsValue> {
        envelope_only_js(self.inner.change_password(
            old.as_bytes(),
            new.as_bytes(),
            KdfParams::DEFAULT,
        ))
    }
}
