//! An ES256 (ECDSA P-256 with SHA-256) credential key pair.

use coset::{CborSerializable, CoseKeyBuilder, iana};
use p256::ecdsa::{DerSignature, SigningKey, signature::Signer};
use p256::elliptic_curve::Generate;
use p256::pkcs8::EncodePublicKey;
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use crate::error::WebAuthnError;

/// COSE algorithm identifier of ES256.
pub const ES256: i64 = -7;

/// A P-256 private key. It wipes itself on drop (the inner `SigningKey` does) and its `Debug`
/// shows only the public key.
#[derive(Clone)]
pub struct CredentialKey {
    signing: SigningKey,
}

impl core::fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "CredentialKey(public {})",
            crate::b64::encode(&self.public_key_sec1())
        )
    }
}

impl CredentialKey {
    /// A fresh random key.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self {
            signing: SigningKey::generate_from_rng(rng),
        }
    }

    /// Loads a key from its 32-byte big-endian scalar.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        SigningKey::from_slice(bytes)
            .map(|signing| Self { signing })
            .map_err(|_| {
                WebAuthnError::Internal("stored private key is not a valid P-256 scalar".into())
            })
    }

    /// The 32-byte private scalar, in a buffer wiped on drop.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&self.signing.to_bytes());
        out
    }

    /// The uncompressed SEC1 public key (0x04 ‖ x ‖ y), as U2F messages carry it.
    pub fn public_key_sec1(&self) -> [u8; 65] {
        let point = self.signing.verifying_key().to_sec1_point(false);
        let mut out = [0u8; 65];
        out.copy_from_slice(point.as_bytes());
        out
    }

    /// The public key as a COSE_Key (kty EC2, alg ES256, crv P-256, x, y) in canonical CBOR.
    pub fn public_key_cose(&self) -> Vec<u8> {
        let sec1 = self.public_key_sec1();
        CoseKeyBuilder::new_ec2_pub_key(
            iana::EllipticCurve::P_256,
            sec1[1..33].to_vec(),
            sec1[33..65].to_vec(),
        )
        .algorithm(iana::Algorithm::ES256)
        .build()
        .to_vec()
        // Encoding a fixed-shape map of byte strings into a Vec cannot fail.
        .unwrap_or_default()
    }

    /// The public key as DER SubjectPublicKeyInfo, what `getPublicKey()` returns.
    pub fn public_key_spki_der(&self) -> Result<Vec<u8>, WebAuthnError> {
        self.signing
            .verifying_key()
            .to_public_key_der()
            .map(|doc| doc.as_bytes().to_vec())
            .map_err(|e| WebAuthnError::Internal(format!("SPKI encoding failed: {e}")))
    }

    /// ECDSA-SHA256 over `message`, DER-encoded as WebAuthn and U2F expect. Deterministic
    /// (RFC 6979), so signing needs no randomness.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let signature: DerSignature = self.signing.sign(message);
        signature.as_bytes().to_vec()
    }

    /// The underlying signing key, for building certificates.
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }
}
