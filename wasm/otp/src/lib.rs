//! HOTP/TOTP for SoftKey for AWS: codes (RFC 4226, RFC 6238), base32 secrets as services show
//! them, and `otpauth://` URIs.
//!
//! There is no clock here: wasm32 has none, so every function takes the time (Unix seconds) as an
//! argument. Nothing panics on any input; every failure is an [`OtpError`] whose message can be
//! shown to the user.
//!
//! ```
//! use softkey_otp::{OtpAuth, consecutive_pair};
//!
//! let entry = OtpAuth::parse(
//!     "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example",
//! )?;
//! let code = entry.code_at(59)?;
//! assert_eq!(code.len(), 6);
//! let (first, second) = consecutive_pair(&entry, 59, 5)?;
//! assert_ne!(first, second);
//! # Ok::<(), softkey_otp::OtpError>(())
//! ```

mod code;
mod error;
mod secret;
mod uri;

pub use code::{
    Algorithm, MAX_DIGITS, MAX_PERIOD, MIN_DIGITS, check_digits, check_period, hotp,
    seconds_remaining, totp,
};
pub use error::OtpError;
pub use secret::{MAX_SECRET_BYTES, Secret};
pub use uri::{
    AuthenticatorTexts, DEFAULT_DIGITS, DEFAULT_PERIOD, MAX_NAME_LEN, MAX_URI_LEN,
    MIGRATION_SCHEME, OTPAUTH_SCHEME, OtpAuth, OtpKind, authenticator_texts, consecutive_pair,
    first_otpauth,
};
