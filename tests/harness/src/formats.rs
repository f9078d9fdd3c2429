//! `formats.*` commands: SoftKey's writers and readers for export formats, so Python tests can
//! check them with independent tools (protobuf, cryptography) and write files for them to read.
//!
//! - `formats.backup_seal`: `{"totp":[{"uri","label"?,"aws"?}],"password"}` → `{"file_hex"}`
//!   (Argon2id at the lowest accepted cost, to keep tests fast)
//! - `formats.backup_open`: `{"file_hex","password"}` → `{"totp":[{"uri","label","aws"}],"security_keys":N}`
//! - `formats.google_write`: `{"uris":[...]}` → `{"migration":[...]}`
//! - `formats.google_read`: `{"uri"}` → `{"uris":[...]}` (as `otpauth://`)
//! - `formats.aegis_write`: `{"uris":[...],"password"?}` → `{"text"}` (encrypted with a password)
//! - `formats.aegis_read`: `{"text","password"?}` → `{"uris":[...]}`
//!
//! Errors are `"<Kind>: <message>"`, the kind being `FormatError::kind`.

use serde_json::{Value, json};
use softkey_core::KdfParams;
use softkey_formats::{AwsContext, Backup, FormatError, TotpItem, aegis, backup, google};
use softkey_otp::OtpAuth;

fn kind(e: FormatError) -> String {
    format!("{}: {e}", e.kind())
}

fn items(input: &Value, key: &str) -> Result<Vec<TotpItem>, String> {
    let list = input
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("input needs a \"{key}\" array"))?;
    list.iter()
        .map(|v| {
            let uri = v
                .as_str()
                .or_else(|| v.get("uri").and_then(Value::as_str))
                .ok_or("an entry needs a uri")?;
            let mut item = TotpItem::from_otp(OtpAuth::parse(uri).map_err(|e| e.to_string())?);
            if let Some(label) = v.get("label").and_then(Value::as_str) {
                item.label = label.into();
            }
            if let Some(aws) = v.get("aws") {
                item.aws =
                    serde_json::from_value::<AwsContext>(aws.clone()).map_err(|e| e.to_string())?;
            }
            Ok(item)
        })
        .collect()
}

fn password(input: &Value) -> Option<&[u8]> {
    input
        .get("password")
        .and_then(Value::as_str)
        .map(str::as_bytes)
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err("odd hex length".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| "bad hex".to_owned()))
        .collect()
}

/// Runs one `formats.<command>`.
pub fn run(command: &str, input: Value) -> Result<Value, String> {
    let mut rng = softkey_core::rng::system_rng();
    match command {
        "backup_seal" => {
            let model = Backup {
                created_ms: 0,
                totp: items(&input, "totp")?,
                ..Backup::default()
            };
            let pw = password(&input).ok_or("needs a password")?;
            let file = backup::seal(&model, pw, KdfParams::MIN, &mut rng).map_err(kind)?;
            Ok(json!({"file_hex": file.iter().map(|b| format!("{b:02x}")).collect::<String>()}))
        }
        "backup_open" => {
            let file = unhex(
                input
                    .get("file_hex")
                    .and_then(Value::as_str)
                    .ok_or("needs file_hex")?,
            )?;
            let pw = password(&input).ok_or("needs a password")?;
            let opened = backup::open(&file, pw).map_err(kind)?;
            let totp: Vec<Value> = opened
                .totp
                .iter()
                .map(|i| json!({"uri": i.otp.to_uri(), "label": i.label, "aws": i.aws}))
                .collect();
            Ok(json!({"totp": totp, "security_keys": opened.security_keys.len()}))
        }
        "google_write" => {
            let uris = google::write(&items(&input, "uris")?, 7).map_err(kind)?;
            Ok(json!({"migration": uris.iter().map(|u| u.as_str()).collect::<Vec<_>>()}))
        }
        "google_read" => {
            let uri = input
                .get("uri")
                .and_then(Value::as_str)
                .ok_or("needs uri")?;
            let read = google::read_uri(uri).map_err(kind)?;
            Ok(json!({"uris": read.iter().map(|i| i.otp.to_uri()).collect::<Vec<_>>()}))
        }
        "aegis_write" => {
            let list = items(&input, "uris")?;
            let text = match password(&input) {
                Some(pw) => aegis::write_encrypted(&list, pw, &mut rng).map_err(kind)?,
                None => aegis::write_plain(&list, &mut rng)
                    .map_err(kind)?
                    .to_string(),
            };
            Ok(json!({"text": text}))
        }
        "aegis_read" => {
            let text = input
                .get("text")
                .and_then(Value::as_str)
                .ok_or("needs text")?;
            let read = aegis::read(text, password(&input)).map_err(kind)?;
            Ok(json!({"uris": read.iter().map(|i| i.otp.to_uri()).collect::<Vec<_>>()}))
        }
        other => Err(format!("unknown formats command '{other}'")),
    }
}
