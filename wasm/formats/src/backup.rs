//! SoftKey's encrypted backup: everything in the vault that a new browser needs, sealed under a
//! password of its own. The layout is specified in `docs/backup-format.md`; in short:
//!
//! ```text
//! "SKBACKUP" ‖ version=1 ‖ kdf=1 ‖ m ‖ t ‖ p ‖ salt(16) ‖ nonce(12) ‖ len(4) ‖ AES-256-GCM(JSON) ‖ SHA-256
//! ```
//!
//! Reading checks, in order and before any expensive work: size, magic, declared length
//! (truncated or absurd), checksum (damage), version, KDF id, KDF bounds; only then Argon2id,
//! whose failure to open the data can only mean a wrong password.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use softkey_vault::{KdfParam, KdfParams, VaultError};
use zeroize::Zeroizing;

use crate::model::{Backup, PasskeyItem, TotpItem};
use crate::{FormatError, MAX_FILE_BYTES, check_count};

const FORMAT: &str = "SoftKey backup";
/// First bytes of every backup file.
pub const MAGIC: &[u8; 8] = b"SKBACKUP";
/// The version this code writes and the only one it reads.
pub const VERSION: u8 = 1;
/// Argon2id, version 0x13 (RFC 9106).
const KDF_ARGON2ID: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const CHECKSUM_LEN: usize = 32;
/// Bytes before the ciphertext; all of them are the ciphertext's associated data.
pub const HEADER_LEN: usize = 8 + 1 + 1 + 12 + SALT_LEN + NONCE_LEN + 4;
/// Purpose string inside the payload, so a decrypted blob of something else is not mistaken
/// for a backup.
const PAYLOAD_FORMAT: &str = "softkey-backup";

/// The JSON inside the encryption.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload1 {
    format: String,
    version: u32,
    #[serde(default)]
    created_ms: u64,
    #[serde(default)]
    totp: Vec<TotpItem>,
    #[serde(default)]
    security_keys: Vec<PasskeyItem>,
}

fn kdf_error(e: VaultError) -> FormatError {
    match e {
        VaultError::KdfParamsOutOfBounds {
            param,
            value,
            min,
            max,
        } => FormatError::KdfParamsOutOfBounds {
            format: FORMAT,
            param: match param {
                KdfParam::Memory => "memory (KiB)",
                KdfParam::Iterations => "iterations",
                KdfParam::Parallelism => "parallelism",
            },
            value: value.into(),
            min: min.into(),
            max: max.into(),
        },
        other => FormatError::Corrupted {
            format: FORMAT,
            why: other.to_string(),
        },
    }
}

fn derive_key(
    password: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>, FormatError> {
    params.validate().map_err(kdf_error)?;
    let failed = || FormatError::Corrupted {
        format: FORMAT,
        why: "the key derivation could not run with these parameters".into(),
    };
    let argon_params = Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|_| failed())?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    // Our own memory, wiped afterwards: the blocks are a function of the password.
    let mut blocks: Zeroizing<Vec<Block>> = Zeroizing::new(Vec::new());
    blocks
        .try_reserve_exact(argon.params().block_count())
        .map_err(|_| failed())?;
    blocks.resize(argon.params().block_count(), Block::new());
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into_with_memory(password, salt, key.as_mut_slice(), blocks.as_mut_slice())
        .map_err(|_| failed())?;
    Ok(key)
}

/// Seals `backup` under `password` with Argon2id `params`.
pub fn seal<R: CryptoRng + ?Sized>(
    backup: &Backup,
    password: &[u8],
    params: KdfParams,
    rng: &mut R,
) -> Result<Vec<u8>, FormatError> {
    let cannot = |why: String| FormatError::CannotExport {
        format: FORMAT,
        why,
    };
    if password.is_empty() {
        return Err(cannot("the backup password is empty".into()));
    }
    check_count(FORMAT, backup.totp.len() + backup.security_keys.len())?;
    let payload = Payload1 {
        format: PAYLOAD_FORMAT.into(),
        version: 1,
        created_ms: backup.created_ms,
        totp: backup.totp.clone(),
        security_keys: backup.security_keys.clone(),
    };
    let plaintext =
        Zeroizing::new(serde_json::to_vec(&payload).map_err(|e| cannot(e.to_string()))?);
    drop(payload);
    let sealed_len = plaintext.len() + TAG_LEN;
    if HEADER_LEN + sealed_len + CHECKSUM_LEN > MAX_FILE_BYTES {
        return Err(cannot(format!(
            "the backup would be {} bytes, more than the {MAX_FILE_BYTES} a backup may have",
            HEADER_LEN + sealed_len + CHECKSUM_LEN
        )));
    }
    let mut salt = [0u8; SALT_LEN];
    rng.fill_bytes(&mut salt);
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    let key = derive_key(password, &salt, params)?;

    let mut out = Vec::with_capacity(HEADER_LEN + sealed_len + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(KDF_ARGON2ID);
    out.extend_from_slice(&params.m_cost_kib.to_le_bytes());
    out.extend_from_slice(&params.t_cost.to_le_bytes());
    out.extend_from_slice(&params.p_cost.to_le_bytes());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&nonce);
    let declared = u32::try_from(sealed_len).map_err(|_| cannot("too large".into()))?;
    out.extend_from_slice(&declared.to_le_bytes());
    let sealed = Aes256Gcm::new(&(*key).into())
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &plaintext,
                aad: &out,
            },
        )
        .map_err(|_| cannot("encryption failed".into()))?;
    out.extend_from_slice(&sealed);
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    Ok(out)
}

