//! `webauthn.*` commands: run a script of WebAuthn and U2F steps against one fresh authenticator
//! (one install: one key-handle key, one attestation identity, one store), so Python verifiers
//! can check what it produces.
//!
//! `webauthn.run`: `{"steps":[step, ...]}` → `{"results":[result, ...], "attestation_certificate"}`
//! - `{"op":"create","origin","top_origin"?,"options":<CreationOptionsJSON>,"format"?:"packed"|"fido-u2f"}`
//! - `{"op":"get","origin","top_origin"?,"options":<RequestOptionsJSON>,"user_present"?:true}`
//! - `{"op":"u2f_register","challenge_hex","app_id"}` (application parameter = SHA-256(app_id))
//! - `{"op":"u2f_authenticate","challenge_hex","app_id","key_handle_hex","control"?:3}`
//! - `{"op":"client_data","type":"create"|"get","challenge_hex","origin","top_origin"?}` → `{"ok":
//!   {"json": clientDataJSON as text}}`: the serialization alone, for any strings (a ceremony
//!   refuses an origin or top origin no browser would write)
//!
//! An `allowCredentials` / `excludeCredentials` id of the form `"$N"` stands for the credential
//! made by step N (a WebAuthn `create` or a `u2f_register`), so a script can sign with what it
//! just registered.
//!
//! A result is `{"ok": <response JSON or {"hex": raw U2F bytes}>}`, `{"not_ours": reason}`, or
//! `{"error": {"name": <DOMException name or U2F status>, "message"}}`.

use serde_json::{Value, json};
use softkey_webauthn::authenticator::rp_id_hash;
use softkey_webauthn::client::{self, Caller, Plan};
use softkey_webauthn::client_data::{CeremonyType, ClientData};
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};
use softkey_webauthn::{
    AttestationFormat, AttestationIdentity, Authenticator, KeyHandleKey, MemoryStore,
    WebAuthnError, u2f,
};

type Rng = softkey_core::rng::SystemRng;

/// Runs one `webauthn.<command>`.
pub fn run(command: &str, input: Value) -> Result<Value, String> {
    match command {
        "run" => run_script(&input),
        other => Err(format!("unknown webauthn command '{other}'")),
    }
}

fn run_script(input: &Value) -> Result<Value, String> {
    let mut rng = softkey_core::rng::system_rng();
    let mut secret = zeroize::Zeroizing::new([0u8; 32]);
    rand_fill(&mut rng, secret.as_mut());
    let key_handles = KeyHandleKey::new(secret);
    let identity =
        AttestationIdentity::generate(&mut rng, 1_767_225_600).map_err(|e| e.to_string())?;
    let authenticator = Authenticator::new(&key_handles, &identity);
    let mut store = MemoryStore::default();
    let steps = input
        .get("steps")
        .and_then(Value::as_array)
        .ok_or("input needs a \"steps\" array")?;
    let mut results = Vec::with_capacity(steps.len());
    for (index, step) in steps.iter().enumerate() {
        let step = resolve_references(step, &results)?;
        let result = run_step(&authenticator, &mut store, &step, &mut rng)
            .map_err(|e| format!("step {index}: {e}"))?;
        results.push(result);
    }
    Ok(json!({
        "results": results,
        "attestation_certificate_hex": hex(identity.certificate_der()),
    }))
}

/// Replaces `"$N"` credential ids in a step's options with step N's credential id.
fn resolve_references(step: &Value, results: &[Value]) -> Result<Value, String> {
    let mut step = step.clone();
    if let Some(reference) = step
        .get("key_handle_hex")
        .and_then(Value::as_str)
        .map(str::to_owned)
        && let Some(index) = reference.strip_prefix('$')
    {
        let index: usize = index
            .parse()
            .map_err(|_| format!("bad reference {reference}"))?;
        let id = made_credential_id(results, index)?;
        step["key_handle_hex"] = Value::String(hex(&softkey_webauthn::b64::decode(&id)?));
    }
    for list in ["allowCredentials", "excludeCredentials"] {
        let Some(descriptors) = step
            .get_mut("options")
            .and_then(|o| o.get_mut(list))
            .and_then(Value::as_array_mut)
        else {
            continue;
        };
        for descriptor in descriptors {
            let Some(reference) = descriptor.get("id").and_then(Value::as_str) else {
                continue;
            };
            let Some(index) = reference.strip_prefix('$') else {
                continue;
            };
            let index: usize = index
                .parse()
                .map_err(|_| format!("bad reference {reference}"))?;
            descriptor["id"] = Value::String(made_credential_id(results, index)?);
        }
    }
    Ok(step)
}

/// The base64url credential id made by step `index`.
fn made_credential_id(results: &[Value], index: usize) -> Result<String, String> {
    let reference = format!("${index}");
    let made = results
        .get(index)
        .and_then(|r| r.get("ok"))
        .ok_or_else(|| format!("{reference}: step {index} made no credential"))?;
    let id = match (made.get("id"), made.get("hex")) {
        (Some(Value::String(id)), _) => id.clone(),
        (_, Some(Value::String(raw))) => {
            // U2F registration: 0x05 | public key (65) | L | key handle | ...
            let bytes = unhex(raw)?;
            let len = usize::from(*bytes.get(66).ok_or("short U2F response")?);
            let handle = bytes.get(67..67 + len).ok_or("short U2F response")?;
            softkey_webauthn::b64::encode(handle)
        }
        _ => return Err(format!("{reference}: step {index} made no credential")),
    };
    Ok(id)
}

