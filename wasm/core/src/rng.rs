//! The one place randomness comes from: the operating system natively, `crypto.getRandomValues`
//! in the browser (getrandom's `wasm_js` backend), passed to the keyring when it is opened
//! ([`crate::keyring::KeyringRng`]). Libraries below take an RNG argument instead.

/// A cryptographically secure RNG backed by the system. It panics only if the system RNG itself
/// fails, which neither the browser nor Linux does once running.
pub type SystemRng = rand_core::UnwrapErr<getrandom::SysRng>;

/// The system RNG.
pub fn system_rng() -> SystemRng {
    rand_core::UnwrapErr(getrandom::SysRng)
}

/// A reproducible generator for tests: SHA-256 in counter mode over a seed, so one seed gives
/// the same stream every run and distinct seeds unrelated ones. Predictable, hence never
/// compiled outside tests.
#[cfg(test)]
pub(crate) struct SeededRng {
    seed: u64,
    counter: u64,
}

#[cfg(test)]
impl SeededRng {
    pub(crate) fn new(seed: u64) -> Self {
        Self { seed, counter: 0 }
    }

    /// Boxed, as a keyring takes it.
    pub(crate) fn boxed(seed: u64) -> crate::keyring::KeyringRng {
        Box::new(Self::new(seed))
    }
}

#[cfg(test)]
impl rand_core::TryRng for SeededRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        use sha2::{Digest, Sha256};
        for chunk in dst.chunks_mut(32) {
            let block = Sha256::new()
                .chain_update(self.seed.to_le_bytes())
                .chain_update(self.counter.to_le_bytes())
                .finalize();
            self.counter += 1;
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
impl rand_core::TryCryptoRng for SeededRng {}
