//! Errors, each tied to the `DOMException` name a browser would reject with.

use core::fmt;

/// The names of the `DOMException`s (and the one `TypeError`) that
/// `navigator.credentials.create/get` reject with.
///
/// The page script turns a name back into the same exception a browser throws, so a site's
/// error handling works the same whether we or the browser answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomErrorName {
    /// The user or a timeout cancelled, or no authenticator could serve the request.
    NotAllowedError,
    /// The RP ID or AppID is not allowed for the calling origin, or the origin is not secure.
    SecurityError,
    /// The authenticator already holds a credential from `excludeCredentials`.
    InvalidStateError,
    /// No requested algorithm or feature is supported.
    NotSupportedError,
    /// The caller aborted with an `AbortSignal`.
    AbortError,
    /// A requirement of the request (resident key, user verification) cannot be met.
    ConstraintError,
    /// Malformed data.
    DataError,
    /// Malformed options: browsers throw a plain `TypeError` here.
    TypeError,
    /// Something failed inside the authenticator.
    UnknownError,
}

impl DomErrorName {
    /// The name exactly as JavaScript spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAllowedError => "NotAllowedError",
            Self::SecurityError => "SecurityError",
            Self::InvalidStateError => "InvalidStateError",
            Self::NotSupportedError => "NotSupportedError",
            Self::AbortError => "AbortError",
            Self::ConstraintError => "ConstraintError",
            Self::DataError => "DataError",
            Self::TypeError => "TypeError",
            Self::UnknownError => "UnknownError",
        }
    }
}

impl fmt::Display for DomErrorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a WebAuthn or U2F request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebAuthnError {
    /// The caller's origin is not an `https://host[:port]` origin.
    InsecureOrigin {
        /// The origin as given.
        origin: String,
    },
    /// The RP ID is neither the origin's host nor a registrable domain suffix of it.
    RpIdNotAllowed {
        /// The RP ID the page asked for.
        rp_id: String,
        /// The calling origin.
        origin: String,
    },
    /// The `appid` / `appidExclude` extension names an AppID the origin may not use.
    AppIdNotAllowed {
        /// The AppID the page asked for.
        app_id: String,
        /// The calling origin.
        origin: String,
    },
    /// A credential in `excludeCredentials` is one of ours.
    CredentialExcluded,
    /// `pubKeyCredParams` has no algorithm we support (we only do ES256).
    NoSupportedAlgorithm,
    /// The options are malformed (a missing or badly sized field).
    InvalidOptions(String),
    /// The user declined, or did not answer in time.
    NotAllowed(String),
    /// The request was aborted by the page.
    Aborted,
    /// The credential store failed to record something; nothing was returned to the page.
    Store(String),
    /// Encoding or cryptography failed inside the authenticator (should not happen).
    Internal(String),
}

impl WebAuthnError {
    /// The exception name a browser would use for this refusal.
    pub fn dom_name(&self) -> DomErrorName {
        match self {
            Self::InsecureOrigin { .. }
            | Self::RpIdNotAllowed { .. }
            | Self::AppIdNotAllowed { .. } => DomErrorName::SecurityError,
            Self::CredentialExcluded => DomErrorName::InvalidStateError,
            Self::NoSupportedAlgorithm => DomErrorName::NotSupportedError,
            Self::InvalidOptions(_) => DomErrorName::TypeError,
            Self::NotAllowed(_) => DomErrorName::NotAllowedError,
            Self::Aborted => DomErrorName::AbortError,
            Self::Store(_) | Self::Internal(_) => DomErrorName::UnknownError,
        }
    }
}

impl fmt::Display for WebAuthnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InsecureOrigin { origin } => write!(
                f,
                "security keys only work on secure https:// pages, and {origin} is not one"
            ),
            Self::RpIdNotAllowed { rp_id, origin } => write!(
                f,
                "the page at {origin} asked for a security key of \"{rp_id}\", a site it does not belong to"
            ),
            Self::AppIdNotAllowed { app_id, origin } => write!(
                f,
                "the page at {origin} asked for the U2F AppID \"{app_id}\", which it may not use"
            ),
            Self::CredentialExcluded => f.write_str(
                "this software security key is already registered for this account",
            ),
            Self::NoSupportedAlgorithm => f.write_str(
                "the site accepts no signature algorithm this security key supports (it supports ES256)",
            ),
            Self::InvalidOptions(what) => write!(f, "the request is malformed: {what}"),
            Self::NotAllowed(why) => write!(f, "the request was not allowed: {why}"),
            Self::Aborted => f.write_str("the request was aborted by the page"),
            Self::Store(why) => write!(f, "the key store could not be updated: {why}"),
            Self::Internal(why) => write!(f, "internal authenticator error: {why}"),
        }
    }
}

impl std::error::Error for WebAuthnError {}
