//! `otpauth://` parsing and formatting: the shapes AWS and Amazon.com issue, the format's loose
//! corners, and every error path.

use softkey_otp::{
    Algorithm, AuthenticatorTexts, OtpAuth, OtpError, OtpKind, Secret, authenticator_texts,
    first_otpauth,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Base32 of ASCII "1234567890" (RFC 4226's secret is twice this).
const B32_10: &str = "GEZDGNBVGY3TQOJQ";

fn aws_secret() -> String {
    // 64 characters, like AWS's virtual MFA secrets: 40 bytes of "1234567890" x 4.
    B32_10.repeat(4)
}

fn err_text(uri: &str) -> String {
    match OtpAuth::parse(uri) {
        Ok(entry) => format!("unexpectedly parsed: {entry:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn aws_current_shape() -> TestResult {
    let uri = format!(
        "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret={}&issuer=Amazon%20Web%20Services",
        aws_secret()
    );
    let e = OtpAuth::parse(&uri)?;
    assert_eq!(e.issuer.as_deref(), Some("Amazon Web Services"));
    assert_eq!(e.account, "alice@123456789012");
    assert_eq!(e.secret.as_bytes(), "1234567890".repeat(4).as_bytes());
    assert_eq!(e.algorithm, Algorithm::Sha1);
    assert_eq!(e.digits, 6);
    assert_eq!(e.kind, OtpKind::Totp { period: 30 });
    Ok(())
}

#[test]
fn aws_older_shape_without_issuer() -> TestResult {
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/alice@123456789012?secret={}",
        aws_secret()
    ))?;
    assert_eq!(e.issuer, None);
    assert_eq!(e.account, "alice@123456789012");
    assert_eq!(e.kind, OtpKind::Totp { period: 30 });
    Ok(())
}

#[test]
fn amazon_com_shape() -> TestResult {
    // 52 characters with non-zero spare bits (see tests/base32.rs).
    let secret = format!("{}GEZD", B32_10.repeat(3));
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/Amazon:someone%40example.com?secret={secret}&issuer=Amazon"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("Amazon"));
    assert_eq!(e.account, "someone@example.com");
    assert_eq!(e.secret.as_bytes(), b"12345678901234567890123456789012");
    assert_eq!(e.digits, 6);
    Ok(())
}

#[test]
fn amazon_com_secret_shown_in_groups() -> TestResult {
    // Amazon.com shows the key as groups of four, lower or upper case.
    let grouped = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq gezd gnbv gy3t qojq gezd";
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/Amazon:x?secret={}&issuer=Amazon",
        grouped.replace(' ', "%20")
    ))?;
    assert_eq!(e.secret.as_bytes(), b"12345678901234567890123456789012");
    Ok(())
}

#[test]
fn rfc_secret_gives_rfc_codes_through_a_uri() -> TestResult {
    // RFC 4226 Appendix D secret; RFC 6238 Appendix B SHA1 rows at 8 digits.
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/x?secret={}&digits=8",
        B32_10.repeat(2)
    ))?;
    assert_eq!(e.code_at(59)?, "94287082");
    assert_eq!(e.code_at(1111111109)?, "07081804");
    let h = OtpAuth::parse(&format!(
        "otpauth://hotp/x?secret={}&counter=9",
        B32_10.repeat(2)
    ))?;
    assert_eq!(h.code_at(0)?, "520489");
    assert_eq!(h.code_at(123456)?, "520489");
    Ok(())
}

#[test]
fn all_parameters() -> TestResult {
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret={B32_10}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60&image=https%3A%2F%2Fexample.com%2Fx.png"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("ACME Co"));
    assert_eq!(e.account, "john.doe@email.com");
    assert_eq!(e.algorithm, Algorithm::Sha256);
    assert_eq!(e.digits, 8);
    assert_eq!(e.kind, OtpKind::Totp { period: 60 });

    for (name, alg) in [
        ("sha1", Algorithm::Sha1),
        ("Sha256", Algorithm::Sha256),
        ("sha512", Algorithm::Sha512),
        ("SHA-512", Algorithm::Sha512),
    ] {
        let e = OtpAuth::parse(&format!(
            "otpauth://totp/x?secret={B32_10}&algorithm={name}"
        ))?;
        assert_eq!(e.algorithm, alg, "{name}");
    }
    Ok(())
}

#[test]
fn hotp_with_counter() -> TestResult {
    let e = OtpAuth::parse(&format!(
        "otpauth://hotp/Example:bob?secret={B32_10}&counter=18446744073709551615&period=abc"
    ))?;
    assert_eq!(e.kind, OtpKind::Hotp { counter: u64::MAX });
    Ok(())
}

