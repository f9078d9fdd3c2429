//! `transfer.run`: moving a security key between two vaults, so a Python relying party
//! (py_webauthn) can check that the moved key still signs for the credential it registered.
//!
//! `{"steps":[step, ...]}` → `{"results":[result, ...]}`, each step against a named vault:
//! - `{"op":"vault","vault","password"}`: a new, empty vault
//! - `{"op":"create","vault","origin","options":<CreationOptionsJSON>}` → `{"ok": response}`
//! - `{"op":"get","vault","origin","options":<RequestOptionsJSON>,"now_ms"?}` →
//!   `{"ok": response}` or `{"not_ours": reason}`
//! - `{"op":"export","vault","mode":"move"|"copy","password","now_ms"?}`: an encrypted backup,
//!   kept for the next import → `{"ok": {"bytes": N}}`
//! - `{"op":"import","vault","password"}`: opens the last export and imports it →
//!   `{"ok": <ImportPreview>}`
//!
//! An `allowCredentials` id `"$N"` stands for the credential made by step N.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use softkey_core::keyring::KeyExport;
use softkey_core::{AwsContext, Caller, CreateDecision, GetDecision, KdfParams, Keyring};
use softkey_formats::backup;
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};

const NOW_MS: u64 = 1_767_225_600_000;

fn text<'a>(step: &'a Value, key: &str) -> Result<&'a str, String> {
    step.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("step needs \"{key}\""))
}

fn caller(step: &Value) -> Result<Caller, String> {
    Ok(Caller {
        origin: text(step, "origin")?.into(),
        top_origin: None,
    })
}

/// Runs one `transfer.<command>`.
pub fn run(command: &str, input: Value) -> Result<Value, String> {
    if command != "run" {
        return Err(format!("unknown transfer command '{command}'"));
    }
    let steps = input
        .get("steps")
        .and_then(Value::as_array)
        .ok_or("input needs a \"steps\" array")?;
    let mut vaults: BTreeMap<String, Keyring> = BTreeMap::new();
    let mut last_export: Option<Vec<u8>> = None;
    let mut results: Vec<Value> = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let mut step = step.clone();
        if let Some(list) = step
            .get_mut("options")
            .and_then(|o| o.get_mut("allowCredentials"))
            .and_then(Value::as_array_mut)
        {
            for descriptor in list {
                if let Some(n) = descriptor
                    .get("id")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('$'))
                {
                    let n: usize = n.parse().map_err(|_| "bad reference".to_owned())?;
                    let id = results
                        .get(n)
                        .and_then(|r| r.get("ok"))
                        .and_then(|r| r.get("id"))
                        .cloned()
                        .ok_or_else(|| format!("step {n} made no credential"))?;
                    descriptor["id"] = id;
                }
            }
        }
        let op = text(&step, "op")?.to_owned();
        let name = text(&step, "vault")?.to_owned();
        let now_ms = step.get("now_ms").and_then(Value::as_u64).unwrap_or(NOW_MS);
        let fail = |e: String| format!("step {index} ({op}): {e}");
        let result = if op == "vault" {
            let (keyring, _) = Keyring::create(
                text(&step, "password").map_err(fail)?.as_bytes(),
                KdfParams::MIN,
                NOW_MS,
            )
            .map_err(|e| fail(e.to_string()))?;
            vaults.insert(name, keyring);
            json!({"ok": {}})
        } else {
            let keyring = vaults
                .get_mut(&name)
                .ok_or_else(|| fail(format!("no vault {name}")))?;
            match op.as_str() {
                "create" => {
                    let options: CreationOptionsJson =
                        serde_json::from_value(step["options"].clone())
                            .map_err(|e| fail(e.to_string()))?;
                    let decision = keyring
                        .prepare_create("c", &caller(&step).map_err(fail)?, &options)
                        .map_err(|e| fail(e.to_string()))?;
                    if !matches!(decision, CreateDecision::NeedsConsent { .. }) {
                        return Err(fail(format!("not ours: {decision:?}")));
                    }
                    let (response, _) = keyring
                        .finish_create("c", AwsContext::default(), None, now_ms)
                        .map_err(|e| fail(e.to_string()))?;
                    json!({"ok": response})
                }
                "get" => {
                    let options: RequestOptionsJson =
                        serde_json::from_value(step["options"].clone())
                            .map_err(|e| fail(e.to_string()))?;
                    match keyring
                        .prepare_get("g", &caller(&step).map_err(fail)?, &options)
                        .map_err(|e| fail(e.to_string()))?
                    {
                        GetDecision::NotOurs { reason } => json!({"not_ours": reason}),
                        GetDecision::Ready { .. } => {
                            let (response, _) = keyring
                                .finish_get("g", now_ms)
                                .map_err(|e| fail(e.to_string()))?;
                            json!({"ok": response})
                        }
                    }
                }
                "export" => {
                    let mode = match text(&step, "mode").map_err(fail)? {
                        "move" => KeyExport::Move,
                        "copy" => KeyExport::Copy,
                        other => return Err(fail(format!("unknown mode {other}"))),
                    };
                    let (file, _) = keyring
                        .export_backup(
                            text(&step, "password").map_err(fail)?.as_bytes(),
                            mode,
                            KdfParams::MIN,
                            now_ms,
                        )
                        .map_err(|e| fail(e.to_string()))?;
                    let size = file.len();
                    last_export = Some(file);
                    json!({"ok": {"bytes": size}})
                }
                "import" => {
                    let file = last_export
                        .as_ref()
                        .ok_or_else(|| fail("nothing exported yet".into()))?;
                    let opened =
                        backup::open(file, text(&step, "password").map_err(fail)?.as_bytes())
                            .map_err(|e| fail(e.to_string()))?;
                    let (preview, _) = keyring
                        .import(&opened, now_ms)
                        .map_err(|e| fail(e.to_string()))?;
                    json!({"ok": preview})
                }
                other => return Err(fail(format!("unknown op {other}"))),
            }
        };
        results.push(result);
    }
    Ok(json!({"results": results}))
}
