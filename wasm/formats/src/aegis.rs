//! Aegis vaults, as Aegis's `docs/vault.md` specifies them: JSON with a `header` and a `db`;
//! plain (`db` is the content object) or encrypted (`db` is base64 of AES-256-GCM ciphertext
//! under a random master key, which each password slot wraps under
//! scrypt(password, salt, N, r, p)).

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use softkey_otp::{Algorithm, OtpAuth, OtpKind, Secret};
use zeroize::Zeroizing;

use crate::codec::{b64_decode_any, b64_encode, hex_array, hex_encode, hex_vec, uuid};
use crate::model::{EntryError, Skipped, TotpItem, collect_entries};
use crate::{FormatError, check_count, check_size, strict};

const FORMAT: &str = "Aegis";

/// scrypt cost Aegis itself uses (and we write): N = 2^15, r = 8, p = 1.
pub const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
/// Bounds on a file's scrypt cost: from 2^14 (weaker is not worth a password) up to 256 MiB of
/// memory (128·N·r bytes) and p ≤ 16, so a crafted file cannot exhaust memory.
const SCRYPT_MIN_LOG_N: u8 = 14;
const SCRYPT_MAX_MEMORY: u64 = 256 * 1024 * 1024;
const SCRYPT_MAX_R: u32 = 32;
const SCRYPT_MAX_P: u32 = 16;
/// Time is N·r·p (p runs one after another in wasm), summed over every password slot the
/// reader may try: a file's total is capped at 8 times what Aegis writes (2^15 · 8 · 1), so
/// neither p = 16 at the memory cap nor thousands of slots can stall the import for minutes.
const SCRYPT_MAX_WORK: u64 = 8 * (1 << 15) * 8;

#[derive(Serialize, Deserialize)]
struct KeyParams {
    nonce: String,
    tag: String,
}

#[derive(Serialize, Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(default)]
    uuid: String,
    key: String,
    key_params: KeyParams,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<KeyParams>,
}

#[derive(Serialize, Deserialize)]
struct Info {
    secret: String,
    #[serde(default = "default_algo")]
    algo: String,
    #[serde(default = "default_digits")]
    digits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

fn default_algo() -> String {
    "SHA1".into()
}

fn default_digits() -> u8 {
    6
}

#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    uuid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    favorite: bool,
    #[serde(default)]
    icon: Option<String>,
    info: Info,
}

impl Drop for Entry {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.info.secret);
    }
}

#[derive(Serialize, Deserialize)]
struct Content {
    version: u32,
    entries: Vec<Value>,
}

fn content_json<R: CryptoRng + ?Sized>(
    items: &[TotpItem],
    rng: &mut R,
) -> Result<Zeroizing<Vec<u8>>, FormatError> {
    let mut entries = Vec::with_capacity(items.len());
    for item in items {
        let otp = &item.otp;
        let (kind, period, counter) = match otp.kind {
            OtpKind::Totp { period } => ("totp", Some(period), None),
            OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        };
        let entry = Entry {
            kind: kind.into(),
            uuid: uuid(rng),
            name: otp.account.clone(),
            issuer: otp.issuer.clone().unwrap_or_default(),
            note: String::new(),
            favorite: false,
            icon: None,
            info: Info {
                secret: otp.secret.to_base32(),
                algo: otp.algorithm.as_str().into(),
                digits: otp.digits,
                period,
                counter,
            },
        };
        entries.push(
            serde_json::to_value(&entry).map_err(|e| FormatError::CannotExport {
                format: FORMAT,
                why: e.to_string(),
            })?,
        );
    }
    let content = Content {
        version: 2,
        entries,
    };
    serde_json::to_vec(&content)
        .map(Zeroizing::new)
        .map_err(|e| FormatError::CannotExport {
            format: FORMAT,
            why: e.to_string(),
        })
}

/// A plain (unencrypted) Aegis vault.
pub fn write_plain<R: CryptoRng + ?Sized>(
    items: &[TotpItem],
    rng: &mut R,
) -> Result<Zeroizing<String>, FormatError> {
    let content = content_json(items, rng)?;
    let db: Value = serde_json::from_slice(&content).map_err(|e| FormatError::CannotExport {
        format: FORMAT,
        why: e.to_string(),
    })?;
    let vault = serde_json::json!({
        "version": 1,
        "header": {"slots": null, "params": null},
        "db": db,
    });
    serde_json::to_string_pretty(&vault)
        .map(Zeroizing::new)
        .map_err(|e| FormatError::CannotExport {
            format: FORMAT,
            why: e.to_string(),
        })
}

