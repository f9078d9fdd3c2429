use super::*;
use crate::keyring::GetDecision;
use crate::keyring::tests::{ORIGIN, caller, get_options, new_keyring, register, sign};

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
fn a_new_key_is_named_after_the_site_and_whose_it_is_leaving_out_what_the_page_did_not_show() {
    use super::default_key_label;
    let aws = |user: Option<&str>, account: Option<&str>, directory: Option<&str>| AwsContext {
        user: user.map(Into::into),
        account: account.map(Into::into),
        directory: directory.map(Into::into),
        ..AwsContext::default()
    };
    assert_eq!(
        default_key_label(
            "amazon.com",
            &aws(Some("alice"), Some("123456789012"), None)
        ),
        "amazon.com · alice · 123456789012"
    );
    assert_eq!(
        default_key_label("signin.aws", &aws(Some("erin"), None, Some("d-1234567890"))),
        "signin.aws · erin · d-1234567890"
    );
    assert_eq!(
        default_key_label("amazon.com", &aws(None, Some(" "), None)),
        "amazon.com"
    );
}
