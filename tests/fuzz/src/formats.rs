//! Import files (`softkey-formats`): whatever the user picks on the import page, or pastes, or
//! scans from a Google Authenticator transfer QR code. Every reader must give a value or a
//! typed error; where we also write the format, reading back what we wrote must give the same
//! entries.
//!
//! Key derivation is the cost to keep in hand. A SoftKey backup runs Argon2id at no less than
//! [`KdfParams::MIN`] (19 MiB, 2 passes) and an encrypted Aegis vault scrypt at no less than
//! N = 2^14, r = 8: tens of milliseconds each, which the crates refuse to lower. So the targets
//! run the password paths only at the cheapest cost the readers accept (a file asking for more
//! is read without the password, which stops before any key derivation), and the backup target
//! has a cheap mode that reads the backup's plaintext shape without any cryptography.

use std::sync::OnceLock;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use softkey_formats::import::{Format, read_any};
use softkey_formats::{
    FormatError, MAX_ENTRIES, PasskeyItem, Skipped, TotpItem, aegis, authenticator_extension,
    backup, bitwarden, google, otpauth_list, twofas,
};
use softkey_vault::KdfParams;

use crate::Input;
use crate::fixtures::{NOW_MS, SeededRng, with_checksum, with_keyring};

/// The password of `tests/vectors/formats/softkey_backup_v1.skbackup` (a seed): mutations of it
/// that keep the header reach the decryption.
pub const BACKUP_PASSWORD: &[u8] = b"vector";
/// The password of `tests/vectors/formats/aegis_encrypted.json` (a seed).
pub const AEGIS_PASSWORD: &[u8] = b"test";

/// Checks what every successful read promises, whatever the format: entries that pass
/// `softkey-otp`'s checks, within the crate's bound, security keys with a credential ID and a
/// 32-byte RP ID hash.
fn check_model(totp: &[TotpItem], keys: &[PasskeyItem]) {
    assert!(
        totp.len() + keys.len() <= MAX_ENTRIES,
        "a reader returned {} entries, above MAX_ENTRIES",
        totp.len() + keys.len()
    );
    for item in totp {
        if let Err(e) = item.otp.validate() {
            panic!("a reader returned an entry that does not validate: {e}");
        }
        // Every imported entry must give a code (the popup computes one at once).
        if let Err(e) = item.otp.code_at(NOW_MS / 1000) {
            panic!("an imported entry gives no code: {e}");
        }
    }
    for key in keys {
        assert!(
            !key.credential_id.is_empty(),
            "a security key without a credential ID"
        );
        assert_eq!(
            key.rp_id_hash.len(),
            32,
            "an RP ID hash that is not 32 bytes"
        );
    }
}

/// `to_uri` promises `parse(to_uri(e)) == e` only for names without surrounding spaces (the URI
/// reader trims them), so formats written as `otpauth://` URIs are compared only then.
fn trimmed(item: &TotpItem) -> bool {
    let otp = &item.otp;
    otp.account.trim() == otp.account && otp.issuer.as_deref().is_none_or(|i| i.trim() == i)
}

fn same_otp(what: &str, read: &[TotpItem], back: &[TotpItem]) {
    assert_eq!(
        read.len(),
        back.len(),
        "{what}: read(write(x)) has another number of entries"
    );
    for (a, b) in read.iter().zip(back) {
        assert_eq!(a.otp, b.otp, "{what}: read(write(x)) changed an entry");
    }
}

// ---- SoftKey's encrypted backup ----------------------------------------------------------

const BACKUP_SALT: [u8; 16] = [0x5a; 16];
const BACKUP_NONCE: [u8; 12] = [0xa5; 12];
const BACKUP_HEADER_LEN: usize = backup::HEADER_LEN;