fn scrypt_key(
    password: &[u8],
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>, FormatError> {
    let params =
        scrypt::Params::new(log_n, r, p).map_err(|_| FormatError::KdfParamsOutOfBounds {
            format: FORMAT,
            param: "scrypt N, r, p",
            value: 1u64 << log_n,
            min: 1u64 << SCRYPT_MIN_LOG_N,
            max: SCRYPT_MAX_MEMORY / 128 / u64::from(r.max(1)),
        })?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password, salt, &params, key.as_mut_slice()).map_err(|_| {
        FormatError::Corrupted {
            format: FORMAT,
            why: "scrypt could not run with these parameters".into(),
        }
    })?;
    Ok(key)
}

/// Seals with AES-256-GCM; returns ciphertext and tag apart, as Aegis stores them.
fn gcm_seal(
    key: &[u8; 32],
    nonce: &[u8; 12],
    msg: &[u8],
) -> Result<(Vec<u8>, [u8; 16]), FormatError> {
    let mut sealed = Aes256Gcm::new(&(*key).into())
        .encrypt(&Nonce::from(*nonce), msg)
        .map_err(|_| FormatError::CannotExport {
            format: FORMAT,
            why: "encryption failed".into(),
        })?;
    let tag_at = sealed.len() - 16;
    let mut tag = [0u8; 16];
    tag.copy_from_slice(&sealed[tag_at..]);
    sealed.truncate(tag_at);
    Ok((sealed, tag))
}

fn gcm_open(
    key: &[u8; 32],
    nonce: &[u8; 12],
    ciphertext: &[u8],
    tag: &[u8; 16],
) -> Option<Zeroizing<Vec<u8>>> {
    let mut joined = Vec::with_capacity(ciphertext.len() + 16);
    joined.extend_from_slice(ciphertext);
    joined.extend_from_slice(tag);
    Aes256Gcm::new(&(*key).into())
        .decrypt(&Nonce::from(*nonce), joined.as_slice())
        .ok()
        .map(Zeroizing::new)
}

/// An encrypted Aegis vault with one password slot (scrypt N = 2^15, r = 8, p = 1, as Aegis).
pub fn write_encrypted<R: CryptoRng + ?Sized>(
    items: &[TotpItem],
    password: &[u8],
    rng: &mut R,
) -> Result<String, FormatError> {
    write_encrypted_with(items, password, SCRYPT_LOG_N, rng)
}

/// [`write_encrypted`] with another scrypt cost (tests).
pub fn write_encrypted_with<R: CryptoRng + ?Sized>(
    items: &[TotpItem],
    password: &[u8],
    log_n: u8,
    rng: &mut R,
) -> Result<String, FormatError> {
    if password.is_empty() {
        return Err(FormatError::CannotExport {
            format: FORMAT,
            why: "the password is empty".into(),
        });
    }
    let content = content_json(items, rng)?;
    let mut master = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(master.as_mut_slice());
    let mut salt = [0u8; 32];
    rng.fill_bytes(&mut salt);
    let mut slot_nonce = [0u8; 12];
    rng.fill_bytes(&mut slot_nonce);
    let mut db_nonce = [0u8; 12];
    rng.fill_bytes(&mut db_nonce);
    let wrapping = scrypt_key(password, &salt, log_n, SCRYPT_R, SCRYPT_P)?;
    let (wrapped, slot_tag) = gcm_seal(&wrapping, &slot_nonce, master.as_slice())?;
    let (db, db_tag) = gcm_seal(&master, &db_nonce, &content)?;
    let vault = serde_json::json!({
        "version": 1,
        "header": {
            "slots": [{
                "type": 1,
                "uuid": uuid(rng),
                "key": hex_encode(&wrapped),
                "key_params": {"nonce": hex_encode(&slot_nonce), "tag": hex_encode(&slot_tag)},
                "n": 1u64 << log_n,
                "r": SCRYPT_R,
                "p": SCRYPT_P,
                "salt": hex_encode(&salt),
            }],
            "params": {"nonce": hex_encode(&db_nonce), "tag": hex_encode(&db_tag)},
        },
        "db": b64_encode(&db),
    });
    serde_json::to_string_pretty(&vault).map_err(|e| FormatError::CannotExport {
        format: FORMAT,
        why: e.to_string(),
    })
}

