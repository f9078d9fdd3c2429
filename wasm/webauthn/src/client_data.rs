//! `CollectedClientData` and its JSON form (WebAuthn Level 3 §5.8.1), and the FIDO U2F
//! JavaScript API's client data ("browser data", U2F JavaScript API v1.1 §7).

use sha2::{Digest, Sha256};

use crate::b64;

/// Which ceremony the client data is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CeremonyType {
    /// `navigator.credentials.create`.
    Create,
    /// `navigator.credentials.get`.
    Get,
}

impl CeremonyType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Create => "webauthn.create",
            Self::Get => "webauthn.get",
        }
    }
}

/// The client data a browser collects and the authenticator signs over (by hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientData {
    /// Create or get.
    pub ceremony: CeremonyType,
    /// The relying party's challenge, raw bytes.
    pub challenge: Vec<u8>,
    /// The caller's origin (`https://signin.aws.amazon.com`).
    pub origin: String,
    /// The top-level origin when the caller is a cross-origin iframe; `None` otherwise.
    pub top_origin: Option<String>,
}

impl ClientData {
    /// Serializes with the spec's `CCDToString` (§5.8.1.1): fixed member order `type`,
    /// `challenge`, `origin`, `crossOrigin`, then `topOrigin` only when cross-origin, so relying
    /// parties using the limited verification algorithm (a template match) accept it too.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = String::with_capacity(128 + self.origin.len());
        out.push_str("{\"type\":");
        push_json_string(&mut out, self.ceremony.as_str());
        out.push_str(",\"challenge\":");
        push_json_string(&mut out, &b64::encode(&self.challenge));
        out.push_str(",\"origin\":");
        push_json_string(&mut out, &self.origin);
        match &self.top_origin {
            Some(top) => {
                out.push_str(",\"crossOrigin\":true,\"topOrigin\":");
                push_json_string(&mut out, top);
            }
            None => out.push_str(",\"crossOrigin\":false"),
        }
        out.push('}');
        out.into_bytes()
    }
}

/// Which U2F operation the client data is for (its `typ` member).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum U2fClientDataType {
    /// `u2f.register`.
    Register,
    /// `u2f.sign`.
    Sign,
}

impl U2fClientDataType {
    fn as_str(self) -> &'static str {
        match self {
            Self::Register => "navigator.id.finishEnrollment",
            Self::Sign => "navigator.id.getAssertion",
        }
    }
}

/// The client data a U2F client builds; its SHA-256 is the challenge parameter the
/// authenticator signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct U2fClientData {
    /// Register or sign.
    pub typ: U2fClientDataType,
    /// The relying party's challenge exactly as the page gave it (websafe base64 text): U2F
    /// servers compare this string, they do not decode it.
    pub challenge: String,
    /// The caller's origin (the "facet ID").
    pub origin: String,
}

impl U2fClientData {
    /// Serializes as Chrome's U2F client did once TLS channel IDs were gone: members in the
    /// order `typ`, `challenge`, `origin`, `cid_pubkey`, with `cid_pubkey` the string
    /// `"unused"` (some servers require the member to be present).
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = String::with_capacity(96 + self.challenge.len() + self.origin.len());
        out.push_str("{\"typ\":");
        push_json_string(&mut out, self.typ.as_str());
        out.push_str(",\"challenge\":");
        push_json_string(&mut out, &self.challenge);
        out.push_str(",\"origin\":");
        push_json_string(&mut out, &self.origin);
        out.push_str(",\"cid_pubkey\":\"unused\"}");
        out.into_bytes()
    }
}

/// SHA-256 of the serialized client data, which is what the authenticator signs.
pub fn client_data_hash(client_data_json: &[u8]) -> [u8; 32] {
    Sha256::digest(client_data_json).into()
}

