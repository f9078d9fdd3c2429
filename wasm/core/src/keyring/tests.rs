use super::*;
use crate::contents::AutoSubmit;

const ORIGIN: &str = "https://signin.aws.amazon.com";

/// A top-level caller at `origin` (shared with the sibling test modules).
pub(super) fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

fn create_options() -> CreationOptionsJson {
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

fn new_keyring() -> (Keyring, Vec<u8>) {
    Keyring::create(b"correct horse", KdfParams::MIN, 1_767_225_600_000).expect("create")
}

fn register(keyring: &mut Keyring) -> (String, Vec<u8>) {
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

fn sign(keyring: &mut Keyring, id: &str, request: &str) -> (u32, Option<Vec<u8>>) {
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
fn counters_and_keys_survive_sealing_and_reopening() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    let (first, envelope) = sign(&mut keyring, &id, "g1");
    let (second, _) = sign(&mut keyring, &id, "g2");
    assert_eq!((first, second), (1, 2));
    let envelope = envelope.expect("the first counter passes the stored ceiling: written");

    // Reopened with the password, and with the session key: the counter continues above
    // everything issued.
    let mut reopened = Keyring::unlock(&envelope, b"correct horse").expect("unlock");
    let summary = &reopened.security_keys()[0];
    assert_eq!(summary.label, "work key");
    assert_eq!(summary.aws.account.as_deref(), Some("123456789012"));
    assert_eq!(summary.last_used_ms, Some(9));
    assert!(sign(&mut reopened, &id, "g3").0 > second);
    let session_key = keyring.session_key();
    let mut resumed = Keyring::resume(&envelope, session_key.as_slice()).expect("resume");
    assert!(sign(&mut resumed, &id, "g4").0 > second);
}

#[test]
fn most_assertions_need_no_write_and_counters_never_repeat_after_a_crash() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    let mut stored = None;
    let mut writes = 0;
    let mut last = 0;
    for n in 0..40 {
        let (count, envelope) = sign(&mut keyring, &id, &format!("g{n}"));
        assert_eq!(count, last + 1, "consecutive within one session");
        last = count;
        if let Some(envelope) = envelope {
            writes += 1;
            stored = Some(envelope);
        }
    }
    assert_eq!(
        writes,
        3,
        "one write per {} assertions",
        crate::contents::COUNTER_RESERVE
    );
    // "Crash": drop the keyring and reopen the last stored envelope. Every counter a site saw
    // (up to `last`) is below what comes next.
    let mut reopened =
        Keyring::unlock(&stored.expect("written"), b"correct horse").expect("unlock");
    let (after_crash, envelope) = sign(&mut reopened, &id, "after");
    assert!(after_crash > last, "{after_crash} must exceed {last}");
    assert!(
        envelope.is_some(),
        "the first assertion after opening always writes"
    );
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

#[test]
fn a_deleted_key_no_longer_signs_and_requests_are_single_use() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    let _ = sign(&mut keyring, &id, "g1");
    assert_eq!(
        keyring.finish_get("g1", 0).expect_err("reused").name(),
        "UnknownRequest"
    );
    keyring.delete_security_key(&id).expect("delete");
    let decision = keyring
        .prepare_get("g2", &caller(ORIGIN), &get_options(&id))
        .expect("prepare");
    assert!(
        matches!(decision, GetDecision::NotOurs { .. }),
        "{decision:?}"
    );
    assert_eq!(
        keyring.delete_security_key(&id).expect_err("gone").name(),
        "NotFound"
    );
}

#[test]
fn asking_before_sign_in_is_a_per_key_choice_that_persists() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    assert!(!keyring.security_keys()[0].ask_before_sign_in);
    let envelope = keyring
        .update_security_key(&id, None, None, Some(true))
        .expect("update");
    let reopened = Keyring::unlock(&envelope, b"correct horse").expect("unlock");
    let key = &reopened.security_keys()[0];
    assert!(key.ask_before_sign_in);
    assert_eq!(key.label, "work key", "other fields untouched");
    let err = keyring
        .update_security_key(&id, Some("  ".into()), None, Some(false))
        .expect_err("empty name");
    assert_eq!(err.name(), "BadRequest");
    assert!(
        keyring.security_keys()[0].ask_before_sign_in,
        "a refused edit changes nothing"
    );
}

