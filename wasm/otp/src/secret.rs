//! The shared secret and its base32 text form.

use core::fmt;

use base32::Alphabet;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::OtpError;

/// Largest secret accepted, in bytes. Real services issue 10 to 64 bytes; 1024 leaves room for
/// odd ones while keeping a pasted novel from being treated as a key.
pub const MAX_SECRET_BYTES: usize = 1024;

/// Base32 characters needed for [`MAX_SECRET_BYTES`]; longer text is refused before decoding.
const MAX_SECRET_CHARS: usize = (MAX_SECRET_BYTES * 8).div_ceil(5);

/// RFC 4648 base32 without padding. The `base32` crate ignores the spare bits of the last
/// symbol, which we need: Amazon.com hands out 52-character secrets (260 bits) whose last 4 bits
/// need not be zero, and other authenticators ignore those bits too. Symbols and the length are
/// checked here first, so errors can say what is wrong and where.
const BASE32: Alphabet = Alphabet::Rfc4648 { padding: false };

/// Whether `n` base32 symbols can end a valid unpadded encoding (RFC 4648 §6: a final quantum
/// has 2, 4, 5 or 7 symbols).
fn is_valid_base32_length(n: usize) -> bool {
    !matches!(n % 8, 1 | 3 | 6)
}

/// An HOTP/TOTP shared secret: 1 to [`MAX_SECRET_BYTES`] raw bytes.
///
/// The bytes are wiped from memory when the value is dropped, and `Debug` shows only the length.
/// Equality is constant-time over the bytes, so comparing secrets leaks nothing but the length.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret {
    bytes: Vec<u8>,
}

impl Secret {
    /// Wraps raw key bytes, checking the length bound.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OtpError> {
        if bytes.is_empty() || bytes.len() > MAX_SECRET_BYTES {
            return Err(OtpError::SecretLength {
                length: bytes.len(),
            });
        }
        Ok(Self {
            bytes: bytes.to_vec(),
        })
    }

    /// Reads a base32 secret the way services show it: upper or lower case, with or without `=`
    /// padding, with spaces, tabs or hyphens between groups, and with non-zero trailing bits.
    ///
    /// Padding is only recognised at the end and its amount is not checked (some services pad,
    /// some pad wrongly, none of it carries data). Error positions count characters (not bytes)
    /// from 1 in `text` as given.
    pub fn from_base32(text: &str) -> Result<Self, OtpError> {
        let body = text.trim_end_matches(|c: char| c == '=' || is_separator(c));
        let mut cleaned: Vec<u8> = Vec::with_capacity(body.len());
        for (position, c) in body.chars().enumerate() {
            if is_separator(c) {
                continue;
            }
            if !c.is_ascii() {
                // The decoder works on bytes and would point into the middle of this character.
                return Err(OtpError::InvalidBase32Character {
                    character: c,
                    position: position + 1,
                });
            }
            if cleaned.len() >= MAX_SECRET_CHARS {
                return Err(OtpError::SecretLength {
                    length: MAX_SECRET_BYTES + 1,
                });
            }
            let upper = c.to_ascii_uppercase();
            if !(upper.is_ascii_uppercase() || ('2'..='7').contains(&upper)) {
                cleaned.zeroize();
                return Err(OtpError::InvalidBase32Character {
                    character: c,
                    position: position + 1,
                });
            }
            // `upper` is ASCII, so it is exactly one byte.
            cleaned.push(upper as u8);
        }
        if cleaned.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        if !is_valid_base32_length(cleaned.len()) {
            let length = cleaned.len();
            cleaned.zeroize();
            return Err(OtpError::InvalidBase32Length { length });
        }
        // Every byte is one of the 32 symbols, so this only fails if the crate disagrees.
        let decoded = core::str::from_utf8(&cleaned)
            .ok()
            .and_then(|text| base32::decode(BASE32, text))
            .ok_or(OtpError::InvalidBase32Length {
                length: cleaned.len(),
            });
        cleaned.zeroize();
        let mut bytes = decoded?;
        let secret = Self::from_bytes(&bytes);
        bytes.zeroize();
        secret
    }

    /// The secret as unpadded upper-case base32, the form authenticator apps and `otpauth://`
    /// URIs use.
    pub fn to_base32(&self) -> String {
        base32::encode(BASE32, &self.bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Length in bytes (never 0).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Always `false`: a `Secret` holds at least one byte. Present because clippy expects it next
    /// to `len`.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

fn is_separator(c: char) -> bool {
    c == ' ' || c == '-' || c == '\t'
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.bytes.len())
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.bytes.len() == other.bytes.len()
            && self
                .bytes
                .iter()
                .zip(&other.bytes)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

impl Eq for Secret {}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = self.to_base32();
        let result = serializer.serialize_str(&text);
        text.zeroize();
        result
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Base32Visitor;
        impl serde::de::Visitor<'_> for Base32Visitor {
            type Value = Secret;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base32 secret")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Secret, E> {
                Secret::from_base32(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Base32Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_lengths_follow_rfc_4648() {
        // RFC 4648 §6: a final quantum is 2, 4, 5, 7 or 8 symbols ("f" = "MY", "fo" = "MZXQ", ...).
        let valid: Vec<usize> = (0..16).filter(|&n| is_valid_base32_length(n)).collect();
        assert_eq!(valid, [0, 2, 4, 5, 7, 8, 10, 12, 13, 15]);
    }

    #[test]
    fn max_chars_covers_max_bytes() {
        assert_eq!(MAX_SECRET_CHARS, 1639);
    }
}
