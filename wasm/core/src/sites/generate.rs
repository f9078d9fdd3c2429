//! What the rest of the project reads of the site table: `extension/shared/sites.js` for every
//! JavaScript check, and the README's table of surfaces. Both are generated here, committed, and
//! compared with a fresh generation by a test (`sites::tests`), so neither can drift.

use super::{Basis, SURFACES, Surface};

/// The regular expression (source, anchored) for a host pattern, with the same meaning as
/// `host_matches`: placeholders become the label shapes `is_dns_label`, `is_region` and
/// `is_session` accept.
pub(super) fn host_regex(pattern: &str) -> String {
    let labels: Vec<String> = pattern
        .split('.')
        .map(|label| match label {
            "{label}" => "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?".to_owned(),
            "{region}" => "[a-z]{2,4}(?:-[a-z]{2,12}){1,2}-[0-9]{1,2}".to_owned(),
            "{session}" => "[0-9]{12}-[a-z0-9]{8}".to_owned(),
            literal => literal.to_owned(),
        })
        .collect();
    format!("^{}$", labels.join("\\."))
}

fn js_string(text: &str) -> String {
    // serde_json's string escaping is valid JavaScript.
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

fn js_surface(s: &Surface) -> String {
    let caps = &s.caps;
    format!(
        "    {{ id: {id}, kind: {kind}, partition: {partition}, host: /{host}/, path: {path}, \
         webauthn: {w}, u2f: {u}, fill: {f}, submit: {sub}, capture: {c} }},",
        id = js_string(s.id),
        kind = js_string(&serde_plain(&s.kind)),
        partition = js_string(&serde_plain(&s.partition)),
        host = host_regex(s.host),
        path = s.path.map_or("null".to_owned(), js_string),
        w = caps.webauthn,
        u = caps.u2f,
        f = caps.fill,
        sub = caps.submit,
        c = caps.capture,
    )
}

/// A unit enum's serde name (`awsSignin`, `aws-us-gov`).
fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

const JS_HEAD: &str = r#"// GENERATED from wasm/core/src/sites.rs by `SOFTKEY_BLESS=1 cargo test -p softkey-core sites`.
// Do not edit: change the table in Rust; a test fails when this file and the table differ.
//
// The one answer to "which AWS or Amazon.com surface is this URL, and what may SoftKey do
// there?" for every JavaScript context: content scripts (listed before the scripts that use it),
// the MAIN-world script (the build concatenates it in front; page.js deletes the global at
// once), the service worker and Node tests (`import` for the side effect). Like
// shared/messages.js it is both a classic script and an ES module, so it has no module syntax.
(function (root) {
  'use strict';
  const SURFACES = Object.freeze([
"#;

const JS_TAIL: &str = r#"  ].map(Object.freeze));

  /** "/ap" covers "/ap" and "/ap/…", never "/apple". */
  const pathMatches = (prefix, path) =>
    prefix === null || path === prefix || (path.startsWith(prefix) && path[prefix.length] === '/');

  /** {host, path} of a default-port https URL with no credentials, else null. */
  function parts(href) {
    let url;
    try {
      url = new URL(href);
    } catch (_) {
      return null;
    }
    if (url.protocol !== 'https:' || url.port !== '' || url.username || url.password) return null;
    return { host: url.hostname, path: url.pathname || '/' };
  }

  /** The surface (with its capabilities) a URL belongs to, or null. */
  function surfaceOf(href) {
    const p = typeof href === 'string' ? parts(href) : null;
    if (!p) return null;
    return SURFACES.find((s) => s.host.test(p.host) && pathMatches(s.path, p.path)) || null;
  }

  /** Whether some surface on this origin's host has `cap` (WebAuthn sees only the origin). */
  function originHas(origin, cap) {
    if (typeof origin !== 'string' || origin === 'null') return false;
    const p = parts(origin);
    if (!p || p.path !== '/' || `https://${p.host}` !== origin) return false;
    return SURFACES.some((s) => s[cap] === true && s.host.test(p.host));
  }

  Object.defineProperty(root, 'SoftKeySites', {
    value: Object.freeze({ SURFACES, surfaceOf, originHas }),
    configurable: true, enumerable: false, writable: false,
  });
})(typeof globalThis !== 'undefined' ? globalThis : self);
"#;

/// The text of `extension/shared/sites.js`.
pub fn javascript() -> String {
    let mut out = String::from(JS_HEAD);
    for s in SURFACES {
        out.push_str(&js_surface(s));
        out.push('\n');
    }
    out.push_str(JS_TAIL);
    out
}

fn yes(on: bool) -> &'static str {
    if on { "✓" } else { "" }
}

/// The README's table of surfaces (between its `sites-table` markers).
pub fn markdown_table() -> String {
    let mut out = String::from(
        "| surface | host | path | partition | WebAuthn | U2F API | fill code | submit | capture | basis |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for s in SURFACES {
        let basis = match s.basis {
            Basis::Evidence(why) => format!("evidence: {why}"),
            Basis::Inferred(why) => format!("inferred: {why}"),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            s.id,
            s.host,
            s.path.map_or(String::new(), |p| format!("`{p}`")),
            s.partition.display_name(),
            yes(s.caps.webauthn),
            yes(s.caps.u2f),
            yes(s.caps.fill),
            yes(s.caps.submit),
            yes(s.caps.capture),
            basis,
        ));
    }
    out
}
