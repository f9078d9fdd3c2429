//! The user's settings.

use softkey_core::Settings;
use wasm_bindgen::prelude::*;

use super::{Keyring, envelope_only_js, from_js, to_js};

#[wasm_bindgen]
impl Keyring {
    /// The settings.
    #[wasm_bindgen(unchecked_return_type = "Settings")]
    pub fn settings(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.contents().settings)
    }

    /// Replaces the settings (the core checks them).
    #[wasm_bindgen(js_name = setSettings, unchecked_return_type = "Mutation<null>")]
    pub fn set_settings(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Settings")] settings: JsValue,
    ) -> Result<JsValue, JsValue> {
        let settings: Settings = from_js(settings, "settings")?;
        envelope_only_js(self.inner.set_settings(settings))
    }
}
