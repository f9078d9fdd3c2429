//! The wasm-bindgen boundary, and nothing else: every function converts its arguments, calls
//! `softkey-core`, and converts the result. No logic lives here. One file per concern:
//! [`vault`] (create, unlock, resume, seal, password), [`ceremonies`] (WebAuthn prechecks,
//! prepare and finish), [`u2f`] (the legacy U2F API), [`keys`] (security keys), [`totp`] and
//! [`mfa`] (authenticator entries, MFA prompts), [`settings`], [`sites`] (the site table); the
//! export page's calls are a module of their own (`wasm/transfer-bindings`). Benchmark hooks are
//! behind the `bench` feature, which the extension's build does not turn on.
//!
//! Conventions, so the JavaScript side stays small:
//! - every call takes and returns typed values (serde-wasm-bindgen), declared in the generated
//!   `softkey.d.ts` from the Rust types (tsify): plain objects, `null` for `None`, the spec's
//!   enums as their string values; a wrong shape is a `BadRequest`;
//! - bytes the worker hands on (the vault envelope to IndexedDB, the session key to
//!   `chrome.storage.session`, WebAuthn's and U2F's JSON forms to the page over extension
//!   messaging, which serializes as JSON: a `Uint8Array` would arrive as `{"0": …}`) are
//!   base64url text, as the WebAuthn JSON forms define them;
//! - a change returns a [`Mutation`] `{result, envelope}`: the caller stores the envelope
//!   before it uses the result;
//! - errors are JavaScript `Error`s whose `name` is [`softkey_core::KeyringError::name`] (a
//!   DOMException name for WebAuthn refusals) and whose `kind` is
//!   [`softkey_core::KeyringError::kind`], the stable identifier JS may branch on.
//!
//! Private keys and TOTP secrets never cross this boundary, except `totp_uri`, which the UI
//! shows as a QR code only after asking for the password again.

use serde::{Deserialize, Serialize};
use softkey_core::KeyringError;

// Smaller than std's dlmalloc for the same job; the module is single-threaded.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
use softkey_webauthn::b64;
use wasm_bindgen::prelude::*;

#[cfg(feature = "bench")]
pub mod bench;
pub mod ceremonies;
pub mod keys;
pub mod mfa;
pub mod settings;
pub mod sites;
pub mod totp;
pub mod u2f;
pub mod vault;

#[wasm_bindgen(
    inline_js = "export function make_error(name, kind, message) { const e = new Error(message); e.name = name; e.kind = kind; return e; }"
)]
extern "C" {
    fn make_error(name: &str, kind: &str, message: &str) -> JsValue;
}

fn js_error(error: &KeyringError) -> JsValue {
    make_error(error.name(), error.kind(), &error.to_string())
}

// What every call may throw; declared by hand because it is made in JS (`make_error`).
#[wasm_bindgen(typescript_custom_section)]
const SOFTKEY_ERROR_TS: &str = r#"
/** What the module throws: `kind` is stable (see KeyringError::kind), `message` is for people. */
export interface SoftKeyError extends Error { name: string; kind: string; message: string; }
"#;

/// A typed value in (serde-wasm-bindgen); a wrong shape is a `BadRequest`.
fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_request(format!("{what}: {e}")))
}

/// A typed value in where `undefined` or `null` means the default.
fn from_js_or_default<T: for<'de> Deserialize<'de> + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if value.is_null_or_undefined() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// A typed value out, shaped as `JSON.parse` of its JSON would be (plain objects, `null` for
/// `None`, numbers not BigInts).
fn to_js(value: &impl Serialize) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| bad_request(format!("could not encode the result: {e}")))
}

/// `{result, envelope}`: what a change answers. Serialized straight from the result's own type
/// (no `serde_json::Value` in between: that alone pulled ~20 KB of map and number code in).
#[derive(Serialize, tsify_next::Tsify)]
#[tsify(missing_as_null)]
pub struct Mutation<T> {
    /// What the change gives back.
    pub result: T,
    /// The new envelope (base64url) to store before `result` is used; `null` when the stored
    /// vault already covers the change.
    pub envelope: Option<String>,
}

/// What the core answered, as a typed value; its refusal as a named JS error.
fn answer_js<T: Serialize>(outcome: Result<T, KeyringError>) -> Result<JsValue, JsValue> {
    to_js(&outcome.map_err(|e| js_error(&e))?)
}

/// A change's `Mutation`. The core gives the envelope as `Vec<u8>` when it must be stored, and
/// as `Option` where it may not need to be (a sign-in within the reserved counters).
fn changed_js<T: Serialize, E: Into<Option<Vec<u8>>>>(
    change: Result<(T, E), KeyringError>,
) -> Result<JsValue, JsValue> {
    let (result, envelope) = change.map_err(|e| js_error(&e))?;
    to_js(&Mutation {
        result,
        envelope: envelope.into().as_deref().map(b64::encode),
    })
}

/// A change whose only result is the new envelope: `{result: null, envelope}`.
fn envelope_only_js(change: Result<Vec<u8>, KeyringError>) -> Result<JsValue, JsValue> {
    changed_js(change.map(|envelope| ((), envelope)))
}

fn bad_request(message: String) -> JsValue {
    js_error(&KeyringError::BadRequest(message))
}

fn decode_b64(text: &str, what: &str) -> Result<Vec<u8>, JsValue> {
    b64::decode(text).map_err(|e| bad_request(format!("{what}: {e}")))
}

/// Milliseconds from `Date.now()` as an integer (negative or NaN becomes 0).
fn millis(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

/// The unlocked vault.
#[wasm_bindgen]
pub struct Keyring {
    inner: softkey_core::Keyring,
}
