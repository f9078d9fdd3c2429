//! A vault written by SoftKey before its contents were CBOR (`fixtures/README.md`) opens with
//! every field intact, still signs with its keys (checked with an independent P-256 verifier
//! against the public keys the relying parties were given) and still gives the TOTP codes
//! oathtool gives; its next save writes CBOR, which opens the same way. The same vault as an
//! older build saved it in CBOR opens the same way too, also in builds without the JSON reader
//! (the sign-in module's).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use softkey_core::{AutoSubmit, AwsContext, Caller, Keyring, Settings};
use softkey_vault::{MasterKey, UnlockedVault};

const NOW_MS: u64 = 1_767_225_600_000;

/// The envelope `name` and the facts of the vault it holds (both fixtures hold the same vault).
fn fixture(name: &str) -> (Vec<u8>, Value) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let envelope = std::fs::read(format!("{dir}/{name}")).expect("envelope");
    let facts =
        std::fs::read_to_string(format!("{dir}/vault-contents-json.facts.json")).expect("facts");
    (envelope, serde_json::from_str(&facts).expect("facts JSON"))
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

fn plaintext(keyring: &Keyring, envelope: &[u8]) -> Vec<u8> {
    let master = MasterKey::from_bytes(&keyring.session_key());
    UnlockedVault::resume(envelope, &master)
        .expect("opens")
        .1
        .to_vec()
}

/// Every field the generator wrote; the key last signed at `last_used_ms`.
fn check_fields(keyring: &Keyring, facts: &Value, last_used_ms: u64) {
    let keys = keyring.security_keys();
    assert_eq!(keys.len(), 2);
    let work = &keys[0];
    assert_eq!(work.id, facts["webauthnCredentialId"]);
    assert_eq!(work.rp_id, "amazon.com");
    assert_eq!(work.label, "work key");
    assert_eq!(work.user_name.as_deref(), Some("alice"));
    assert_eq!(
        work.aws,
        AwsContext {
            account: Some("123456789012".into()),
            user: Some("alice".into()),
            arn: Some("arn:aws:iam::123456789012:u2f/user/alice/work-key-ABCDEFGHIJKLMNOP".into()),
            directory: None,
        }
    );
    assert!(work.discoverable);
    assert!(work.ask_before_sign_in);
    assert!(!work.made_with_u2f);
    assert_eq!(work.created_ms, NOW_MS + 1_000);
    assert_eq!(work.last_used_ms, Some(last_used_ms));
    assert!(work.sign_count >= 2, "{}", work.sign_count);
    let record = keyring.security_key_record(&work.id).expect("record");
    let user = record.user.expect("a discoverable key keeps its user");
    assert_eq!(
        (user.name.as_str(), user.display_name.as_str()),
        ("alice", "Alice")
    );
    assert_eq!(user.id.0, (0u8..16).collect::<Vec<_>>());
    assert_eq!(record.rp_id_hash.0, Sha256::digest(b"amazon.com").to_vec());

    let legacy = &keys[1];
    assert_eq!(legacy.id, facts["u2fKeyHandle"]);
    assert_eq!(legacy.rp_id, facts["appId"]);
    assert_eq!(legacy.label, "legacy key");
    assert!(legacy.made_with_u2f);
    assert!(!legacy.ask_before_sign_in);
    assert_eq!(legacy.created_ms, NOW_MS + 3_000);
    assert_eq!(legacy.aws.account.as_deref(), Some("210987654321"));
    assert_eq!(legacy.aws.user.as_deref(), Some("bob"));

    let totp = &keyring.contents().totp;
    assert_eq!(totp.len(), 3);
    let [rfc_sha1, rfc_sha256, captured] = [&totp[0], &totp[1], &totp[2]];
    assert_eq!(rfc_sha1.label, "carol's phone");
    assert_eq!(rfc_sha1.created_ms, NOW_MS + 4_000);
    assert_eq!(
        rfc_sha1.aws,
        AwsContext {
            account: Some("123456789012".into()),
            user: Some("carol".into()),
            arn: Some("arn:aws:iam::123456789012:mfa/carol".into()),
            directory: None,
        }
    );
    assert!(!rfc_sha1.unconfirmed);
    assert_eq!(rfc_sha256.label, "Example Corp: dave@example.com");
    assert_eq!(rfc_sha256.otp.issuer.as_deref(), Some("Example Corp"));
    assert_eq!(rfc_sha256.otp.account, "dave@example.com");
    assert_eq!(rfc_sha256.aws, AwsContext::default());
    assert_eq!(captured.label, "erin-laptop (Identity Center d-1234567890)");
    assert_eq!(
        captured.otp.issuer.as_deref(),
        Some("AWS IAM Identity Center")
    );
    assert_eq!(captured.aws.directory.as_deref(), Some("d-1234567890"));
    assert_eq!(captured.aws.user.as_deref(), Some("erin"));
    assert!(captured.unconfirmed);

    // Codes from oathtool (`oathtool --totp[=sha256] -d D -s S -b SECRET -N @T`): RFC 6238's
    // seeds give RFC 6238's values.
    let codes = |t: u64| keyring.totp_codes(t * 1000).expect("codes");
    assert_eq!(codes(59)[0].code, "287082");
    assert_eq!(codes(119)[1].code, "46119246");
    assert_eq!(codes(119)[1].period, Some(60));
    assert_eq!(codes(60)[2].code, "602287");

    assert_eq!(
        keyring.contents().settings,
        Settings {
            auto_lock_minutes: 5,
            attestation_format: "fido-u2f".into(),
            auto_approve_sign_in: false,
            auto_submit: AutoSubmit {
                aws: false,
                amazon: true,
            },
            clear_clipboard: false,
            clear_clipboard_seconds: 45,
        }
    );
}

