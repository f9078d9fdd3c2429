//! An ES256 (ECDSA P-256 with SHA-256) credential key pair.

use coset::{CborSerializable, CoseKeyBuilder, iana};
use p256::elliptic_curve::Generate;
use p256::elliptic_curve::ff::PrimeField;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::{NistP256, NonZeroScalar, PublicKey};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::error::WebAuthnError;

/// COSE algorithm identifier of ES256.
pub const ES256: i64 = -7;

/// DER of a P-256 SubjectPublicKeyInfo up to the point (RFC 5480 §2): SEQUENCE (89 bytes) {
/// SEQUENCE { OID id-ecPublicKey, OID secp256r1 }, BIT STRING (66 bytes, no unused bits) }.
const P256_SPKI_HEADER: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// A P-256 private key: only the secret scalar, so opening a key handle and signing an
/// assertion cost one scalar multiplication (the signature's), not three; the public key is
/// derived only when a registration needs it. Wiped on drop; `Debug` prints nothing secret.
#[derive(Clone)]
pub struct CredentialKey {
    secret: NonZeroScalar,
}

impl Drop for CredentialKey {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl core::fmt::Debug for CredentialKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CredentialKey(..)")
    }
}

impl CredentialKey {
    /// A fresh random key.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self {
            secret: NonZeroScalar::generate_from_rng(rng),
        }
    }

    /// Loads a key from its 32-byte big-endian scalar.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, WebAuthnError> {
        let invalid =
            || WebAuthnError::Internal("stored private key is not a valid P-256 scalar".into());
        let repr: [u8; 32] = bytes.try_into().map_err(|_| invalid())?;
        Option::from(NonZeroScalar::from_repr(repr.into()))
            .map(|secret| Self { secret })
            .ok_or_else(invalid)
    }

    /// The 32-byte private scalar, in a buffer wiped on drop.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        let mut repr = self.secret.to_repr();
        out.copy_from_slice(&repr);
        repr.zeroize();
        out
    }

    /// The uncompressed SEC1 public key (0x04 ‖ x ‖ y), as U2F messages carry it.
    pub fn public_key_sec1(&self) -> [u8; 65] {
        let point = self.public_key().to_sec1_point(false);
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
        // Every P-256 SPKI is this fixed header and the uncompressed point: building it here
        // keeps pkcs8's generic DER encoder (and its error texts) out of the wasm module. The
        // test below checks it against that encoder.
        let mut der = Vec::with_capacity(P256_SPKI_HEADER.len() + 65);
        der.extend_from_slice(&P256_SPKI_HEADER);
        der.extend_from_slice(&self.public_key_sec1());
        Ok(der)
    }

    /// ECDSA-SHA256 over `message`, DER-encoded as WebAuthn and U2F expect. Deterministic
    /// (RFC 6979), so signing needs no randomness.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let digest = Sha256::digest(message);
        let (signature, _) =
            ecdsa::hazmat::sign_prehashed_rfc6979::<NistP256, Sha256>(&self.secret, &digest, &[]);
        der_signature(&signature.to_bytes())
    }

    fn public_key(&self) -> PublicKey {
        PublicKey::from_secret_scalar(&self.secret)
    }
}

/// `r ‖ s` (32 bytes each) as DER's `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`
/// (RFC 3279 §2.2.3): each the shortest big-endian form, with a zero byte in front when its top
/// bit is set. Written here rather than by ecdsa's `to_der`, which encodes and then parses it
/// back with the der crate's generic reader (and carries that reader's error texts into the
/// wasm module); the tests check it against `to_der`.
fn der_signature(r_s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(72);
    out.extend_from_slice(&[0x30, 0]);
    for half in r_s.chunks(32) {
        // r and s are never zero; one byte is kept all the same.
        let start = half
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(half.len().saturating_sub(1));
        let value = &half[start..];
        let pad = value.first().is_some_and(|b| b & 0x80 != 0);
        out.push(0x02);
        // At most 33: short-form lengths.
        out.push((value.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(value);
    }
    // At most 70.
    out[1] = (out.len() - 2) as u8;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
            .collect()
    }

    /// RFC 6979 Appendix A.2.5 (P-256, SHA-256, message "sample"): deterministic signing must
    /// give exactly r and s from the RFC.
    #[test]
    fn signs_rfc_6979_vector() {
        let key = CredentialKey::from_bytes(&unhex(
            "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721",
        ))
        .expect("key");
        let r = unhex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716");
        let s = unhex("f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
        // Both have the top bit set, so DER gives each a leading zero byte.
        let mut der = vec![0x30, 0x46, 0x02, 0x21, 0x00];
        der.extend_from_slice(&r);
        der.extend_from_slice(&[0x02, 0x21, 0x00]);
        der.extend_from_slice(&s);
        assert_eq!(key.sign(b"sample"), der);
        // RFC 6979 A.2.5's public key Ux.
        assert_eq!(
            key.public_key_sec1()[1..33],
            unhex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6")[..]
        );
    }

    /// The SPKI is what pkcs8's DER encoder makes of the same public key.
    #[test]
    fn spki_matches_the_pkcs8_encoder() {
        use p256::pkcs8::EncodePublicKey;
        for seed in [1u8, 7, 0x5a, 0xc3] {
            let key = CredentialKey::from_bytes(&[seed; 32]).expect("key");
            let reference = key.public_key().to_public_key_der().expect("DER");
            assert_eq!(
                key.public_key_spki_der().expect("SPKI"),
                reference.as_bytes(),
                "seed {seed}"
            );
        }
    }

    /// Signatures are what ecdsa's own DER encoder makes of the same `r` and `s`, also for the
    /// short and padded forms, and verify under the public key.
    #[test]
    fn der_signatures_match_ecdsas_encoder() {
        use p256::ecdsa::signature::Verifier;
        use p256::ecdsa::{DerSignature, Signature, VerifyingKey};
        let mut padded = 0;
        for seed in 1u8..=40 {
            let key = CredentialKey::from_bytes(&[seed; 32]).expect("key");
            let message = [seed.wrapping_mul(31); 37];
            let der = key.sign(&message);
            let (signature, _) = ecdsa::hazmat::sign_prehashed_rfc6979::<NistP256, Sha256>(
                &key.secret,
                &Sha256::digest(message),
                &[],
            );
            assert_eq!(der, signature.to_der().as_bytes(), "seed {seed}");
            let parsed = DerSignature::try_from(der.as_slice()).expect("DER");
            let verifying = VerifyingKey::from_sec1_bytes(&key.public_key_sec1()).expect("key");
            verifying.verify(&message, &parsed).expect("verifies");
            let bytes = signature.to_bytes();
            padded += usize::from(bytes[0] & 0x80 != 0 || bytes[32] & 0x80 != 0);
        }
        assert!(
            padded > 0,
            "no signature with a padded integer among the cases"
        );
        // A leading zero byte (1 in 256 per integer, so maybe none above) is checked directly:
        // an r that is one byte shorter, and an s whose top bit is set.
        let mut r_s = [0x11u8; 64];
        r_s[0] = 0;
        r_s[32] = 0x80;
        let der = der_signature(&r_s);
        let reference = Signature::from_slice(&r_s).expect("r, s").to_der();
        assert_eq!(der, reference.as_bytes());
    }

    #[test]
    fn rejects_zero_and_out_of_range_scalars() {
        assert!(CredentialKey::from_bytes(&[0; 32]).is_err());
        assert!(CredentialKey::from_bytes(&[0xff; 32]).is_err());
        assert!(CredentialKey::from_bytes(&[1; 31]).is_err());
    }
}
