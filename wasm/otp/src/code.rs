//! HOTP (RFC 4226) and TOTP (RFC 6238) code computation, on top of `totp-rs`.

use core::fmt;
use core::str::FromStr;

use crate::{OtpError, Secret};

/// Fewest digits a code may have (RFC 4226 section 5.3).
pub const MIN_DIGITS: u8 = 6;
/// Most digits a code may have. RFC 4226 allows more in principle, but nobody issues them and
/// `totp-rs` panics from 10 on.
pub const MAX_DIGITS: u8 = 8;
/// Longest TOTP period accepted, in seconds. An hour is already far beyond any real service.
pub const MAX_PERIOD: u32 = 3600;

/// The HMAC hash function.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    /// HMAC-SHA-1: the default, and the only one AWS and most services use.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` URIs: `SHA1`, `SHA256` or `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA1",
            Self::Sha256 => "SHA256",
            Self::Sha512 => "SHA512",
        }
    }

    fn to_totp_rs(self) -> totp_rs::Algorithm {
        match self {
            Self::Sha1 => totp_rs::Algorithm::SHA1,
            Self::Sha256 => totp_rs::Algorithm::SHA256,
            Self::Sha512 => totp_rs::Algorithm::SHA512,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Algorithm {
    type Err = OtpError;

    /// Accepts `SHA1`, `SHA256`, `SHA512` in any case, with or without a hyphen (`sha-256`), since
    /// hand-written URIs use both.
    fn from_str(s: &str) -> Result<Self, OtpError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sha1" | "sha-1" => Ok(Self::Sha1),
            "sha256" | "sha-256" => Ok(Self::Sha256),
            "sha512" | "sha-512" => Ok(Self::Sha512),
            _ => Err(OtpError::UnsupportedAlgorithm(crate::error::echo(s))),
        }
    }
}

/// Checks `digits` against [`MIN_DIGITS`]..=[`MAX_DIGITS`].
pub fn check_digits(digits: u8) -> Result<(), OtpError> {
    if (MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        Ok(())
    } else {
        Err(OtpError::DigitsOutOfRange(u64::from(digits)))
    }
}

/// Checks `period` against 1..=[`MAX_PERIOD`].
pub fn check_period(period: u32) -> Result<(), OtpError> {
    if (1..=MAX_PERIOD).contains(&period) {
        Ok(())
    } else {
        Err(OtpError::PeriodOutOfRange(u64::from(period)))
    }
}

/// Runs totp-rs with `time / step` as the moving factor. HOTP is the special case `step = 1`,
/// `time = counter` (RFC 6238 defines TOTP as HOTP with T = floor(time / X)), so both code kinds
/// share this one call into the library.
fn generate(
    secret: &Secret,
    step: u64,
    time: u64,
    digits: u8,
    algorithm: Algorithm,
) -> Result<String, OtpError> {
    check_digits(digits)?;
    // The unchecked builder because totp-rs's checked one refuses secrets under 128 bits, and real
    // services issue 80-bit ones; `Secret` already enforces our own bounds, and digits and step
    // were checked above (the two things that make totp-rs panic).
    let generator = totp_rs::Builder::new()
        .with_algorithm(algorithm.to_totp_rs())
        .with_digits(digits)
        .with_skew(0)
        .with_step_duration(step)
        .with_secret(secret.as_bytes())
        .build_noncompliant();
    Ok(generator.generate(time).to_string())
}

/// HOTP code (RFC 4226) for `counter`.
pub fn hotp(
    secret: &Secret,
    counter: u64,
    digits: u8,
    algorithm: Algorithm,
) -> Result<String, OtpError> {
    generate(secret, 1, counter, digits, algorithm)
}

/// TOTP code (RFC 6238) at `unix_seconds`, with T0 = 0.
pub fn totp(
    secret: &Secret,
    unix_seconds: u64,
    period: u32,
    digits: u8,
    algorithm: Algorithm,
) -> Result<String, OtpError> {
    check_period(period)?;
    generate(secret, u64::from(period), unix_seconds, digits, algorithm)
}

/// Seconds until the TOTP code at `unix_seconds` changes: from `period` (a fresh code) down to 1.
pub fn seconds_remaining(unix_seconds: u64, period: u32) -> Result<u32, OtpError> {
    check_period(period)?;
    let period = u64::from(period);
    let left = period - unix_seconds % period;
    // `left` is at most `period`, which came from a u32.
    u32::try_from(left).map_err(|_| OtpError::PeriodOutOfRange(period))
}
