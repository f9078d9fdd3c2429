//! Backups of the Authenticator browser extension (github.com/Authenticator-Extension): a JSON
//! object whose values are entries keyed by a hash, each with `secret`, `issuer`, `account`,
//! `type` (`totp`, `hotp`, `hex` and `hhex` for hex secrets, `battle`, `steam`), `period`,
//! `digits`, `algorithm`, `counter` and `encrypted`. An encrypted backup (entries with
//! `"encrypted": true`, or a top-level `key`) has no published specification; it is refused
//! with a clear error (export it from the extension without a password).

use serde_json::{Map, Value};
use softkey_otp::{Algorithm, OtpAuth, OtpKind, Secret};
use zeroize::Zeroizing;

use crate::codec::hex_vec;
use crate::model::{EntryError, Skipped, TotpItem, collect_entries};
use crate::{FormatError, check_count, check_size, strict};

const FORMAT: &str = "Authenticator extension";

fn algorithm(v: Option<&Value>) -> Result<Algorithm, String> {
    match v {
        None | Some(Value::Null) => Ok(Algorithm::Sha1),
        // The extension's OTPAlgorithm enum: SHA1 = 1, SHA256 = 2, SHA512 = 3 (4, 5 are GOST).
        Some(Value::Number(n)) => match n.as_u64() {
            Some(1) => Ok(Algorithm::Sha1),
            Some(2) => Ok(Algorithm::Sha256),
            Some(3) => Ok(Algorithm::Sha512),
            _ => Err(format!("algorithm {n} is not supported")),
        },
        Some(Value::String(s)) => s.parse().map_err(|e: softkey_otp::OtpError| e.to_string()),
        Some(other) => Err(format!("algorithm {other} is not supported")),
    }
}

fn entry(e: &Map<String, Value>) -> Result<TotpItem, EntryError> {
    let text = |k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let number = |k: &str| e.get(k).and_then(Value::as_u64);
    let secret_text = Zeroizing::new(text("secret"));
    let kind = text("type");
    let (hex, hotp) = match kind.as_str() {
        "" | "totp" => (false, false),
        "hotp" => (false, true),
        "hex" => (true, false),
        "hhex" => (true, true),
        other => {
            return Err(EntryError::Unsupported(format!(
                "\"{other}\" codes are not supported"
            )));
        }
    };
    let secret = if hex {
        let bytes = hex_vec(
            &secret_text,
            "the hex secret",
            softkey_otp::MAX_SECRET_BYTES,
        )?;
        Secret::from_bytes(&bytes)
    } else {
        Secret::from_base32(&secret_text)
    }
    .map_err(|e| e.to_string())?;
    let digits = number("digits").unwrap_or(6);
    let otp = OtpAuth {
        issuer: Some(text("issuer")).filter(|i| !i.is_empty()),
        account: text("account"),
        secret,
        algorithm: algorithm(e.get("algorithm")).map_err(EntryError::Unsupported)?,
        digits: u8::try_from(digits).map_err(|_| format!("{digits} digits"))?,
        kind: if hotp {
            OtpKind::Hotp {
                counter: number("counter").unwrap_or(0),
            }
        } else {
            OtpKind::Totp {
                period: u32::try_from(number("period").unwrap_or(30))
                    .map_err(|_| "period out of range".to_owned())?,
            }
        },
    };
    otp.validate().map_err(|e| e.to_string())?;
    Ok(TotpItem::from_otp(otp))
}

/// Reads a plain backup. Entries come out in their `index` order. An entry of a kind SoftKey
/// does not support (Steam, Battle.net) fails it; see [`read_lenient`].
pub fn read(text: &str) -> Result<Vec<TotpItem>, FormatError> {
    let (items, skipped) = read_lenient(text)?;
    strict(FORMAT, items, skipped)
}

/// [`read`], leaving out (and listing) entries of kinds SoftKey does not support.
pub fn read_lenient(text: &str) -> Result<(Vec<TotpItem>, Vec<Skipped>), FormatError> {
    check_size(FORMAT, text.len())?;
    let top: Value = serde_json::from_str(text).map_err(|e| FormatError::NotThisFormat {
        format: FORMAT,
        why: format!("it is not JSON ({e})"),
    })?;
    let object = top.as_object().ok_or_else(|| FormatError::NotThisFormat {
        format: FORMAT,
        why: "it is not a JSON object of entries".into(),
    })?;
    check_count(FORMAT, object.len())?;
    let encrypted_entry = object
        .values()
        .any(|v| v.get("encrypted").and_then(Value::as_bool) == Some(true));
    if encrypted_entry || object.get("key").is_some_and(Value::is_object) {
        return Err(FormatError::Unsupported {
            format: FORMAT,
            what: "encryption (its format is not published; export the backup without a password)"
                .into(),
        });
    }
    let mut entries: Vec<(u64, usize, &Map<String, Value>)> = Vec::new();
    for (position, value) in object.values().enumerate() {
        let Some(map) = value.as_object().filter(|m| m.contains_key("secret")) else {
            continue;
        };
        let index = map.get("index").and_then(Value::as_u64).unwrap_or(u64::MAX);
        entries.push((index, position, map));
    }
    if entries.is_empty() {
        return Err(FormatError::NotThisFormat {
            format: FORMAT,
            why: "no entry with a secret".into(),
        });
    }
    entries.sort_by_key(|(index, position, _)| (*index, *position));
    let results = entries.into_iter().map(|(_, _, map)| {
        let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or_default();
        let label = [text("issuer"), text("account")]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        (label, entry(map))
    });
    collect_entries(FORMAT, results)
}
