use softkey_webauthn::client::Caller;
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};

use super::*;
#[cfg(feature = "json-contents")]
use crate::contents::AutoSubmit;
use crate::rng::seeded;

pub(super) const ORIGIN: &str = "https://signin.aws.amazon.com";

/// A top-level caller at `origin` (shared with the sibling test modules).
pub(super) fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

pub(super) fn create_options() -> CreationOptionsJson {
    creation_options("direct")
}

/// AWS-shaped registration options for alice at amazon.com, asking for `attestation`.
pub(super) fn creation_options(attestation: &str) -> CreationOptionsJson {
    serde_json::from_value(serde_json::json!({
        "rp": {"id": "amazon.com", "name": "Amazon Web Services"},
        "user": {"id": "AAECAwQFBgcICQoLDA0ODw", "name": "alice", "displayName": "alice"},
        "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZQ",
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        "attestation": attestation
    }))
    .expect("options")
}

/// Sign-in options at amazon.com naming credential `id`.
pub(super) fn get_options(id: &str) -> RequestOptionsJson {
    serde_json::from_value(serde_json::json!({
        "challenge": "c2lnbi1pbi1jaGFsbGVuZ2U",
        "rpId": "amazon.com",
        "allowCredentials": [{"type": "public-key", "id": id}]
    }))
    .expect("options")
}

/// A new vault under `correct horse`, drawing from a generator seeded with 1.
pub(super) fn new_keyring() -> (Keyring, Vec<u8>) {
    new_keyring_seeded(1)
}

/// A new vault under `correct horse`, drawing from a generator seeded with `seed`.
pub(super) fn new_keyring_seeded(seed: u64) -> (Keyring, Vec<u8>) {
    Keyring::create_with_rng(
        b"correct horse",
        KdfParams::MIN,
        1_767_225_600_000,
        seeded(seed),
    )
    .expect("create")
}

/// Registers alice's key at amazon.com from the console; its credential ID and the envelope.
pub(super) fn register(keyring: &mut Keyring) -> (String, Vec<u8>) {
    let decision = keyring
        .prepare_create(
            "r1",
            &caller("https://console.aws.amazon.com"),
            &create_options(),
        )
        .expect("prepare");
    assert!(
        matches!(decision, CreateDecision::NeedsConsent { ref rp_id, .. } if rp_id == "amazon.com")
    );
    let aws = AwsContext {
        account: Some("123456789012".into()),
        user: Some("alice".into()),
        arn: None,
        ..AwsContext::default()
    };
    let (response, envelope) = keyring
        .finish_create("r1", aws, Some("work key".into()), 5)
        .expect("finish");
    (response.id, envelope)
}

/// Signs in with `id` as `request`; the counter the site saw and the envelope, if written.
pub(super) fn sign(keyring: &mut Keyring, id: &str, request: &str) -> (u32, Option<Vec<u8>>) {
    match keyring
        .prepare_get(request, &caller(ORIGIN), &get_options(id))
        .expect("prepare get")
    {
        GetDecision::Ready { .. } => {}
        other => panic!("expected Ready, got {other:?}"),
    }
    let (response, envelope) = keyring.finish_get(request, 9).expect("finish get");
    let auth_data = response.response.authenticator_data.0;
    let count = u32::from_be_bytes(auth_data[33..37].try_into().expect("4 bytes"));
    (count, envelope)
}

#[test]
fn wrong_password_and_damaged_vault_have_distinct_names() {
    let (_, envelope) = new_keyring();
    let wrong = Keyring::unlock(&envelope, b"wrong").expect_err("wrong password");
    assert_eq!(wrong.name(), "WrongPassword");
    let mut damaged = envelope.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x40;
    assert_eq!(
        Keyring::unlock(&damaged, b"correct horse")
            .expect_err("damaged")
            .name(),
        "VaultCorrupted"
    );
    assert_eq!(
        Keyring::resume(&envelope, &[0; 32])
            .expect_err("wrong session key")
            .name(),
        "SessionKeyRejected"
    );
}

#[cfg(feature = "json-contents")] // reads JSON (format 1) contents
#[test]
fn a_whole_vault_saved_with_the_single_flag_opens_with_it_for_both_sites() {
    // Seal contents exactly as an older build wrote them (settings of the old shape), then open
    // the envelope as a user would, with the password. Such builds wrote JSON, format 1.
    let (mut keyring, _) = new_keyring();
    let mut contents = serde_json::to_value(keyring.contents()).expect("json");
    contents["format"] = serde_json::json!(1);
    contents["settings"] = serde_json::json!({
        "autoLockMinutes": 15, "attestationFormat": "packed", "autoApproveSignIn": true,
        "autoSubmit": false,
    });
    let plaintext = serde_json::to_vec(&contents).expect("bytes");
    let envelope = keyring
        .vault
        .seal(&plaintext, &mut keyring.rng)
        .expect("seal");
    let old = Keyring::unlock(&envelope, b"correct horse").expect("an old vault opens");
    assert_eq!(
        old.contents().settings.auto_submit,
        AutoSubmit::everywhere(false)
    );
    assert!(old.contents().settings.clear_clipboard);

    // Without the setting at all (a vault from before auto-submit): both on.
    contents["settings"] = serde_json::json!({"autoLockMinutes": 15});
    let plaintext = serde_json::to_vec(&contents).expect("bytes");
    let envelope = keyring
        .vault
        .seal(&plaintext, &mut keyring.rng)
        .expect("seal");
    let older = Keyring::unlock(&envelope, b"correct horse").expect("opens");
    assert_eq!(older.contents().settings.auto_submit, AutoSubmit::default());
    assert_eq!(
        AutoSubmit::default(),
        AutoSubmit {
            aws: true,
            amazon: true
        }
    );
}

