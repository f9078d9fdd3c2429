//! The bodies of SoftKey's fuzz targets, one public function per target, each taking the raw
//! input bytes. `fuzz_targets/*.rs` hand them to libFuzzer (`cargo fuzz run <target>`);
//! `tests/replay.rs` runs every file of `corpus/<target>/` through them as a plain `cargo test`.
//!
//! A target fails by panicking: every parser must turn any input into a value or a typed error,
//! never a panic, and where the crate also writes the format, reading back what it wrote must give
//! the same value (`parse(write(x)) == x`).
//!
//! The fixtures (a keyring, an attestation identity, key-handle keys) are deterministic, so a
//! crash reproduces and the seed inputs can name real credential IDs and key handles.

pub mod cbor;
pub mod fixtures;
pub mod formats;
pub mod key_handle;
pub mod otp;
pub mod pages;
pub mod qr;
pub mod u2f;
pub mod vault;

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target, by its name under `fuzz_targets/` and `corpus/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("otpauth", otp::otpauth),
    ("qr_decode", qr::qr_decode),
    ("qr_roundtrip", qr::qr_roundtrip),
    ("vault_envelope", vault::vault_envelope),
    ("cbor_attestation", cbor::cbor_attestation),
    ("key_handle", key_handle::key_handle),
    ("u2f_raw", u2f::u2f_raw),
    ("u2f_client_json", pages::u2f_client_json),
    ("webauthn_create_json", pages::webauthn_create_json),
    ("webauthn_get_json", pages::webauthn_get_json),
    ("mfa_query_json", pages::mfa_query_json),
    ("backup", formats::backup),
    ("aegis", formats::aegis),
    ("bitwarden", formats::bitwarden),
    ("google_migration_uri", formats::google_migration_uri),
    (
        "google_migration_payload",
        formats::google_migration_payload,
    ),
    ("twofas", formats::twofas),
    ("authenticator_extension", formats::authenticator_extension),
    ("otpauth_list", formats::otpauth_list),
    ("import_any", formats::import_any),
];

/// Reads fixed-size pieces off the front of a fuzz input; past the end it gives zeros, so every
/// input is usable and short inputs stay meaningful.
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// Starts reading `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { rest: data }
    }

    /// One byte (0 past the end).
    pub fn byte(&mut self) -> u8 {
        match self.rest.split_first() {
            Some((&b, rest)) => {
                self.rest = rest;
                b
            }
            None => 0,
        }
    }

    /// `N` bytes, zero-padded past the end.
    pub fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        let n = N.min(self.rest.len());
        out[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        out
    }

    /// Up to `max` bytes, as many as are left.
    pub fn bytes(&mut self, max: usize) -> &'a [u8] {
        let n = max.min(self.rest.len());
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        head
    }

    /// Everything not read yet.
    pub fn rest(self) -> &'a [u8] {
        self.rest
    }
}
