use super::*;
use crate::KdfParams;
use crate::mfa_match::{MfaQuery, choose};
use crate::rng::seeded;

fn keyring() -> Keyring {
    Keyring::create_with_rng(b"pw", KdfParams::MIN, 0, seeded(11))
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
        sign_in_name: None,
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
    assert_eq!(
        code.owner,
        Some(crate::mfa_match::Owner::Directory("d-9067abcdef".into()))
    );
    let amazon = SecretCapture {
        site: CaptureSite::Amazon,
        secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA".into(),
        device_name: None,
        email: Some(" Root@Example.com ".into()),
        sign_in_name: Some("+1 206 555 0100".into()),
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

#[test]
fn an_amazon_capture_with_something_else_than_an_e_mail_is_refused() {
    let mut k = keyring();
    for shown in [
        "no-at-sign",
        "a@b",
        "@example.com",
        "a@@example.com",
        "a b@example.com",
        "a@example..com",
    ] {
        let capture = SecretCapture {
            site: CaptureSite::Amazon,
            secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA".into(),
            device_name: None,
            email: Some(shown.into()),
            sign_in_name: None,
        };
        let refused = k.add_captured_secret(&capture, AwsContext::default(), 0);
        assert!(
            matches!(refused, Err(KeyringError::BadRequest(_))),
            "{shown}: {refused:?}"
        );
    }
    assert!(k.totp_codes(0).expect("list").is_empty(), "nothing stored");
}

/// Without an e-mail on the page, the name typed at sign-in names the account when it is an
/// e-mail address; a phone number (Amazon accepts one) or a junk value leaves it Amazon.com's.
#[test]
fn an_amazon_capture_takes_the_sign_in_name_only_when_it_is_an_e_mail() {
    for (typed, account, label) in [
        (
            Some(" Shopper@Example.com"),
            "shopper@example.com",
            "Amazon.com (shopper@example.com)",
        ),
        (Some("+1 206 555 0100"), "Amazon.com", "Amazon.com"),
        (Some("a@b"), "Amazon.com", "Amazon.com"),
        (None, "Amazon.com", "Amazon.com"),
    ] {
        let mut k = keyring();
        let capture = SecretCapture {
            site: CaptureSite::Amazon,
            secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA".into(),
            device_name: None,
            email: None,
            sign_in_name: typed.map(Into::into),
        };
        let (code, _) = k
            .add_captured_secret(&capture, AwsContext::default(), 0)
            .expect("captured");
        assert_eq!(
            (code.account.as_str(), code.label.as_str()),
            (account, label),
            "{typed:?}"
        );
    }
}

#[test]
fn an_account_id_loses_the_console_s_dashes_and_an_alias_keeps_its_hyphens() {
    for (shown, stored) in [
        ("1234-5678-9012", "123456789012"),
        (" 123456789012 ", "123456789012"),
        ("my-prod-account", "my-prod-account"),
        ("12-34", "12-34"),
    ] {
        let mut k = keyring();
        let aws = AwsContext {
            account: Some(shown.into()),
            ..AwsContext::default()
        };
        let (code, _) = k
            .add_captured_secret(&aws_capture("phone"), aws.clone(), 0)
            .expect("secret");
        assert_eq!(
            code.aws.account.as_deref(),
            Some(stored),
            "{shown} (secret)"
        );
        let mut k = keyring();
        let uri = "otpauth://totp/Amazon%20Web%20Services:phone@x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amazon%20Web%20Services";
        let (code, _) = k.add_captured_uri(uri, Some("phone"), aws, 0).expect("uri");
        assert_eq!(code.aws.account.as_deref(), Some(stored), "{shown} (uri)");
    }
}