#[test]
fn one_seed_makes_the_same_vault_and_keys_and_another_seed_does_not() {
    let run = |seed| {
        let (mut keyring, created) = new_keyring_seeded(seed);
        let (id, registered) = register(&mut keyring);
        (id, created, registered)
    };
    let (id, created, registered) = run(7);
    let again = run(7);
    assert_eq!(id, again.0, "same seed, same credential ID");
    assert_eq!(
        (&created, &registered),
        (&again.1, &again.2),
        "and byte-identical envelopes"
    );
    let other = run(8);
    assert_ne!(id, other.0, "another seed, another credential ID");
    assert_ne!(registered, other.2);
}

/// The decrypted contents of `envelope`.
#[cfg(feature = "json-contents")]
fn plaintext_of(keyring: &Keyring, envelope: &[u8]) -> Vec<u8> {
    let master = MasterKey::from_bytes(&keyring.session_key());
    let (_, plaintext) = UnlockedVault::resume(envelope, &master).expect("opens");
    plaintext.to_vec()
}

#[cfg(feature = "json-contents")] // reads JSON (format 1) contents
#[test]
fn contents_are_cbor_and_a_json_vault_is_rewritten_as_cbor_on_its_next_save() {
    let (mut keyring, envelope) = new_keyring();
    let (id, _) = register(&mut keyring);
    let cbor = plaintext_of(&keyring, &envelope);
    // A CBOR map (major type 5) whose "format" member is 2, as a generic CBOR reader sees it.
    assert_eq!(cbor[0] >> 5, 5, "a CBOR map");
    let value: ciborium::Value = ciborium::from_reader(&cbor[..]).expect("CBOR");
    let format = value
        .as_map()
        .expect("map")
        .iter()
        .find(|(k, _)| k.as_text() == Some("format"))
        .and_then(|(_, v)| v.as_integer());
    assert_eq!(format, Some(2.into()));

    // The same contents as format 1 wrote them: JSON, "format": 1.
    let mut json = serde_json::to_value(keyring.contents()).expect("json");
    json["format"] = serde_json::json!(1);
    let old = keyring
        .vault
        .seal(&serde_json::to_vec(&json).expect("bytes"), &mut keyring.rng)
        .expect("seal");
    let mut opened = Keyring::unlock(&old, b"correct horse").expect("a JSON vault opens");
    assert_eq!(opened.contents().format, CONTENTS_FORMAT);
    assert_eq!(opened.security_keys()[0].label, "work key");
    // Opening writes nothing; the next save writes CBOR, which opens with the same keys.
    let saved = opened
        .update_security_key(&id, Some("renamed".into()), None, None)
        .expect("save");
    assert_eq!(
        plaintext_of(&opened, &saved)[0] >> 5,
        5,
        "rewritten as CBOR"
    );
    let reopened = Keyring::unlock(&saved, b"correct horse").expect("opens");
    assert_eq!(reopened.security_keys()[0].label, "renamed");
    assert_eq!(reopened.security_keys()[0].id, id);
}

#[cfg(feature = "json-contents")] // reads JSON (format 1) contents
#[test]
fn contents_of_an_unknown_format_are_refused_whole_with_a_clear_message() {
    let (mut keyring, _) = new_keyring();
    let mut json = serde_json::to_value(keyring.contents()).expect("json");
    json["format"] = serde_json::json!(3);
    let json_v3 = serde_json::to_vec(&json).expect("bytes");
    // A CBOR map from a future SoftKey, whose other members this version would not know.
    let mut cbor_v3 = Vec::new();
    ciborium::into_writer(
        &ciborium::Value::Map(vec![
            ("format".into(), 3.into()),
            ("somethingNew".into(), ciborium::Value::Bytes(vec![1, 2, 3])),
        ]),
        &mut cbor_v3,
    )
    .expect("cbor");
    // Format 1 was only ever JSON, 2 only ever CBOR.
    let mut cbor_v1 = Vec::new();
    ciborium::into_writer(
        &ciborium::Value::Map(vec![("format".into(), 1.into())]),
        &mut cbor_v1,
    )
    .expect("cbor");
    for (plaintext, format) in [(json_v3, 3), (cbor_v3, 3), (cbor_v1, 1)] {
        let envelope = keyring
            .vault
            .seal(&plaintext, &mut keyring.rng)
            .expect("seal");
        let error = Keyring::unlock(&envelope, b"correct horse").expect_err("refused");
        assert!(
            matches!(error, KeyringError::UnsupportedContents { format: f } if f == format),
            "{error:?}"
        );
        assert_eq!(
            (error.name(), error.kind()),
            ("VaultUnsupported", "vaultUnsupported")
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("format {format}")) && message.contains("update"),
            "{message}"
        );
    }
    // Damaged contents (not an unknown format) stay a contents error.
    let envelope = keyring
        .vault
        .seal(&[0xa1, 0x66], &mut keyring.rng)
        .expect("seal");
    let error = Keyring::unlock(&envelope, b"correct horse").expect_err("refused");
    assert_eq!(error.kind(), "contents", "{error}");
}
