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

#[test]
fn counters_reserved_at_opening_cover_the_first_signatures_as_their_own_write_would() {
    let (mut keyring, _) = new_keyring();
    assert!(
        keyring.reserve_counters().expect("reserve").is_none(),
        "no key: nothing to store"
    );
    let (id, _) = register(&mut keyring);
    let (_, envelope) = sign(&mut keyring, &id, "g1");
    let stored = envelope.expect("the first counter passes the stored ceiling: written");
    let session_key = keyring.session_key();
    let resume =
        |envelope: &[u8]| Keyring::resume(envelope, session_key.as_slice()).expect("resume");
    let ceiling = |envelope: &[u8]| {
        resume(envelope).contents().security_keys[0]
            .record
            .sign_count
    };

    // A restarted worker as before: the first signature writes the new reservation itself.
    let mut unreserved = resume(&stored);
    let (unreserved_count, unreserved_envelope) = sign(&mut unreserved, &id, "u");
    let unreserved_envelope =
        unreserved_envelope.expect("the first signature after opening writes");

    // Reserved at opening: the same ceiling stored, the same counter given, no write of its own.
    let mut reserved = resume(&stored);
    let reservation = reserved
        .reserve_counters()
        .expect("reserve")
        .expect("a key to reserve for");
    assert!(
        reserved.reserve_counters().expect("again").is_none(),
        "a key that has its reservation gets no second one"
    );
    assert_eq!(ceiling(&reservation), ceiling(&unreserved_envelope));
    assert!(ceiling(&reservation) > ceiling(&stored));
    let (count, own) = sign(&mut reserved, &id, "r1");
    assert_eq!(count, unreserved_count);
    assert!(
        count > ceiling(&stored),
        "{count} repeats a counter below the old ceiling"
    );
    assert!(own.is_none(), "the reservation already covers it");

    // The reservation lasts as long as one written by a signature, then the next one writes.
    let mut last = count;
    let mut next_write = None;
    for n in 0..crate::contents::COUNTER_RESERVE {
        let (count, envelope) = sign(&mut reserved, &id, &format!("r{}", n + 2));
        assert_eq!(count, last + 1);
        last = count;
        if let Some(envelope) = envelope {
            assert!(count > ceiling(&reservation));
            next_write = Some(envelope);
            break;
        }
        assert!(
            count <= ceiling(&reservation),
            "{count} above the stored reservation"
        );
    }
    assert!(next_write.is_some(), "the reservation never ran out");

    // "Crash" with only the reservation stored (the signature that passed it never left): counting
    // resumes above every value given within it.
    let mut after_crash = resume(&reservation);
    assert!(sign(&mut after_crash, &id, "c").0 > ceiling(&reservation));
}