/// Argon2id(BACKUP_PASSWORD, BACKUP_SALT) at [`KdfParams::MIN`], computed once: the target then
/// encrypts any plaintext as a backup whose password is [`BACKUP_PASSWORD`], as
/// `docs/backup-format.md` lays it out.
fn backup_key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(|| {
        let p = KdfParams::MIN;
        #[allow(clippy::expect_used)]
        let params = argon2::Params::new(p.m_cost_kib, p.t_cost, p.p_cost, Some(32))
            .expect("the vault's minimum Argon2id parameters");
        let mut key = [0u8; 32];
        #[allow(clippy::expect_used)]
        argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password_into(BACKUP_PASSWORD, &BACKUP_SALT, &mut key)
            .expect("Argon2id runs");
        key
    })
}

/// A backup file holding `plaintext`, written by the layout of `docs/backup-format.md`.
fn backup_file(plaintext: &[u8]) -> Vec<u8> {
    let p = KdfParams::MIN;
    let mut out = Vec::with_capacity(BACKUP_HEADER_LEN + plaintext.len() + 48);
    out.extend_from_slice(backup::MAGIC);
    out.push(backup::VERSION);
    out.push(1); // Argon2id
    out.extend_from_slice(&p.m_cost_kib.to_le_bytes());
    out.extend_from_slice(&p.t_cost.to_le_bytes());
    out.extend_from_slice(&p.p_cost.to_le_bytes());
    out.extend_from_slice(&BACKUP_SALT);
    out.extend_from_slice(&BACKUP_NONCE);
    let sealed_len = u32::try_from(plaintext.len() + 16).unwrap_or(u32::MAX);
    out.extend_from_slice(&sealed_len.to_le_bytes());
    debug_assert_eq!(out.len(), BACKUP_HEADER_LEN);
    #[allow(clippy::expect_used)]
    let sealed = Aes256Gcm::new(&(*backup_key()).into())
        .encrypt(
            &Nonce::from(BACKUP_NONCE),
            Payload {
                msg: plaintext,
                aad: &out,
            },
        )
        .expect("AES-GCM seals");
    out.extend_from_slice(&sealed);
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    out
}

/// The backup's plaintext, field for field as `backup.rs` reads it (its type is private).
#[derive(Serialize, Deserialize, PartialEq, Debug)]
#[serde(rename_all = "camelCase")]
struct BackupPayload {
    format: String,
    version: u32,
    #[serde(default)]
    created_ms: u64,
    #[serde(default)]
    totp: Vec<TotpItem>,
    #[serde(default)]
    security_keys: Vec<PasskeyItem>,
}

/// Target `backup`: `[mode, rest...]`.
/// - mode 0: the rest is a backup file;
/// - mode 1: the same with its checksum made right, so the version, KDF and bounds checks and
///   the decryption are reached;
/// - mode 2: the rest is the plaintext (the JSON inside the encryption), sealed under
///   [`BACKUP_PASSWORD`] and opened; a backup that opens is sealed again by `backup::seal` and
///   must open to the same contents (three Argon2id runs: slow, hence the next mode);
/// - mode 3: the rest is read as the plaintext's JSON shape alone, without cryptography, and
///   must serialize and read back the same.
pub fn backup(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.byte() % 4;
    let rest = input.rest();
    match mode {
        0 => open_backup(rest),
        1 => open_backup(&with_checksum(rest)),
        2 => {
            let file = backup_file(rest);
            let opened = backup::open(&file, BACKUP_PASSWORD);
            if let Ok(model) = opened {
                check_model(&model.totp, &model.security_keys);
                assert!(model.skipped.is_empty(), "a backup listed skipped entries");
                let sealed = match backup::seal(
                    &model,
                    BACKUP_PASSWORD,
                    KdfParams::MIN,
                    &mut SeededRng::new(6),
                ) {
                    Ok(sealed) => sealed,
                    Err(e) => panic!("a backup that opened could not be sealed again: {e}"),
                };
                match backup::open(&sealed, BACKUP_PASSWORD) {
                    Ok(again) => assert_eq!(again, model, "open(seal(x)) != x"),
                    Err(e) => panic!("our own backup did not open: {e}"),
                }
            }
        }
        _ => {
            let Ok(payload) = serde_json::from_slice::<BackupPayload>(rest) else {
                return;
            };
            // Only the entries: the count and the security keys' fields are `backup::open`'s
            // checks, after this shape.
            check_model(&payload.totp, &[]);
            let json = match serde_json::to_vec(&payload) {
                Ok(json) => json,
                Err(e) => panic!("a backup payload that parsed did not serialize: {e}"),
            };
            match serde_json::from_slice::<BackupPayload>(&json) {
                Ok(back) => assert_eq!(back, payload, "backup payload JSON round trip"),
                Err(e) => panic!("our own backup payload did not read back: {e}"),
            }
        }
    }
}