#[test]
fn loose_spellings() -> TestResult {
    // Scheme and type in upper case, surrounding whitespace, parameter names in mixed case.
    let e = OtpAuth::parse(&format!(
        "  OTPAUTH://TOTP/Example:alice?Secret={B32_10}&ISSUER=Example\n"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("Example"));
    assert_eq!(e.secret.as_bytes(), b"1234567890");
    // Empty optional parameters count as absent; first of a repeated parameter wins.
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/x?digits=&period=&secret={B32_10}&secret=AAAA&issuer=&algorithm="
    ))?;
    assert_eq!(
        (e.digits, e.kind, e.issuer),
        (6, OtpKind::Totp { period: 30 }, None)
    );
    assert_eq!(e.secret.as_bytes(), b"1234567890");
    // Padding written as %3D.
    let e = OtpAuth::parse("otpauth://totp/x?secret=MZXW6%3D%3D%3D")?;
    assert_eq!(e.secret.as_bytes(), b"foo");
    Ok(())
}

#[test]
fn label_percent_encoding() -> TestResult {
    let cases: [(&str, Option<&str>, &str); 9] = [
        // encoded colon separates like a literal one
        ("Example%3Aalice", Some("Example"), "alice"),
        // spaces after the colon are allowed by the spec and trimmed
        ("Example:%20%20alice", Some("Example"), "alice"),
        // '+' is not a space in the path
        (
            "ACME:alice+tag@example.com",
            Some("ACME"),
            "alice+tag@example.com",
        ),
        ("a+b", None, "a+b"),
        // UTF-8
        ("Caf%C3%A9:z%C3%BC", Some("Café"), "zü"),
        // empty prefix means no issuer; the rest may hold a colon
        (":user:name", None, "user:name"),
        // only the first colon splits
        ("Iss:acc:ount", Some("Iss"), "acc:ount"),
        // a malformed escape is kept as text
        ("100%zz", None, "100%zz"),
        // no label at all
        ("", None, ""),
    ];
    for (label, issuer, account) in cases {
        let e = OtpAuth::parse(&format!("otpauth://totp/{label}?secret={B32_10}"))?;
        assert_eq!(
            (e.issuer.as_deref(), e.account.as_str()),
            (issuer, account),
            "{label}"
        );
    }
    // No slash after the type.
    let e = OtpAuth::parse(&format!("otpauth://totp?secret={B32_10}"))?;
    assert_eq!((e.issuer, e.account.as_str()), (None, ""));
    Ok(())
}

#[test]
fn issuer_parameter_decoding() -> TestResult {
    // In the query, '+' is a space (form encoding); %2B is a plus.
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/alice?secret={B32_10}&issuer=Amazon+Web+Services"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("Amazon Web Services"));
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/alice?secret={B32_10}&issuer=C%2B%2B%20%26%20co"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("C++ & co"));
    Ok(())
}

#[test]
fn issuer_disagreement_prefers_the_parameter() -> TestResult {
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/Foo:alice?secret={B32_10}&issuer=Bar"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("Bar"));
    assert_eq!(e.account, "alice");
    // An issuer containing a colon is recognised through the parameter.
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/A%3AB:alice?secret={B32_10}&issuer=A%3AB"
    ))?;
    assert_eq!(e.issuer.as_deref(), Some("A:B"));
    assert_eq!(e.account, "alice");
    Ok(())
}

fn entry(issuer: Option<&str>, account: &str, kind: OtpKind) -> Result<OtpAuth, OtpError> {
    Ok(OtpAuth {
        issuer: issuer.map(str::to_owned),
        account: account.to_owned(),
        secret: Secret::from_bytes(b"\x00\x01\x02\xfe\xff secret bytes")?,
        algorithm: Algorithm::Sha1,
        digits: 6,
        kind,
    })
}