fn corrupted(why: impl Into<String>) -> FormatError {
    FormatError::Corrupted {
        format: FORMAT,
        why: why.into(),
    }
}

/// Checks a slot's scrypt cost against the bounds and returns log2(N), r, p.
fn slot_cost(slot: &Slot) -> Result<(u8, u32, u32), FormatError> {
    let n = slot
        .n
        .ok_or_else(|| corrupted("a password slot has no n"))?;
    let r = slot
        .r
        .ok_or_else(|| corrupted("a password slot has no r"))?;
    let p = slot
        .p
        .ok_or_else(|| corrupted("a password slot has no p"))?;
    let out_of_bounds = |param, value, min, max| FormatError::KdfParamsOutOfBounds {
        format: FORMAT,
        param,
        value,
        min,
        max,
    };
    if !(1..=u64::from(SCRYPT_MAX_R)).contains(&r) {
        return Err(out_of_bounds("scrypt r", r, 1, SCRYPT_MAX_R.into()));
    }
    if !(1..=u64::from(SCRYPT_MAX_P)).contains(&p) {
        return Err(out_of_bounds("scrypt p", p, 1, SCRYPT_MAX_P.into()));
    }
    let max_n = SCRYPT_MAX_MEMORY / 128 / r;
    let min_n = 1u64 << SCRYPT_MIN_LOG_N;
    if !n.is_power_of_two() || n < min_n || n > max_n {
        return Err(out_of_bounds("scrypt N", n, min_n, max_n));
    }
    Ok((n.trailing_zeros() as u8, r as u32, p as u32))
}

/// Reads a plain or encrypted Aegis vault. `password` is needed only for an encrypted one.
/// Entries of kinds SoftKey does not support (Steam, Yandex) fail the read; see [`read_lenient`].
pub fn read(text: &str, password: Option<&[u8]>) -> Result<Vec<TotpItem>, FormatError> {
    let (items, skipped) = read_lenient(text, password)?;
    strict(FORMAT, items, skipped)
}

