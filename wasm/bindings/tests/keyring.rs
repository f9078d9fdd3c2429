//! The wasm boundary exercised in headless Chromium: TOTP, the vault, and a WebAuthn round trip
//! whose signature is checked by the browser's own WebCrypto (an implementation we did not write).
#![cfg(target_arch = "wasm32")]

use serde::Serialize;
use serde_json::{Value, json};
use softkey_wasm::Keyring;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
function b64u(text) {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, c => c.charCodeAt(0));
}
// DER ECDSA signature -> the raw r||s form WebCrypto verifies.
function derToRaw(der) {
  let i = 2;
  const read = () => { const len = der[i + 1]; let v = der.slice(i + 2, i + 2 + len); i += 2 + len;
    while (v.length > 32 && v[0] === 0) v = v.slice(1);
    const out = new Uint8Array(32); out.set(v, 32 - v.length); return out; };
  const r = read(), s = read(); const raw = new Uint8Array(64); raw.set(r); raw.set(s, 32); return raw;
}
export async function webcrypto_verifies(spkiB64, authDataB64, clientDataB64, sigB64) {
  const key = await crypto.subtle.importKey('spki', b64u(spkiB64), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const authData = b64u(authDataB64);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', b64u(clientDataB64)));
  const signed = new Uint8Array(authData.length + 32); signed.set(authData); signed.set(hash, authData.length);
  return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, derToRaw(b64u(sigB64)), signed);
}
export function error_name(e) { return e && e.name; }
"#)]
extern "C" {
    async fn webcrypto_verifies(
        spki: &str,
        auth_data: &str,
        client_data: &str,
        sig: &str,
    ) -> JsValue;
    fn error_name(e: &JsValue) -> String;
}

fn min_kdf() -> JsValue {
    js(&json!({"mCostKib": 19456, "tCost": 2, "pCost": 1}))
}

/// A value as the worker would pass it: a plain object.
fn js(value: &Value) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("to JS")
}

/// An answer read back as JSON, to look into.
fn val(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).expect("from JS")
}

#[wasm_bindgen_test]
fn totp_matches_rfc_6238() {
    // RFC 6238 Appendix B, SHA-1: T = 59 s gives 94287082, T = 1111111109 s 07081804; 6
    // digits are their last six.
    let mut keyring = Keyring::create("pw", min_kdf(), 1.7e12).expect("create");
    keyring
        .add_totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", JsValue::NULL, 0.0)
        .expect("add");
    let codes = val(keyring.totp_codes(59_000.0).expect("codes"));
    assert_eq!(codes[0]["code"], "287082");
    let codes = val(keyring.totp_codes(1_111_111_109_000.0).expect("codes"));
    assert_eq!(codes[0]["code"], "081804");
    let err = keyring
        .add_totp("not base32!", JsValue::UNDEFINED, 0.0)
        .expect_err("bad secret");
    assert_eq!(error_name(&err), "InvalidEntry");
}

#[wasm_bindgen_test]
fn vault_creates_unlocks_and_refuses_a_wrong_password() {
    let mut keyring = Keyring::create("correct horse", min_kdf(), 1.7e12).expect("create");
    let envelope = keyring.seal().expect("seal");
    let err = Keyring::unlock(&envelope, "wrong")
        .err()
        .expect("wrong password refused");
    assert_eq!(error_name(&err), "WrongPassword");
    let reopened = Keyring::unlock(&envelope, "correct horse").expect("unlock");
    assert_eq!(val(reopened.security_keys().expect("list")), json!([]));
    let err = Keyring::create(
        "x",
        js(&json!({"mCostKib": 1024, "tCost": 1, "pCost": 1})),
        0.0,
    )
    .err()
    .expect("weak KDF refused");
    assert_eq!(error_name(&err), "VaultUnsupported");
}