/// `check` (no password) and `open` must agree: a file `check` refuses, `open` refuses with the
/// same error before any key derivation.
fn open_backup(file: &[u8]) {
    match backup::check(file) {
        Err(e) => match backup::open(file, BACKUP_PASSWORD) {
            Err(o) => assert_eq!(o, e, "check and open disagree"),
            Ok(_) => panic!("open read a backup check refused: {e}"),
        },
        Ok(header) => {
            assert!(
                header.params.validate().is_ok(),
                "check passed out-of-bounds KDF parameters"
            );
            // Argon2id at a cost the file chose (up to 256 MiB × 16 passes) would stall the
            // fuzzer; the path is the same at the cheapest one.
            if header.params == KdfParams::MIN
                && let Ok(model) = backup::open(file, BACKUP_PASSWORD)
            {
                check_model(&model.totp, &model.security_keys);
            }
        }
    }
}

// ---- Aegis ------------------------------------------------------------------------------

/// scrypt work (N·r·p) of Aegis's own files, N = 2^15, r = 8, p = 1.
const AEGIS_WORK: u64 = (1 << 15) * 8;

/// Whether reading `text` with a password would run more scrypt than one slot at Aegis's own
/// cost: then the target reads it without the password (the slots' bounds are checked first
/// either way for the slots it does read).
fn aegis_too_costly(text: &str) -> bool {
    let Ok(top) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    let Some(slots) = top
        .get("header")
        .and_then(|h| h.get("slots"))
        .and_then(Value::as_array)
    else {
        return false;
    };
    let mut work = 0u64;
    for slot in slots {
        if slot.get("type").and_then(Value::as_u64) != Some(1) {
            continue;
        }
        let n = slot.get("n").and_then(Value::as_u64).unwrap_or(0);
        let r = slot.get("r").and_then(Value::as_u64).unwrap_or(0);
        let p = slot.get("p").and_then(Value::as_u64).unwrap_or(0);
        work = work.saturating_add(n.saturating_mul(r).saturating_mul(p));
    }
    work > AEGIS_WORK
}

/// Target `aegis`: the input as an Aegis vault (plain or encrypted JSON), read with and without
/// the password; whatever reads is written again (plain, and encrypted at scrypt's cheapest
/// accepted cost when the input itself was encrypted) and must read back the same entries.
pub fn aegis(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let without = aegis::read_lenient(text, None);
    if aegis_too_costly(text) {
        return;
    }
    let with = aegis::read_lenient(text, Some(AEGIS_PASSWORD));
    // A plain vault ignores the password; an encrypted one needs it.
    match (&without, &with) {
        (Ok((a, _)), Ok((b, _))) => same_otp("a plain vault read with a password", a, b),
        (Err(FormatError::PasswordRequired { .. }), _) => {}
        (Err(e), Err(f)) => assert_eq!(e, f, "with and without a password disagree"),
        (Err(e), Ok(_)) => panic!("only the password made this vault read: {e}"),
        (Ok(_), Err(f)) => panic!("the password made a plain vault fail: {f}"),
    }
    let encrypted = matches!(without, Err(FormatError::PasswordRequired { .. }));
    let Ok((items, skipped)) = with else {
        return;
    };
    check_model(&items, &[]);
    let strict = aegis::read(text, Some(AEGIS_PASSWORD));
    assert_eq!(
        strict.is_ok(),
        skipped.is_empty(),
        "read and read_lenient disagree"
    );
    let mut rng = SeededRng::new(7);
    let plain = match aegis::write_plain(&items, &mut rng) {
        Ok(plain) => plain,
        Err(e) => panic!("entries read from Aegis could not be written to Aegis: {e}"),
    };
    match aegis::read(&plain, None) {
        Ok(back) => same_otp("Aegis plain", &items, &back),
        Err(e) => panic!("our own plain Aegis vault did not read: {e}"),
    }
    if encrypted {
        let sealed = match aegis::write_encrypted_with(&items, AEGIS_PASSWORD, 14, &mut rng) {
            Ok(sealed) => sealed,
            Err(e) => panic!("entries read from Aegis could not be encrypted: {e}"),
        };
        match aegis::read(&sealed, Some(AEGIS_PASSWORD)) {
            Ok(back) => same_otp("Aegis encrypted", &items, &back),
            Err(e) => panic!("our own encrypted Aegis vault did not read: {e}"),
        }
    }
}

