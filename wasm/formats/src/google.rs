//! Google Authenticator's account transfer: `otpauth-migration://offline?data=<base64>`, where
//! the data is a protobuf `MigrationPayload`. Google has not published the schema; the one
//! every tool uses was recovered from the app and is kept in
//! `tests/vectors/formats/google_migration.proto` (sources cited in that folder's README).
//! Our messages below are that schema, field by field, with `prost`'s derive (no code generator).
//!
//! The app reads at most about ten entries from one QR code, so [`write`] splits a list into
//! batches of [`BATCH_SIZE`], each its own URI, numbered with `batch_index` / `batch_size` and
//! sharing one `batch_id`.

use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message;
use softkey_otp::{Algorithm, OtpAuth, OtpKind, Secret};
use zeroize::Zeroizing;

use crate::codec::{b64_decode_any, b64_encode};
use crate::model::TotpItem;
use crate::{FormatError, check_count, check_size};

const FORMAT: &str = "Google Authenticator migration";
const PREFIX: &str = "otpauth-migration://offline?";
/// Entries per QR code when writing.
pub const BATCH_SIZE: usize = 10;

/// `MigrationPayload` (proto2; every field optional on the wire).
#[derive(Clone, PartialEq, Message)]
pub struct MigrationPayload {
    /// The entries.
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<OtpParameters>,
    /// Payload version (1).
    #[prost(int32, optional, tag = "2")]
    pub version: Option<i32>,
    /// Number of batches.
    #[prost(int32, optional, tag = "3")]
    pub batch_size: Option<i32>,
    /// This batch's index, from 0.
    #[prost(int32, optional, tag = "4")]
    pub batch_index: Option<i32>,
    /// Shared by the batches of one export.
    #[prost(int32, optional, tag = "5")]
    pub batch_id: Option<i32>,
}

/// `MigrationPayload.OtpParameters`. `Debug` leaves the secret out.
#[derive(Clone, PartialEq, Message)]
#[prost(skip_debug)]
pub struct OtpParameters {
    /// Raw secret bytes.
    #[prost(bytes = "vec", optional, tag = "1")]
    pub secret: Option<Vec<u8>>,
    /// Account name (may be `issuer:account`).
    #[prost(string, optional, tag = "2")]
    pub name: Option<String>,
    /// Issuer.
    #[prost(string, optional, tag = "3")]
    pub issuer: Option<String>,
    /// 0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5.
    #[prost(int32, optional, tag = "4")]
    pub algorithm: Option<i32>,
    /// 0 unspecified, 1 six, 2 eight.
    #[prost(int32, optional, tag = "5")]
    pub digits: Option<i32>,
    /// 0 unspecified, 1 HOTP, 2 TOTP.
    #[prost(int32, optional, tag = "6")]
    pub r#type: Option<i32>,
    /// HOTP counter.
    #[prost(int64, optional, tag = "7")]
    pub counter: Option<i64>,
}

impl core::fmt::Debug for OtpParameters {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OtpParameters")
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("type", &self.r#type)
            .finish_non_exhaustive()
    }
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        if let Some(secret) = self.secret.as_mut() {
            zeroize::Zeroize::zeroize(secret);
        }
    }
}

fn to_params(item: &TotpItem) -> Result<OtpParameters, FormatError> {
    let otp = &item.otp;
    let cannot = |why: String| FormatError::CannotExport {
        format: FORMAT,
        why: format!("\"{}\": {why}", item.label),
    };
    let digits = match otp.digits {
        6 => 1,
        8 => 2,
        n => {
            return Err(cannot(format!(
                "{n} digits (the format knows only 6 and 8)"
            )));
        }
    };
    let (kind, counter) = match otp.kind {
        OtpKind::Totp { period: 30 } => (2, None),
        OtpKind::Totp { period } => {
            return Err(cannot(format!(
                "a {period} s period (the format knows only 30 s)"
            )));
        }
        OtpKind::Hotp { counter } => (
            1,
            Some(i64::try_from(counter).map_err(|_| cannot("HOTP counter too large".into()))?),
        ),
    };
    // The reader strips one `issuer:` from the front of the name (Google's own form), so an
    // account that itself starts with it gets a second one, which the reader then leaves.
    let name = match otp.issuer.as_deref().filter(|i| !i.is_empty()) {
        Some(issuer) if otp.account.starts_with(&format!("{issuer}:")) => {
            format!("{issuer}:{}", otp.account)
        }
        _ => otp.account.clone(),
    };
    Ok(OtpParameters {
        secret: Some(otp.secret.as_bytes().to_vec()),
        name: Some(name),
        issuer: otp.issuer.clone(),
        algorithm: Some(match otp.algorithm {
            Algorithm::Sha1 => 1,
            Algorithm::Sha256 => 2,
            Algorithm::Sha512 => 3,
        }),
        digits: Some(digits),
        r#type: Some(kind),
        counter,
    })
}

