//! The checks of a WebAuthn request that need no vault, run before anything else: before the
//! unlock window, before a hash of a credential ID is looked up, before any prompt.
//!
//! A page on an AWS host must not be able to make SoftKey ask for the password (or name a site
//! in a prompt) for a request the browser would refuse outright, and must get the browser's own
//! error for it: an RP ID or AppID of another site is a `SecurityError` here as in Chrome. A
//! request no key of ours could serve (no ES256 among its algorithms, a platform authenticator,
//! user verification required) goes back to the browser untouched, whose other authenticators
//! may serve it.
//!
//! [`Keyring::prepare_create`](crate::Keyring::prepare_create) and
//! [`Keyring::prepare_get`](crate::Keyring::prepare_get) check the same things again with the
//! vault open; this module only moves the verdict ahead of the unlock.

use serde::Serialize;
use softkey_webauthn::WebAuthnError;
use softkey_webauthn::client::Caller;
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};
use softkey_webauthn::origin::Origin;

use crate::error::KeyringError;

/// COSE algorithm identifier of ES256, the only algorithm SoftKey's keys use.
const ES256: i64 = -7;

/// What the vault-free checks decided.
#[cfg_attr(feature = "ts", derive(tsify_next::Tsify), tsify(missing_as_null))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Precheck {
    /// The browser should answer: no key of ours can serve this request.
    #[serde(rename_all = "camelCase")]
    NotOurs {
        /// Why, for logs.
        reason: String,
    },
    /// Possibly ours: go on (unlock if needed, then `prepare_*`).
    #[serde(rename_all = "camelCase")]
    Continue {
        /// The RP ID the request is for (checked against the caller's origin).
        rp_id: String,
        /// The calling origin's host: the only name a prompt may show as the caller.
        host: String,
        /// The calling frame is the top-level document, or a frame of the same site (the
        /// registrable domain, as the public suffix list draws it) as the top-level document.
        same_site: bool,
    },
}

fn not_ours(reason: &str) -> Precheck {
    Precheck::NotOurs {
        reason: reason.to_owned(),
    }
}

/// Whether the frame at `origin` is same-site with the top-level document `top` (none: the frame
/// is the top-level document): the same registrable domain, which is exactly what the AppID rule
/// compares (both are https, as `Caller::checked_origins` made sure).
fn same_site(origin: &Origin, top: Option<&Origin>) -> bool {
    top.is_none_or(|top| {
        origin
            .check_app_id(&format!("https://{}/", top.host()))
            .is_ok()
    })
}

fn user_verification_required(uv: Option<&str>) -> bool {
    uv == Some("required")
}

/// Checks a `navigator.credentials.create` request without the vault.
pub fn precheck_create(
    caller: &Caller,
    options: &CreationOptionsJson,
) -> Result<Precheck, KeyringError> {
    if caller.in_opaque_top() {
        return Ok(not_ours("the top-level document has an opaque origin"));
    }
    let (origin, top) = caller.checked_origins()?;
    let rp_id = match &options.rp.id {
        Some(id) => origin.check_rp_id(id)?.to_owned(),
        None => origin.host().to_owned(),
    };
    if let Some(app_id) = &options.extensions.appid_exclude {
        origin.check_app_id(app_id)?;
    }
    let user_id_len = options.user.id.0.len();
    if !(1..=64).contains(&user_id_len) {
        return Err(WebAuthnError::InvalidOptions(format!(
            "user.id must be 1 to 64 bytes long, not {user_id_len}"
        ))
        .into());
    }
    let params = &options.pub_key_cred_params;
    // An empty list means the defaults (ES256 and RS256), so ES256 is acceptable.
    if !params.is_empty()
        && !params
            .iter()
            .any(|p| p.kind == "public-key" && p.alg == ES256)
    {
        return Ok(not_ours("no algorithm SoftKey supports (ES256)"));
    }
    let selection = &options.authenticator_selection;
    if selection.authenticator_attachment.as_deref() == Some("platform") {
        return Ok(not_ours("the site asked for a platform authenticator"));
    }
    if user_verification_required(selection.user_verification.as_deref()) {
        return Ok(not_ours("the site requires user verification"));
    }
    Ok(Precheck::Continue {
        rp_id,
        host: origin.host().to_owned(),
        same_site: same_site(&origin, top.as_ref()),
    })
}

/// Checks a `navigator.credentials.get` request without the vault.
pub fn precheck_get(
    caller: &Caller,
    options: &RequestOptionsJson,
) -> Result<Precheck, KeyringError> {
    if caller.in_opaque_top() {
        return Ok(not_ours("the top-level document has an opaque origin"));
    }
    let (origin, top) = caller.checked_origins()?;
    let rp_id = match &options.rp_id {
        Some(id) => origin.check_rp_id(id)?.to_owned(),
        None => origin.host().to_owned(),
    };
    if let Some(app_id) = &options.extensions.appid {
        origin.check_app_id(app_id)?;
    }
    if user_verification_required(options.user_verification.as_deref()) {
        return Ok(not_ours("the site requires user verification"));
    }
    Ok(Precheck::Continue {
        rp_id,
        host: origin.host().to_owned(),
        same_site: same_site(&origin, top.as_ref()),
    })
}

#[cfg(test)]
mod tests;