// ---- Bitwarden --------------------------------------------------------------------------

/// Target `bitwarden`: the input as a Bitwarden JSON export; what reads is written again and
/// must read back the same TOTP entries (names without surrounding spaces, see [`trimmed`]) and
/// the same security keys (a key without a label comes back named after its RP ID, which is
/// what `write` names it).
pub fn bitwarden(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(read) = bitwarden::read(text) else {
        return;
    };
    check_model(&read.totp, &read.security_keys);
    let written = match bitwarden::write(
        &read.totp,
        &read.security_keys,
        NOW_MS,
        &mut SeededRng::new(8),
    ) {
        Ok(written) => written,
        Err(e) => panic!("entries read from Bitwarden could not be written to Bitwarden: {e}"),
    };
    let back = match bitwarden::read(&written) {
        Ok(back) => back,
        Err(e) => panic!("our own Bitwarden export did not read: {e}"),
    };
    assert_eq!(back.totp.len(), read.totp.len(), "Bitwarden: TOTP count");
    for (a, b) in read.totp.iter().zip(&back.totp) {
        if trimmed(a) {
            assert_eq!(a.otp, b.otp, "Bitwarden: read(write(x)) changed an entry");
        }
    }
    assert_eq!(
        back.security_keys.len(),
        read.security_keys.len(),
        "Bitwarden: security key count"
    );
    for (a, b) in read.security_keys.iter().zip(&back.security_keys) {
        let mut expected = a.clone();
        if expected.label.is_empty() {
            expected.label = expected.rp_id.clone();
        }
        assert_eq!(
            &expected, b,
            "Bitwarden: read(write(x)) changed a security key"
        );
    }
}

// ---- Google Authenticator migration ------------------------------------------------------

fn google_round_trip(items: &[TotpItem]) {
    check_model(items, &[]);
    let uris = match google::write(items, 42) {
        Ok(uris) => uris,
        Err(e) => panic!("entries read from a migration payload could not be written: {e}"),
    };
    let mut back = Vec::new();
    for uri in &uris {
        match google::read_uri(uri) {
            Ok(items) => back.extend(items),
            Err(e) => panic!("our own migration URI did not read: {e}"),
        }
    }
    same_otp("Google migration", items, &back);
}

/// Target `google_migration_uri`: the input as text, one `otpauth-migration://offline?data=`
/// URI a line (what a scanned transfer QR code or a paste gives); what reads is written again
/// and must read back the same.
pub fn google_migration_uri(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(items) = google::read_uris(text) else {
        return;
    };
    google_round_trip(&items);
}

/// Target `google_migration_payload`: the input as the protobuf `MigrationPayload` bytes inside
/// the URI (what the base64 decodes to); what reads is written again and must read back the
/// same.
pub fn google_migration_payload(data: &[u8]) {
    let Ok(items) = google::read_payload(data) else {
        return;
    };
    google_round_trip(&items);
}

// ---- 2FAS, Authenticator-Extension, otpauth lists ----------------------------------------

