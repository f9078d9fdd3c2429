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
//!
//! Only builds with the `json-contents` feature read format 1. The sign-in module leaves it out
//! (serde_json's reader would be its largest single part) and answers
//! [`KeyringError::ContentsNeedMigration`]; the worker then has the transfer module, which has
//! the reader, rewrite the vault once ([`Keyring::migrate`](crate::Keyring::migrate)).

use ciborium::Value;
use zeroize::{Zeroize, Zeroizing};

use super::{CONTENTS_FORMAT, VaultContents};
use crate::error::KeyringError;

/// The last format written as JSON.
const JSON_FORMAT: u32 = 1;

/// ciborium copies strings (key handles, TOTP secrets) through this buffer; one of our own is
/// wiped afterwards, where ciborium's default one would be left on the stack.
const SCRATCH_LEN: usize = 4096;

/// The contents as format [`CONTENTS_FORMAT`] (CBOR).
///
/// Measured first and written into a buffer of that size: a growing buffer would leave copies
/// of the secrets behind in the memory it outgrew. Both passes use one writer type, so the
/// serializer is compiled once.
pub(crate) fn encode(contents: &VaultContents) -> Result<Zeroizing<Vec<u8>>, KeyringError> {
    let mut measure = Sink {
        written: 0,
        into: None,
    };
    ciborium::into_writer(contents, &mut measure).map_err(encode_error)?;
    let mut out = Zeroizing::new(Vec::new());
    out.try_reserve_exact(measure.written)
        .map_err(|_| KeyringError::Contents("too large to encode".into()))?;
    ciborium::into_writer(
        contents,
        &mut Sink {
            written: 0,
            into: Some(&mut out),
        },
    )
    .map_err(encode_error)?;
    Ok(out)
}

fn encode_error<E: core::fmt::Debug>(e: ciborium::ser::Error<E>) -> KeyringError {
    KeyringError::Contents(format!("could not encode them: {e}"))
}

/// A writer that counts, and appends to `into` when there is one.
struct Sink<'a> {
    written: usize,
    into: Option<&'a mut Vec<u8>>,
}

// Implemented on `&mut Sink`, not `Sink`: with ciborium-io's `std` feature (which another crate
// in the build may turn on) its `&mut W` forwarding needs `W: std::io::Write`.
impl ciborium_io::Write for &mut Sink<'_> {
    type Error = core::convert::Infallible;

    fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error> {
        self.written = self.written.saturating_add(data.len());
        if let Some(out) = self.into.as_mut() {
            out.extend_from_slice(data);
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Reads contents of any format this version knows; the result is always format
/// [`CONTENTS_FORMAT`].
///
/// Both encodings are read into a generic CBOR value first, and the contents taken from that:
/// the contents' (large) deserializer is compiled once, not once per encoding, which kept the
/// wasm module from growing by both.
pub(crate) fn decode(plaintext: &[u8]) -> Result<VaultContents, KeyringError> {
    let (mut value, expected) = if plaintext.first() == Some(&b'{') {
        (read_json(plaintext)?, JSON_FORMAT)
    } else {
        let mut scratch = Zeroizing::new([0u8; SCRATCH_LEN]);
        let value = ciborium::de::from_reader_with_buffer::<Value, _>(plaintext, &mut *scratch)
            .map_err(|e| KeyringError::Contents(e.to_string()))?;
        (value, CONTENTS_FORMAT)
    };
    let contents = format_of(&value).and_then(|format| {
        if format != expected {
            return Err(KeyringError::UnsupportedContents { format });
        }
        value
            .deserialized::<VaultContents>()
            .map_err(|e| KeyringError::Contents(e.to_string()))
    });
    wipe(&mut value);
    let mut contents = contents?;
    contents.format = CONTENTS_FORMAT;
    Ok(contents)
}

/// Format 1, where this build reads it.
#[cfg(feature = "json-contents")]
fn read_json(plaintext: &[u8]) -> Result<Value, KeyringError> {
    serde_json::from_slice::<Value>(plaintext).map_err(|e| KeyringError::Contents(e.to_string()))
}

/// Format 1 in a build without a JSON reader (the sign-in module): the caller has the vault
/// migrated by a build with one, then opens the CBOR it wrote.
#[cfg(not(feature = "json-contents"))]
fn read_json(_plaintext: &[u8]) -> Result<Value, KeyringError> {
    Err(KeyringError::ContentsNeedMigration {
        format: JSON_FORMAT,
    })
}

/// The `format` member, which every format has.
fn format_of(value: &Value) -> Result<u32, KeyringError> {
    let member = value
        .as_map()
        .and_then(|map| map.iter().find(|(k, _)| k.as_text() == Some("format")))
        .and_then(|(_, v)| v.as_integer())
        .ok_or_else(|| KeyringError::Contents("they name no format".into()))?;
    u32::try_from(member).map_err(|_| KeyringError::UnsupportedContents { format: u32::MAX })
}

/// Wipes every string in `value` (secrets among them) before it is freed.
fn wipe(value: &mut Value) {
    match value {
        Value::Text(text) => text.zeroize(),
        Value::Bytes(bytes) => bytes.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Map(members) => members.iter_mut().for_each(|(k, v)| {
            wipe(k);
            wipe(v);
        }),
        Value::Tag(_, inner) => wipe(inner),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
