//! `consecutive_pair` and `seconds_remaining` at step boundaries. Expected codes are RFC 4226
//! Appendix D values (the RFC secret, 6 digits, SHA-1), where TOTP step T equals HOTP counter T.

use softkey_otp::{
    Algorithm, OtpAuth, OtpError, OtpKind, Secret, consecutive_pair, seconds_remaining, totp,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// RFC 4226 Appendix D, counters 0 to 3.
const HOTP: [&str; 4] = ["755224", "287082", "359152", "969429"];

fn rfc_entry(kind: OtpKind) -> Result<OtpAuth, OtpError> {
    Ok(OtpAuth {
        issuer: Some("Amazon Web Services".into()),
        account: "alice@123456789012".into(),
        secret: Secret::from_bytes(b"12345678901234567890")?,
        algorithm: Algorithm::Sha1,
        digits: 6,
        kind,
    })
}

#[test]
fn seconds_remaining_counts_down_to_one() -> TestResult {
    assert_eq!(seconds_remaining(0, 30)?, 30);
    assert_eq!(seconds_remaining(1, 30)?, 29);
    assert_eq!(seconds_remaining(29, 30)?, 1);
    assert_eq!(seconds_remaining(30, 30)?, 30);
    assert_eq!(seconds_remaining(59, 30)?, 1);
    assert_eq!(seconds_remaining(12345, 1)?, 1);
    // u64::MAX = 18446744073709551615 is 15 mod 30, so 15 seconds remain.
    assert_eq!(seconds_remaining(u64::MAX, 30)?, 15);
    assert_eq!(seconds_remaining(5, 0), Err(OtpError::PeriodOutOfRange(0)));
    assert_eq!(
        seconds_remaining(5, 3601),
        Err(OtpError::PeriodOutOfRange(3601))
    );
    Ok(())
}

#[test]
fn totp_pair_switches_to_next_step_when_too_little_time_is_left() -> TestResult {
    let e = rfc_entry(OtpKind::Totp { period: 30 })?;
    let current = (HOTP[0].to_owned(), HOTP[1].to_owned());
    let next = (HOTP[1].to_owned(), HOTP[2].to_owned());
    // Step 0 is seconds 0..=29; at t, 30 - t seconds remain.
    assert_eq!(consecutive_pair(&e, 0, 5)?, current);
    assert_eq!(consecutive_pair(&e, 25, 5)?, current); // exactly 5 left: still enough
    assert_eq!(consecutive_pair(&e, 26, 5)?, next); // 4 left
    assert_eq!(consecutive_pair(&e, 29, 5)?, next); // 1 left
    assert_eq!(consecutive_pair(&e, 30, 5)?, next); // a fresh step 1
    assert_eq!(consecutive_pair(&e, 29, 0)?, current); // 0 means never skip
    assert_eq!(consecutive_pair(&e, 29, 1)?, current); // 1 left, 1 needed
    assert_eq!(consecutive_pair(&e, 0, 30)?, current); // a full step is enough for 30
    assert_eq!(consecutive_pair(&e, 0, 31)?, next); // more than a period: always next
    Ok(())
}

#[test]
fn pair_agrees_with_totp_at_the_two_times() -> TestResult {
    let secret = Secret::from_base32("JBSWY3DPEHPK3PXP")?;
    for (period, t, min) in [
        (30, 1_700_000_000u64, 5),
        (60, 1_700_000_058, 10),
        (15, 4_294_967_296, 3),
    ] {
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            let e = OtpAuth {
                issuer: None,
                account: String::new(),
                secret: secret.clone(),
                algorithm: alg,
                digits: 8,
                kind: OtpKind::Totp { period },
            };
            let left = u64::from(seconds_remaining(t, period)?);
            let start = if left < u64::from(min) { t + left } else { t };
            let expected = (
                totp(&secret, start, period, 8, alg)?,
                totp(&secret, start + u64::from(period), period, 8, alg)?,
            );
            assert_eq!(
                consecutive_pair(&e, t, min)?,
                expected,
                "{period} {t} {alg}"
            );
        }
    }
    Ok(())
}

#[test]
fn hotp_pair_is_counter_and_next() -> TestResult {
    let e = rfc_entry(OtpKind::Hotp { counter: 2 })?;
    assert_eq!(
        consecutive_pair(&e, 999, 30)?,
        (HOTP[2].to_owned(), HOTP[3].to_owned())
    );
    Ok(())
}

#[test]
fn pair_at_the_end_of_time_is_an_error_not_a_panic() -> TestResult {
    let e = rfc_entry(OtpKind::Hotp { counter: u64::MAX })?;
    assert_eq!(consecutive_pair(&e, 0, 0), Err(OtpError::CounterOverflow));
    let e = rfc_entry(OtpKind::Totp { period: 1 })?;
    assert_eq!(
        consecutive_pair(&e, u64::MAX, 0),
        Err(OtpError::CounterOverflow)
    );
    let e = rfc_entry(OtpKind::Totp { period: 30 })?;
    assert!(consecutive_pair(&e, u64::MAX, 30).is_ok());
    let e = rfc_entry(OtpKind::Totp { period: 0 })?;
    assert_eq!(
        consecutive_pair(&e, 10, 5),
        Err(OtpError::PeriodOutOfRange(0))
    );
    Ok(())
}
