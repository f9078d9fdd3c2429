//! `qr.*` commands: lets Python tests drive `softkey-qr` with JSON.
//!
//! - `decode`: `{"images":[{"width","height","luma_hex"|"rgba_hex"}]}` →
//!   `{"results":[{"texts":[..]} | {"error","name"}]}`, one result per image, so a refusal of one
//!   image is a result to check, not a failed command.
//! - `encode`: `{"texts":[..]}` → `{"results":[{"size","rows":["0110…",…]} | {"error","name"}]}`,
//!   one row string per module row, `1` for dark.

use serde_json::{Value, json};
use softkey_qr::QrError;

/// Runs one `qr.<command>`.
pub fn run(command: &str, input: Value) -> Result<Value, String> {
    match command {
        "decode" => each(&input, "images", |image| {
            let width = dimension(image, "width")?;
            let height = dimension(image, "height")?;
            let decoded = if let Some(hex) = image.get("luma_hex").and_then(Value::as_str) {
                softkey_qr::decode_luma(&from_hex(hex)?, width, height)
            } else if let Some(hex) = image.get("rgba_hex").and_then(Value::as_str) {
                softkey_qr::decode_rgba(&from_hex(hex)?, width, height)
            } else {
                return Err("an image needs \"luma_hex\" or \"rgba_hex\"".into());
            };
            Ok(outcome(decoded.map(|texts| json!({ "texts": texts }))))
        }),
        "encode" => each(&input, "texts", |text| {
            let text = text.as_str().ok_or("texts must be strings")?;
            Ok(outcome(softkey_qr::encode(text).map(|m| {
                let rows: Vec<String> = (0..m.size())
                    .map(|y| {
                        (0..m.size())
                            .map(|x| if m.is_dark(x, y) { '1' } else { '0' })
                            .collect()
                    })
                    .collect();
                json!({ "size": m.size(), "rows": rows })
            })))
        }),
        other => Err(format!("unknown qr command '{other}'")),
    }
}

fn outcome(result: Result<Value, QrError>) -> Value {
    result.unwrap_or_else(|e| json!({ "error": e.to_string(), "name": e.name() }))
}

fn each(
    input: &Value,
    field: &str,
    one: impl Fn(&Value) -> Result<Value, String>,
) -> Result<Value, String> {
    let items = input
        .get(field)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("input needs a \"{field}\" array"))?;
    let results = items
        .iter()
        .enumerate()
        .map(|(i, item)| one(item).map_err(|e| format!("{field}[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "results": results }))
}

fn dimension(v: &Value, name: &str) -> Result<u32, String> {
    v.get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("missing or bad \"{name}\""))
}

fn from_hex(hex: &str) -> Result<Vec<u8>, String> {
    if !hex.len().is_multiple_of(2) {
        return Err("hex has an odd length".into());
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| format!("not hex at {i}"))
        })
        .collect()
}
