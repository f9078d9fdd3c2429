//! Export and import (`softkey_core::keyring::transfer`) for the extension's export page.
//!
//! Files cross as base64url strings (`chrome.runtime` messages carry JSON). The exported files
//! hold secrets by design: the worker asks for the vault password again before calling
//! `exportFile`, and only the export page (an extension tab) receives them.

use serde::Serialize;
use softkey_core::keyring::{ExportFormat, KeyExport};
use softkey_webauthn::b64;
use wasm_bindgen::prelude::*;

use crate::{Keyring, answer, changed, decode_b64, millis, parse};

#[derive(Serialize)]
struct FileJson {
    name: String,
    mime: &'static str,
    /// base64url.
    data: String,
}

#[derive(Serialize)]
struct Exported {
    files: Vec<FileJson>,
}

fn password(text: &str) -> Option<&[u8]> {
    Some(text.as_bytes()).filter(|p| !p.is_empty())
}

#[wasm_bindgen]
impl Keyring {
    /// Writes an export. `format`: `backup`, `otpauth`, `googleMigration`, `aegisPlain`,
    /// `aegisEncrypted`, `bitwarden`; `keys`: `move`, `copy`, `omit`; `file_password` seals the
    /// encrypted formats (empty otherwise). Returns `{result: {files: [{name, mime, data}]},
    /// envelope}`; the envelope is set when security keys were moved or copied.
    #[wasm_bindgen(js_name = exportFile)]
    pub fn export_file(
        &mut self,
        format: &str,
        keys: &str,
        file_password: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let format: ExportFormat = parse(&format!("\"{format}\""), "export format")?;
        let keys: KeyExport = parse(&format!("\"{keys}\""), "key export")?;
        changed(
            self.inner
                .export(format, keys, password(file_password), millis(now_ms))
                .map(|(files, envelope)| {
                    let files = files
                        .iter()
                        .map(|f| FileJson {
                            name: f.name.clone(),
                            mime: f.mime,
                            data: b64::encode(&f.bytes),
                        })
                        .collect();
                    (Exported { files }, envelope)
                }),
        )
    }

    /// Reads a file (base64url) of any supported format and says what importing it would do,
    /// storing nothing: `{format, preview}`.
    #[wasm_bindgen(js_name = previewImport)]
    pub fn preview_import(&self, data: &str, file_password: &str) -> Result<String, JsValue> {
        let bytes = zeroize::Zeroizing::new(decode_b64(data, "file")?);
        answer(self.inner.preview_file(&bytes, password(file_password)))
    }

    /// Imports a file (base64url): `{result: {format, preview}, envelope}`.
    #[wasm_bindgen(js_name = importFile)]
    pub fn import_file(
        &mut self,
        data: &str,
        file_password: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let bytes = zeroize::Zeroizing::new(decode_b64(data, "file")?);
        changed(
            self.inner
                .import_file(&bytes, password(file_password), millis(now_ms)),
        )
    }
}
