//! The byte layout of a version-1 envelope (see the crate docs), parsing it, and the
//! wrapped-master-key header.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use alloc::vec::Vec;
use rand_core::TryCryptoRng;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::VaultError;
use crate::kdf::{self, KdfParams, SALT_LEN};
use crate::master_key::MasterKey;

pub(crate) const MAGIC: [u8; 8] = *b"SKVAULT\0";
pub(crate) const KDF_ARGON2ID_V13: u8 = 1;

pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;
pub(crate) const CHECKSUM_LEN: usize = 32;
const WRAPPED_KEY_LEN: usize = MasterKey::LEN + TAG_LEN;

// Field offsets, in envelope order.
const VERSION_AT: usize = MAGIC.len();
const KDF_ID_AT: usize = VERSION_AT + 1;
const M_COST_AT: usize = KDF_ID_AT + 1;
const T_COST_AT: usize = M_COST_AT + 4;
const P_COST_AT: usize = T_COST_AT + 4;
const SALT_AT: usize = P_COST_AT + 4;
const WRAP_NONCE_AT: usize = SALT_AT + SALT_LEN;
const WRAPPED_KEY_AT: usize = WRAP_NONCE_AT + NONCE_LEN;
const DATA_NONCE_AT: usize = WRAPPED_KEY_AT + WRAPPED_KEY_LEN;
/// Where the data ciphertext starts; also the length of the data's AAD.
pub(crate) const CIPHERTEXT_AT: usize = DATA_NONCE_AT + NONCE_LEN;
/// The wrapped key's AAD: magic through salt.
const WRAP_AAD_LEN: usize = WRAP_NONCE_AT;
/// The shortest valid version-1 envelope: empty plaintext.
pub(crate) const MIN_V1_LEN: usize = CIPHERTEXT_AT + TAG_LEN + CHECKSUM_LEN;
/// Enough bytes to read the magic, the version and a checksum, whatever the version.
const MIN_ANY_VERSION_LEN: usize = MAGIC.len() + 1 + CHECKSUM_LEN;

// Compile-time guard on the layout documented in lib.rs.
const _: () = assert!(SALT_AT == 22 && WRAPPED_KEY_AT == 50 && CIPHERTEXT_AT == 110);

/// What can be read from an envelope without the password, e.g. to show before unlocking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderInfo {
    /// Envelope format version.
    pub version: u8,
    /// Argon2id parameters that unlocking will use.
    pub kdf_params: KdfParams,
}

/// Reads the format version and KDF parameters, running every check that does not need the
/// password (magic, length, checksum, version, KDF id and bounds). If this succeeds, unlocking
/// can only fail with [`VaultError::WrongPassword`] or [`VaultError::Tampered`] (or run out of
/// memory).
///
/// # Errors
/// The same structural errors as [`Vault::unlock`](crate::Vault::unlock).
pub fn peek_header(envelope: &[u8]) -> Result<HeaderInfo, VaultError> {
    let parsed = parse(envelope)?;
    Ok(HeaderInfo {
        version: crate::FORMAT_VERSION,
        kdf_params: parsed.header.params,
    })
}

/// The part of the header that protects the master key. It holds nothing secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyHeader {
    pub(crate) params: KdfParams,
    salt: [u8; SALT_LEN],
    wrap_nonce: [u8; NONCE_LEN],
    wrapped_key: [u8; WRAPPED_KEY_LEN],
}

impl KeyHeader {
    /// Wraps `master_key` under a key derived from `password` with a fresh salt and nonce.
    pub(crate) fn wrap<R: TryCryptoRng + ?Sized>(
        master_key: &MasterKey,
        password: &[u8],
        params: KdfParams,
        rng: &mut R,
    ) -> Result<Self, VaultError> {
        // Cheap refusals first, so a bad request never costs an Argon2 run.
        params.validate()?;
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let mut header = Self {
            params,
            salt: [0; SALT_LEN],
            wrap_nonce: [0; NONCE_LEN],
            wrapped_key: [0; WRAPPED_KEY_LEN],
        };
        fill(rng, &mut header.salt)?;
        fill(rng, &mut header.wrap_nonce)?;
        let wrapping_key = kdf::derive_wrapping_key(password, &header.salt, params)?;

        let mut key_bytes = master_key.to_bytes();
        let aad = header.encode();
        let tag = Aes256Gcm::new((&*wrapping_key).into())
            .encrypt_inout_detached(
                (&header.wrap_nonce).into(),
                &aad[..WRAP_AAD_LEN],
                key_bytes.as_mut_slice().into(),
            )
            .map_err(|_| VaultError::TooLarge)?;
        header.wrapped_key[..MasterKey::LEN].copy_from_slice(key_bytes.as_slice());
        header.wrapped_key[MasterKey::LEN..].copy_from_slice(&tag);
        Ok(header)
    }

