//! The wasm boundary exercised in headless Chromium: TOTP, the vault, and a WebAuthn round trip
//! whose signature is checked by the browser's own WebCrypto (an implementation we did not write).
#![cfg(target_arch = "wasm32")]

use serde_json::{Value, json};
use softkey_wasm::{Keyring, totp_code};
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

const MIN_KDF: &str = r#"{"mCostKib":19456,"tCost":2,"pCost":1}"#;

#[wasm_bindgen_test]
fn totp_matches_rfc_6238() {
    // RFC 6238 Appendix B, SHA-1, T = 59 s: 94287082; 6 digits are its last six.
    assert_eq!(
        totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59.0).expect("code"),
        "287082"
    );
    assert_eq!(
        totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1_111_111_109.0).expect("code"),
        "081804"
    );
    let err = totp_code("not base32!", 59.0).expect_err("bad secret");
    assert_eq!(error_name(&err), "InvalidEntry");
}

#[wasm_bindgen_test]
fn vault_creates_unlocks_and_refuses_a_wrong_password() {
    let mut keyring = Keyring::create("correct horse", MIN_KDF, 1.7e12).expect("create");
    let envelope = keyring.seal().expect("seal");
    let err = Keyring::unlock(&envelope, "wrong")
        .err()
        .expect("wrong password refused");
    assert_eq!(error_name(&err), "WrongPassword");
    let reopened = Keyring::unlock(&envelope, "correct horse").expect("unlock");
    assert_eq!(reopened.security_keys().expect("list"), "[]");
    let err = Keyring::create("x", r#"{"mCostKib":1024,"tCost":1,"pCost":1}"#, 0.0)
        .err()
        .expect("weak KDF refused");
    assert_eq!(error_name(&err), "VaultUnsupported");
}

#[wasm_bindgen_test]
async fn webauthn_round_trip_is_verified_by_webcrypto() {
    let mut keyring = Keyring::create("pw", MIN_KDF, 1.7e12).expect("create");
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
    let decision: Value = serde_json::from_str(
        &keyring
            .prepare_create("c1", &create.to_string())
            .expect("prepare"),
    )
    .expect("json");
    assert_eq!(decision["kind"], "needsConsent");
    let made: Value =
        serde_json::from_str(&keyring.finish_create("c1", "", 1.7e12).expect("finish"))
            .expect("json");
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
        let decision: Value = serde_json::from_str(
            &keyring
                .prepare_get(&request_id, &get.to_string())
                .expect("prepare"),
        )
        .expect("json");
        assert_eq!(decision["kind"], "ready");
        let signed: Value =
            serde_json::from_str(&keyring.finish_get(&request_id, 1.7e12).expect("sign"))
                .expect("json");
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
    keyring
        .prepare_get("g3", &get.to_string())
        .expect("prepare");
    let signed: Value =
        serde_json::from_str(&keyring.finish_get("g3", 0.0).expect("sign")).expect("json");
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
    reopened
        .prepare_get("g4", &get.to_string())
        .expect("prepare");
    let signed: Value =
        serde_json::from_str(&reopened.finish_get("g4", 0.0).expect("sign")).expect("json");
    let auth_data = softkey_webauthn::b64::decode(
        signed["result"]["response"]["authenticatorData"]
            .as_str()
            .expect("ad"),
    )
    .expect("b64");
    assert!(auth_data[36] > 3, "continues above every counter issued");

    // Another site's RP ID from an AWS page: SecurityError.
    let evil = json!({"origin": "https://signin.aws.amazon.com", "options": {"challenge": "eA", "rpId": "example.com"}});
    let err = keyring
        .prepare_get("g5", &evil.to_string())
        .expect_err("refused");
    assert_eq!(error_name(&err), "SecurityError");
}
