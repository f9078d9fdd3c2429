//! 2FAS Authenticator's `.2fas` backup (JSON): `services[]`, each with a base32 `secret` and an
//! `otp` object (`tokenType` TOTP/HOTP/STEAM, `algorithm`, `digits`, `period`, `counter`,
//! `account`, `issuer`). A password-protected backup carries `servicesEncrypted` instead; it is
//! refused with a clear error (export it from 2FAS without a password).

use serde::Deserialize;
use serde_json::Value;
use softkey_otp::{Algorithm, OtpAuth, OtpKind, Secret};

use crate::model::{EntryError, Skipped, TotpItem, collect_entries};
use crate::{FormatError, check_count, check_size, strict};

const FORMAT: &str = "2FAS";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Otp {
    account: Option<String>,
    issuer: Option<String>,
    digits: Option<u8>,
    period: Option<u32>,
    algorithm: Option<String>,
    token_type: Option<String>,
    counter: Option<u64>,
}

#[derive(Deserialize)]
struct Service {
    #[serde(default)]
    name: String,
    secret: String,
    #[serde(default)]
    otp: Otp,
}

impl Drop for Service {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.secret);
    }
}

fn item(service: &Service) -> Result<TotpItem, EntryError> {
    let otp = &service.otp;
    let kind = match otp
        .token_type
        .as_deref()
        .unwrap_or("TOTP")
        .to_ascii_uppercase()
        .as_str()
    {
        "TOTP" => OtpKind::Totp {
            period: otp.period.unwrap_or(30),
        },
        "HOTP" => OtpKind::Hotp {
            counter: otp.counter.unwrap_or(0),
        },
        other => {
            return Err(EntryError::Unsupported(format!(
                "{other} codes are not supported"
            )));
        }
    };
    let issuer = otp
        .issuer
        .clone()
        .filter(|i| !i.is_empty())
        .or_else(|| Some(service.name.clone()).filter(|n| !n.is_empty()));
    let entry = OtpAuth {
        issuer,
        account: otp.account.clone().unwrap_or_default(),
        secret: Secret::from_base32(&service.secret).map_err(|e| e.to_string())?,
        algorithm: match otp.algorithm.as_deref() {
            None | Some("") => Algorithm::Sha1,
            Some(a) => a
                .parse()
                .map_err(|e: softkey_otp::OtpError| e.to_string())?,
        },
        digits: otp.digits.unwrap_or(6),
        kind,
    };
    entry.validate().map_err(|e| e.to_string())?;
    let mut item = TotpItem::from_otp(entry);
    if !service.name.trim().is_empty() {
        item.label = match &otp.account {
            Some(a) if !a.is_empty() => format!("{}: {a}", service.name.trim()),
            _ => service.name.trim().to_owned(),
        };
    }
    Ok(item)
}

/// Reads a plain `.2fas` backup; an entry of a kind SoftKey does not support (Steam) fails it.
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
    if top
        .get("servicesEncrypted")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty())
    {
        return Err(FormatError::Unsupported {
            format: FORMAT,
            what: "a backup password (export it from 2FAS without one)".into(),
        });
    }
    let services = top
        .get("services")
        .and_then(Value::as_array)
        .ok_or_else(|| FormatError::NotThisFormat {
            format: FORMAT,
            why: "it has no services list".into(),
        })?;
    check_count(FORMAT, services.len())?;
    let results = services.iter().map(|value| {
        let label = value
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let result = serde_json::from_value::<Service>(value.clone())
            .map_err(|e| EntryError::Invalid(e.to_string()))
            .and_then(|service| item(&service));
        (label, result)
    });
    collect_entries(FORMAT, results)
}