#[test]
fn registering_twice_for_the_same_account_is_refused() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    let mut options = create_options();
    options.exclude_credentials = vec![softkey_webauthn::json::DescriptorJson {
        kind: "public-key".into(),
        id: Base64Url(b64::decode(&id).expect("b64")),
        transports: None,
    }];
    let err = keyring
        .prepare_create("r2", &caller("https://console.aws.amazon.com"), &options)
        .expect_err("excluded");
    assert_eq!(err.name(), "InvalidStateError");
}

#[test]
fn bad_totp_input_changes_nothing_and_good_input_gives_codes() {
    let (mut keyring, _) = new_keyring();
    for bad in [
        "otpauth://motp/x?secret=JBSWY3DPEHPK3PXP",
        "otpauth://totp/x?secret=JBSWY3DP1",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=12",
        "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=0",
        "not base32 !",
        "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1",
    ] {
        let err = keyring
            .add_totp(bad, None, AwsContext::default(), 0)
            .expect_err(bad);
        assert_eq!(err.name(), "InvalidEntry", "{bad}: {err}");
        assert!(keyring.contents().totp.is_empty());
    }
    let hotp = keyring
        .add_totp(
            "otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1",
            None,
            AwsContext::default(),
            0,
        )
        .expect_err("hotp");
    assert!(
        hotp.to_string()
            .starts_with("unsupported otpauth type 'hotp'"),
        "{hotp}"
    );
    // RFC 6238 Appendix B: SHA-1, T = 59 s gives 94287082 (8 digits).
    let uri = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=Example";
    let (code, envelope) = keyring
        .add_totp(uri, None, AwsContext::default(), 59_000)
        .expect("add");
    assert_eq!(code.code, "94287082");
    assert_eq!(code.label, "Example: alice");
    let first_id = code.id.clone();
    assert!(
        matches!(
            keyring.add_totp(uri, None, AwsContext::default(), 0),
            Err(KeyringError::DuplicateEntry(ref id)) if *id == first_id
        ),
        "duplicate refused, naming the stored entry"
    );
    // JS branches on the kind, never on the sentence.
    let duplicate = keyring
        .add_totp(uri, None, AwsContext::default(), 0)
        .expect_err("duplicate");
    assert_eq!(
        (duplicate.kind(), duplicate.name()),
        ("duplicate", "DuplicateEntry")
    );
    let invalid = keyring
        .add_totp(
            "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQ&counter=1",
            None,
            AwsContext::default(),
            0,
        )
        .expect_err("hotp");
    assert_eq!(invalid.kind(), "invalidEntry");
    // Captured again: the stored entry answers and nothing is written.
    let (again, envelope_again) = keyring
        .add_captured_totp(uri, None, AwsContext::default(), 59_000)
        .expect("captured again");
    assert_eq!(
        (again.id.as_str(), envelope_again),
        (first_id.as_str(), None)
    );
    let reopened = Keyring::unlock(&envelope, b"correct horse").expect("unlock");
    assert_eq!(
        reopened.totp_codes(59_000).expect("codes")[0].code,
        "94287082"
    );
}

#[test]
fn settings_are_validated() {
    let (mut keyring, _) = new_keyring();
    let settings = Settings {
        attestation_format: "none".into(),
        ..Settings::default()
    };
    assert_eq!(
        keyring.set_settings(settings).expect_err("none").name(),
        "BadRequest"
    );
    let settings = Settings {
        attestation_format: "fido-u2f".into(),
        ..Settings::default()
    };
    keyring.set_settings(settings).expect("fido-u2f is fine");
    for (seconds, ok) in [(2, false), (3, true), (30, true), (600, true), (601, false)] {
        let settings = Settings {
            clear_clipboard_seconds: seconds,
            ..Settings::default()
        };
        assert_eq!(keyring.set_settings(settings).is_ok(), ok, "{seconds} s");
    }
}

