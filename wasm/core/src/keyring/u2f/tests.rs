use softkey_webauthn::b64;
use softkey_webauthn::json::RequestOptionsJson;

use super::*;
use crate::KeyringError;
use crate::keyring::GetDecision;
use crate::keyring::tests::new_keyring;

const APP_ID: &str = "https://u2f.aws.amazon.com/app-id.json";

fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

fn register_options(registered: &[&str]) -> U2fRegisterOptionsJson {
    serde_json::from_value(serde_json::json!({
        "appId": APP_ID,
        "registerRequests": [{"version": "U2F_V2", "challenge": "cmVnaXN0ZXItY2hhbGxlbmdl"}],
        "registeredKeys": registered.iter()
            .map(|h| serde_json::json!({"version": "U2F_V2", "keyHandle": h}))
            .collect::<Vec<_>>(),
    }))
    .expect("options")
}

fn sign_options(handle: &str) -> U2fSignOptionsJson {
    serde_json::from_value(serde_json::json!({
        "appId": APP_ID,
        "challenge": "c2lnbi1jaGFsbGVuZ2U",
        "registeredKeys": [{"version": "U2F_V2", "keyHandle": handle}],
    }))
    .expect("options")
}

fn webauthn_get_with_appid(handle: &str) -> RequestOptionsJson {
    serde_json::from_value(serde_json::json!({
        "challenge": "d2ViYXV0aG4tY2hhbGxlbmdl",
        "rpId": "amazon.com",
        "allowCredentials": [{"type": "public-key", "id": handle}],
        "extensions": {"appid": APP_ID},
    }))
    .expect("options")
}

fn register(keyring: &mut Keyring) -> (String, Vec<u8>) {
    let decision = keyring
        .prepare_u2f_register(
            "u1",
            &caller("https://console.aws.amazon.com"),
            &register_options(&[]),
        )
        .expect("prepare");
    assert_eq!(decision.app_id, APP_ID);
    let aws = AwsContext {
        account: Some("123456789012".into()),
        user: Some("alice".into()),
        arn: None,
        ..AwsContext::default()
    };
    let (response, envelope) = keyring
        .finish_u2f_register("u1", aws, Some(" legacy key ".into()), 7)
        .expect("finish");
    let data = response.registration_data.0;
    let len = usize::from(data[66]);
    (b64::encode(&data[67..67 + len]), envelope)
}

fn u2f_counter(keyring: &mut Keyring, handle: &str, request: &str) -> (u32, Option<Vec<u8>>) {
    keyring
        .prepare_u2f_sign(
            request,
            &caller("https://signin.aws.amazon.com"),
            &sign_options(handle),
        )
        .expect("prepare sign");
    let (response, envelope) = keyring.finish_u2f_sign(request, 11).expect("finish sign");
    assert_eq!(response.key_handle, handle);
    let data = response.signature_data.0;
    (
        u32::from_be_bytes(data[1..5].try_into().expect("4 bytes")),
        envelope,
    )
}

fn webauthn_counter(keyring: &mut Keyring, handle: &str, request: &str) -> u32 {
    let decision = keyring
        .prepare_get(
            request,
            &caller("https://signin.aws.amazon.com"),
            &webauthn_get_with_appid(handle),
        )
        .expect("prepare get");
    assert!(
        matches!(decision, GetDecision::Ready { .. }),
        "{decision:?}"
    );
    let (response, _) = keyring.finish_get(request, 12).expect("finish get");
    assert_eq!(response.client_extension_results.appid, Some(true));
    let auth_data = response.response.authenticator_data.0;
    assert_eq!(
        auth_data[..32],
        softkey_webauthn::authenticator::rp_id_hash(APP_ID)
    );
    u32::from_be_bytes(auth_data[33..37].try_into().expect("4 bytes"))
}

#[test]
fn a_u2f_key_is_kept_with_its_context_and_marked_as_such() {
    let (mut keyring, _) = new_keyring();
    let (handle, envelope) = register(&mut keyring);
    let reopened = Keyring::unlock(&envelope, b"correct horse").expect("unlock");
    let key = &reopened.security_keys()[0];
    assert_eq!(key.id, handle);
    assert_eq!(key.rp_id, APP_ID);
    assert_eq!(key.label, "legacy key");
    assert_eq!(key.aws.account.as_deref(), Some("123456789012"));
    assert_eq!(key.created_ms, 7);
    assert!(key.made_with_u2f);
    assert!(!key.discoverable);
}

#[test]
fn the_key_signs_through_u2f_and_through_webauthn_appid_with_one_counter() {
    let (mut keyring, _) = new_keyring();
    let (handle, _) = register(&mut keyring);
    let (first, envelope) = u2f_counter(&mut keyring, &handle, "s1");
    assert!(
        envelope.is_some(),
        "the first counter passes the stored ceiling"
    );
    let second = webauthn_counter(&mut keyring, &handle, "g1");
    let (third, envelope) = u2f_counter(&mut keyring, &handle, "s2");
    assert_eq!((first, second, third), (1, 2, 3));
    assert!(
        envelope.is_none(),
        "within the reserved range: no write needed"
    );
    assert_eq!(keyring.security_keys()[0].last_used_ms, Some(11));
}

#[test]
fn registering_again_with_our_key_listed_is_refused_and_changes_nothing() {
    let (mut keyring, _) = new_keyring();
    let (handle, _) = register(&mut keyring);
    let err = keyring
        .prepare_u2f_register(
            "u2",
            &caller("https://console.aws.amazon.com"),
            &register_options(&[&handle]),
        )
        .expect_err("already registered");
    assert_eq!(err.name(), "U2fDeviceIneligible");
    assert!(matches!(err, KeyringError::U2f(ref e) if e.error_code() == 4));
    assert_eq!(keyring.security_keys().len(), 1);
}

#[test]
fn pending_u2f_requests_are_single_use_and_cancellable() {
    let (mut keyring, _) = new_keyring();
    let (handle, _) = register(&mut keyring);
    assert_eq!(
        keyring
            .finish_u2f_register("u1", AwsContext::default(), None, 0)
            .expect_err("reused")
            .name(),
        "UnknownRequest"
    );
    keyring
        .prepare_u2f_sign(
            "s1",
            &caller("https://signin.aws.amazon.com"),
            &sign_options(&handle),
        )
        .expect("prepare");
    keyring.cancel("s1");
    assert_eq!(
        keyring
            .finish_u2f_sign("s1", 0)
            .expect_err("cancelled")
            .name(),
        "UnknownRequest"
    );
    // A key deleted from the vault no longer answers U2F either.
    keyring.delete_security_key(&handle).expect("delete");
    let err = keyring
        .prepare_u2f_sign(
            "s2",
            &caller("https://signin.aws.amazon.com"),
            &sign_options(&handle),
        )
        .expect_err("deleted");
    assert_eq!(err.name(), "U2fDeviceIneligible");
}
