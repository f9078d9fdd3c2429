//! Benchmark hooks that exercise the core's primitives directly (`tests/bench/wasm-cases.mjs`).
//! Only in the `bench` feature's build (`./build.sh bench`), never in the extension's module.

use wasm_bindgen::prelude::*;

use super::{js_error, millis};

/// An ES256 key outside any vault, to time signing against WebCrypto.
#[wasm_bindgen]
pub struct BenchSigner {
    key: softkey_webauthn::credential_key::CredentialKey,
}

#[wasm_bindgen]
impl BenchSigner {
    /// A random ES256 key.
    #[wasm_bindgen(constructor)]
    pub fn new() -> BenchSigner {
        BenchSigner {
            key: softkey_webauthn::credential_key::CredentialKey::generate(
                &mut softkey_core::rng::system_rng(),
            ),
        }
    }

    /// DER ECDSA-SHA256 signature over `message`.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign(message)
    }

    /// The uncompressed SEC1 public key.
    #[wasm_bindgen(js_name = publicKey)]
    pub fn public_key(&self) -> Vec<u8> {
        self.key.public_key_sec1().to_vec()
    }
}

impl Default for BenchSigner {
    fn default() -> Self {
        Self::new()
    }
}

/// A TOTP code for a base32 secret at `unix_seconds` (SHA-1, 6 digits, 30 s).
#[wasm_bindgen(js_name = totpCode)]
pub fn totp_code(secret_base32: &str, unix_seconds: f64) -> Result<String, JsValue> {
    let secret =
        softkey_otp::Secret::from_base32(secret_base32).map_err(|e| js_error(&e.into()))?;
    softkey_otp::totp(
        &secret,
        millis(unix_seconds * 1000.0) / 1000,
        30,
        6,
        softkey_otp::Algorithm::Sha1,
    )
    .map_err(|e| js_error(&e.into()))
}