    /// Derives the wrapping key from `password` and unwraps the master key.
    pub(crate) fn unwrap(&self, password: &[u8]) -> Result<MasterKey, VaultError> {
        // No vault is ever created with an empty password, so it cannot be right: skip Argon2.
        if password.is_empty() {
            return Err(VaultError::WrongPassword);
        }
        let wrapping_key = kdf::derive_wrapping_key(password, &self.salt, self.params)?;
        self.unwrap_with(&wrapping_key)
    }

    /// The unwrap step alone, given the already derived wrapping key.
    pub(crate) fn unwrap_with(&self, wrapping_key: &[u8; 32]) -> Result<MasterKey, VaultError> {
        let mut key_bytes = Zeroizing::new([0u8; MasterKey::LEN]);
        key_bytes.copy_from_slice(&self.wrapped_key[..MasterKey::LEN]);
        let tag: [u8; TAG_LEN] = read_array(&self.wrapped_key, MasterKey::LEN);
        let aad = self.encode();
        Aes256Gcm::new(wrapping_key.into())
            .decrypt_inout_detached(
                (&self.wrap_nonce).into(),
                &aad[..WRAP_AAD_LEN],
                key_bytes.as_mut_slice().into(),
                (&tag).into(),
            )
            .map_err(|_| VaultError::WrongPassword)?;
        Ok(MasterKey::from_bytes(&key_bytes))
    }

    /// Bytes `0 .. DATA_NONCE_AT` of the envelope.
    pub(crate) fn encode(&self) -> [u8; DATA_NONCE_AT] {
        let mut out = [0u8; DATA_NONCE_AT];
        out[..VERSION_AT].copy_from_slice(&MAGIC);
        out[VERSION_AT] = crate::FORMAT_VERSION;
        out[KDF_ID_AT] = KDF_ARGON2ID_V13;
        out[M_COST_AT..T_COST_AT].copy_from_slice(&self.params.m_cost_kib.to_le_bytes());
        out[T_COST_AT..P_COST_AT].copy_from_slice(&self.params.t_cost.to_le_bytes());
        out[P_COST_AT..SALT_AT].copy_from_slice(&self.params.p_cost.to_le_bytes());
        out[SALT_AT..WRAP_NONCE_AT].copy_from_slice(&self.salt);
        out[WRAP_NONCE_AT..WRAPPED_KEY_AT].copy_from_slice(&self.wrap_nonce);
        out[WRAPPED_KEY_AT..DATA_NONCE_AT].copy_from_slice(&self.wrapped_key);
        out
    }
}

/// A structurally valid envelope, borrowed from the input.
pub(crate) struct Parsed<'a> {
    pub(crate) header: KeyHeader,
    data_nonce: [u8; NONCE_LEN],
    /// Bytes `0 .. CIPHERTEXT_AT`: the data's AAD.
    data_aad: &'a [u8],
    /// The data ciphertext without its tag.
    ciphertext: &'a [u8],
    tag: [u8; TAG_LEN],
}

impl Parsed<'_> {
    /// Decrypts the data; `on_auth_failure` is what a failed authentication means to the caller.
    pub(crate) fn decrypt(
        &self,
        master_key: &MasterKey,
        on_auth_failure: VaultError,
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let mut plaintext = Zeroizing::new(Vec::new());
        plaintext
            .try_reserve_exact(self.ciphertext.len())
            .map_err(|_| VaultError::TooLarge)?;
        plaintext.extend_from_slice(self.ciphertext);
        let data_key = master_key.data_key();
        Aes256Gcm::new((&*data_key).into())
            .decrypt_inout_detached(
                (&self.data_nonce).into(),
                self.data_aad,
                plaintext.as_mut_slice().into(),
                (&self.tag).into(),
            )
            .map_err(|_| on_auth_failure)?;
        Ok(plaintext)
    }
}

