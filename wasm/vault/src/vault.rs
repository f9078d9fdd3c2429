use alloc::vec::Vec;
use core::mem;

use rand_core::TryCryptoRng;
use zeroize::Zeroizing;

use crate::envelope::{self, CHECKSUM_LEN, CIPHERTEXT_AT, KeyHeader, TAG_LEN};
use crate::error::VaultError;
use crate::kdf::KdfParams;
use crate::master_key::MasterKey;

/// The largest plaintext AES-GCM may encrypt under one nonce: 2^39 - 256 bits (NIST SP 800-38D,
/// §5.2.1.1). Far beyond anything a browser holds; checked so no input can reach a panic.
pub const MAX_PLAINTEXT_LEN: u64 = (1 << 36) - 32;

/// Creates and opens vaults. Opening gives an [`UnlockedVault`].
#[derive(Debug)]
pub enum Vault {}

impl Vault {
    /// Creates a vault holding `plaintext`, locked with `password`.
    ///
    /// Returns the unlocked vault (to [`seal`](UnlockedVault::seal) later changes cheaply) and the
    /// envelope to store. Runs Argon2id once.
    ///
    /// # Errors
    /// [`VaultError::KdfParamsOutOfBounds`], [`VaultError::EmptyPassword`] and
    /// [`VaultError::TooLarge`] before any key derivation; [`VaultError::KdfFailed`] if Argon2id
    /// cannot get its memory; [`VaultError::RandomnessUnavailable`].
    pub fn create<R: TryCryptoRng + ?Sized>(
        password: &[u8],
        params: KdfParams,
        rng: &mut R,
        plaintext: &[u8],
    ) -> Result<(UnlockedVault, Vec<u8>), VaultError> {
        check_plaintext_len(plaintext)?;
        params.validate()?;
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let master_key = MasterKey::generate(rng)?;
        let header = KeyHeader::wrap(&master_key, password, params, rng)?;
        let vault = UnlockedVault { master_key, header };
        let sealed = vault.seal(plaintext, rng)?;
        Ok((vault, sealed))
    }

    /// Opens an envelope with the password. Runs Argon2id once, after every cheaper check passed.
    ///
    /// # Errors
    /// In the order checked: [`VaultError::NotAVault`], [`VaultError::Truncated`],
    /// [`VaultError::Corrupted`], [`VaultError::UnsupportedVersion`],
    /// [`VaultError::UnsupportedKdf`], [`VaultError::KdfParamsOutOfBounds`],
    /// [`VaultError::WrongPassword`], [`VaultError::Tampered`]; also [`VaultError::TooLarge`] and
    /// [`VaultError::KdfFailed`] when memory runs out.
    pub fn unlock(
        envelope: &[u8],
        password: &[u8],
    ) -> Result<(UnlockedVault, Zeroizing<Vec<u8>>), VaultError> {
        let parsed = envelope::parse(envelope)?;
        let master_key = parsed.header.unwrap(password)?;
        open_with_master_key(&parsed, master_key)
    }
}

/// Data authentication fails after the master key unwrapped: the data, not the password, is bad.
fn open_with_master_key(
    parsed: &envelope::Parsed<'_>,
    master_key: MasterKey,
) -> Result<(UnlockedVault, Zeroizing<Vec<u8>>), VaultError> {
    let plaintext = parsed.decrypt(&master_key, VaultError::Tampered)?;
    let vault = UnlockedVault {
        master_key,
        header: parsed.header.clone(),
    };
    Ok((vault, plaintext))
}

/// An open vault: the master key plus the (non-secret) header that wraps it. Holds no plaintext;
/// the caller keeps its own decoded copy of the contents and [`seal`](Self::seal)s it again after
/// each change.
pub struct UnlockedVault {
    master_key: MasterKey,
    header: KeyHeader,
}

