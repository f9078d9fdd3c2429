//! SoftKey's domain: the vault's contents (security-key credentials, TOTP entries, settings) and
//! the operations the extension performs on them, over the pure crates `softkey-otp`,
//! `softkey-vault` and `softkey-webauthn`. No wasm-bindgen here: everything is tested natively.

pub mod contents;
pub mod error;
pub mod keyring;
pub mod locked_index;
pub mod mfa_match;
pub mod precheck;
pub mod rng;
pub mod sites;

pub use contents::{AutoSubmit, AwsContext, Settings};
pub use error::KeyringError;
pub use keyring::{
    CreateDecision, GetDecision, Keyring, SecurityKeySummary, TotpCode, U2fRegisterDecision,
    U2fSignDecision, VaultOpener,
};
pub use locked_index::LockedIndex;
pub use precheck::{Precheck, precheck_create, precheck_get};
pub use softkey_vault::KdfParams;
pub use softkey_webauthn::client::Caller;
