//! Bitwarden's unencrypted JSON export: `items[]` of type 1 (login), whose `login.totp` holds a
//! TOTP key (a bare base32 secret or an `otpauth://` URI) and whose `login.fido2Credentials`
//! holds passkeys with PKCS#8 private keys (`keyValue`, base64url) and credential IDs written
//! as a GUID or as `b64.` and base64url.

use rand_core::CryptoRng;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use softkey_otp::{OtpAuth, OtpKind, Secret};
use zeroize::Zeroizing;

use crate::codec::{b64_decode_any, b64url_encode, uuid};
use crate::model::{
    AwsContext, EntryError, PasskeyItem, PasskeyUser, PrivateKey, Skipped, TotpItem,
};
use crate::{FormatError, check_count, check_size};

const FORMAT: &str = "Bitwarden";

/// What a Bitwarden export holds that SoftKey can use.
#[derive(Debug, Default)]
pub struct BitwardenImport {
    /// Logins with a TOTP key.
    pub totp: Vec<TotpItem>,
    /// Passkeys.
    pub security_keys: Vec<PasskeyItem>,
    /// TOTP keys and passkeys SoftKey cannot use (Steam codes, other algorithms).
    pub skipped: Vec<Skipped>,
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the epoch (proleptic Gregorian, UTC).
pub(crate) fn iso8601(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        ms % 1000
    )
}

fn credential_id_text(id: &[u8]) -> String {
    format!("b64.{}", b64url_encode(id))
}

fn parse_credential_id(text: &str) -> Result<Vec<u8>, String> {
    if let Some(rest) = text.strip_prefix("b64.") {
        return b64_decode_any(rest).map(|z| z.to_vec());
    }
    // Bitwarden's own passkeys: a GUID whose 16 bytes are the credential ID.
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    if hex.len() == 32 && text.len() == 36 {
        let mut out = [0u8; 16];
        if base16ct::mixed::decode(&hex, &mut out).is_ok() {
            return Ok(out.to_vec());
        }
    }
    Err("the credential ID is neither a GUID nor b64.<base64url>".into())
}

/// A Bitwarden export: one login per TOTP entry (`login.totp` is its `otpauth://` URI) and one
/// per security key (`login.fido2Credentials` with the PKCS#8 key; `counter` is the highest value
/// the key may have given, so a password manager that goes on from it stays above).
pub fn write<R: CryptoRng + ?Sized>(
    totp: &[TotpItem],
    keys: &[PasskeyItem],
    now_ms: u64,
    rng: &mut R,
) -> Result<Zeroizing<String>, FormatError> {
    let mut items = Vec::new();
    for item in totp {
        items.push(json!({
            "id": uuid(rng),
            "organizationId": null,
            "folderId": null,
            "type": 1,
            "reprompt": 0,
            "name": item.label,
            "notes": null,
            "favorite": false,
            "login": {
                "uris": [],
                "username": item.otp.account,
                "password": null,
                "totp": item.otp.to_uri(),
                "fido2Credentials": [],
            },
            "collectionIds": null,
        }));
    }
    for key in keys {
        let der = key
            .private_key
            .to_pkcs8_der()
            .map_err(|why| FormatError::CannotExport {
                format: FORMAT,
                why,
            })?;
        let user = key.user.as_ref();
        let created = if key.created_ms == 0 {
            now_ms
        } else {
            key.created_ms
        };
        let uri = if key.rp_id.starts_with("https://") {
            key.rp_id.clone()
        } else {
            format!("https://{}", key.rp_id)
        };
        items.push(json!({
            "id": uuid(rng),
            "organizationId": null,
            "folderId": null,
            "type": 1,
            "reprompt": 0,
            "name": if key.label.is_empty() { key.rp_id.clone() } else { key.label.clone() },
            "notes": null,
            "favorite": false,
            "login": {
                "uris": [{"match": null, "uri": uri}],
                "username": user.map(|u| u.name.clone()),
                "password": null,
                "totp": null,
                "fido2Credentials": [{
                    "credentialId": credential_id_text(&key.credential_id),
                    "keyType": "public-key",
                    "keyAlgorithm": "ECDSA",
                    "keyCurve": "P-256",
                    "keyValue": b64url_encode(&der),
                    "rpId": key.rp_id,
                    "userHandle": user.map(|u| b64url_encode(&u.id)),
                    "userName": user.map(|u| u.name.clone()),
                    "counter": key.sign_count.to_string(),
                    "rpName": key.rp_id,
                    "userDisplayName": user.map(|u| u.display_name.clone()),
                    "discoverable": key.discoverable.to_string(),
                    "creationDate": iso8601(created),
                }],
            },
            "collectionIds": null,
        }));
    }
    let export = json!({"encrypted": false, "folders": [], "items": items});
    serde_json::to_string_pretty(&export)
        .map(Zeroizing::new)
        .map_err(|e| FormatError::CannotExport {
            format: FORMAT,
            why: e.to_string(),
        })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fido2Credential {
    credential_id: String,
    #[serde(default)]
    key_algorithm: Option<String>,
    #[serde(default)]
    key_curve: Option<String>,
    key_value: String,
    rp_id: String,
    #[serde(default)]
    user_handle: Option<String>,
    #[serde(default)]
    user_name: Option<String>,
    #[serde(default)]
    user_display_name: Option<String>,
    #[serde(default)]
    counter: Option<Value>,
    #[serde(default)]
    discoverable: Option<Value>,
}

impl Drop for Fido2Credential {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.key_value);
    }
}