fn rand_fill(rng: &mut Rng, out: &mut [u8]) {
    use rand_core::Rng as _;
    rng.fill_bytes(out);
}

fn caller(step: &Value) -> Result<Caller, String> {
    Ok(Caller {
        origin: str_field(step, "origin")?.to_owned(),
        top_origin: step
            .get("top_origin")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

fn refused(error: &WebAuthnError) -> Value {
    json!({ "error": { "name": error.dom_name().as_str(), "message": error.to_string() } })
}

fn run_step(
    authenticator: &Authenticator<'_>,
    store: &mut MemoryStore,
    step: &Value,
    rng: &mut Rng,
) -> Result<Value, String> {
    match str_field(step, "op")? {
        "create" => {
            let options: CreationOptionsJson =
                serde_json::from_value(step.get("options").cloned().unwrap_or_default())
                    .map_err(|e| format!("bad options: {e}"))?;
            let format = match step.get("format").and_then(Value::as_str) {
                Some(name) => {
                    AttestationFormat::parse(name).ok_or(format!("unknown format {name}"))?
                }
                None => AttestationFormat::PackedSelf,
            };
            let plan = client::prepare_create(authenticator, store, &caller(step)?, &options);
            Ok(match plan {
                Err(e) => refused(&e),
                Ok(Plan::NotOurs(why)) => json!({ "not_ours": why }),
                Ok(Plan::Ready(prepared)) => {
                    match client::finish_create(authenticator, store, &prepared, format, true, rng)
                    {
                        Ok(response) => json!({ "ok": response }),
                        Err(e) => refused(&e),
                    }
                }
            })
        }
        "get" => {
            let options: RequestOptionsJson =
                serde_json::from_value(step.get("options").cloned().unwrap_or_default())
                    .map_err(|e| format!("bad options: {e}"))?;
            let user_present = step
                .get("user_present")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let plan = client::prepare_get(authenticator, store, &caller(step)?, &options, None);
            Ok(match plan {
                Err(e) => refused(&e),
                Ok(Plan::NotOurs(why)) => json!({ "not_ours": why }),
                Ok(Plan::Ready(prepared)) => {
                    match client::finish_get(authenticator, store, &prepared, user_present) {
                        Ok(response) => json!({ "ok": response }),
                        Err(e) => refused(&e),
                    }
                }
            })
        }
        "u2f_register" => {
            let app_id = str_field(step, "app_id")?;
            let mut request = unhex(str_field(step, "challenge_hex")?)?;
            request.extend_from_slice(&rp_id_hash(app_id));
            Ok(
                match u2f::register(authenticator, store, &request, Some(app_id), true, rng) {
                    Ok(bytes) => json!({ "ok": { "hex": hex(&bytes) } }),
                    Err(e) => {
                        json!({ "error": { "name": format!("{:04X}", e.status_word()), "message": e.to_string() } })
                    }
                },
            )
        }
        "u2f_authenticate" => {
            let app_id = str_field(step, "app_id")?;
            let key_handle = unhex(str_field(step, "key_handle_hex")?)?;
            let mut request = unhex(str_field(step, "challenge_hex")?)?;
            request.extend_from_slice(&rp_id_hash(app_id));
            request.push(u8::try_from(key_handle.len()).map_err(|_| "key handle too long")?);
            request.extend_from_slice(&key_handle);
            let control = step
                .get("control")
                .and_then(Value::as_u64)
                .and_then(|c| u8::try_from(c).ok())
                .unwrap_or(u2f::ENFORCE_USER_PRESENCE);
            Ok(
                match u2f::authenticate(authenticator, store, control, &request, true) {
                    Ok(bytes) => json!({ "ok": { "hex": hex(&bytes) } }),
                    Err(e) => {
                        json!({ "error": { "name": format!("{:04X}", e.status_word()), "message": e.to_string() } })
                    }
                },
            )
        }
        "client_data" => {
            let ceremony = match str_field(step, "type")? {
                "create" => CeremonyType::Create,
                "get" => CeremonyType::Get,
                other => return Err(format!("unknown client data type '{other}'")),
            };
            let data = ClientData {
                ceremony,
                challenge: unhex(str_field(step, "challenge_hex")?)?,
                origin: str_field(step, "origin")?.to_owned(),
                top_origin: step
                    .get("top_origin")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            };
            let json = String::from_utf8(data.to_json()).map_err(|e| e.to_string())?;
            Ok(json!({ "ok": { "json": json } }))
        }
        other => Err(format!("unknown op '{other}'")),
    }
}

fn str_field<'a>(value: &'a Value, name: &str) -> Result<&'a str, String> {
    value
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("missing string field \"{name}\""))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) {
        return Err("hex string has odd length".into());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| format!("bad hex at {i}")))
        .collect()
}
