//! The site table's answer for one URL, for the worker: which surface a sender's URL belongs to
//! and what its host and path name (region, account, Identity Center directory).

use serde::Serialize;
use softkey_core::sites::{self, Partition, SurfaceKind};
use wasm_bindgen::prelude::*;

use super::to_js;

/// [`site_of`]'s answer.
#[derive(Serialize, tsify_next::Tsify)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct SiteOf<'a> {
    /// The surface's id in the site table.
    pub id: &'a str,
    /// What kind of page it is.
    pub kind: SurfaceKind,
    /// Its partition (or Amazon.com).
    pub partition: Partition,
    // The capabilities one by one rather than a flattened `Capabilities`: serde's flatten goes
    // through a map serializer, which cost the module ~1 KB of wasm for this one answer.
    /// Answer `navigator.credentials.create/get`.
    pub webauthn: bool,
    /// Provide the legacy FIDO U2F JavaScript API (`window.u2f`).
    pub u2f: bool,
    /// Fill a TOTP code into the page's MFA prompt.
    pub fill: bool,
    /// Submit the prompt after filling (subject to the user's per-site setting).
    pub submit: bool,
    /// Offer "Add to SoftKey" where the page shows a new authenticator app's secret.
    pub capture: bool,
    /// The region the host names.
    pub region: Option<String>,
    /// The account the host names.
    pub account: Option<String>,
    /// The Identity Center directory or portal alias the host names.
    pub directory: Option<String>,
}

/// The surface of a browser-serialized URL, or `null` when it is not ours.
#[wasm_bindgen(js_name = siteOf, unchecked_return_type = "SiteOf | null")]
pub fn site_of(url: &str) -> Result<JsValue, JsValue> {
    let answer = sites::surface_of(url).map(|m| SiteOf {
        id: m.surface.id,
        kind: m.surface.kind,
        partition: m.surface.partition,
        webauthn: m.surface.caps.webauthn,
        u2f: m.surface.caps.u2f,
        fill: m.surface.caps.fill,
        submit: m.surface.caps.submit,
        capture: m.surface.caps.capture,
        region: m.region,
        account: m.account,
        directory: m.directory,
    });
    to_js(&answer)
}
