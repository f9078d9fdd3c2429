use core::fmt;

use hkdf::Hkdf;
use rand_core::TryCryptoRng;
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::VaultError;

/// HKDF-Extract salt: fixes this crate's use of the master key to its own domain.
const HKDF_SALT: &[u8] = b"softkey-vault/v1";
/// HKDF info for the key that encrypts the vault data.
const DATA_KEY_INFO: &[u8] = b"softkey-vault/v1/data";
/// HKDF info prefix for [`MasterKey::derive_subkey`]. No caller label can make
/// `SUBKEY_INFO_PREFIX || label` equal [`DATA_KEY_INFO`], so callers never get the data key.
const SUBKEY_INFO_PREFIX: &[u8] = b"softkey-vault/v1/subkey/";

/// The vault's random 32-byte master key. Wiped from memory on drop.
///
/// It never encrypts anything directly: the vault data and every other use get their own key
/// from HKDF-SHA256 ([`Self::derive_subkey`]), so keys for different purposes stay independent.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct MasterKey([u8; MasterKey::LEN]);

impl MasterKey {
    /// Length of the key in bytes.
    pub const LEN: usize = 32;

    pub(crate) fn generate<R: TryCryptoRng + ?Sized>(rng: &mut R) -> Result<Self, VaultError> {
        let mut key = Self([0u8; Self::LEN]);
        rng.try_fill_bytes(&mut key.0)
            .map_err(|_| VaultError::RandomnessUnavailable)?;
        Ok(key)
    }

    /// Rebuilds a key saved with [`Self::to_bytes`] (e.g. in `chrome.storage.session`, to survive
    /// a service-worker restart without asking for the password again).
    pub fn from_bytes(bytes: &[u8; Self::LEN]) -> Self {
        Self(*bytes)
    }

    /// The raw key, for saving in session storage. Handle with care: whoever has these bytes can
    /// open the vault without the password, until the vault is re-created.
    pub fn to_bytes(&self) -> Zeroizing<[u8; Self::LEN]> {
        Zeroizing::new(self.0)
    }

    /// Derives an independent 32-byte key for one purpose, named by `label` (for example
    /// `b"key-handle/v1"`). Same key and label always give the same subkey; different labels give
    /// unrelated subkeys. HKDF-SHA256 with salt `"softkey-vault/v1"` and info
    /// `"softkey-vault/v1/subkey/" || label`.
    pub fn derive_subkey(&self, label: &[u8]) -> Zeroizing<[u8; 32]> {
        self.hkdf(&[SUBKEY_INFO_PREFIX, label])
    }

    pub(crate) fn data_key(&self) -> Zeroizing<[u8; 32]> {
        self.hkdf(&[DATA_KEY_INFO])
    }

    fn hkdf(&self, info: &[&[u8]]) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        Hkdf::<Sha256>::new(Some(HKDF_SALT), &self.0)
            .expand_multi_info(info, out.as_mut_slice())
            // Only an output longer than 255 * 32 bytes is refused; ours is a constant 32.
            .expect("HKDF-SHA256 can always produce 32 bytes");
        out
    }

    /// A copy for another owner; both copies are wiped when dropped. Not `Clone`, so copies of
    /// the key are only made where this crate means to.
    pub(crate) fn duplicate(&self) -> Self {
        Self(self.0)
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(..)")
    }
}
