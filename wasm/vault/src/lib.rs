//! The vault: one encrypted blob holding all of the user's keys and settings.
//!
//! A random 32-byte [`MasterKey`] protects the data; the master key itself is wrapped under a key
//! derived from the user's password with Argon2id. Changing the password therefore only rewraps
//! the master key: everything derived from it (the data key, key-handle wrapping keys from
//! [`MasterKey::derive_subkey`]) stays valid.
//!
//! This crate is pure Rust and `no_std` (with `alloc`): no clock, no threads, no global RNG. Every
//! operation that needs randomness takes the caller's [`rand_core::TryCryptoRng`], so the wasm
//! build can pass a getrandom-backed generator (a fallible one is fine: its failure becomes
//! [`VaultError::RandomnessUnavailable`] instead of a panic) and tests a seeded one.
//!
//! # Passwords
//!
//! Passwords are raw bytes, used exactly as given. The caller must turn the user's text into bytes
//! the same way every time: UTF-8 after Unicode NFC normalization (`password.normalize("NFC")` in
//! JS), so the same password typed on another keyboard or OS still unlocks the vault. Empty
//! passwords are refused when creating a vault or changing the password.
//!
//! # Envelope format, version 1
//!
//! All integers are little-endian. Offsets are in bytes.
//!
//! | offset | length | field                                                            |
//! |-------:|-------:|------------------------------------------------------------------|
//! |      0 |      8 | magic `b"SKVAULT\0"`                                             |
//! |      8 |      1 | format version = 1                                               |
//! |      9 |      1 | KDF id = 1 (Argon2id, version 0x13, RFC 9106)                    |
//! |     10 |      4 | Argon2 memory cost `m`, KiB (u32)                                |
//! |     14 |      4 | Argon2 time cost `t` (u32)                                       |
//! |     18 |      4 | Argon2 parallelism `p` (u32)                                     |
//! |     22 |     16 | Argon2 salt                                                      |
//! |     38 |     12 | wrap nonce                                                       |
//! |     50 |     48 | wrapped master key: AES-256-GCM ciphertext (32) + tag (16)       |
//! |     98 |     12 | data nonce                                                       |
//! |    110 | n + 16 | data: AES-256-GCM ciphertext (n) + tag (16)                      |
//! | L - 32 |     32 | checksum: SHA-256 of bytes `0 .. L-32`                           |
//!
//! - Wrapping key = Argon2id(password, salt, m, t, p), 32 bytes, no secret, no associated data.
//!   The wrapped master key is AES-256-GCM under the wrapping key and the wrap nonce, with
//!   AAD = bytes `0..38` (everything up to and including the salt).
//! - Data key = HKDF-SHA256(salt = `"softkey-vault/v1"`, IKM = master key,
//!   info = `"softkey-vault/v1/data"`). The data is AES-256-GCM under the data key and the data
//!   nonce with AAD = bytes `0..110` (every header byte before the ciphertext), so the data is
//!   bound to the exact header, including the wrapped key and KDF parameters.
//! - The checksum is unkeyed. It is not a security mechanism (anyone can recompute it); it lets
//!   us tell accidental damage ([`VaultError::Corrupted`]) apart from a wrong password. The rule
//!   "the last 32 bytes are the SHA-256 of everything before them" holds for every format
//!   version, so it is checked before the version byte is interpreted.
//!
//! Checks happen in this order, and nothing expensive runs until the cheap checks pass:
//! magic ([`VaultError::NotAVault`]) → length ([`VaultError::Truncated`]) → checksum
//! ([`VaultError::Corrupted`]) → version ([`VaultError::UnsupportedVersion`]) → KDF id
//! ([`VaultError::UnsupportedKdf`]) → KDF bounds ([`VaultError::KdfParamsOutOfBounds`]) → Argon2id
//! and unwrap ([`VaultError::WrongPassword`]) → data decryption ([`VaultError::Tampered`]).
//!
//! A header changed by someone who also fixed the checksum (salt, KDF parameters within bounds,
//! wrap nonce, wrapped key) is indistinguishable from a wrong password and reported as one.
#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

mod envelope;
mod error;
mod kdf;
mod master_key;
mod vault;

// The seeded generator is also the other crates' test RNG (`test-rng`: their dev-dependencies
// and the fuzz crate), so one implementation serves every reproducible test.
#[cfg(any(test, feature = "test-rng"))]
pub mod test_rng;

pub use envelope::{HeaderInfo, peek_header};
pub use error::{KdfParam, VaultError};
pub use kdf::KdfParams;
pub use master_key::MasterKey;
pub use vault::{MAX_PLAINTEXT_LEN, UnlockedVault, Vault};

/// The format version this crate writes, and the only one it reads.
pub const FORMAT_VERSION: u8 = 1;