/// Runs every check that needs neither the password nor the master key, cheapest first.
pub(crate) fn parse(envelope: &[u8]) -> Result<Parsed<'_>, VaultError> {
    if envelope.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(envelope) {
            VaultError::Truncated
        } else {
            VaultError::NotAVault
        });
    }
    if envelope[..MAGIC.len()] != MAGIC {
        return Err(VaultError::NotAVault);
    }
    if envelope.len() < MIN_ANY_VERSION_LEN {
        return Err(VaultError::Truncated);
    }
    let (body, checksum) = envelope.split_at(envelope.len() - CHECKSUM_LEN);
    if Sha256::digest(body).as_slice() != checksum {
        return Err(VaultError::Corrupted);
    }
    let version = body[VERSION_AT];
    if version != crate::FORMAT_VERSION {
        return Err(VaultError::UnsupportedVersion { version });
    }
    if envelope.len() < MIN_V1_LEN {
        return Err(VaultError::Truncated);
    }
    if body[KDF_ID_AT] != KDF_ARGON2ID_V13 {
        return Err(VaultError::UnsupportedKdf {
            kdf_id: body[KDF_ID_AT],
        });
    }
    let params = KdfParams {
        m_cost_kib: read_u32(body, M_COST_AT),
        t_cost: read_u32(body, T_COST_AT),
        p_cost: read_u32(body, P_COST_AT),
    };
    params.validate()?;

    let (data_aad, sealed) = body.split_at(CIPHERTEXT_AT);
    let (ciphertext, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    if u64::try_from(ciphertext.len()).map_or(true, |n| n > crate::MAX_PLAINTEXT_LEN) {
        return Err(VaultError::TooLarge);
    }
    Ok(Parsed {
        header: KeyHeader {
            params,
            salt: read_array(body, SALT_AT),
            wrap_nonce: read_array(body, WRAP_NONCE_AT),
            wrapped_key: read_array(body, WRAPPED_KEY_AT),
        },
        data_nonce: read_array(body, DATA_NONCE_AT),
        data_aad,
        ciphertext,
        tag: read_array(tag, 0),
    })
}

/// Appends the checksum trailer to a finished envelope body.
pub(crate) fn append_checksum(envelope: &mut Vec<u8>) {
    let checksum = Sha256::digest(envelope.as_slice());
    envelope.extend_from_slice(&checksum);
}

pub(crate) fn fill<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
    buf: &mut [u8],
) -> Result<(), VaultError> {
    rng.try_fill_bytes(buf)
        .map_err(|_| VaultError::RandomnessUnavailable)
}

pub(crate) fn data_nonce<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
) -> Result<[u8; NONCE_LEN], VaultError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill(rng, &mut nonce)?;
    Ok(nonce)
}

/// Seals `plaintext` in place at the end of `envelope` (whose first `CIPHERTEXT_AT` bytes are the
/// header) and appends the tag.
pub(crate) fn seal_in_place(
    envelope: &mut Vec<u8>,
    master_key: &MasterKey,
    nonce: &[u8; NONCE_LEN],
) -> Result<(), VaultError> {
    let data_key = master_key.data_key();
    let (aad, data) = envelope.split_at_mut(CIPHERTEXT_AT);
    let tag = Aes256Gcm::new((&*data_key).into())
        .encrypt_inout_detached(<&Nonce<_>>::from(nonce), aad, data.into())
        .map_err(|_| VaultError::TooLarge)?;
    envelope.extend_from_slice(&tag);
    Ok(())
}

// Callers pass constant offsets into buffers whose length was already checked (or is fixed), so
// the slice is always in range.
fn read_array<const N: usize>(body: &[u8], at: usize) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&body[at..at + N]);
    out
}

fn read_u32(body: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(read_array(body, at))
}
