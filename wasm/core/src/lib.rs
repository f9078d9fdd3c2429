//! SoftKey's domain: the vault's contents (security-key credentials, TOTP entries, settings) and
//! the operations the extension performs on them, over the pure crates `softkey-otp`,
//! `softkey-vault` and `softkey-webauthn`. No wasm-bindgen here: everything is tested natively.

pub mod rng;
