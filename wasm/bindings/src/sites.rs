//! The site table's answer for one URL, for the worker: which surface a sender's URL belongs to
//! and what its host and path name (region, account, Identity Center directory).

use serde::Serialize;
use softkey_core::sites::{self, Capabilities, Partition, SurfaceKind};
use wasm_bindgen::prelude::*;

use super::to_json;

/// [`site_of`]'s answer.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SiteOf<'a> {
    id: &'a str,
    kind: SurfaceKind,
    partition: Partition,
    #[serde(flatten)]
    caps: Capabilities,
    region: Option<String>,
    account: Option<String>,
    directory: Option<String>,
}

/// The surface of a browser-serialized URL as JSON (`{id, kind, partition, webauthn, u2f,
/// fill, submit, capture, region, account, directory}`), or `null` when it is not ours.
#[wasm_bindgen(js_name = siteOf)]
pub fn site_of(url: &str) -> Result<String, JsValue> {
    let answer = sites::surface_of(url).map(|m| SiteOf {
        id: m.surface.id,
        kind: m.surface.kind,
        partition: m.surface.partition,
        caps: m.surface.caps,
        region: m.region,
        account: m.account,
        directory: m.directory,
    });
    to_json(&answer)
}