/// `CCDToString`'s string serialization: `"` and `\` escaped, control characters as `\uXXXX`.
fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_origin_get_matches_the_spec_template() {
        let cd = ClientData {
            ceremony: CeremonyType::Get,
            challenge: vec![0xfb, 0xff, 0x00],
            origin: "https://signin.aws.amazon.com".into(),
            top_origin: None,
        };
        // Hand-written from §5.8.1.1; challenge 0xfbff00 is "-_8A" in base64url.
        assert_eq!(
            String::from_utf8(cd.to_json()).expect("utf8"),
            r#"{"type":"webauthn.get","challenge":"-_8A","origin":"https://signin.aws.amazon.com","crossOrigin":false}"#
        );
    }

    #[test]
    fn cross_origin_create_adds_top_origin_and_parses_as_json() {
        let cd = ClientData {
            ceremony: CeremonyType::Create,
            challenge: b"abc".to_vec(),
            origin: "https://console.aws.amazon.com".into(),
            top_origin: Some("https://a\"b\\c\n".into()),
        };
        let json = cd.to_json();
        let parsed: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
        assert_eq!(parsed["type"], "webauthn.create");
        assert_eq!(parsed["challenge"], "YWJj");
        assert_eq!(parsed["crossOrigin"], true);
        assert_eq!(parsed["topOrigin"], "https://a\"b\\c\n");
        assert!(String::from_utf8(json).expect("utf8").contains("\\u000a"));
    }

    #[test]
    fn every_string_is_escaped_as_ccd_to_string_says() {
        // §5.8.1.1: `"` and `\` get a backslash; code points below 0x20 become `\u` and four
        // lower-case hex digits (not JSON's short forms such as `\n`); everything else,
        // including DEL, U+2028 and non-ASCII, is copied as UTF-8.
        let cd = ClientData {
            ceremony: CeremonyType::Get,
            challenge: vec![0xff; 4],
            origin: "https://a\"b\\c\n\u{1f}\u{7f}\u{e9}\u{2028}".into(),
            top_origin: Some("\t\u{0}".into()),
        };
        // Written by hand from the algorithm, byte by byte.
        let expected = concat!(
            r#"{"type":"webauthn.get","challenge":"_____w","#,
            r#""origin":"https://a\"b\\c\u000a\u001f"#,
            "\u{7f}\u{e9}\u{2028}",
            r#"","crossOrigin":true,"topOrigin":"\u0009\u0000"}"#
        );
        let json = cd.to_json();
        assert_eq!(String::from_utf8(json.clone()).expect("utf8"), expected);
        // And any JSON parser reads the original strings back.
        let parsed: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
        assert_eq!(parsed["origin"], cd.origin.as_str());
        assert_eq!(parsed["topOrigin"], "\t\u{0}");
    }

    #[test]
    fn u2f_client_data_matches_what_chrome_sent() {
        // The shape of client data captured from Chrome's U2F client, as U2F server libraries
        // keep it in their test vectors.
        let cd = U2fClientData {
            typ: U2fClientDataType::Sign,
            challenge: "F-zksRh5thzKyZR6O0Fr7QxlZ-xEX9_mNH8H3cHn_Po".into(),
            origin: "https://twofactors:4043".into(),
        };
        assert_eq!(
            String::from_utf8(cd.to_json()).expect("utf8"),
            r#"{"typ":"navigator.id.getAssertion","challenge":"F-zksRh5thzKyZR6O0Fr7QxlZ-xEX9_mNH8H3cHn_Po","origin":"https://twofactors:4043","cid_pubkey":"unused"}"#
        );
        let register = U2fClientData {
            typ: U2fClientDataType::Register,
            challenge: "a\"b".into(),
            origin: "https://console.aws.amazon.com".into(),
        };
        let parsed: serde_json::Value =
            serde_json::from_slice(&register.to_json()).expect("valid JSON");
        assert_eq!(parsed["typ"], "navigator.id.finishEnrollment");
        assert_eq!(parsed["challenge"], "a\"b");
    }
}