/// Signs with both keys; each signature verifies under the public key the relying party got
/// at registration, and each counter is above every one given before.
fn check_keys_sign(keyring: &mut Keyring, facts: &Value, request: &str) {
    let id = facts["webauthnCredentialId"].as_str().expect("id");
    let get = serde_json::from_value(json!({
        "challenge": "Zml4dHVyZS1jaGFsbGVuZ2U",
        "rpId": "amazon.com",
        "allowCredentials": [{"type": "public-key", "id": id}]
    }))
    .expect("options");
    keyring
        .prepare_get(request, &caller("https://signin.aws.amazon.com"), &get)
        .expect("prepare get");
    let (response, _) = keyring.finish_get(request, NOW_MS + 9_000).expect("sign");
    let auth_data = &response.response.authenticator_data.0;
    let mut signed = auth_data.clone();
    signed.extend_from_slice(&Sha256::digest(&response.response.client_data_json.0));
    let spki = unhex(facts["webauthnPublicKeySpki"].as_str().expect("spki"));
    let key = VerifyingKey::from_public_key_der(&spki).expect("SPKI");
    let signature = Signature::from_der(&response.response.signature.0).expect("DER");
    key.verify(&signed, &signature)
        .expect("the WebAuthn key survived");
    let counter = u32::from_be_bytes(auth_data[33..37].try_into().expect("4 bytes"));
    assert!(counter > 2, "{counter}");

    let handle = facts["u2fKeyHandle"].as_str().expect("handle");
    let app_id = facts["appId"].as_str().expect("app id");
    let sign = serde_json::from_value(json!({
        "appId": app_id,
        "challenge": "dTJmLWZpeHR1cmU",
        "registeredKeys": [{"version": "U2F_V2", "keyHandle": handle}],
    }))
    .expect("options");
    let u2f_request = format!("{request}-u2f");
    keyring
        .prepare_u2f_sign(
            &u2f_request,
            &caller("https://signin.aws.amazon.com"),
            &sign,
        )
        .expect("prepare u2f");
    let (response, _) = keyring
        .finish_u2f_sign(&u2f_request, NOW_MS + 9_000)
        .expect("u2f sign");
    // Raw messages §5.4: the signature covers application parameter, presence, counter and
    // challenge parameter.
    let data = &response.signature_data.0;
    let mut signed = Sha256::digest(app_id.as_bytes()).to_vec();
    signed.extend_from_slice(&data[..5]);
    signed.extend_from_slice(&Sha256::digest(&response.client_data.0));
    let sec1 = unhex(facts["u2fPublicKeySec1"].as_str().expect("sec1"));
    let key = VerifyingKey::from_sec1_bytes(&sec1).expect("SEC1");
    let signature = Signature::from_der(&data[5..]).expect("DER");
    key.verify(&signed, &signature)
        .expect("the U2F key survived");
}

