//! Base32 secrets as services display them. Expected bytes come from RFC 4648 section 10 and from
//! working out the alphabet (A=0 ... Z=25, 2=26 ... 7=31) by hand.

use softkey_otp::{MAX_SECRET_BYTES, OtpError, Secret};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn rfc4648_vectors_padded_and_unpadded() -> TestResult {
    // RFC 4648 section 10.
    let vectors: [(&str, &[u8]); 6] = [
        ("MY======", b"f"),
        ("MZXQ====", b"fo"),
        ("MZXW6===", b"foo"),
        ("MZXW6YQ=", b"foob"),
        ("MZXW6YTB", b"fooba"),
        ("MZXW6YTBOI======", b"foobar"),
    ];
    for (text, bytes) in vectors {
        assert_eq!(Secret::from_base32(text)?.as_bytes(), bytes, "{text}");
        let unpadded = text.trim_end_matches('=');
        assert_eq!(
            Secret::from_base32(unpadded)?.as_bytes(),
            bytes,
            "{unpadded}"
        );
        assert_eq!(
            Secret::from_base32(&unpadded.to_lowercase())?.as_bytes(),
            bytes
        );
        // And back: unpadded upper case.
        assert_eq!(Secret::from_bytes(bytes)?.to_base32(), unpadded);
    }
    Ok(())
}

#[test]
fn groups_separated_by_spaces_and_hyphens() -> TestResult {
    // "1234567890" is GEZDGNBVGY3TQOJQ.
    for text in [
        "GEZD GNBV GY3T QOJQ",
        "gezd-gnbv-gy3t-qojq",
        " GEZDgnbv\tGY3T  QOJQ ",
        "GEZDGNBVGY3TQOJQ====",
        "GEZD GNBV GY3T QOJQ =",
    ] {
        assert_eq!(
            Secret::from_base32(text)?.as_bytes(),
            b"1234567890",
            "{text:?}"
        );
    }
    Ok(())
}

#[test]
fn nonzero_trailing_bits_are_ignored() -> TestResult {
    // 52 characters = 260 bits = 32 bytes + 4 spare bits, as Amazon.com issues them. "GEZD" is
    // 00110 00100 11001 00011: bytes 0x31 0x32 ('1' '2') and spare bits 0011, which are not zero.
    let amazon = format!("{}GEZD", "GEZDGNBVGY3TQOJQ".repeat(3));
    assert_eq!(amazon.len(), 52);
    let expected = b"12345678901234567890123456789012";
    assert_eq!(Secret::from_base32(&amazon)?.as_bytes(), expected);
    // 51 x 'A' then 'B' (00001): the last byte gets the leading 0, the spare bits are 0001.
    let zeros = format!("{}B", "A".repeat(51));
    assert_eq!(Secret::from_base32(&zeros)?.as_bytes(), [0u8; 32]);
    // 51 x 'A' then '7' (11111): last byte 0x01, spare bits 1111.
    let mut one = [0u8; 32];
    one[31] = 1;
    assert_eq!(
        Secret::from_base32(&format!("{}7", "A".repeat(51)))?.as_bytes(),
        one
    );
    Ok(())
}

#[test]
fn bad_characters_say_which_and_where() {
    let cases = [
        ("ABCDEF1Q", '1', 7),
        ("ABCD EF1Q", '1', 8), // positions count the user's spaces too
        ("AB=CDEFG", '=', 3),
        ("ABCDÉFGH", 'É', 5),
        ("GEZDGNB0", '0', 8),
        ("GEZD\u{0}GNB", '\u{0}', 5),
    ];
    for (text, character, position) in cases {
        assert_eq!(
            Secret::from_base32(text),
            Err(OtpError::InvalidBase32Character {
                character,
                position
            }),
            "{text:?}"
        );
    }
    assert_eq!(
        Secret::from_base32("ABCDEF1Q").err().map(|e| e.to_string()),
        Some("the secret is not valid base32: unexpected character '1' at position 7".into())
    );
}

#[test]
fn impossible_lengths_and_empty() {
    // 1, 3 and 6 characters (mod 8) cannot hold whole bytes.
    for text in ["A", "ABC", "ABCDEF", "ABCDEFGHA"] {
        assert!(
            matches!(
                Secret::from_base32(text),
                Err(OtpError::InvalidBase32Length { .. })
            ),
            "{text}"
        );
    }
    for text in ["", "   ", "====", "- -"] {
        assert_eq!(
            Secret::from_base32(text),
            Err(OtpError::EmptySecret),
            "{text:?}"
        );
    }
}

#[test]
fn length_bounds() -> TestResult {
    assert_eq!(
        Secret::from_bytes(&[]),
        Err(OtpError::SecretLength { length: 0 })
    );
    assert_eq!(Secret::from_bytes(&[1; MAX_SECRET_BYTES])?.len(), 1024);
    assert_eq!(
        Secret::from_bytes(&[1; MAX_SECRET_BYTES + 1]),
        Err(OtpError::SecretLength { length: 1025 })
    );
    // 1024 bytes of zeros: 8192 bits = 1638.4 characters, so 1639 characters.
    assert_eq!(Secret::from_base32(&"A".repeat(1639))?.len(), 1024);
    assert!(matches!(
        Secret::from_base32(&"A".repeat(1640)),
        Err(OtpError::SecretLength { .. })
    ));
    // A pasted megabyte is refused without trouble.
    assert!(Secret::from_base32(&"A".repeat(1 << 20)).is_err());
    Ok(())
}

#[test]
fn debug_hides_the_secret() -> TestResult {
    let secret = Secret::from_base32("GEZDGNBVGY3TQOJQ")?;
    let shown = format!("{secret:?}");
    assert!(!shown.contains("GEZD"), "{shown}");
    assert!(!shown.contains("49"), "{shown}"); // '1' as a decimal byte
    assert!(shown.contains("10 bytes"), "{shown}");
    Ok(())
}

#[test]
fn equality_compares_bytes() -> TestResult {
    assert_eq!(Secret::from_base32("MZXW6")?, Secret::from_bytes(b"foo")?);
    assert_ne!(Secret::from_base32("MZXW6")?, Secret::from_bytes(b"fo")?);
    assert_ne!(Secret::from_base32("MZXW6")?, Secret::from_bytes(b"fop")?);
    Ok(())
}
