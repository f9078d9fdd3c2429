use super::*;
use crate::keyring::tests::new_keyring;

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
fn a_captured_entry_stays_unconfirmed_until_the_site_accepts_it_across_sealing() {
    let (mut keyring, _) = new_keyring();
    let uri = "otpauth://totp/Amazon%20Web%20Services:phone@210987654321?secret=JBSWY3DPEHPK3PXP";
    let (code, envelope) = keyring
        .add_captured_totp(uri, None, AwsContext::default(), 0)
        .expect("capture");
    let envelope = envelope.expect("a new entry is written");
    assert!(code.unconfirmed);
    assert_eq!(
        code.owner,
        Some(crate::mfa_match::Owner::Account("210987654321".into()))
    );
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