/// What a backup's header says, readable without the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupHeader {
    /// Format version.
    pub version: u8,
    /// Argon2id cost.
    pub params: KdfParams,
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

/// Checks everything that needs no password (see the module docs for the order) and returns the
/// header.
pub fn check(file: &[u8]) -> Result<BackupHeader, FormatError> {
    if file.len() > MAX_FILE_BYTES {
        return Err(FormatError::TooLarge {
            format: FORMAT,
            size: file.len(),
            max: MAX_FILE_BYTES,
        });
    }
    if file.len() < MAGIC.len() || &file[..MAGIC.len()] != MAGIC {
        return Err(FormatError::NotThisFormat {
            format: FORMAT,
            why: "it does not start with \"SKBACKUP\"".into(),
        });
    }
    let minimum = HEADER_LEN + TAG_LEN + CHECKSUM_LEN;
    if file.len() < minimum {
        return Err(FormatError::Truncated {
            format: FORMAT,
            found: file.len(),
            expected: minimum,
        });
    }
    let declared = u32_at(file, HEADER_LEN - 4) as usize;
    let expected = HEADER_LEN
        .saturating_add(declared)
        .saturating_add(CHECKSUM_LEN);
    if expected > MAX_FILE_BYTES {
        return Err(FormatError::TooLarge {
            format: FORMAT,
            size: expected,
            max: MAX_FILE_BYTES,
        });
    }
    if declared < TAG_LEN {
        return Err(FormatError::Corrupted {
            format: FORMAT,
            why: "the declared data length is shorter than its authentication tag".into(),
        });
    }
    if file.len() < expected {
        return Err(FormatError::Truncated {
            format: FORMAT,
            found: file.len(),
            expected,
        });
    }
    if file.len() > expected {
        return Err(FormatError::Corrupted {
            format: FORMAT,
            why: format!("{} unexpected bytes after the end", file.len() - expected),
        });
    }
    let (body, checksum) = file.split_at(file.len() - CHECKSUM_LEN);
    if Sha256::digest(body).as_slice() != checksum {
        return Err(FormatError::Corrupted {
            format: FORMAT,
            why: "its checksum does not match (bytes were changed)".into(),
        });
    }
    let version = file[8];
    if version != VERSION {
        return Err(FormatError::UnsupportedVersion {
            format: FORMAT,
            version: version.into(),
        });
    }
    if file[9] != KDF_ARGON2ID {
        return Err(FormatError::UnsupportedKdf {
            format: FORMAT,
            kdf: format!("id {}", file[9]),
        });
    }
    let params = KdfParams {
        m_cost_kib: u32_at(file, 10),
        t_cost: u32_at(file, 14),
        p_cost: u32_at(file, 18),
    };
    params.validate().map_err(kdf_error)?;
    Ok(BackupHeader { version, params })
}

/// Opens a backup with its password.
pub fn open(file: &[u8], password: &[u8]) -> Result<Backup, FormatError> {
    check(file)?;
    let params = KdfParams {
        m_cost_kib: u32_at(file, 10),
        t_cost: u32_at(file, 14),
        p_cost: u32_at(file, 18),
    };
    let salt = &file[22..22 + SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&file[22 + SALT_LEN..22 + SALT_LEN + NONCE_LEN]);
    let key = derive_key(password, salt, params)?;
    let sealed = &file[HEADER_LEN..file.len() - CHECKSUM_LEN];
    // The checksum matched, so the bytes are as written: a failed tag means another password.
    let plaintext = Zeroizing::new(
        Aes256Gcm::new(&(*key).into())
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: &file[..HEADER_LEN],
                },
            )
            .map_err(|_| FormatError::WrongPassword { format: FORMAT })?,
    );
    let payload: Payload1 =
        serde_json::from_slice(&plaintext).map_err(|e| FormatError::Corrupted {
            format: FORMAT,
            why: format!("its contents do not parse: {e}"),
        })?;
    if payload.format != PAYLOAD_FORMAT {
        return Err(FormatError::NotThisFormat {
            format: FORMAT,
            why: format!("its contents say \"{}\"", payload.format),
        });
    }
    if payload.version != 1 {
        return Err(FormatError::UnsupportedVersion {
            format: FORMAT,
            version: payload.version.into(),
        });
    }
    check_count(FORMAT, payload.totp.len() + payload.security_keys.len())?;
    for (i, key) in payload.security_keys.iter().enumerate() {
        if key.rp_id_hash.len() != 32 || key.credential_id.is_empty() {
            return Err(FormatError::InvalidEntry {
                format: FORMAT,
                index: i + 1,
                why: "a security key needs a credential ID and a 32-byte RP ID hash".into(),
            });
        }
    }
    Ok(Backup {
        created_ms: payload.created_ms,
        totp: payload.totp,
        security_keys: payload.security_keys,
        skipped: Vec::new(),
    })
}

#[cfg(test)]
mod tests;
