//! The operating system's RNG, for tests.

pub(crate) fn test_rng() -> rand_core::UnwrapErr<getrandom::SysRng> {
    rand_core::UnwrapErr(getrandom::SysRng)
}
