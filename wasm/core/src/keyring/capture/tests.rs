use super::*;
use crate::KdfParams;
use crate::mfa_match::{MfaQuery, choose};
use crate::rng::SeededRng;

fn keyring() -> Keyring {
    Keyring::create_with_rng(b"pw", KdfParams::MIN, 0, SeededRng::boxed(11))
        .expect("create")
        .0
}

const SECRET: &str = "jbsw y3dp ehpk 3pxp";

fn aws_capture(device: &str) -> SecretCapture {
    SecretCapture {
        site: CaptureSite::Aws,
        secret: SECRET.into(),
        device_name: Some(device.into()),
        email: None,
    }
}

#[test]
fn an_iam_capture_is_labelled_as_aws_writes_it_and_found_at_sign_in() {
    let mut k = keyring();
    let aws = AwsContext {
        account: Some("2109-8765-4321".into()),
        user: Some("carol".into()),
        ..AwsContext::default()
    };
    let (code, envelope) = k
        .add_captured_secret(&aws_capture("carol-phone"), aws, 0)
        .expect("add");
    assert!(envelope.is_some() && code.unconfirmed);
    assert_eq!(code.issuer.as_deref(), Some("Amazon Web Services"));
    assert_eq!(code.account, "carol-phone@210987654321");
    assert_eq!(code.label, "carol-phone (AWS 210987654321)");
    let uri = k.totp_uri(&code.id).expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/Amazon%20Web%20Services:carol-phone%40210987654321?"),
        "{uri}"
    );
    let query = MfaQuery {
        account: Some("210987654321".into()),
        user: Some("carol".into()),
        ..MfaQuery::default()
    };
    assert_eq!(choose(&query, &k.contents().totp), [0]);
    // The same secret again: the stored entry, nothing written.
    let (again, none) = k
        .add_captured_secret(
            &aws_capture("carol-phone"),
            AwsContext {
                account: Some("210987654321".into()),
                user: Some("carol".into()),
                ..AwsContext::default()
            },
            0,
        )
        .expect("again");
    assert_eq!((again.id, none), (code.id, None));
}

#[test]
fn identity_center_and_amazon_captures() {
    let mut k = keyring();
    let aws = AwsContext {
        directory: Some("d-9067abcdef".into()),
        user: Some("dave".into()),
        ..AwsContext::default()
    };
    let (code, _) = k
        .add_captured_secret(&aws_capture("dave-phone"), aws, 0)
        .expect("idc");
    assert_eq!(code.label, "dave-phone (Identity Center d-9067abcdef)");
    assert_eq!(code.owner.as_deref(), Some("d-9067abcdef"));
    let amazon = SecretCapture {
        site: CaptureSite::Amazon,
        secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA".into(),
        device_name: None,
        email: Some(" Root@Example.com ".into()),
    };
    let (code, _) = k
        .add_captured_secret(&amazon, AwsContext::default(), 0)
        .expect("amazon");
    assert_eq!(
        (code.issuer.as_deref(), code.account.as_str()),
        (Some("Amazon"), "root@example.com")
    );
    assert_eq!(code.label, "Amazon.com (root@example.com)");
    let bad = SecretCapture {
        secret: "not base32!".into(),
        ..amazon
    };
    assert!(matches!(
        k.add_captured_secret(&bad, AwsContext::default(), 0),
        Err(KeyringError::Otp(_))
    ));
}
