//! How [`VaultContents`] are written inside the envelope, and every way they were written before.
//!
//! | format | encoding | written by |
//! |-------:|----------|------------|
//! | 1 | JSON, `{"format":1,…}` | SoftKey until November 2026 |
//! | 2 | CBOR (RFC 8949), a map with the same member names, `"format": 2` | since |
//!
//! Reading tells them apart by the first byte (a JSON object starts with `{`, 0x7B, which in
//! CBOR would be a text string with an 8-byte length, never a map), then checks the format
//! member. Format 1 is read as it always was and becomes format 2 in memory, so the vault is
//! rewritten as CBOR the next time anything is saved; nothing else changes. Any other format is
//! refused with [`KeyringError::UnsupportedContents`] rather than half-read.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{CONTENTS_FORMAT, VaultContents};
use crate::error::KeyringError;

/// The last format written as JSON.
const JSON_FORMAT: u32 = 1;

/// ciborium copies strings (key handles, TOTP secrets) through this buffer; one of our own is
/// wiped afterwards, where ciborium's default one would be left on the stack.
const SCRATCH_LEN: usize = 4096;

/// Only the format member, whatever else the contents hold (a newer format may not parse as
/// [`VaultContents`] at all).
#[derive(Deserialize)]
struct FormatOnly {
    format: u32,
}

/// The contents as format [`CONTENTS_FORMAT`] (CBOR).
///
/// Measured first and written into a buffer of that size: a growing buffer would leave copies
/// of the secrets behind in the memory it outgrew.
pub(crate) fn encode(contents: &VaultContents) -> Result<Zeroizing<Vec<u8>>, KeyringError> {
    let mut length = 0;
    ciborium::into_writer(contents, Length(&mut length)).map_err(encode_error)?;
    let mut out = Zeroizing::new(Vec::new());
    out.try_reserve_exact(length)
        .map_err(|_| KeyringError::Contents("too large to encode".into()))?;
    ciborium::into_writer(contents, &mut *out).map_err(encode_error)?;
    Ok(out)
}

fn encode_error<E: core::fmt::Debug>(e: ciborium::ser::Error<E>) -> KeyringError {
    KeyringError::Contents(format!("could not encode them: {e}"))
}

/// A writer that only counts. Passed by value: with ciborium-io's `std` feature (which another
/// crate in the build may turn on) `&mut W` is a writer only when `W` is a `std::io::Write`.
struct Length<'a>(&'a mut usize);

impl ciborium_io::Write for Length<'_> {
    type Error = core::convert::Infallible;

    fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error> {
        *self.0 = self.0.saturating_add(data.len());
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Reads contents of any format this version knows; the result is always format
/// [`CONTENTS_FORMAT`].
pub(crate) fn decode(plaintext: &[u8]) -> Result<VaultContents, KeyringError> {
    if plaintext.first() == Some(&b'{') {
        return decode_json(plaintext);
    }
    let mut scratch = Zeroizing::new([0u8; SCRATCH_LEN]);
    let FormatOnly { format } = ciborium::de::from_reader_with_buffer(plaintext, &mut *scratch)
        .map_err(|e| KeyringError::Contents(e.to_string()))?;
    if format != CONTENTS_FORMAT {
        return Err(KeyringError::UnsupportedContents { format });
    }
    ciborium::de::from_reader_with_buffer(plaintext, &mut *scratch)
        .map_err(|e| KeyringError::Contents(e.to_string()))
}

/// Format 1, as it was read before CBOR.
fn decode_json(plaintext: &[u8]) -> Result<VaultContents, KeyringError> {
    let FormatOnly { format } =
        serde_json::from_slice(plaintext).map_err(|e| KeyringError::Contents(e.to_string()))?;
    if format != JSON_FORMAT {
        return Err(KeyringError::UnsupportedContents { format });
    }
    let mut contents: VaultContents =
        serde_json::from_slice(plaintext).map_err(|e| KeyringError::Contents(e.to_string()))?;
    contents.format = CONTENTS_FORMAT;
    Ok(contents)
}

#[cfg(test)]
mod tests;