fn loose_u32(v: Option<&Value>) -> Result<u32, String> {
    match v {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("counter {n} is out of range")),
        Some(Value::String(s)) if s.is_empty() => Ok(0),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| format!("counter \"{s}\" is not a number")),
        Some(other) => Err(format!("counter {other} is not a number")),
    }
}

fn loose_bool(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn passkey(cred: &Fido2Credential, label: &str) -> Result<PasskeyItem, EntryError> {
    if cred.key_algorithm.as_deref().is_some_and(|a| a != "ECDSA")
        || cred.key_curve.as_deref().is_some_and(|c| c != "P-256")
    {
        return Err(EntryError::Unsupported(
            "only ECDSA P-256 (ES256) passkeys are supported".into(),
        ));
    }
    let der = b64_decode_any(&cred.key_value).map_err(|_| "keyValue is not base64".to_owned())?;
    let private_key = PrivateKey::from_pkcs8_der(&der)?;
    let credential_id = parse_credential_id(&cred.credential_id)?;
    if credential_id.is_empty() || credential_id.len() > 1023 {
        return Err(EntryError::Invalid(
            "the credential ID must be 1 to 1023 bytes".into(),
        ));
    }
    if cred.rp_id.is_empty() || cred.rp_id.len() > 253 + 64 {
        return Err(EntryError::Invalid("the RP ID is empty or too long".into()));
    }
    let user = match cred.user_handle.as_deref().filter(|h| !h.is_empty()) {
        Some(handle) => {
            let id = b64_decode_any(handle).map_err(|_| "userHandle is not base64".to_owned())?;
            if id.len() > 64 {
                return Err(EntryError::Invalid(
                    "userHandle is longer than 64 bytes".into(),
                ));
            }
            Some(PasskeyUser {
                id: id.to_vec(),
                name: cred.user_name.clone().unwrap_or_default(),
                display_name: cred.user_display_name.clone().unwrap_or_default(),
            })
        }
        None => None,
    };
    let made_with_u2f = cred.rp_id.starts_with("https://");
    Ok(PasskeyItem {
        credential_id,
        rp_id_hash: Sha256::digest(cred.rp_id.as_bytes()).to_vec(),
        rp_id: cred.rp_id.clone(),
        user,
        private_key,
        sign_count: loose_u32(cred.counter.as_ref())?,
        discoverable: loose_bool(cred.discoverable.as_ref()),
        backup_eligible: false,
        label: label.to_owned(),
        aws: AwsContext::default(),
        created_ms: 0,
        made_with_u2f,
        clock_counter: false,
    })
}

fn totp_item(text: &str, name: &str, username: Option<&str>) -> Result<TotpItem, EntryError> {
    let text = text.trim();
    let otp = if text.to_ascii_lowercase().starts_with("otpauth:") {
        OtpAuth::parse(text).map_err(|e| e.to_string())?
    } else if text.to_ascii_lowercase().starts_with("steam:") {
        return Err(EntryError::Unsupported(
            "Steam codes are not supported".into(),
        ));
    } else {
        let otp = OtpAuth {
            issuer: Some(name.to_owned()).filter(|n| !n.is_empty()),
            account: username.unwrap_or_default().to_owned(),
            secret: Secret::from_base32(text).map_err(|e| e.to_string())?,
            algorithm: softkey_otp::Algorithm::Sha1,
            digits: 6,
            kind: OtpKind::Totp { period: 30 },
        };
        otp.validate().map_err(|e| e.to_string())?;
        otp
    };
    let mut item = TotpItem::from_otp(otp);
    if !name.trim().is_empty() {
        item.label = name.trim().to_owned();
    }
    Ok(item)
}

/// Reads an unencrypted Bitwarden JSON export. Items without a TOTP key or passkey are skipped;
/// an unusable TOTP key or passkey fails the import, naming the item.
pub fn read(text: &str) -> Result<BitwardenImport, FormatError> {
    check_size(FORMAT, text.len())?;
    let top: Value = serde_json::from_str(text).map_err(|e| FormatError::NotThisFormat {
        format: FORMAT,
        why: format!("it is not JSON ({e})"),
    })?;
    if top.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(FormatError::Unsupported {
            format: FORMAT,
            what: "encryption (export it as unencrypted JSON, or import it into Bitwarden first)"
                .into(),
        });
    }
    let items =
        top.get("items")
            .and_then(Value::as_array)
            .ok_or_else(|| FormatError::NotThisFormat {
                format: FORMAT,
                why: "it has no items list".into(),
            })?;
    check_count(FORMAT, items.len())?;
    let mut out = BitwardenImport::default();
    for (i, item) in items.iter().enumerate() {
        let invalid = |why: String| FormatError::InvalidEntry {
            format: FORMAT,
            index: i + 1,
            why,
        };
        let Some(login) = item.get("login").filter(|l| l.is_object()) else {
            continue;
        };
        let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
        let username = login.get("username").and_then(Value::as_str);
        if let Some(totp) = login
            .get("totp")
            .and_then(Value::as_str)
            .filter(|t| !t.trim().is_empty())
        {
            match totp_item(totp, name, username) {
                Ok(item) => out.totp.push(item),
                Err(EntryError::Unsupported(why)) => out.skipped.push(Skipped {
                    label: name.to_owned(),
                    why,
                }),
                Err(EntryError::Invalid(why)) => return Err(invalid(why)),
            }
        }
        if let Some(creds) = login.get("fido2Credentials").and_then(Value::as_array) {
            for cred in creds {
                let cred: Fido2Credential = serde_json::from_value(cred.clone())
                    .map_err(|e| invalid(format!("a passkey does not parse: {e}")))?;
                match passkey(&cred, name) {
                    Ok(key) => out.security_keys.push(key),
                    Err(EntryError::Unsupported(why)) => out.skipped.push(Skipped {
                        label: name.to_owned(),
                        why,
                    }),
                    Err(EntryError::Invalid(why)) => return Err(invalid(why)),
                }
            }
        }
        check_count(FORMAT, out.totp.len() + out.security_keys.len())?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
