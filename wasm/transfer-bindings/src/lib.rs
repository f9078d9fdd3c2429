//! The export page's wasm module (`dist/wasm/softkey_transfer*`): export and import, over
//! `softkey-core`'s `keyring/transfer.rs`. A module of its own because the formats (scrypt,
//! protobuf, PKCS#8, the JSON shapes) would add about a third to the module every AWS sign-in
//! instantiates; this one is instantiated only when the export page asks.
//!
//! It holds no vault of its own: each call reopens the worker's current contents from the
//! envelope and the session key (`Keyring::resume`, no password derivation), works on them, and
//! answers `{result, envelope}` like the main module's changes; the worker stores a new envelope
//! and reopens its keyring from it. The session key already lives in the worker
//! (`chrome.storage.session`); it never reaches a page. Files travel as base64url.

use serde::Serialize;
use softkey_core::KeyringError;
use softkey_core::keyring::{ExportFormat, KeyExport};
use softkey_webauthn::b64;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(
    inline_js = "export function make_error(name, message) { const e = new Error(message); e.name = name; return e; }"
)]
extern "C" {
    fn make_error(name: &str, message: &str) -> JsValue;
}

fn js_error(error: &KeyringError) -> JsValue {
    make_error(error.name(), &error.to_string())
}

fn bad_request(message: String) -> JsValue {
    js_error(&KeyringError::BadRequest(message))
}

#[derive(Serialize)]
struct Mutation<T: Serialize> {
    result: T,
    envelope: Option<String>,
}

fn answer<T: Serialize>(result: T, envelope: Option<&[u8]>) -> Result<String, JsValue> {
    serde_json::to_string(&Mutation {
        result,
        envelope: envelope.map(b64::encode),
    })
    .map_err(|e| bad_request(format!("could not encode the result: {e}")))
}

fn decode(text: &str, what: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, JsValue> {
    b64::decode(text)
        .map(zeroize::Zeroizing::new)
        .map_err(|e| bad_request(format!("{what}: {e}")))
}

fn keyring(envelope: &str, session_key: &str) -> Result<softkey_core::Keyring, JsValue> {
    let envelope = decode(envelope, "vault envelope")?;
    let key = decode(session_key, "session key")?;
    softkey_core::Keyring::resume(&envelope, &key).map_err(|e| js_error(&e))
}

fn password(text: &str) -> Option<&[u8]> {
    Some(text.as_bytes()).filter(|p| !p.is_empty())
}

fn millis(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

fn parse_name<T: for<'de> serde::Deserialize<'de>>(name: &str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(&format!("\"{name}\""))
        .map_err(|_| bad_request(format!("unknown {what} \"{name}\"")))
}

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

/// Writes an export of the vault `envelope` (opened with `session_key`). `format`: `backup`,
/// `otpauth`, `googleMigration`, `aegisPlain`, `aegisEncrypted`, `bitwarden`; `keys`: `move`,
/// `copy`, `omit`; `file_password` seals the encrypted formats. Returns `{result: {files:
/// [{name, mime, data}]}, envelope}`, the envelope set when security keys moved or were copied.
#[wasm_bindgen(js_name = exportFile)]
pub fn export_file(
    envelope: &str,
    session_key: &str,
    format: &str,
    keys: &str,
    file_password: &str,
    now_ms: f64,
) -> Result<String, JsValue> {
    let format: ExportFormat = parse_name(format, "export format")?;
    let keys: KeyExport = parse_name(keys, "key export")?;
    let mut keyring = keyring(envelope, session_key)?;
    let (files, envelope) = keyring
        .export(format, keys, password(file_password), millis(now_ms))
        .map_err(|e| js_error(&e))?;
    let files = files
        .iter()
        .map(|f| FileJson {
            name: f.name.clone(),
            mime: f.mime,
            data: b64::encode(&f.bytes),
        })
        .collect();
    answer(Exported { files }, envelope.as_deref())
}

/// What importing the file `data` (base64url, any supported format) into the vault would do:
/// `{result: {format, preview}, envelope: null}`. Nothing is stored.
#[wasm_bindgen(js_name = previewImport)]
pub fn preview_import(
    envelope: &str,
    session_key: &str,
    data: &str,
    file_password: &str,
) -> Result<String, JsValue> {
    let keyring = keyring(envelope, session_key)?;
    let bytes = decode(data, "file")?;
    let preview = keyring
        .preview_file(&bytes, password(file_password))
        .map_err(|e| js_error(&e))?;
    answer(preview, None)
}

/// Imports the file `data`: `{result: {format, preview}, envelope}`.
#[wasm_bindgen(js_name = importFile)]
pub fn import_file(
    envelope: &str,
    session_key: &str,
    data: &str,
    file_password: &str,
    now_ms: f64,
) -> Result<String, JsValue> {
    let mut keyring = keyring(envelope, session_key)?;
    let bytes = decode(data, "file")?;
    let (found, envelope) = keyring
        .import_file(&bytes, password(file_password), millis(now_ms))
        .map_err(|e| js_error(&e))?;
    answer(found, Some(&envelope))
}
