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

/// A reproducible keyring RNG for tests ([`softkey_vault::test_rng::SeededRng`]): one seed
/// gives the same stream every run. Predictable, hence never compiled outside tests.
#[cfg(test)]
pub(crate) fn seeded(seed: u64) -> crate::keyring::KeyringRng {
    Box::new(softkey_vault::test_rng::SeededRng::new(seed))
}