#[test]
fn a_vault_with_cbor_contents_written_by_an_older_build_opens_whole() {
    let (envelope, facts) = fixture("vault-contents-cbor.bin");
    let password = facts["password"].as_str().expect("password").as_bytes();
    let mut keyring = Keyring::unlock(&envelope, password).expect("the saved vault opens");
    assert_eq!(plaintext(&keyring, &envelope)[0] >> 5, 5, "CBOR map");
    check_fields(&keyring, &facts, NOW_MS + 2_001);
    check_keys_sign(&mut keyring, &facts, "c1");
    let saved = keyring.seal().expect("save");
    let resumed = Keyring::resume(&saved, &*keyring.session_key()).expect("resumes");
    check_fields(&resumed, &facts, NOW_MS + 9_000);
}

#[cfg(feature = "json-contents")]
#[test]
fn a_vault_with_json_contents_opens_whole_and_is_saved_as_cbor() {
    let (envelope, facts) = fixture("vault-contents-json.bin");
    let password = facts["password"].as_str().expect("password").as_bytes();
    assert_eq!(
        plaintext(
            &Keyring::unlock(&envelope, password).expect("opens"),
            &envelope
        )[0],
        b'{',
        "the fixture holds JSON"
    );
    let mut keyring = Keyring::unlock(&envelope, password).expect("the old vault opens");
    check_fields(&keyring, &facts, NOW_MS + 2_001);
    check_keys_sign(&mut keyring, &facts, "g1");

    // The next save writes CBOR (a map, major type 5), which opens with the password and with
    // the session key, all fields intact.
    let saved = keyring.seal().expect("save");
    assert_eq!(plaintext(&keyring, &saved)[0] >> 5, 5, "CBOR map");
    let mut reopened = Keyring::unlock(&saved, password).expect("CBOR opens");
    check_fields(&reopened, &facts, NOW_MS + 9_000);
    check_keys_sign(&mut reopened, &facts, "g2");
    let resumed = Keyring::resume(&saved, &*keyring.session_key()).expect("resumes");
    check_fields(&resumed, &facts, NOW_MS + 9_000);
    assert!(Keyring::unlock(&saved, b"wrong").is_err());
}

#[cfg(feature = "json-contents")]
#[test]
fn migrate_rewrites_the_json_vault_as_cbor_under_the_same_password_and_session_key() {
    use softkey_core::VaultOpener;
    let (envelope, facts) = fixture("vault-contents-json.bin");
    let password = facts["password"].as_str().expect("password").as_bytes();
    let session_key = Keyring::unlock(&envelope, password)
        .expect("opens")
        .session_key();
    for opener in [
        VaultOpener::Password(password),
        VaultOpener::SessionKey(&*session_key),
    ] {
        let migrated = Keyring::migrate(&envelope, opener).expect("migrates");
        let keyring = Keyring::resume(&migrated, &*session_key).expect("the same session key");
        assert_eq!(plaintext(&keyring, &migrated)[0] >> 5, 5, "CBOR map");
        check_fields(&keyring, &facts, NOW_MS + 2_001);
        let mut unlocked = Keyring::unlock(&migrated, password).expect("the same password");
        check_keys_sign(&mut unlocked, &facts, "m1");
    }
    assert!(Keyring::migrate(&envelope, VaultOpener::Password(b"wrong")).is_err());
}