#[test]
fn settings_from_an_older_vault_get_the_clipboard_defaults() {
    // A vault written before the clipboard settings existed: both take their defaults.
    let old = r#"{"autoLockMinutes":5,"attestationFormat":"fido-u2f","autoApproveSignIn":false,"autoSubmit":true}"#;
    let settings: Settings = serde_json::from_str(old).expect("old settings");
    assert_eq!(settings.auto_lock_minutes, 5);
    assert!(settings.clear_clipboard);
    assert_eq!(settings.clear_clipboard_seconds, 30);
}

#[test]
fn auto_submit_is_per_site_and_on_by_default() {
    let (mut keyring, _) = new_keyring();
    assert_eq!(
        keyring.contents().settings.auto_submit,
        AutoSubmit {
            aws: true,
            amazon: true
        }
    );
    let settings = Settings {
        auto_submit: AutoSubmit {
            aws: false,
            amazon: true,
        },
        ..Settings::default()
    };
    let envelope = keyring.set_settings(settings).expect("set");
    let reopened = Keyring::unlock(&envelope, b"correct horse").expect("unlock");
    let stored = &reopened.contents().settings.auto_submit;
    assert!(!stored.aws);
    assert!(stored.amazon);
    // The stored shape, as the service worker and the popup read it.
    let json = serde_json::to_value(&reopened.contents().settings).expect("json");
    assert_eq!(
        json["autoSubmit"],
        serde_json::json!({"aws": false, "amazon": true})
    );
}

