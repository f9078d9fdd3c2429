//! The one error type of this crate.

use core::fmt;

/// Everything that can go wrong while reading a secret or an `otpauth://` URI, or computing a code.
///
/// The `Display` text is meant to be shown to a person as is: it says what is wrong and, where it
/// helps, what was found. It never contains secret material (a bad base32 character is shown, but
/// that is one character of a string the user just typed or scanned and that failed to decode).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OtpError {
    /// The text does not start with `otpauth://`.
    NotOtpauthUri,
    /// The URI's type is neither `totp` nor `hotp`.
    UnsupportedType(String),
    /// The URI has no `secret` parameter.
    MissingSecret,
    /// The secret is empty (after removing spaces, hyphens and padding).
    EmptySecret,
    /// A character of the secret is not in the base32 alphabet.
    InvalidBase32Character {
        /// The offending character.
        character: char,
        /// 1-based position of that character in the text as given (spaces included).
        position: usize,
    },
    /// The number of base32 characters cannot come from whole bytes (1, 3 or 6 left over after
    /// groups of 8).
    InvalidBase32Length {
        /// Number of base32 characters, separators and padding not counted.
        length: usize,
    },
    /// The secret decodes to more bytes than [`crate::MAX_SECRET_BYTES`] or to none at all.
    SecretLength {
        /// The length in bytes that was found (or at least found, for very long inputs).
        length: usize,
    },
    /// `digits` is outside 6..=8.
    DigitsOutOfRange(u64),
    /// `period` is outside 1..=3600.
    PeriodOutOfRange(u64),
    /// A numeric parameter is not a number.
    InvalidNumber {
        /// Name of the parameter (`digits`, `period`, `counter`).
        parameter: &'static str,
        /// What was found instead.
        value: String,
    },
    /// The `algorithm` parameter names something other than SHA1, SHA256 or SHA512.
    UnsupportedAlgorithm(String),
    /// An `hotp` URI has no `counter` parameter.
    MissingCounter,
    /// The HOTP counter cannot be advanced any further.
    CounterOverflow,
    /// The whole URI is longer than [`crate::MAX_URI_LEN`].
    UriTooLong {
        /// Length in bytes.
        length: usize,
    },
    /// The issuer or account name is longer than [`crate::MAX_NAME_LEN`].
    NameTooLong {
        /// `issuer` or `account`.
        field: &'static str,
        /// Length in bytes.
        length: usize,
    },
    /// A percent-decoded part is not valid UTF-8.
    InvalidUtf8 {
        /// Which part (`label`, `issuer`, ...).
        field: &'static str,
    },
    /// The issuer or account name contains a control character (newline, NUL, ...).
    ControlCharacter {
        /// `issuer` or `account`.
        field: &'static str,
    },
}

impl fmt::Display for OtpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotOtpauthUri => f.write_str("not an otpauth:// URI"),
            Self::UnsupportedType(t) => {
                write!(
                    f,
                    "unsupported otpauth type '{}' (expected totp or hotp)",
                    t.escape_debug()
                )
            }
            Self::MissingSecret => f.write_str("missing secret parameter"),
            Self::EmptySecret => f.write_str("the secret is empty"),
            Self::InvalidBase32Character {
                character,
                position,
            } => write!(
                f,
                "the secret is not valid base32: unexpected character '{}' at position {position}",
                character.escape_debug()
            ),
            Self::InvalidBase32Length { length } => write!(
                f,
                "the secret is not valid base32: {length} characters cannot encode whole bytes \
                 (a character may be missing or extra)"
            ),
            Self::SecretLength { length } => write!(
                f,
                "the secret must be between 1 and {} bytes long, got {length}",
                crate::MAX_SECRET_BYTES
            ),
            Self::DigitsOutOfRange(d) => write!(f, "digits must be between 6 and 8, got {d}"),
            Self::PeriodOutOfRange(p) => {
                write!(f, "period must be between 1 and 3600 seconds, got {p}")
            }
            Self::InvalidNumber { parameter, value } => write!(
                f,
                "the {parameter} parameter must be a whole number, got '{}'",
                value.escape_debug()
            ),
            Self::UnsupportedAlgorithm(a) => write!(
                f,
                "unsupported algorithm '{}' (expected SHA1, SHA256 or SHA512)",
                a.escape_debug()
            ),
            Self::MissingCounter => f.write_str("an hotp URI needs a counter parameter"),
            Self::CounterOverflow => f.write_str("the counter cannot go any higher"),
            Self::UriTooLong { length } => write!(
                f,
                "the otpauth URI is too long ({length} bytes, at most {} allowed)",
                crate::MAX_URI_LEN
            ),
            Self::NameTooLong { field, length } => write!(
                f,
                "the {field} name is too long ({length} bytes, at most {} allowed)",
                crate::MAX_NAME_LEN
            ),
            Self::InvalidUtf8 { field } => {
                write!(f, "the {field} is not valid UTF-8 after percent-decoding")
            }
            Self::ControlCharacter { field } => {
                write!(f, "the {field} name contains a control character")
            }
        }
    }
}

impl std::error::Error for OtpError {}

/// Longest piece of input echoed back in an error message, in characters.
const ECHO_MAX_CHARS: usize = 40;

/// Cuts input that goes into an error message, so that a megabyte of junk does not end up in a
/// dialog box.
pub(crate) fn echo(input: &str) -> String {
    let mut chars = input.chars();
    let mut out: String = chars.by_ref().take(ECHO_MAX_CHARS).collect();
    if chars.next().is_some() {
        out.push('…');
    }
    out
}