/// The migration URIs for `items`, [`BATCH_SIZE`] entries each. Entries the format cannot hold
/// (periods other than 30 s, 7 digits) are refused by name rather than silently changed.
pub fn write(items: &[TotpItem], batch_id: i32) -> Result<Vec<Zeroizing<String>>, FormatError> {
    let params = items.iter().map(to_params).collect::<Result<Vec<_>, _>>()?;
    let batches = params.chunks(BATCH_SIZE).count().max(1);
    let batch_size = i32::try_from(batches).map_err(|_| FormatError::CannotExport {
        format: FORMAT,
        why: "too many entries".into(),
    })?;
    let mut out = Vec::with_capacity(batches);
    for (index, chunk) in params.chunks(BATCH_SIZE).enumerate() {
        let payload = MigrationPayload {
            otp_parameters: chunk.to_vec(),
            version: Some(1),
            batch_size: Some(batch_size),
            batch_index: Some(index as i32),
            batch_id: Some(batch_id),
        };
        let bytes = Zeroizing::new(payload.encode_to_vec());
        let data = Zeroizing::new(b64_encode(&bytes));
        out.push(Zeroizing::new(format!(
            "{PREFIX}data={}",
            utf8_percent_encode(&data, NON_ALPHANUMERIC)
        )));
    }
    Ok(out)
}

/// Decodes the protobuf bytes of one payload.
pub fn read_payload(bytes: &[u8]) -> Result<Vec<TotpItem>, FormatError> {
    check_size(FORMAT, bytes.len())?;
    let payload = MigrationPayload::decode(bytes).map_err(|e| FormatError::Corrupted {
        format: FORMAT,
        why: format!("the payload is not valid protobuf ({e})"),
    })?;
    check_count(FORMAT, payload.otp_parameters.len())?;
    if let Some(v) = payload.version
        && v > 1
    {
        return Err(FormatError::UnsupportedVersion {
            format: FORMAT,
            version: v as u64,
        });
    }
    payload
        .otp_parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            from_params(p).map_err(|why| FormatError::InvalidEntry {
                format: FORMAT,
                index: i + 1,
                why,
            })
        })
        .collect()
}

fn from_params(p: &OtpParameters) -> Result<TotpItem, String> {
    let secret =
        Secret::from_bytes(p.secret.as_deref().unwrap_or_default()).map_err(|e| e.to_string())?;
    let algorithm = match p.algorithm.unwrap_or(0) {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err("MD5 codes are not supported".into()),
        n => return Err(format!("unknown algorithm {n}")),
    };
    let digits = match p.digits.unwrap_or(0) {
        0 | 1 => 6,
        2 => 8,
        n => return Err(format!("unknown digit count {n}")),
    };
    let kind = match p.r#type.unwrap_or(0) {
        0 | 2 => OtpKind::Totp { period: 30 },
        1 => OtpKind::Hotp {
            counter: u64::try_from(p.counter.unwrap_or(0))
                .map_err(|_| "negative HOTP counter".to_owned())?,
        },
        n => return Err(format!("unknown OTP type {n}")),
    };
    // Google writes `issuer:account` into name when the original URI's label had both.
    let mut account = p.name.clone().unwrap_or_default();
    let issuer = p.issuer.clone().filter(|i| !i.is_empty());
    if let Some(issuer) = &issuer
        && let Some(rest) = account.strip_prefix(&format!("{issuer}:"))
    {
        account = rest.trim_start().to_owned();
    }
    let otp = OtpAuth {
        issuer,
        account,
        secret,
        algorithm,
        digits,
        kind,
    };
    otp.validate().map_err(|e| e.to_string())?;
    Ok(TotpItem::from_otp(otp))
}

/// Reads one `otpauth-migration://offline?data=…` URI.
pub fn read_uri(uri: &str) -> Result<Vec<TotpItem>, FormatError> {
    check_size(FORMAT, uri.len())?;
    let uri = uri.trim();
    let query = uri
        .get(..PREFIX.len())
        .filter(|p| p.eq_ignore_ascii_case(PREFIX))
        .map(|_| &uri[PREFIX.len()..])
        .ok_or_else(|| FormatError::NotThisFormat {
            format: FORMAT,
            why: "it does not start with otpauth-migration://offline?".into(),
        })?;
    let data = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("data="))
        .ok_or_else(|| FormatError::NotThisFormat {
            format: FORMAT,
            why: "it has no data parameter".into(),
        })?;
    let decoded = Zeroizing::new(
        percent_decode_str(data)
            .decode_utf8()
            .map_err(|_| FormatError::Corrupted {
                format: FORMAT,
                why: "the data parameter is not UTF-8".into(),
            })?
            .into_owned(),
    );
    // A `+` that was not percent-encoded arrives here as itself; one decoded from a form
    // encoding would be a space, which base64 never contains.
    let cleaned = Zeroizing::new(decoded.replace(' ', "+"));
    let bytes = b64_decode_any(&cleaned).map_err(|why| FormatError::Corrupted {
        format: FORMAT,
        why: format!("the data parameter is {why}"),
    })?;
    read_payload(&bytes)
}

/// Reads several URIs (one per line, e.g. every QR code of a batch export).
pub fn read_uris(text: &str) -> Result<Vec<TotpItem>, FormatError> {
    check_size(FORMAT, text.len())?;
    let mut items = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        items.extend(read_uri(line)?);
        check_count(FORMAT, items.len())?;
    }
    Ok(items)
}

#[cfg(test)]
mod tests;
