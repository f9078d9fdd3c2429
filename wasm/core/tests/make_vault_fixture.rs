//! Wrote `fixtures/vault-contents-json.*`: a vault as the extension stored it while its
//! contents were JSON (before format 2, CBOR). Run once, at commit 2f966e5, with
//! `cargo test -p softkey-core --test make_vault_fixture -- --ignored`; the committed files are
//! that run's output and must not be regenerated (today's code writes CBOR), so it now writes
//! only when `SOFTKEY_REWRITE_VAULT_FIXTURE=1` is set too. The test in `vault_fixture.rs` opens
//! them.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use serde_json::json;
use softkey_core::keyring::SecretCapture;
use softkey_core::{AutoSubmit, AwsContext, Caller, KdfParams, Keyring, Settings};
use softkey_webauthn::b64;

const PASSWORD: &[u8] = b"fixture password \xc3\xa9";
const APP_ID: &str = "https://u2f.aws.amazon.com/app-id.json";
const NOW_MS: u64 = 1_767_225_600_000;

fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
#[ignore = "writes the committed fixture; run by hand only (see the file's docs)"]
fn write_the_json_vault_fixture() {
    if std::env::var_os("SOFTKEY_REWRITE_VAULT_FIXTURE").is_none() {
        eprintln!("not rewriting the committed fixture (see this file's docs)");
        return;
    }
    let (mut keyring, _) = Keyring::create(PASSWORD, KdfParams::MIN, NOW_MS).expect("create");

    // A WebAuthn security key, registered with AWS context, then used twice.
    let create = serde_json::from_value(json!({
        "rp": {"id": "amazon.com", "name": "Amazon Web Services"},
        "user": {"id": "AAECAwQFBgcICQoLDA0ODw", "name": "alice", "displayName": "Alice"},
        "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZQ",
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        "authenticatorSelection": {"residentKey": "required"},
        "attestation": "direct"
    }))
    .expect("options");
    keyring
        .prepare_create("c1", &caller("https://console.aws.amazon.com"), &create)
        .expect("prepare create");
    let work = AwsContext {
        account: Some("123456789012".into()),
        user: Some("alice".into()),
        arn: Some("arn:aws:iam::123456789012:u2f/user/alice/work-key-ABCDEFGHIJKLMNOP".into()),
        directory: None,
    };
    let (registration, _) = keyring
        .finish_create("c1", work, Some("work key".into()), NOW_MS + 1_000)
        .expect("finish create");
    let webauthn_id = registration.id.clone();
    for n in 0..2 {
        let get = serde_json::from_value(json!({
            "challenge": "c2lnbi1pbi1jaGFsbGVuZ2U",
            "rpId": "amazon.com",
            "allowCredentials": [{"type": "public-key", "id": webauthn_id}]
        }))
        .expect("options");
        let request = format!("g{n}");
        keyring
            .prepare_get(&request, &caller("https://signin.aws.amazon.com"), &get)
            .expect("prepare get");
        keyring
            .finish_get(&request, NOW_MS + 2_000 + n)
            .expect("finish get");
    }
    keyring
        .update_security_key(&webauthn_id, None, None, Some(true))
        .expect("ask before sign-in");

    // A key made through the legacy U2F API.
    let register = serde_json::from_value(json!({
        "appId": APP_ID,
        "registerRequests": [{"version": "U2F_V2", "challenge": "cmVnaXN0ZXItY2hhbGxlbmdl"}],
        "registeredKeys": []
    }))
    .expect("options");
    keyring
        .prepare_u2f_register("u1", &caller("https://console.aws.amazon.com"), &register)
        .expect("prepare u2f");
    let legacy = AwsContext {
        account: Some("210987654321".into()),
        user: Some("bob".into()),
        ..AwsContext::default()
    };
    let (u2f, _) = keyring
        .finish_u2f_register("u1", legacy, Some("legacy key".into()), NOW_MS + 3_000)
        .expect("finish u2f");
    let data = &u2f.registration_data.0;
    let handle_len = usize::from(data[66]);
    let u2f_handle = b64::encode(&data[67..67 + handle_len]);
    let u2f_public_key = hex(&data[1..66]);

    // TOTP: RFC 6238's SHA-1 seed with full AWS context; RFC 6238's SHA-256 seed as a URI with
    // issuer, 8 digits and a 60 s period; an Identity Center capture left unconfirmed.
    let rfc = AwsContext {
        account: Some("123456789012".into()),
        user: Some("carol".into()),
        arn: Some("arn:aws:iam::123456789012:mfa/carol".into()),
        directory: None,
    };
    keyring
        .add_totp(
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            Some("carol's phone".into()),
            rfc,
            NOW_MS + 4_000,
        )
        .expect("add totp");
    keyring
        .add_totp(
            "otpauth://totp/Example%20Corp:dave%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&issuer=Example%20Corp&algorithm=SHA256&digits=8&period=60",
            None,
            AwsContext::default(),
            NOW_MS + 5_000,
        )
        .expect("add uri");
    let capture: SecretCapture = serde_json::from_value(json!({
        "site": "aws",
        "secret": "jbsw y3dp ehpk 3pxp",
        "deviceName": "erin-laptop"
    }))
    .expect("capture");
    keyring
        .add_captured_secret(
            &capture,
            AwsContext {
                directory: Some("d-1234567890".into()),
                user: Some("erin".into()),
                ..AwsContext::default()
            },
            NOW_MS + 6_000,
        )
        .expect("capture");

    let envelope = keyring
        .set_settings(Settings {
            auto_lock_minutes: 5,
            attestation_format: "fido-u2f".into(),
            auto_approve_sign_in: false,
            auto_submit: AutoSubmit {
                aws: false,
                amazon: true,
            },
            clear_clipboard: false,
            clear_clipboard_seconds: 45,
        })
        .expect("settings");

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    std::fs::write(format!("{dir}/vault-contents-json.bin"), &envelope).expect("write envelope");
    let facts = json!({
        "password": String::from_utf8(PASSWORD.to_vec()).expect("utf8"),
        "webauthnCredentialId": webauthn_id,
        "webauthnPublicKeySpki": hex(&registration.response.public_key.0),
        "signaturesGiven": 2,
        "u2fKeyHandle": u2f_handle,
        "u2fPublicKeySec1": u2f_public_key,
        "appId": APP_ID,
    });
    std::fs::write(
        format!("{dir}/vault-contents-json.facts.json"),
        serde_json::to_string_pretty(&facts).expect("json") + "\n",
    )
    .expect("write facts");
}
