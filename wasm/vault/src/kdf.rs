//! Argon2id: the password → wrapping-key step, and the bounds on its cost.

use alloc::vec::Vec;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use zeroize::Zeroizing;

use crate::error::{KdfParam, VaultError};

/// Length of the Argon2 salt stored in the envelope.
pub(crate) const SALT_LEN: usize = 16;

/// Argon2id cost parameters, as stored in the envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KdfParams {
    /// Memory cost in KiB.
    pub m_cost_kib: u32,
    /// Time cost: passes over memory.
    pub t_cost: u32,
    /// Parallelism: lanes. The wasm build runs them one after another, so this does not speed up
    /// unlocking there; it is accepted so vaults written elsewhere stay readable.
    pub p_cost: u32,
}

impl KdfParams {
    /// What new vaults use: 64 MiB, 3 passes, 1 lane, comfortably above the OWASP minimum
    /// ([`Self::MIN`]).
    pub const DEFAULT: Self = Self {
        m_cost_kib: 65_536,
        t_cost: 3,
        p_cost: 1,
    };

    /// The weakest parameters accepted: the OWASP password-storage minimum for Argon2id
    /// (19 MiB, 2 passes, 1 lane). Below this a stolen vault is too cheap to brute-force, so a
    /// vault asking for less is refused rather than silently accepted.
    pub const MIN: Self = Self {
        m_cost_kib: 19_456,
        t_cost: 2,
        p_cost: 1,
    };

    /// The most expensive parameters accepted. A vault file chooses its own cost, so without a
    /// ceiling a crafted file could make unlocking allocate gigabytes or run for hours.
    pub const MAX: Self = Self {
        m_cost_kib: 262_144,
        t_cost: 16,
        p_cost: 4,
    };

    /// Checks every parameter against [`Self::MIN`] and [`Self::MAX`].
    ///
    /// # Errors
    /// [`VaultError::KdfParamsOutOfBounds`] for the first parameter out of bounds (memory, then
    /// iterations, then parallelism).
    pub fn validate(&self) -> Result<(), VaultError> {
        let checks = [
            (
                KdfParam::Memory,
                self.m_cost_kib,
                Self::MIN.m_cost_kib,
                Self::MAX.m_cost_kib,
            ),
            (
                KdfParam::Iterations,
                self.t_cost,
                Self::MIN.t_cost,
                Self::MAX.t_cost,
            ),
            (
                KdfParam::Parallelism,
                self.p_cost,
                Self::MIN.p_cost,
                Self::MAX.p_cost,
            ),
        ];
        for (param, value, min, max) in checks {
            if !(min..=max).contains(&value) {
                return Err(VaultError::KdfParamsOutOfBounds {
                    param,
                    value,
                    min,
                    max,
                });
            }
        }
        Ok(())
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Derives the 32-byte key that wraps the master key. Refuses out-of-bounds parameters before
/// allocating anything, so no caller can skip that check.
pub(crate) fn derive_wrapping_key(
    password: &[u8],
    salt: &[u8; SALT_LEN],
    params: KdfParams,
) -> Result<Zeroizing<[u8; 32]>, VaultError> {
    params.validate()?;
    let argon_params = Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|_| VaultError::KdfFailed)?;
    let mut key = Zeroizing::new([0u8; 32]);
    argon2id_v13(argon_params, &[], password, salt, key.as_mut_slice())?;
    Ok(key)
}

/// The one place Argon2 is invoked, so the RFC 9106 known-answer test exercises exactly the
/// variant and version the vault uses. `secret` exists only for that test vector; the vault
/// passes none.
pub(crate) fn argon2id_v13(
    params: Params,
    secret: &[u8],
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), VaultError> {
    // RFC 9106 §3.2 hashes an absent secret as length 0, so `&[]` is the same as no secret.
    let argon = Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
        .map_err(|_| VaultError::KdfFailed)?;
    // We own the memory (rather than letting argon2 allocate it) so we can wipe it: the blocks
    // are a function of the password, and wasm linear memory is never returned, so a later
    // memory dump would otherwise let an attacker test guesses without paying the memory cost.
    // `try_reserve_exact` turns an impossible allocation into an error instead of an abort.
    let block_count = argon.params().block_count();
    let mut blocks: Zeroizing<Vec<Block>> = Zeroizing::new(Vec::new());
    blocks
        .try_reserve_exact(block_count)
        .map_err(|_| VaultError::KdfFailed)?;
    blocks.resize(block_count, Block::new());
    argon
        .hash_password_into_with_memory(password, salt, out, blocks.as_mut_slice())
        .map_err(|_| VaultError::KdfFailed)
}

#[cfg(test)]
mod tests;