#[wasm_bindgen_test]
async fn webauthn_round_trip_is_verified_by_webcrypto() {
    let mut keyring = Keyring::create("pw", min_kdf(), 1.7e12).expect("create");
    let create = json!({
        "origin": "https://console.aws.amazon.com",
        "options": {
            "rp": {"id": "amazon.com", "name": "Amazon Web Services"},
            "user": {"id": "AAECAwQFBgcICQoLDA0ODw", "name": "alice", "displayName": "alice"},
            "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZQ",
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
            "attestation": "none"
        }
    });
    let decision = val(keyring.prepare_create("c1", js(&create)).expect("prepare"));
    assert_eq!(decision["kind"], "needsConsent");
    let made = val(keyring
        .finish_create("c1", JsValue::UNDEFINED, 1.7e12)
        .expect("finish"));
    let registration = &made["result"];
    let spki = registration["response"]["publicKey"]
        .as_str()
        .expect("publicKey");
    let id = registration["id"].as_str().expect("id");

    let mut envelope = made["envelope"].as_str().expect("envelope").to_owned();
    for (n, expected_count) in [(1, 1u8), (2, 2)] {
        let get = json!({
            "origin": "https://signin.aws.amazon.com",
            "options": {"challenge": "c2lnbi1pbg", "rpId": "amazon.com",
                        "allowCredentials": [{"type": "public-key", "id": id}]}
        });
        let request_id = format!("g{n}");
        let decision = val(keyring.prepare_get(&request_id, js(&get)).expect("prepare"));
        assert_eq!(decision["kind"], "ready");
        let signed = val(keyring.finish_get(&request_id, 1.7e12).expect("sign"));
        let response = &signed["result"]["response"];
        let ok = webcrypto_verifies(
            spki,
            response["authenticatorData"].as_str().expect("authData"),
            response["clientDataJSON"].as_str().expect("clientData"),
            response["signature"].as_str().expect("sig"),
        )
        .await;
        assert_eq!(ok.as_bool(), Some(true), "WebCrypto rejected assertion {n}");
        let auth_data =
            softkey_webauthn::b64::decode(response["authenticatorData"].as_str().expect("ad"))
                .expect("b64");
        assert_eq!(auth_data[36], expected_count);
        // `null` when the stored vault already covers this counter.
        if let Some(newer) = signed["envelope"].as_str() {
            envelope = newer.to_owned();
        }
    }

    // A changed signature is refused by WebCrypto (the check can fail).
    let get = json!({"origin": "https://signin.aws.amazon.com",
        "options": {"challenge": "eA", "rpId": "amazon.com", "allowCredentials": [{"type": "public-key", "id": id}]}});
    keyring.prepare_get("g3", js(&get)).expect("prepare");
    let signed = val(keyring.finish_get("g3", 0.0).expect("sign"));
    let response = &signed["result"]["response"];
    let ok = webcrypto_verifies(
        spki,
        response["authenticatorData"].as_str().expect("ad"),
        "eQ",
        response["signature"].as_str().expect("sig"),
    )
    .await;
    assert_eq!(ok.as_bool(), Some(false));

    // The counter survives the envelope: reopen and sign again.
    let mut reopened = Keyring::unlock(&envelope, "pw").expect("unlock");
    reopened.prepare_get("g4", js(&get)).expect("prepare");
    let signed = val(reopened.finish_get("g4", 0.0).expect("sign"));
    let auth_data = softkey_webauthn::b64::decode(
        signed["result"]["response"]["authenticatorData"]
            .as_str()
            .expect("ad"),
    )
    .expect("b64");
    assert!(auth_data[36] > 3, "continues above every counter issued");

    // Another site's RP ID from an AWS page: SecurityError.
    let evil = json!({"origin": "https://signin.aws.amazon.com", "options": {"challenge": "eA", "rpId": "example.com"}});
    let err = keyring.prepare_get("g5", js(&evil)).expect_err("refused");
    assert_eq!(error_name(&err), "SecurityError");

    // The old convention, JSON text, is now the wrong shape: a BadRequest, not a guess.
    let err = keyring
        .prepare_get("g6", JsValue::from_str(&get.to_string()))
        .expect_err("text refused");
    assert_eq!(error_name(&err), "BadRequest");
}
