use super::*;
use crate::test_support::{rng, sample_passkey, sample_totp};

#[test]
fn round_trip_totp_and_passkeys() {
    let totp = sample_totp();
    let keys = vec![sample_passkey()];
    let text = write(&totp, &keys, 1_700_000_000_000, &mut rng()).expect("writes");
    let back = read(&text).expect("reads");
    assert_eq!(back.totp.len(), 2);
    assert_eq!(back.totp[0].otp, totp[0].otp);
    assert_eq!(back.totp[0].label, "prod alice");
    let key = &back.security_keys[0];
    let original = &keys[0];
    assert_eq!(key.credential_id, original.credential_id);
    assert_eq!(key.rp_id, original.rp_id);
    assert_eq!(key.rp_id_hash, original.rp_id_hash);
    assert_eq!(key.user, original.user);
    assert_eq!(key.sign_count, original.sign_count);
    assert_eq!(key.private_key.scalar(), original.private_key.scalar());
}

#[test]
fn reads_bare_secrets_guid_ids_and_refuses_encrypted() {
    let text = r#"{"encrypted":false,"items":[
        {"type":1,"name":"AWS","login":{"username":"alice","totp":"JBSW Y3DP EHPK 3PXP"}},
        {"type":2,"name":"a note","secureNote":{}},
        {"type":1,"name":"no totp","login":{"username":"x","totp":null}}
    ]}"#;
    let back = read(text).expect("reads");
    assert_eq!(back.totp.len(), 1);
    assert_eq!(back.totp[0].otp.issuer.as_deref(), Some("AWS"));
    assert_eq!(back.totp[0].otp.account, "alice");
    assert_eq!(
        parse_credential_id("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0").expect("guid"),
        vec![
            0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2,
            0xe1, 0xf0
        ]
    );
    assert_eq!(
        read(r#"{"encrypted":true,"data":"x"}"#)
            .expect_err("enc")
            .kind(),
        "Unsupported"
    );
    let bad = r#"{"items":[{"type":1,"name":"x","login":{"totp":"not base32!"}}]}"#;
    assert!(matches!(
        read(bad).expect_err("bad"),
        FormatError::InvalidEntry { index: 1, .. }
    ));
}

#[test]
fn iso8601_matches_known_dates() {
    assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
    // 2000-02-29 (leap day) 12:34:56.789 UTC = 951827696789 ms.
    assert_eq!(iso8601(951_827_696_789), "2000-02-29T12:34:56.789Z");
}