/// Target `twofas`: the input as a 2FAS backup (read only: we do not write it).
pub fn twofas(data: &[u8]) {
    read_only_format(data, twofas::read_lenient, twofas::read);
}

/// Target `authenticator_extension`: the input as an Authenticator-Extension backup (read only).
pub fn authenticator_extension(data: &[u8]) {
    read_only_format(
        data,
        authenticator_extension::read_lenient,
        authenticator_extension::read,
    );
}

/// A lenient reader's answer: the entries read and those left out.
type LenientRead = Result<(Vec<TotpItem>, Vec<Skipped>), FormatError>;

/// A format we read and do not write: what its lenient reader takes passes the model checks, and
/// its strict reader takes exactly what the lenient one reads without skipping anything.
fn read_only_format(
    data: &[u8],
    read_lenient: fn(&str) -> LenientRead,
    read: fn(&str) -> Result<Vec<TotpItem>, FormatError>,
) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lenient = read_lenient(text);
    let strict = read(text);
    if let Ok((items, skipped)) = &lenient {
        check_model(items, &[]);
        assert_eq!(
            strict.is_ok(),
            skipped.is_empty(),
            "read and read_lenient disagree"
        );
    } else {
        assert!(strict.is_err(), "read took what read_lenient refused");
    }
}

/// Target `otpauth_list`: the input as a list of `otpauth://` URIs, one a line; what reads is
/// written again and must read back the same entries and labels.
pub fn otpauth_list(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(items) = otpauth_list::read(text) else {
        return;
    };
    check_model(&items, &[]);
    let written = otpauth_list::write(&items);
    match otpauth_list::read(&written) {
        Ok(back) => assert_eq!(back, items, "otpauth list: read(write(x)) != x"),
        Err(e) => panic!("our own otpauth list did not read: {e}"),
    }
}

// ---- the import page's entry point -------------------------------------------------------

/// Target `import_any`: the input as a file dropped on the import page: `read_any` recognises
/// and reads it (with the password of the seed of its kind when it asks for one), and the
/// fixture vault previews the import (the merge the import would do, on a copy).
pub fn import_any(data: &[u8]) {
    let outcome = match read_any(data, None) {
        Err(FormatError::PasswordRequired { format }) => {
            let password = if format == "Aegis" {
                if std::str::from_utf8(data).is_ok_and(aegis_too_costly) {
                    return;
                }
                AEGIS_PASSWORD
            } else {
                // A backup: Argon2id only at the cheapest cost (see `open_backup`).
                match backup::check(data) {
                    Ok(header) if header.params == KdfParams::MIN => BACKUP_PASSWORD,
                    _ => return,
                }
            };
            read_any(data, Some(password))
        }
        other => other,
    };
    let Ok((format, model)) = outcome else {
        return;
    };
    check_model(&model.totp, &model.security_keys);
    if !matches!(format, Format::SoftKeyBackup | Format::Bitwarden) {
        assert!(
            model.security_keys.is_empty(),
            "{} gave security keys",
            format.name()
        );
    }
    // The vault keeps entries as JSON.
    for item in &model.totp {
        let json = match serde_json::to_string(item) {
            Ok(json) => json,
            Err(e) => panic!("an imported entry did not serialize: {e}"),
        };
        match serde_json::from_str::<TotpItem>(&json) {
            Ok(back) => assert_eq!(&back, item, "TOTP entry JSON round trip"),
            Err(e) => panic!("our own entry JSON {json} did not read back: {e}"),
        }
    }
    // Every entry of the file lands in exactly one of the preview's lists.
    with_keyring(|keyring| {
        let p = keyring.preview_import(&model);
        assert_eq!(
            p.totp_added.len() + p.totp_duplicates.len() + p.totp_skipped.len(),
            model.totp.len() + model.skipped.len(),
            "the preview does not account for every TOTP entry once"
        );
        assert_eq!(
            p.keys_added.len()
                + p.keys_updated.len()
                + p.keys_unchanged.len()
                + p.keys_skipped.len(),
            model.security_keys.len(),
            "the preview does not account for every security key once"
        );
    });
}
