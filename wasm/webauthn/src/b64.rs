//! base64url (RFC 4648 §5, unpadded), the encoding of every binary field in WebAuthn JSON.

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// The declared type of every `Base64Url` field in the generated TypeScript.
#[cfg(feature = "ts")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const BASE64URL_TS: &str = r#"
/** Bytes as unpadded base64url text (WebAuthn's JSON forms). */
export type Base64Url = string;
"#;

/// Bytes that travel as an unpadded base64url string in JSON.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Base64Url(pub Vec<u8>);

impl core::fmt::Debug for Base64Url {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Base64Url({})", encode(&self.0))
    }
}

/// Encodes bytes as unpadded base64url.
pub fn encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes base64url, accepting and ignoring `=` padding (some pages add it).
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let trimmed = text.trim_end_matches('=');
    Base64UrlUnpadded::decode_vec(trimmed).map_err(|e| format!("not valid base64url ({e})"))
}

impl Serialize for Base64Url {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64Url {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text)
            .map(Base64Url)
            .map_err(serde::de::Error::custom)
    }
}

impl From<Vec<u8>> for Base64Url {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}