/// [`read`], leaving out (and listing) entries of kinds SoftKey does not support.
pub fn read_lenient(
    text: &str,
    password: Option<&[u8]>,
) -> Result<(Vec<TotpItem>, Vec<Skipped>), FormatError> {
    check_size(FORMAT, text.len())?;
    let top: Value = serde_json::from_str(text).map_err(|e| FormatError::NotThisFormat {
        format: FORMAT,
        why: format!("it is not JSON ({e})"),
    })?;
    let (Some(version), Some(header), Some(db)) =
        (top.get("version"), top.get("header"), top.get("db"))
    else {
        return Err(FormatError::NotThisFormat {
            format: FORMAT,
            why: "it has no version, header and db".into(),
        });
    };
    if version.as_u64() != Some(1) {
        return Err(FormatError::UnsupportedVersion {
            format: FORMAT,
            version: version.as_u64().unwrap_or(0),
        });
    }
    let header: Header = serde_json::from_value(header.clone())
        .map_err(|e| corrupted(format!("its header does not parse: {e}")))?;
    let content: Zeroizing<Vec<u8>> = match (&header.slots, &header.params, db) {
        (None, None, Value::Object(_)) => {
            Zeroizing::new(serde_json::to_vec(db).map_err(|e| corrupted(e.to_string()))?)
        }
        (Some(slots), Some(params), Value::String(db)) => {
            let password = password.ok_or(FormatError::PasswordRequired { format: FORMAT })?;
            let ciphertext = b64_decode_any(db).map_err(|_| corrupted("db is not base64"))?;
            let nonce: [u8; 12] = hex_array(&params.nonce, "the nonce").map_err(corrupted)?;
            let tag: [u8; 16] = hex_array(&params.tag, "the tag").map_err(corrupted)?;
            let password_slots: Vec<&Slot> = slots.iter().filter(|s| s.kind == 1).collect();
            if password_slots.is_empty() {
                return Err(FormatError::Unsupported {
                    format: FORMAT,
                    what: "no password slot (only biometric or raw keys)".into(),
                });
            }
            // Every slot's cost is checked, and their sum, before the first scrypt runs.
            let mut costs = Vec::with_capacity(password_slots.len());
            let mut work = 0u64;
            for slot in &password_slots {
                let (log_n, r, p) = slot_cost(slot)?;
                work = work.saturating_add((1u64 << log_n) * u64::from(r) * u64::from(p));
                costs.push((log_n, r, p));
            }
            if work > SCRYPT_MAX_WORK {
                return Err(FormatError::KdfParamsOutOfBounds {
                    format: FORMAT,
                    param: "scrypt N·r·p over all password slots",
                    value: work,
                    min: 1 << SCRYPT_MIN_LOG_N,
                    max: SCRYPT_MAX_WORK,
                });
            }
            let mut master = None;
            for (slot, (log_n, r, p)) in password_slots.into_iter().zip(costs) {
                let salt = hex_vec(slot.salt.as_deref().unwrap_or_default(), "the salt", 1024)
                    .map_err(corrupted)?;
                let wrapped = hex_vec(&slot.key, "the slot key", 64).map_err(corrupted)?;
                let slot_nonce: [u8; 12] =
                    hex_array(&slot.key_params.nonce, "the slot nonce").map_err(corrupted)?;
                let slot_tag: [u8; 16] =
                    hex_array(&slot.key_params.tag, "the slot tag").map_err(corrupted)?;
                let key = scrypt_key(password, &salt, log_n, r, p)?;
                if let Some(opened) = gcm_open(&key, &slot_nonce, &wrapped, &slot_tag)
                    && opened.len() == 32
                {
                    let mut m = Zeroizing::new([0u8; 32]);
                    m.copy_from_slice(&opened);
                    master = Some(m);
                    break;
                }
            }
            let master = master.ok_or(FormatError::WrongPassword { format: FORMAT })?;
            // The password opened a slot, so a failure here is damage, not the password.
            gcm_open(&master, &nonce, &ciphertext, &tag)
                .ok_or_else(|| corrupted("the vault's contents fail their integrity check"))?
        }
        _ => {
            return Err(corrupted(
                "header and db disagree on whether the vault is encrypted",
            ));
        }
    };
    let content: Content = serde_json::from_slice(&content)
        .map_err(|e| corrupted(format!("its contents do not parse: {e}")))?;
    if !(1..=3).contains(&content.version) {
        return Err(FormatError::UnsupportedVersion {
            format: FORMAT,
            version: content.version.into(),
        });
    }
    check_count(FORMAT, content.entries.len())?;
    let results = content.entries.into_iter().map(|value| {
        let label = [value.get("issuer"), value.get("name")]
            .iter()
            .filter_map(|v| v.and_then(Value::as_str).filter(|t| !t.is_empty()))
            .collect::<Vec<_>>()
            .join(": ");
        (label, entry_item(value))
    });
    collect_entries(FORMAT, results)
}

fn entry_item(value: Value) -> Result<TotpItem, EntryError> {
    let entry: Entry = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let kind = match entry.kind.as_str() {
        "totp" => OtpKind::Totp {
            period: entry.info.period.unwrap_or(30),
        },
        "hotp" => OtpKind::Hotp {
            counter: entry.info.counter.unwrap_or(0),
        },
        other => {
            return Err(EntryError::Unsupported(format!(
                "\"{other}\" codes are not supported"
            )));
        }
    };
    let otp = OtpAuth {
        issuer: Some(entry.issuer.clone()).filter(|i| !i.is_empty()),
        account: entry.name.clone(),
        secret: Secret::from_base32(&entry.info.secret).map_err(|e| e.to_string())?,
        algorithm: entry
            .info
            .algo
            .parse::<Algorithm>()
            .map_err(|e| e.to_string())?,
        digits: entry.info.digits,
        kind,
    };
    otp.validate().map_err(|e| e.to_string())?;
    Ok(TotpItem::from_otp(otp))
}

#[cfg(test)]
mod tests;
