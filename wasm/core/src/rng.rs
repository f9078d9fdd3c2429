//! The one place randomness comes from: the operating system natively, `crypto.getRandomValues`
//! in the browser (getrandom's `wasm_js` backend). Libraries below take an RNG argument instead.

/// A cryptographically secure RNG backed by the system. It panics only if the system RNG itself
/// fails, which neither the browser nor Linux does once running.
pub type SystemRng = rand_core::UnwrapErr<getrandom::SysRng>;

/// The system RNG.
pub fn system_rng() -> SystemRng {
    rand_core::UnwrapErr(getrandom::SysRng)
}
