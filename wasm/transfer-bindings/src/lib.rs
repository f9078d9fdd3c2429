//! The export page's wasm module (`dist/wasm/softkey_transfer*`): export and import, over
//! `softkey-core`'s `keyring/transfer.rs`. A module of its own because the formats (scrypt,
//! protobuf, PKCS#8, the JSON shapes) would add about a third to the module every AWS sign-in
//! instantiates; this one is instantiated only when the export page asks.
//!
//! It holds no vault of its own: each call reopens the worker's current contents from the
//! envelope and the session key (`Keyring::resume`, no password derivation), works on them, and
//! answers a typed `{result, envelope}` like the main module's changes; the worker stores a new
//! envelope and reopens its keyring from it. The session key already lives in the worker
//! (`chrome.storage.session`); it never reaches a page. Files travel as base64url: the worker
//! hands them on to the export page over extension messaging, which serializes as JSON (a
//! `Uint8Array` would arrive as `{"0": …}`). Errors are `Error`s with `name` and `kind`, as in
//! the main module.

use serde::Serialize;
use softkey_core::KeyringError;
use softkey_core::keyring::{ExportFormat, KeyExport};
use softkey_webauthn::b64;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(
    inline_js = "export function make_error(name, kind, message) { const e = new Error(message); e.name = name; e.kind = kind; return e; }"
)]
extern "C" {
    fn make_error(name: &str, kind: &str, message: &str) -> JsValue;
}

fn js_error(error: &KeyringError) -> JsValue {
    make_error(error.name(), error.kind(), &error.to_string())
}

fn bad_request(message: String) -> JsValue {
    js_error(&KeyringError::BadRequest(message))
}

/// `{result, envelope}`: the new envelope (base64url) is stored before `result` is used;
/// `null` when nothing changed.
#[derive(Serialize, tsify_next::Tsify)]
#[tsify(missing_as_null)]
pub struct Mutation<T> {
    /// What the call gives back.
    pub result: T,
    /// The new envelope, or `null`.
    pub envelope: Option<String>,
}

fn answer<T: Serialize>(result: T, envelope: Option<&[u8]>) -> Result<JsValue, JsValue> {
    Mutation {
        result,
        envelope: envelope.map(b64::encode),
    }
    .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
    .map_err(|e| bad_request(format!("could not encode the result: {e}")))
}

fn from_js<T: for<'de> serde::Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_request(format!("{what}: {e}")))
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

/// One exported file.
#[derive(Serialize, tsify_next::Tsify)]
pub struct ExportedFileJson {
    /// Suggested file name.
    pub name: String,
    /// Its media type.
    pub mime: &'static str,
    /// Its contents, base64url.
    pub data: String,
}

/// [`export_file`]'s result.
#[derive(Serialize, tsify_next::Tsify)]
pub struct Exported {
    /// The files (several for Google Authenticator's QR codes of ten).
    pub files: Vec<ExportedFileJson>,
}

/// Writes an export of the vault `envelope` (opened with `session_key`); `file_password` seals
/// the encrypted formats. The envelope is set when security keys moved or were copied.
#[wasm_bindgen(js_name = exportFile, unchecked_return_type = "Mutation<Exported>")]
pub fn export_file(
    envelope: &str,
    session_key: &str,
    #[wasm_bindgen(unchecked_param_type = "ExportFormat")] format: JsValue,
    #[wasm_bindgen(unchecked_param_type = "KeyExport")] keys: JsValue,
    file_password: &str,
    now_ms: f64,
) -> Result<JsValue, JsValue> {
    let format: ExportFormat = from_js(format, "export format")?;
    let keys: KeyExport = from_js(keys, "key export")?;
    let mut keyring = keyring(envelope, session_key)?;
    let (files, envelope) = keyring
        .export(format, keys, password(file_password), millis(now_ms))
        .map_err(|e| js_error(&e))?;
    let files = files
        .iter()
        .map(|f| ExportedFileJson {
            name: f.name.clone(),
            mime: f.mime,
            data: b64::encode(&f.bytes),
        })
        .collect();
    answer(Exported { files }, envelope.as_deref())
}

/// What importing the file `data` (base64url, any supported format) into the vault would do.
/// Nothing is stored (`envelope` is `null`).
#[wasm_bindgen(js_name = previewImport, unchecked_return_type = "Mutation<FileImport>")]
pub fn preview_import(
    envelope: &str,
    session_key: &str,
    data: &str,
    file_password: &str,
) -> Result<JsValue, JsValue> {
    let keyring = keyring(envelope, session_key)?;
    let bytes = decode(data, "file")?;
    let preview = keyring
        .preview_file(&bytes, password(file_password))
        .map_err(|e| js_error(&e))?;
    answer(preview, None)
}

/// Imports the file `data`.
#[wasm_bindgen(js_name = importFile, unchecked_return_type = "Mutation<FileImport>")]
pub fn import_file(
    envelope: &str,
    session_key: &str,
    data: &str,
    file_password: &str,
    now_ms: f64,
) -> Result<JsValue, JsValue> {
    let mut keyring = keyring(envelope, session_key)?;
    let bytes = decode(data, "file")?;
    let (found, envelope) = keyring
        .import_file(&bytes, password(file_password), millis(now_ms))
        .map_err(|e| js_error(&e))?;
    answer(found, Some(&envelope))
}

/// Rewrites a vault whose contents are in an older format (JSON, before November 2026) in the
/// current one, which the sign-in module reads: that module has no JSON reader and answers
/// `kind: 'needsMigration'` for such a vault. Opened with the password, or with the session key
/// when the worker resumes; the same key seals the result, so both stay valid. Answers the new
/// envelope (base64url).
#[wasm_bindgen(js_name = migrateVault)]
pub fn migrate_vault(
    envelope: &str,
    password: Option<String>,
    session_key: Option<String>,
) -> Result<String, JsValue> {
    let envelope = decode(envelope, "vault envelope")?;
    let password = password.map(|p| zeroize::Zeroizing::new(p.into_bytes()));
    let key = match session_key {
        Some(k) => Some(decode(&k, "session key")?),
        None => None,
    };
    let opener = match (&password, &key) {
        (Some(p), _) => softkey_core::VaultOpener::Password(p),
        (None, Some(k)) => softkey_core::VaultOpener::SessionKey(k),
        (None, None) => {
            return Err(bad_request(
                "a password or a session key is needed to migrate the vault".into(),
            ));
        }
    };
    softkey_core::Keyring::migrate(&envelope, opener)
        .map(|sealed| b64::encode(&sealed))
        .map_err(|e| js_error(&e))
}
