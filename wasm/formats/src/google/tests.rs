use super::*;
use crate::test_support::{sample_totp, totp};

/// The example from digitalduke/otpauth-migration-decoder's README (see
/// tests/vectors/formats/README.md): secret "Hello!" + DEADBEEF, name "Example:alice@google.com",
/// issuer "Example", TOTP.
const PUBLISHED: &str = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC";

#[test]
fn reads_the_published_example() {
    let items = read_uri(PUBLISHED).expect("reads");
    assert_eq!(items.len(), 1);
    let otp = &items[0].otp;
    assert_eq!(otp.secret.as_bytes(), b"Hello!\xde\xad\xbe\xef");
    assert_eq!(otp.issuer.as_deref(), Some("Example"));
    assert_eq!(otp.account, "alice@google.com");
    assert_eq!(otp.kind, OtpKind::Totp { period: 30 });
    assert_eq!(otp.digits, 6);
}

#[test]
fn round_trip_in_batches_of_ten() {
    let mut items = Vec::new();
    for i in 0..23 {
        items.push(totp(&format!(
            "otpauth://totp/Issuer{i}:user{i}?secret=JBSWY3DPEHPK3PX{}&issuer=Issuer{i}",
            ["A", "Q", "I", "Y"][i % 4]
        )));
    }
    items.extend(sample_totp());
    let uris = write(&items, 42).expect("writes");
    assert_eq!(uris.len(), 3);
    let joined: String = uris.iter().map(|u| format!("{}\n", u.as_str())).collect();
    let back = read_uris(&joined).expect("reads back");
    assert_eq!(
        back.iter().map(|i| &i.otp).collect::<Vec<_>>(),
        items.iter().map(|i| &i.otp).collect::<Vec<_>>()
    );
}

#[test]
fn refuses_what_the_format_cannot_hold_and_bad_input() {
    let odd = totp("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&period=60");
    assert_eq!(write(&[odd], 1).expect_err("60 s").kind(), "CannotExport");
    assert_eq!(
        read_uri("otpauth://totp/x?secret=A")
            .expect_err("wrong scheme")
            .kind(),
        "NotThisFormat"
    );
    assert_eq!(
        read_uri("otpauth-migration://offline?data=%%%")
            .expect_err("bad data")
            .kind(),
        "Corrupted"
    );
    // A field with wire type 7 does not exist in protobuf.
    assert_eq!(
        read_payload(&[0x0f, 0x00])
            .expect_err("bad protobuf")
            .kind(),
        "Corrupted"
    );
    // An entry whose secret is missing.
    let empty = MigrationPayload {
        otp_parameters: vec![OtpParameters::default()],
        ..Default::default()
    }
    .encode_to_vec();
    assert!(matches!(
        read_payload(&empty).expect_err("no secret"),
        FormatError::InvalidEntry { index: 1, .. }
    ));
}

#[test]
fn debug_shows_no_secret() {
    let mut p = OtpParameters::default();
    p.secret = Some(b"very secret".to_vec());
    p.name = Some("alice".into());
    let text = format!("{p:?}");
    assert!(text.contains("alice") && !text.contains("118"), "{text}");
}

/// An account that starts with its own issuer and a colon comes back whole: the reader strips
/// Google's `issuer:` prefix once, so the writer must add one. Seen while writing the
/// `google_migration_*` fuzz targets' round trip; before, "ACME:alice" came back "alice".
#[test]
fn account_starting_with_the_issuer_survives() {
    let mut item = totp("otpauth://totp/ACME:alice?secret=JBSWY3DPEHPK3PXP&issuer=ACME");
    item.otp.account = "ACME:alice".into();
    let uris = write(std::slice::from_ref(&item), 1).expect("writes");
    let back = read_uri(&uris[0]).expect("reads back");
    assert_eq!(back[0].otp, item.otp);
    // Google's own form still reads as before.
    let plain = totp("otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME");
    let uris = write(std::slice::from_ref(&plain), 1).expect("writes");
    assert_eq!(
        read_uri(&uris[0]).expect("reads back")[0].otp.account,
        "bob"
    );
}