#[test]
fn canonical_uri_is_exact() -> TestResult {
    let e = OtpAuth::parse(&format!(
        "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret={}&issuer=Amazon%20Web%20Services",
        aws_secret().to_lowercase()
    ))?;
    assert_eq!(
        e.to_uri(),
        format!(
            "otpauth://totp/Amazon%20Web%20Services:alice%40123456789012?secret={}&issuer=Amazon%20Web%20Services",
            aws_secret()
        )
    );
    let mut h = entry(None, "bob", OtpKind::Hotp { counter: 7 })?;
    h.secret = Secret::from_bytes(b"foobar")?;
    h.algorithm = Algorithm::Sha512;
    h.digits = 8;
    assert_eq!(
        h.to_uri(),
        "otpauth://hotp/bob?secret=MZXW6YTBOI&algorithm=SHA512&digits=8&counter=7"
    );
    let mut t = entry(Some("Ex"), "a b", OtpKind::Totp { period: 60 })?;
    t.secret = Secret::from_bytes(b"foobar")?;
    assert_eq!(
        t.to_uri(),
        "otpauth://totp/Ex:a%20b?secret=MZXW6YTBOI&issuer=Ex&period=60"
    );
    Ok(())
}

#[test]
fn round_trip() -> TestResult {
    let names = [
        (Some("Amazon Web Services"), "alice@123456789012"),
        (None, "alice@123456789012"),
        (Some("Amazon"), "someone@example.com"),
        (Some("A:B"), "c:d"),
        (None, "no:issuer"),
        (Some("C++ & co = 100% #1 ?/"), "us+er/ name?#&="),
        (Some("Café ☕"), "zürich"),
        (None, ""),
    ];
    let kinds = [
        OtpKind::Totp { period: 30 },
        OtpKind::Totp { period: 1 },
        OtpKind::Totp { period: 3600 },
        OtpKind::Hotp { counter: 0 },
        OtpKind::Hotp { counter: u64::MAX },
    ];
    for (issuer, account) in names {
        for kind in kinds {
            for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
                for digits in [6, 7, 8] {
                    let mut e = entry(issuer, account, kind)?;
                    e.algorithm = algorithm;
                    e.digits = digits;
                    let uri = e.to_uri();
                    assert_eq!(OtpAuth::parse(&uri).as_ref(), Ok(&e), "{uri}");
                }
            }
        }
    }
    Ok(())
}

#[test]
fn error_messages() {
    let s = B32_10;
    let cases = [
        (
            "https://example.com/?secret=AAAA".to_owned(),
            "not an otpauth:// URI",
        ),
        ("".to_owned(), "not an otpauth:// URI"),
        ("otpauth:/".to_owned(), "not an otpauth:// URI"),
        (
            "ötpauth://totp/x?secret=AAAA".to_owned(),
            "not an otpauth:// URI",
        ),
        (
            format!("otpauth://motp/x?secret={s}"),
            "unsupported otpauth type 'motp' (expected totp or hotp)",
        ),
        (
            "otpauth://totp/x?issuer=Foo".to_owned(),
            "missing secret parameter",
        ),
        ("otpauth://totp/x".to_owned(), "missing secret parameter"),
        ("otpauth://totp/x?secret=".to_owned(), "the secret is empty"),
        (
            "otpauth://totp/x?secret=ABCDEF1Q".to_owned(),
            "the secret is not valid base32: unexpected character '1' at position 7",
        ),
        (
            format!("otpauth://totp/x?secret={s}&digits=10"),
            "digits must be between 6 and 8, got 10",
        ),
        (
            format!("otpauth://totp/x?secret={s}&digits=5"),
            "digits must be between 6 and 8, got 5",
        ),
        (
            format!("otpauth://totp/x?secret={s}&digits=300"),
            "digits must be between 6 and 8, got 300",
        ),
        (
            format!("otpauth://totp/x?secret={s}&digits=six"),
            "the digits parameter must be a whole number, got 'six'",
        ),
        (
            format!("otpauth://totp/x?secret={s}&period=0"),
            "period must be between 1 and 3600 seconds, got 0",
        ),
        (
            format!("otpauth://totp/x?secret={s}&period=99999999999"),
            "period must be between 1 and 3600 seconds, got 99999999999",
        ),
        (
            format!("otpauth://totp/x?secret={s}&period=-30"),
            "the period parameter must be a whole number, got '-30'",
        ),
        (
            format!("otpauth://hotp/x?secret={s}"),
            "an hotp URI needs a counter parameter",
        ),
        (
            format!("otpauth://hotp/x?secret={s}&counter=18446744073709551616"),
            "the counter parameter must be a whole number, got '18446744073709551616'",
        ),
        (
            format!("otpauth://totp/x?secret={s}&algorithm=MD5"),
            "unsupported algorithm 'MD5' (expected SHA1, SHA256 or SHA512)",
        ),
        (
            format!("otpauth://totp/%FF?secret={s}"),
            "the label is not valid UTF-8 after percent-decoding",
        ),
        (
            format!("otpauth://totp/x?secret={s}&issuer=%C3"),
            "the issuer is not valid UTF-8 after percent-decoding",
        ),
        (
            format!("otpauth://totp/a%0Ab?secret={s}"),
            "the account name contains a control character",
        ),
        (
            format!("otpauth://totp/x?secret={s}&issuer=a%00"),
            "the issuer name contains a control character",
        ),
    ];
    for (uri, message) in cases {
        assert_eq!(err_text(&uri), message, "{uri}");
    }
}

