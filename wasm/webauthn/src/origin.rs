//! The caller's origin, and the RP ID and AppID checks a browser makes against it.
//!
//! Chrome allows an RP ID that equals the origin's host or is a *registrable domain suffix* of it
//! (HTML §"is a registrable domain suffix of or is equal to"), decided with the public suffix
//! list, and only for secure origins. A plain string-suffix test would let `evil-amazon.com` or
//! `co.uk` through; the public suffix list is what keeps `amazon.com` from answering for
//! `amazon.com.evil.test`. The list is pruned to what can decide a check on the site table's
//! hosts, and refuses what it cannot decide (see [`suffix`]).

use crate::error::WebAuthnError;
use suffix::{public_suffix, registrable_domain};

mod suffix;
mod suffix_table;

/// A parsed `https://host[:port]` origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    serialized: String,
    host: String,
}

impl Origin {
    /// Parses an origin as `location.origin` serializes it. Only `https` origins whose host is
    /// a domain name (not an IP address) can use security keys here.
    pub fn parse(origin: &str) -> Result<Self, WebAuthnError> {
        let insecure = || WebAuthnError::InsecureOrigin {
            origin: origin.to_owned(),
        };
        let rest = origin.strip_prefix("https://").ok_or_else(insecure)?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        if let Some(port) = port
            && (port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(insecure());
        }
        if !is_domain(host) || host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(insecure());
        }
        Ok(Self {
            serialized: origin.to_owned(),
            host: host.to_owned(),
        })
    }

    /// The origin exactly as serialized (`https://signin.aws.amazon.com`).
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// The host, which is the default RP ID.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Checks an RP ID the way Chrome does and returns it on success.
    pub fn check_rp_id<'a>(&self, rp_id: &'a str) -> Result<&'a str, WebAuthnError> {
        if is_registrable_suffix_or_equal(rp_id, &self.host) {
            Ok(rp_id)
        } else {
            Err(WebAuthnError::RpIdNotAllowed {
                rp_id: rp_id.to_owned(),
                origin: self.serialized.clone(),
            })
        }
    }

    /// Checks a legacy U2F AppID (the `appid` and `appidExclude` extensions).
    ///
    /// Chrome does not fetch trusted-facet lists: it accepts an `https` AppID URL whose host
    /// shares the caller's registrable domain (FIDO AppID and Facet §3.1.2, as Chrome applies it).
    pub fn check_app_id(&self, app_id: &str) -> Result<(), WebAuthnError> {
        let refused = || WebAuthnError::AppIdNotAllowed {
            app_id: app_id.to_owned(),
            origin: self.serialized.clone(),
        };
        let rest = app_id.strip_prefix("https://").ok_or_else(refused)?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                host
            }
            Some(_) => return Err(refused()),
            None => authority,
        };
        let host = host.to_ascii_lowercase();
        if !is_domain(&host) {
            return Err(refused());
        }
        match (registrable_domain(&host), registrable_domain(&self.host)) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ => Err(refused()),
        }
    }
}

/// A lower-case ASCII domain name: dot-separated labels of letters, digits and inner hyphens.
/// IP addresses are not domains and are refused here, as browsers refuse them as RP IDs.
fn is_domain(host: &str) -> bool {
    if host.is_empty() || host.len() > 253 || host.ends_with('.') {
        return false;
    }
    let labels_ok = host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    // An all-numeric last label means an IPv4 address (or nonsense); IPv6 has ':' and failed above.
    let last_is_numeric = host
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    labels_ok && !last_is_numeric
}

/// HTML's "is a registrable domain suffix of or is equal to" for domain hosts. Names the pruned
/// suffix table cannot decide (outside the site table's zones) are refused unless equal.
fn is_registrable_suffix_or_equal(suffix: &str, host: &str) -> bool {
    if !is_domain(suffix) || suffix.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    if suffix == host {
        return true;
    }
    let Some(prefix) = host.strip_suffix(suffix) else {
        return false;
    };
    if !prefix.ends_with('.') {
        return false;
    }
    // The suffix may not be a public suffix itself, nor part of the host's public suffix.
    let (Some(suffix_suffix), Some(host_suffix)) = (public_suffix(suffix), public_suffix(host))
    else {
        return false;
    };
    if suffix_suffix == suffix {
        return false;
    }
    !(host_suffix == suffix || host_suffix.ends_with(&format!(".{suffix}")))
}

#[cfg(test)]
mod tests;
