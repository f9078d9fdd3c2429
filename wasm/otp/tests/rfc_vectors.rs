//! Published test vectors: RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP). The expected
//! codes are copied from the RFC text, not produced by this crate.

use softkey_otp::{Algorithm, Secret, hotp, totp};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// RFC 4226 Appendix D: secret = ASCII "12345678901234567890", 6 digits, HMAC-SHA-1.
const RFC4226_HOTP: [(u64, &str); 10] = [
    (0, "755224"),
    (1, "287082"),
    (2, "359152"),
    (3, "969429"),
    (4, "338314"),
    (5, "254676"),
    (6, "287922"),
    (7, "162583"),
    (8, "399871"),
    (9, "520489"),
];

/// RFC 6238 Appendix B, 8 digits, 30 s steps, T0 = 0. The RFC's reference code uses a seed of the
/// hash's block-ish size per algorithm: 20, 32 and 64 bytes of ASCII "1234567890" repeated.
const RFC6238_TOTP: [(u64, &str, Algorithm); 18] = [
    (59, "94287082", Algorithm::Sha1),
    (59, "46119246", Algorithm::Sha256),
    (59, "90693936", Algorithm::Sha512),
    (1111111109, "07081804", Algorithm::Sha1),
    (1111111109, "68084774", Algorithm::Sha256),
    (1111111109, "25091201", Algorithm::Sha512),
    (1111111111, "14050471", Algorithm::Sha1),
    (1111111111, "67062674", Algorithm::Sha256),
    (1111111111, "99943326", Algorithm::Sha512),
    (1234567890, "89005924", Algorithm::Sha1),
    (1234567890, "91819424", Algorithm::Sha256),
    (1234567890, "93441116", Algorithm::Sha512),
    (2000000000, "69279037", Algorithm::Sha1),
    (2000000000, "90698825", Algorithm::Sha256),
    (2000000000, "38618901", Algorithm::Sha512),
    (20000000000, "65353130", Algorithm::Sha1),
    (20000000000, "77737706", Algorithm::Sha256),
    (20000000000, "47863826", Algorithm::Sha512),
];

fn rfc6238_seed(algorithm: Algorithm) -> Result<Secret, softkey_otp::OtpError> {
    let len = match algorithm {
        Algorithm::Sha1 => 20,
        Algorithm::Sha256 => 32,
        Algorithm::Sha512 => 64,
    };
    let bytes: Vec<u8> = b"1234567890".iter().copied().cycle().take(len).collect();
    Secret::from_bytes(&bytes)
}

#[test]
fn rfc4226_appendix_d() -> TestResult {
    let secret = Secret::from_bytes(b"12345678901234567890")?;
    for (counter, expected) in RFC4226_HOTP {
        assert_eq!(
            hotp(&secret, counter, 6, Algorithm::Sha1)?,
            expected,
            "counter {counter}"
        );
    }
    Ok(())
}

#[test]
fn rfc6238_appendix_b() -> TestResult {
    for (time, expected, algorithm) in RFC6238_TOTP {
        let secret = rfc6238_seed(algorithm)?;
        assert_eq!(
            totp(&secret, time, 30, 8, algorithm)?,
            expected,
            "{algorithm} at {time}"
        );
    }
    Ok(())
}

#[test]
fn shorter_codes_are_the_low_digits() -> TestResult {
    // RFC 4226 section 5.3: the code is the value mod 10^digits, so 6 and 7 digit codes are the
    // tail of the 8 digit ones in the RFC 6238 table.
    for (time, expected, algorithm) in RFC6238_TOTP {
        let secret = rfc6238_seed(algorithm)?;
        assert_eq!(totp(&secret, time, 30, 7, algorithm)?, expected[1..]);
        assert_eq!(totp(&secret, time, 30, 6, algorithm)?, expected[2..]);
    }
    Ok(())
}

#[test]
fn totp_is_hotp_of_the_step() -> TestResult {
    // RFC 6238 section 4.2: T = floor(time / X). HOTP counter 1 of the RFC 4226 secret is
    // 287082, which must be the TOTP code for every second of step 1 at X = 30 and of step 1 at
    // X = 60.
    let secret = Secret::from_bytes(b"12345678901234567890")?;
    for time in [30, 45, 59] {
        assert_eq!(totp(&secret, time, 30, 6, Algorithm::Sha1)?, "287082");
    }
    for time in [60, 119] {
        assert_eq!(totp(&secret, time, 60, 6, Algorithm::Sha1)?, "287082");
    }
    assert_eq!(totp(&secret, 29, 30, 6, Algorithm::Sha1)?, "755224");
    Ok(())
}

#[test]
fn huge_times_and_counters_do_not_panic() -> TestResult {
    let secret = Secret::from_bytes(b"12345678901234567890")?;
    for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
        for period in [1, 30, 3600] {
            assert_eq!(totp(&secret, u64::MAX, period, 8, alg)?.len(), 8);
        }
        assert_eq!(hotp(&secret, u64::MAX, 7, alg)?.len(), 7);
    }
    Ok(())
}

#[test]
fn bad_digits_and_periods_are_errors() -> TestResult {
    let secret = Secret::from_bytes(b"12345678901234567890")?;
    for digits in [0, 5, 9, 10, 255] {
        let err = totp(&secret, 59, 30, digits, Algorithm::Sha1)
            .err()
            .ok_or("accepted bad digits")?;
        assert_eq!(
            err.to_string(),
            format!("digits must be between 6 and 8, got {digits}")
        );
        assert!(hotp(&secret, 1, digits, Algorithm::Sha1).is_err());
    }
    for period in [0, 3601, u32::MAX] {
        let err = totp(&secret, 59, period, 6, Algorithm::Sha1)
            .err()
            .ok_or("accepted bad period")?;
        assert_eq!(
            err.to_string(),
            format!("period must be between 1 and 3600 seconds, got {period}")
        );
    }
    Ok(())
}

#[test]
fn short_secrets_as_real_services_issue_them() -> TestResult {
    // 80-bit (10-byte) secrets are below totp-rs's 128-bit check and must still work.
    let secret = Secret::from_bytes(b"1234567890")?;
    assert_eq!(totp(&secret, 0, 30, 6, Algorithm::Sha1)?.len(), 6);
    assert!(Secret::from_bytes(&[7]).is_ok());
    Ok(())
}