#[test]
fn absurd_lengths() {
    let long_uri = format!("otpauth://totp/x?secret={}", "A".repeat(9000));
    assert_eq!(
        OtpAuth::parse(&long_uri),
        Err(OtpError::UriTooLong {
            length: long_uri.len()
        })
    );
    assert!(matches!(
        OtpAuth::parse(&format!("otpauth://totp/x?secret={}", "A".repeat(2000))),
        Err(OtpError::SecretLength { .. })
    ));
    assert_eq!(
        OtpAuth::parse(&format!(
            "otpauth://totp/x?secret={B32_10}&issuer={}",
            "i".repeat(513)
        )),
        Err(OtpError::NameTooLong {
            field: "issuer",
            length: 513
        })
    );
    assert_eq!(
        OtpAuth::parse(&format!(
            "otpauth://totp/{}?secret={B32_10}",
            "a".repeat(600)
        )),
        Err(OtpError::NameTooLong {
            field: "account",
            length: 600
        })
    );
    // Echoed input is cut short.
    let msg = err_text(&format!("otpauth://{}/x?secret={B32_10}", "t".repeat(5000)));
    assert!(msg.len() < 120, "{msg}");
}

#[test]
fn hand_built_bad_entries_fail_cleanly() -> TestResult {
    let mut e = entry(None, "x", OtpKind::Totp { period: 0 })?;
    assert_eq!(e.code_at(100), Err(OtpError::PeriodOutOfRange(0)));
    assert!(e.validate().is_err());
    e.kind = OtpKind::Totp { period: 30 };
    e.digits = 10;
    assert_eq!(e.code_at(100), Err(OtpError::DigitsOutOfRange(10)));
    assert!(e.validate().is_err());
    Ok(())
}

#[test]
fn serde_shape_and_checks() -> TestResult {
    let mut e = entry(Some("Amazon"), "a@b", OtpKind::Totp { period: 30 })?;
    e.secret = Secret::from_bytes(b"foobar")?;
    let json = serde_json::to_value(&e)?;
    assert_eq!(
        json,
        serde_json::json!({
            "issuer": "Amazon",
            "account": "a@b",
            "secret": "MZXW6YTBOI",
            "algorithm": "SHA1",
            "digits": 6,
            "kind": {"type": "totp", "period": 30}
        })
    );
    assert_eq!(serde_json::from_value::<OtpAuth>(json)?, e);

    let hotp = serde_json::json!({
        "issuer": null, "account": "x", "secret": "mzxw 6ytb oi",
        "algorithm": "SHA512", "digits": 8, "kind": {"type": "hotp", "counter": 5}
    });
    let h: OtpAuth = serde_json::from_value(hotp)?;
    assert_eq!(h.kind, OtpKind::Hotp { counter: 5 });
    assert_eq!(h.secret.as_bytes(), b"foobar");

    for bad in [
        serde_json::json!({"account": "x", "secret": "MZXW6", "digits": 10}),
        serde_json::json!({"account": "x", "secret": "MZXW6", "kind": {"type": "totp", "period": 0}}),
        serde_json::json!({"account": "x", "secret": "M1"}),
        serde_json::json!({"account": "x", "secret": ""}),
        serde_json::json!({"account": "x", "secret": "MZXW6", "algorithm": "MD5"}),
        serde_json::json!({"account": "x"}),
    ] {
        assert!(
            serde_json::from_value::<OtpAuth>(bad.clone()).is_err(),
            "{bad}"
        );
    }
    Ok(())
}