#[test]
fn auto_submit_from_the_single_flag_of_older_vaults() {
    // Before it was per site, one flag applied to both sites.
    for (old, aws, amazon) in [
        (
            r#"{"autoLockMinutes":15,"attestationFormat":"packed","autoApproveSignIn":true,"autoSubmit":false}"#,
            false,
            false,
        ),
        (r#"{"autoSubmit":true}"#, true, true),
        // Written before auto-submit existed at all.
        (r#"{"autoLockMinutes":5}"#, true, true),
        // The per-site form, a site missing: on.
        (r#"{"autoSubmit":{"amazon":false}}"#, true, false),
        (r#"{"autoSubmit":{"aws":false}}"#, false, true),
        (r#"{"autoSubmit":{}}"#, true, true),
        // A field some later version might add is ignored.
        (
            r#"{"autoSubmit":{"aws":true,"amazon":false,"elsewhere":7}}"#,
            true,
            false,
        ),
    ] {
        let settings: Settings = serde_json::from_str(old).expect(old);
        assert_eq!(settings.auto_submit, AutoSubmit { aws, amazon }, "{old}");
    }
    for bad in [
        r#"{"autoSubmit":null}"#,
        r#"{"autoSubmit":"yes"}"#,
        r#"{"autoSubmit":1}"#,
        r#"{"autoSubmit":{"aws":"no"}}"#,
    ] {
        let error = serde_json::from_str::<Settings>(bad).expect_err(bad);
        assert!(error.to_string().contains("invalid type"), "{bad}: {error}");
    }
}

#[test]
fn a_whole_vault_saved_with_the_single_flag_opens_with_it_for_both_sites() {
    // Seal contents exactly as an older build wrote them (settings of the old shape), then open
    // the envelope as a user would, with the password.
    let (mut keyring, _) = new_keyring();
    let mut contents = serde_json::to_value(keyring.contents()).expect("json");
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
fn a_captured_entry_stays_unconfirmed_until_the_site_accepts_it_across_sealing() {
    let (mut keyring, _) = new_keyring();
    let uri = "otpauth://totp/Amazon%20Web%20Services:phone@210987654321?secret=JBSWY3DPEHPK3PXP";
    let (code, envelope) = keyring
        .add_captured_totp(uri, None, AwsContext::default(), 0)
        .expect("capture");
    let envelope = envelope.expect("a new entry is written");
    assert!(code.unconfirmed);
    assert_eq!(code.owner.as_deref(), Some("210987654321"));
    let session = keyring.session_key();
    let reopened = Keyring::resume(&envelope, &*session).expect("resume");
    assert!(reopened.totp_codes(0).expect("codes")[0].unconfirmed);
    let envelope = keyring.confirm_totp(&code.id).expect("confirm");
    let reopened = Keyring::resume(&envelope, &*session).expect("resume");
    assert!(!reopened.totp_codes(0).expect("codes")[0].unconfirmed);
    assert!(matches!(
        keyring.confirm_totp("nope"),
        Err(KeyringError::NotFound(_))
    ));
}

#[test]
fn a_chosen_entry_remembers_the_user_once_and_persists_it() {
    let (mut keyring, _) = new_keyring();
    let uri = "otpauth://totp/Amazon%20Web%20Services:phone@210987654321?secret=JBSWY3DPEHPK3PXP";
    let (code, _) = keyring
        .add_totp(uri, None, AwsContext::default(), 0)
        .expect("add");
    let query = crate::mfa_match::MfaQuery {
        account: Some("210987654321".into()),
        user: Some("carol".into()),
        ..Default::default()
    };
    let envelope = keyring
        .remember_mfa_choice(&code.id, &query)
        .expect("remember")
        .expect("a write");
    let reopened = Keyring::resume(&envelope, &*keyring.session_key()).expect("resume");
    assert_eq!(
        reopened.totp_codes(0).expect("codes")[0]
            .aws
            .user
            .as_deref(),
        Some("carol")
    );
    // Learned once: the second time there is nothing to write.
    assert_eq!(
        keyring
            .remember_mfa_choice(&code.id, &query)
            .expect("again"),
        None
    );
}

fn prepare(keyring: &mut Keyring, id: &str, request: &str) -> Result<(), KeyringError> {
    keyring
        .prepare_get(request, &caller(ORIGIN), &get_options(id))
        .map(|decision| {
            assert!(
                matches!(decision, GetDecision::Ready { .. }),
                "{decision:?}"
            )
        })
}

#[test]
fn a_tab_over_its_cap_is_refused_and_never_evicts_another_tabs_request() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    // Tab 1 waits (a consent window, say); tab 2 then fills its own allowance.
    prepare(&mut keyring, &id, "1.1.waiting").expect("tab 1");
    for n in 0..MAX_PENDING_PER_CALLER {
        prepare(&mut keyring, &id, &format!("2.1.r{n:03}")).expect("within the cap");
    }
    let refused = prepare(&mut keyring, &id, "2.1.one-too-many").expect_err("over the cap");
    assert_eq!(refused.name(), "NotAllowedError");
    assert!(matches!(refused, KeyringError::TooManyPending { ref caller } if caller == "2"));
    // Nothing was pushed out: tab 1's request and every one of tab 2's still finish.
    keyring
        .finish_get("1.1.waiting", 1)
        .expect("tab 1 still pending");
    for n in 0..MAX_PENDING_PER_CALLER {
        keyring
            .finish_get(&format!("2.1.r{n:03}"), 1)
            .expect("still pending");
    }
    // Finished requests free their places.
    prepare(&mut keyring, &id, "2.1.again").expect("room again");
}

#[test]
fn a_cancelled_request_frees_its_place_and_a_repeated_id_takes_none() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    for n in 0..MAX_PENDING_PER_CALLER {
        prepare(&mut keyring, &id, &format!("7.1.r{n}")).expect("within the cap");
    }
    // Preparing a pending id again replaces it rather than taking another place.
    prepare(&mut keyring, &id, "7.1.r0").expect("same id");
    assert!(prepare(&mut keyring, &id, "7.1.new").is_err());
    keyring.cancel("7.1.r3");
    prepare(&mut keyring, &id, "7.1.new").expect("a place was freed");
    assert_eq!(
        keyring
            .finish_get("7.1.r3", 1)
            .expect_err("cancelled")
            .name(),
        "UnknownRequest"
    );
}

#[test]
fn all_callers_together_are_bounded_too() {
    let (mut keyring, _) = new_keyring();
    let (id, _) = register(&mut keyring);
    for n in 0..MAX_PENDING {
        prepare(&mut keyring, &id, &format!("{n}.1.r")).expect("one per caller");
    }
    let refused = prepare(&mut keyring, &id, "fresh.1.r").expect_err("over the total");
    assert_eq!(refused.name(), "NotAllowedError");
    keyring
        .finish_get("0.1.r", 1)
        .expect("the first is still pending");
}
