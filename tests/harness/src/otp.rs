//! `otp.*` commands: lets Python tests drive `softkey-otp` with JSON.
//!
//! - `totp`: `{"cases":[{"secret_hex","time","digits"?,"period"?,"algorithm"?}]}` → `{"codes":[..]}`
//! - `hotp`: `{"cases":[{"secret_hex","counter","digits"?,"algorithm"?}]}` → `{"codes":[..]}`
//! - `parse`: `{"uri","time"?}` → `{"entry":<OtpAuth as serde JSON>,"uri":<canonical>,
//!   "secret_hex","code"?}`; a URI that does not parse is an `Err` with the crate's message.
//! - `pair`: `{"uri","time","min_remaining"}` → `{"codes":[first, second]}`
//!
//! Defaults where a field is missing: 6 digits, 30 s, SHA1. Any bad case fails the whole batch,
//! naming the case's index.

use serde_json::{Value, json};
use softkey_otp::{Algorithm, OtpAuth, Secret, consecutive_pair, hotp, totp};

/// Runs one `otp.<command>`.
pub fn run(command: &str, input: Value) -> Result<Value, String> {
    match command {
        "totp" => batch(&input, |case| {
            let secret = secret_from_hex(case)?;
            let time = u64_field(case, "time")?;
            let period = u32::try_from(u64_field_or(case, "period", 30)?)
                .map_err(|_| "period does not fit in u32".to_owned())?;
            totp(&secret, time, period, digits(case)?, algorithm(case)?).map_err(|e| e.to_string())
        }),
        "hotp" => batch(&input, |case| {
            let secret = secret_from_hex(case)?;
            let counter = u64_field(case, "counter")?;
            hotp(&secret, counter, digits(case)?, algorithm(case)?).map_err(|e| e.to_string())
        }),
        "parse" => {
            let entry = OtpAuth::parse(str_field(&input, "uri")?).map_err(|e| e.to_string())?;
            let mut out = json!({
                "entry": serde_json::to_value(&entry).map_err(|e| e.to_string())?,
                "uri": entry.to_uri(),
                "secret_hex": to_hex(entry.secret.as_bytes()),
            });
            if input.get("time").is_some() {
                let code = entry
                    .code_at(u64_field(&input, "time")?)
                    .map_err(|e| e.to_string())?;
                out["code"] = Value::String(code);
            }
            Ok(out)
        }
        "pair" => {
            let entry = OtpAuth::parse(str_field(&input, "uri")?).map_err(|e| e.to_string())?;
            let min = u32::try_from(u64_field(&input, "min_remaining")?)
                .map_err(|_| "min_remaining does not fit in u32".to_owned())?;
            let (first, second) = consecutive_pair(&entry, u64_field(&input, "time")?, min)
                .map_err(|e| e.to_string())?;
            Ok(json!({ "codes": [first, second] }))
        }
        other => Err(format!("unknown otp command '{other}'")),
    }
}

fn batch(input: &Value, one: impl Fn(&Value) -> Result<String, String>) -> Result<Value, String> {
    let cases = input
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("input needs a \"cases\" array")?;
    let codes = cases
        .iter()
        .enumerate()
        .map(|(i, case)| one(case).map_err(|e| format!("case {i}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "codes": codes }))
}

fn str_field<'a>(v: &'a Value, name: &str) -> Result<&'a str, String> {
    v.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field \"{name}\""))
}

fn u64_field(v: &Value, name: &str) -> Result<u64, String> {
    v.get(name)
        .and_then(Value::as_u64)
        .ok_or_else(|| format!("missing or non-integer field \"{name}\""))
}

fn u64_field_or(v: &Value, name: &str, default: u64) -> Result<u64, String> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(_) => u64_field(v, name),
    }
}

fn digits(case: &Value) -> Result<u8, String> {
    u8::try_from(u64_field_or(case, "digits", 6)?).map_err(|_| "digits too large".to_owned())
}

fn algorithm(case: &Value) -> Result<Algorithm, String> {
    match case.get("algorithm") {
        None | Some(Value::Null) => Ok(Algorithm::Sha1),
        Some(_) => str_field(case, "algorithm")?
            .parse()
            .map_err(|e: softkey_otp::OtpError| e.to_string()),
    }
}

fn secret_from_hex(case: &Value) -> Result<Secret, String> {
    let hex = str_field(case, "secret_hex")?;
    if hex.len() % 2 != 0 {
        return Err("secret_hex has an odd length".into());
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("secret_hex is not hex at {i}"))
        })
        .collect::<Result<Vec<u8>, String>>()?;
    Secret::from_bytes(&bytes).map_err(|e| e.to_string())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
