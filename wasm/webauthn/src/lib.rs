//! A WebAuthn / FIDO U2F authenticator with ES256 keys, and the browser-side checks around it.
//!
//! - [`client`]: what a browser does around the authenticator (origin and RP ID checks, client
//!   data, WebAuthn JSON in and out, deciding whether we serve a request at all).
//! - [`authenticator`]: make credentials and sign assertions (CTAP2 semantics).
//! - [`u2f`]: FIDO U2F raw messages over the same keys.
//! - [`u2f_client`]: the browser's side of the legacy U2F JavaScript API (`u2f.register/sign`).
//! - [`key_handle`]: credential IDs that carry their own (wrapped) private key.
//! - [`attestation`], [`auth_data`], [`client_data`], [`credential_key`]: the data formats.
//!
//! No clock, no global RNG, no I/O: callers pass time and randomness in, and persist the
//! [`store::CredentialStore`] themselves.
//!
//! passkey-rs (`passkey-types`, `passkey-client`) was studied and not used: its types crate pulls
//! in `typeshare`, `strum`, `url`, `indexmap` and its own crypto crate, too much for a wasm module
//! meant to stay small, and its client is async and owns the RP ID logic we need to control.

pub mod attestation;
pub mod auth_data;
pub mod authenticator;
pub mod b64;
pub mod client;
pub mod client_data;
pub mod credential_key;
pub mod error;
pub mod json;
pub mod key_handle;
pub mod origin;
pub mod store;
pub mod u2f;
pub mod u2f_client;

#[cfg(test)]
mod test_rng;

pub use attestation::{AttestationFormat, AttestationIdentity};
pub use authenticator::{AAGUID, Authenticator};
pub use error::{DomErrorName, WebAuthnError};
pub use key_handle::KeyHandleKey;
pub use store::{CredentialRecord, CredentialStore, MemoryStore, UserEntity};