impl UnlockedVault {
    /// Reopens an envelope with a master key saved earlier (see [`MasterKey::to_bytes`]), without
    /// the password and without Argon2id: for when the service worker restarts.
    ///
    /// # Errors
    /// The structural errors of [`Vault::unlock`], then [`VaultError::MasterKeyRejected`] if the
    /// key does not open this envelope (it was replaced or altered since the key was saved). On
    /// that error, ask for the password.
    pub fn resume(
        envelope: &[u8],
        master_key: &MasterKey,
    ) -> Result<(Self, Zeroizing<Vec<u8>>), VaultError> {
        let parsed = envelope::parse(envelope)?;
        let plaintext = parsed.decrypt(master_key, VaultError::MasterKeyRejected)?;
        let vault = Self {
            master_key: master_key.duplicate(),
            header: parsed.header,
        };
        Ok((vault, plaintext))
    }

    /// Encrypts `plaintext` into a new envelope with the current header and a fresh data nonce.
    /// Cheap: no Argon2id. The result replaces the stored envelope.
    ///
    /// # Errors
    /// [`VaultError::TooLarge`] if `plaintext` exceeds [`MAX_PLAINTEXT_LEN`] or memory runs out;
    /// [`VaultError::RandomnessUnavailable`].
    pub fn seal<R: TryCryptoRng + ?Sized>(
        &self,
        plaintext: &[u8],
        rng: &mut R,
    ) -> Result<Vec<u8>, VaultError> {
        check_plaintext_len(plaintext)?;
        let nonce = envelope::data_nonce(rng)?;
        // Reserve the exact final size up front: the plaintext is encrypted in place, and a
        // reallocation would leave a stray plaintext copy behind in freed memory.
        let total = CIPHERTEXT_AT + plaintext.len() + TAG_LEN + CHECKSUM_LEN;
        let mut out = Zeroizing::new(Vec::new());
        out.try_reserve_exact(total)
            .map_err(|_| VaultError::TooLarge)?;
        out.extend_from_slice(&self.header.encode());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(plaintext);
        envelope::seal_in_place(&mut out, &self.master_key, &nonce)?;
        envelope::append_checksum(&mut out);
        // Only ciphertext is left in the buffer now, so it may leave the `Zeroizing` wrapper.
        Ok(mem::take(&mut *out))
    }

    /// Re-locks the master key under `new_password` with a fresh salt and `params`. The master
    /// key, and so everything derived from it, does not change.
    ///
    /// Only this in-memory vault changes: call [`seal`](Self::seal) and store the result to make
    /// the new password take effect; until then the stored envelope still opens with the old one.
    ///
    /// # Errors
    /// [`VaultError::KdfParamsOutOfBounds`] and [`VaultError::EmptyPassword`] before any key
    /// derivation; [`VaultError::WrongPassword`] if `old_password` is wrong;
    /// [`VaultError::KdfFailed`]; [`VaultError::RandomnessUnavailable`]. On any error the vault is
    /// unchanged.
    pub fn change_password<R: TryCryptoRng + ?Sized>(
        &mut self,
        old_password: &[u8],
        new_password: &[u8],
        params: KdfParams,
        rng: &mut R,
    ) -> Result<(), VaultError> {
        params.validate()?;
        if new_password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        // Re-proving the old password keeps an unattended unlocked session from being enough to
        // take the vault over. The unwrapped key is ours (same header), so it is simply dropped.
        drop(self.header.unwrap(old_password)?);
        self.header = KeyHeader::wrap(&self.master_key, new_password, params, rng)?;
        Ok(())
    }

    /// The master key, for deriving subkeys and for saving across service-worker restarts.
    pub fn master_key(&self) -> &MasterKey {
        &self.master_key
    }

    /// The Argon2id parameters the next [`seal`](Self::seal) writes.
    pub fn kdf_params(&self) -> KdfParams {
        self.header.params
    }
}

impl core::fmt::Debug for UnlockedVault {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UnlockedVault")
            .field("kdf_params", &self.header.params)
            .finish_non_exhaustive()
    }
}

fn check_plaintext_len(plaintext: &[u8]) -> Result<(), VaultError> {
    match u64::try_from(plaintext.len()) {
        Ok(n) if n <= MAX_PLAINTEXT_LEN => Ok(()),
        _ => Err(VaultError::TooLarge),
    }
}

#[cfg(test)]
mod tests;