#[test]
fn kind_reads_its_members_in_any_order_and_refuses_a_missing_one() -> TestResult {
    use serde_json::json;
    for (kind, want) in [
        (
            json!({"type": "totp", "period": 60}),
            OtpKind::Totp { period: 60 },
        ),
        (
            json!({"period": 60, "type": "totp"}),
            OtpKind::Totp { period: 60 },
        ),
        (
            json!({"counter": 9, "type": "hotp"}),
            OtpKind::Hotp { counter: 9 },
        ),
        // A member some later version might add is ignored, as is the other kind's member.
        (
            json!({"type": "hotp", "counter": 9, "period": 30, "later": [1]}),
            OtpKind::Hotp { counter: 9 },
        ),
    ] {
        assert_eq!(
            serde_json::from_value::<OtpKind>(kind.clone())?,
            want,
            "{kind}"
        );
    }
    for bad in [
        json!({"type": "totp"}),
        json!({"type": "hotp", "period": 30}),
        json!({"period": 30}),
        json!({"type": "motp", "period": 30}),
        json!({"type": "totp", "period": "30"}),
        json!("totp"),
    ] {
        assert!(
            serde_json::from_value::<OtpKind>(bad.clone()).is_err(),
            "{bad}"
        );
    }
    Ok(())
}

#[test]
fn secret_matches_as_a_page_shows_it() -> TestResult {
    let entry = OtpAuth::parse(&format!("otpauth://totp/x?secret={}", aws_secret()))?;
    // Lower case, grouped in fours and padded: still the same secret.
    let shown: Vec<String> = aws_secret()
        .to_lowercase()
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    assert!(entry.secret_matches(&shown.join(" "))?);
    assert!(!entry.secret_matches(&B32_10.repeat(3))?);
    assert!(matches!(
        entry.secret_matches("not base32!"),
        Err(OtpError::InvalidBase32Character { .. })
    ));
    Ok(())
}

/// A page's QR codes: the authenticator's URI is found among other codes, in order, trimmed.
#[test]
fn first_otpauth_skips_other_codes() -> TestResult {
    let aws = format!("otpauth://totp/AWS:alice?secret={}", aws_secret());
    let other = format!("OTPAUTH://totp/Other:bob?secret={B32_10}");
    let texts = [
        "https://aws.amazon.com/iam/".to_owned(),
        format!("  {aws}\n"),
        other.clone(),
    ];
    let (text, entry) = first_otpauth(&texts)?;
    assert_eq!(text, aws);
    assert_eq!(entry.account, "alice");
    // The scheme is matched without regard to case, as the parser does.
    let only_other = [other.as_str()];
    let (text, _) = first_otpauth(&only_other)?;
    assert_eq!(text, other);
    Ok(())
}

/// "Not an authenticator code" and "an authenticator code we cannot use" stay apart, and a usable
/// URI after an unusable one is still found.
#[test]
fn first_otpauth_errors() {
    let bare_secret = aws_secret();
    assert_eq!(
        first_otpauth(&["https://example.com/", bare_secret.as_str()]).err(),
        Some(OtpError::NotOtpauthUri),
        "a bare secret in a QR code is not an authenticator URI"
    );
    assert_eq!(
        first_otpauth::<&str>(&[]).err(),
        Some(OtpError::NotOtpauthUri)
    );
    let no_secret = "otpauth://totp/AWS:alice";
    assert_eq!(
        first_otpauth(&["https://example.com/", no_secret]).err(),
        Some(OtpError::MissingSecret)
    );
    let good = format!("otpauth://totp/AWS:bob?secret={B32_10}");
    assert_eq!(
        first_otpauth(&[no_secret, good.as_str()]).map(|(t, _)| t.to_owned()),
        Ok(good.clone())
    );
}

/// What a picture's QR codes hold for an authenticator: URIs and transfer codes apart, trimmed, in
/// order; a link, a Wi-Fi code and a bare secret are no authenticator text.
#[test]
fn authenticator_texts_sorts_schemes() {
    let texts = [
        "WIFI:S:office;T:WPA;P:x;;",
        " otpauth://totp/A:a?secret=GEZDGNBV ",
        "https://example.com/otpauth://",
        "OTPAUTH-MIGRATION://offline?data=CjEK",
        "GEZDGNBVGY3TQOJQ",
        "otpauth-migration://offline?data=Cg",
        "Otpauth://totp/B:b?secret=GEZDGNBV",
        "otpauth:/totp/C:c?secret=GEZDGNBV",
    ];
    assert_eq!(
        authenticator_texts(&texts),
        AuthenticatorTexts {
            uris: vec![
                "otpauth://totp/A:a?secret=GEZDGNBV",
                "Otpauth://totp/B:b?secret=GEZDGNBV"
            ],
            transfers: vec![
                "OTPAUTH-MIGRATION://offline?data=CjEK",
                "otpauth-migration://offline?data=Cg"
            ],
        }
    );
    assert_eq!(
        authenticator_texts::<&str>(&[]),
        AuthenticatorTexts::default()
    );
}
