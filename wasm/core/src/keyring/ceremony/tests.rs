use super::*;
use crate::keyring::Keyring;
use crate::keyring::tests::{caller, create_options, new_keyring, register, sign};
use softkey_webauthn::b64::Base64Url;

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
