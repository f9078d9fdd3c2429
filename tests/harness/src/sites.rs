//! `sites.surfaceOf`: the Rust site table's answer for each URL, so the Node test can check that
//! the generated `extension/shared/sites.js` answers the same.

use serde_json::{Value, json};
use softkey_core::sites;

pub fn run(command: &str, input: Value) -> Result<Value, String> {
    match command {
        "surfaceOf" => {
            let urls = input.as_array().ok_or("expected an array of URLs")?;
            Ok(Value::Array(
                urls.iter()
                    .map(|u| {
                        let m = u.as_str().and_then(sites::surface_of);
                        json!(m.map(|m| m.surface.id))
                    })
                    .collect(),
            ))
        }
        "originHas" => {
            let origins = input.as_array().ok_or("expected an array of origins")?;
            Ok(Value::Array(
                origins
                    .iter()
                    .map(|o| {
                        let o = o.as_str().unwrap_or("");
                        json!({
                            "webauthn": sites::origin_has(o, |c| c.webauthn),
                            "u2f": sites::origin_has(o, |c| c.u2f),
                        })
                    })
                    .collect(),
            ))
        }
        other => Err(format!("unknown sites command '{other}'")),
    }
}
