//! The shared secret and its base32 text form.

use core::fmt;
use std::sync::LazyLock;

use data_encoding::{BASE32_NOPAD, DecodeKind, Encoding, Specification};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::OtpError;

/// Largest secret accepted, in bytes. Real services issue 10 to 64 bytes; 1024 leaves room for
/// odd ones while keeping a pasted novel from being treated as a key.
pub const MAX_SECRET_BYTES: usize = 1024;

/// Base32 characters needed for [`MAX_SECRET_BYTES`]; longer text is refused before decoding.
const MAX_SECRET_CHARS: usize = (MAX_SECRET_BYTES * 8).div_ceil(5);

/// RFC 4648 base32, case-insensitive, unpadded, and with `check_trailing_bits` off: Amazon.com
/// hands out 52-character secrets (260 bits) whose last 4 bits need not be zero, and other
/// authenticators ignore those bits, so we must too.
static LENIENT_BASE32: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = Specification::new();
    spec.symbols.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    spec.translate.from.push_str("abcdefghijklmnopqrstuvwxyz");
    spec.translate.to.push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    spec.check_trailing_bits = false;
    // The specification is a constant, so this cannot fail at run time (a unit test builds it).
    #[allow(clippy::expect_used)]
    spec.encoding()
        .expect("constant base32 specification is valid")
});

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
        // Keep, for each byte handed to the decoder, where it came from, to report positions in
        // the user's own text.
        let mut cleaned: Vec<u8> = Vec::with_capacity(body.len());
        let mut origin: Vec<usize> = Vec::with_capacity(body.len());
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
            // `c` is ASCII, so it is exactly one byte.
            cleaned.push(c as u8);
            origin.push(position + 1);
        }
        if cleaned.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        let decoded = LENIENT_BASE32.decode(&cleaned).map_err(|e| {
            match (e.kind, origin.get(e.position), cleaned.get(e.position)) {
                (DecodeKind::Symbol, Some(&position), Some(&byte)) => {
                    OtpError::InvalidBase32Character {
                        character: char::from(byte),
                        position,
                    }
                }
                _ => OtpError::InvalidBase32Length {
                    length: cleaned.len(),
                },
            }
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
        BASE32_NOPAD.encode(&self.bytes)
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
    fn lenient_spec_builds() {
        // Forces the LazyLock so a bad constant spec fails here and not in a user's browser.
        assert_eq!(LENIENT_BASE32.decode(b"MZXW6").ok(), Some(b"foo".to_vec()));
    }

    #[test]
    fn max_chars_covers_max_bytes() {
        assert_eq!(MAX_SECRET_CHARS, 1639);
    }
}
