use super::*;
use crate::keyring::Keyring;
use crate::rng::seeded;

fn contents_with_everything() -> VaultContents {
    let (mut keyring, _) =
        Keyring::create_with_rng(b"pw", crate::KdfParams::MIN, 1_767_225_600_000, seeded(3))
            .expect("create");
    keyring
        .add_totp(
            "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&algorithm=SHA512&digits=8&period=60",
            Some("label".into()),
            crate::AwsContext {
                account: Some("123456789012".into()),
                user: Some("alice".into()),
                arn: Some("arn:aws:iam::123456789012:mfa/alice".into()),
                directory: Some("d-1234567890".into()),
            },
            5,
        )
        .expect("add");
    keyring.contents().clone()
}

#[test]
fn cbor_round_trips_every_member_and_is_written_in_one_allocation() {
    let contents = contents_with_everything();
    let encoded = encode(&contents).expect("encode");
    assert_eq!(encoded.capacity(), encoded.len(), "measured exactly");
    let decoded = decode(&encoded).expect("decode");
    // Compared through a generic value, which names every member of both.
    assert_eq!(
        serde_json::to_value(&decoded).expect("json"),
        serde_json::to_value(&contents).expect("json")
    );
    assert_eq!(decoded.format, CONTENTS_FORMAT);
}

#[cfg(feature = "json-contents")] // reads JSON (format 1) contents
#[test]
fn format_one_json_reads_as_the_current_format() {
    let contents = contents_with_everything();
    let mut json = serde_json::to_value(&contents).expect("json");
    json["format"] = serde_json::json!(1);
    let decoded = decode(&serde_json::to_vec(&json).expect("bytes")).expect("decode");
    assert_eq!(decoded.format, CONTENTS_FORMAT);
    assert_eq!(decoded.totp[0].otp, contents.totp[0].otp);
    assert_eq!(decoded.totp[0].aws, contents.totp[0].aws);
}

#[test]
fn damaged_or_foreign_contents_are_errors_not_panics() {
    let encoded = encode(&contents_with_everything()).expect("encode");
    for cut in [0, 1, 2, encoded.len() / 2, encoded.len() - 1] {
        assert!(decode(&encoded[..cut]).is_err(), "cut at {cut}");
    }
    for junk in [
        &b"{"[..],
        b"{\"format\":1}",
        b"[]",
        b"\xff\xff\xff",
        b"\xa1\x66format\x02",
        // A map claiming 2^32 members, and deep nesting.
        b"\xba\xff\xff\xff\xff",
        &[0x81; 10_000][..],
    ] {
        assert!(decode(junk).is_err(), "{junk:?}");
    }
}
