//! Deterministic generators for tests. Never use outside tests: their output is predictable.

use core::convert::Infallible;

use rand_core::{TryCryptoRng, TryRng};
use sha2::{Digest, Sha256};

/// SHA-256 in counter mode over a seed: reproducible, and distinct seeds give unrelated streams.
pub struct SeededRng {
    seed: u64,
    counter: u64,
}

impl SeededRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Self { seed, counter: 0 }
    }
}

impl TryRng for SeededRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
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

impl TryCryptoRng for SeededRng {}

// Only the vault's own tests need a failing RNG.
#[cfg(test)]
pub(crate) use failing::FailingRng;

#[cfg(test)]
mod failing {
    use core::fmt;

    use rand_core::{TryCryptoRng, TryRng};

    /// Fails every request, like a broken `getrandom`.
    pub(crate) struct FailingRng;

    #[derive(Debug)]
    pub(crate) struct RngDown;

    impl fmt::Display for RngDown {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("rng down")
        }
    }

    impl core::error::Error for RngDown {}

    impl TryRng for FailingRng {
        type Error = RngDown;

        fn try_next_u32(&mut self) -> Result<u32, RngDown> {
            Err(RngDown)
        }

        fn try_next_u64(&mut self) -> Result<u64, RngDown> {
            Err(RngDown)
        }

        fn try_fill_bytes(&mut self, _dst: &mut [u8]) -> Result<(), RngDown> {
            Err(RngDown)
        }
    }

    impl TryCryptoRng for FailingRng {}
}
