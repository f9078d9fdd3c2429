//! Attestation: the statement that accompanies a new credential, in the `none`, `packed` (self)
//! and `fido-u2f` formats, and the attestation object that carries it (WebAuthn §6.5).

use core::time::Duration;

use ciborium::Value;
use der::Encode;
use der::asn1::UtcTime;
use rand_core::CryptoRng;

use crate::credential_key::{CredentialKey, ES256};
use crate::error::WebAuthnError;

/// The attestation statement format of a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttestationFormat {
    /// No statement (`fmt: "none"`); what a page gets when it asks for no attestation.
    None,
    /// `packed` self attestation: signed by the credential's own key.
    PackedSelf,
    /// `fido-u2f`: signed by our per-install attestation certificate, as U2F keys do.
    FidoU2f,
}

impl AttestationFormat {
    /// The `fmt` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::PackedSelf => "packed",
            Self::FidoU2f => "fido-u2f",
        }
    }

    /// Parses `none`, `packed` or `fido-u2f`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "none" => Some(Self::None),
            "packed" => Some(Self::PackedSelf),
            "fido-u2f" => Some(Self::FidoU2f),
            _ => None,
        }
    }
}

/// The per-install attestation key and its self-signed X.509 certificate, used for `fido-u2f`
/// statements and U2F registration responses. It names no user and no account: one per install,
/// made when the vault is created.
#[derive(Clone)]
pub struct AttestationIdentity {
    key: CredentialKey,
    certificate_der: Vec<u8>,
}

impl core::fmt::Debug for AttestationIdentity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "AttestationIdentity({} byte certificate)",
            self.certificate_der.len()
        )
    }
}

/// DER of `tag ‖ length ‖ content` (X.690 §8.1: short length form below 128, long form above).
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const UTF8_STRING: u8 = 0x0c;
const OID: u8 = 0x06;
/// AlgorithmIdentifier for ecdsa-with-SHA256 (1.2.840.10045.4.3.2), parameters absent (RFC 5758).
const ECDSA_WITH_SHA256: [u8; 12] = [
    0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,
];
/// notAfter: 99991231235959Z, "no well-defined expiration" (RFC 5280 §4.1.2.5), a GeneralizedTime.
const NO_EXPIRY: &[u8] = b"\x18\x0f99991231235959Z";

/// The attestation certificate's subject (and issuer): CN, OU, O, each a UTF8String.
fn attestation_name() -> Vec<u8> {
    // id-at-commonName, id-at-organizationalUnitName, id-at-organizationName (X.520).
    let attributes: [(u8, &str); 3] = [
        (3, "SoftKey for AWS U2F Attestation"),
        (11, "Authenticator Attestation"),
        (10, "SoftKey for AWS"),
    ];
    let mut rdns = Vec::new();
    for (attribute, value) in attributes {
        let mut pair = tlv(OID, &[0x55, 0x04, attribute]);
        pair.extend(tlv(UTF8_STRING, value.as_bytes()));
        rdns.extend(tlv(SET, &tlv(SEQUENCE, &pair)));
    }
    tlv(SEQUENCE, &rdns)
}

impl AttestationIdentity {
    /// Makes a new key and a self-signed certificate valid from `now_unix_seconds`, with no
    /// expiry (RFC 5280 §4.1.2.5's 99991231235959Z), since an authenticator's attestation does
    /// not lapse.
    pub fn generate<R: CryptoRng + ?Sized>(
        rng: &mut R,
        now_unix_seconds: u64,
    ) -> Result<Self, WebAuthnError> {
        let key = CredentialKey::generate(rng);
        let not_before = UtcTime::from_unix_duration(Duration::from_secs(now_unix_seconds))
            .and_then(|t| t.to_der())
            .map_err(|e| {
                WebAuthnError::Internal(format!("could not encode the certificate date: {e}"))
            })?;
        // A positive 16-byte serial: clear the top bit so DER needs no sign byte.
        let mut serial = [0u8; 16];
        rng.fill_bytes(&mut serial);
        serial[0] = (serial[0] & 0x7f) | 0x01;
        let mut validity = not_before;
        validity.extend_from_slice(NO_EXPIRY);
        let name = attestation_name();

        // TBSCertificate (RFC 5280 §4.1): a version-1 certificate, as it has no extensions.
        let mut tbs = tlv(INTEGER, &serial);
        tbs.extend_from_slice(&ECDSA_WITH_SHA256);
        tbs.extend_from_slice(&name);
        tbs.extend(tlv(SEQUENCE, &validity));
        tbs.extend_from_slice(&name);
        tbs.extend(key.public_key_spki_der()?);
        let tbs = tlv(SEQUENCE, &tbs);

        let mut signature_bits = vec![0x00]; // no unused bits
        signature_bits.extend(key.sign(&tbs));
        let mut certificate = tbs;
        certificate.extend_from_slice(&ECDSA_WITH_SHA256);
        certificate.extend(tlv(BIT_STRING, &signature_bits));
        Ok(Self {
            key,
            certificate_der: tlv(SEQUENCE, &certificate),
        })
    }

    /// Restores a stored identity.
    pub fn from_parts(private_key: &[u8], certificate_der: Vec<u8>) -> Result<Self, WebAuthnError> {
        Ok(Self {
            key: CredentialKey::from_bytes(private_key)?,
            certificate_der,
        })
    }

    /// The private key, for storing in the vault.
    pub fn key(&self) -> &CredentialKey {
        &self.key
    }

    /// The DER certificate.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }
}

/// Everything a statement may sign over.
pub struct AttestationInput<'a> {
    /// Serialized authenticator data (with attested credential data).
    pub auth_data: &'a [u8],
    /// SHA-256 of the client data JSON.
    pub client_data_hash: &'a [u8; 32],
    /// The RP ID hash in `auth_data`.
    pub rp_id_hash: &'a [u8; 32],
    /// The new credential's ID.
    pub credential_id: &'a [u8],
    /// The new credential's key.
    pub credential_key: &'a CredentialKey,
}

/// Builds the attestation object: a CBOR map `{fmt, attStmt, authData}` with keys in CTAP2
/// canonical order (shorter keys first), which every verifier accepts.
pub fn attestation_object(
    format: AttestationFormat,
    input: &AttestationInput<'_>,
    identity: &AttestationIdentity,
) -> Result<Vec<u8>, WebAuthnError> {
    let statement = match format {
        AttestationFormat::None => Vec::new(),
        AttestationFormat::PackedSelf => {
            let mut signed = Vec::with_capacity(input.auth_data.len() + 32);
            signed.extend_from_slice(input.auth_data);
            signed.extend_from_slice(input.client_data_hash);
            vec![
                (Value::Text("alg".into()), Value::Integer(ES256.into())),
                (
                    Value::Text("sig".into()),
                    Value::Bytes(input.credential_key.sign(&signed)),
                ),
            ]
        }
        AttestationFormat::FidoU2f => {
            let signed = u2f_registration_signed_data(
                input.rp_id_hash,
                input.client_data_hash,
                input.credential_id,
                &input.credential_key.public_key_sec1(),
            )?;
            vec![
                (
                    Value::Text("sig".into()),
                    Value::Bytes(identity.key.sign(&signed)),
                ),
                (
                    Value::Text("x5c".into()),
                    Value::Array(vec![Value::Bytes(identity.certificate_der.clone())]),
                ),
            ]
        }
    };
    let object = Value::Map(vec![
        (
            Value::Text("fmt".into()),
            Value::Text(format.as_str().into()),
        ),
        (Value::Text("attStmt".into()), Value::Map(statement)),
        (
            Value::Text("authData".into()),
            Value::Bytes(input.auth_data.to_vec()),
        ),
    ]);
    let mut out = Vec::with_capacity(input.auth_data.len() + 512);
    ciborium::into_writer(&object, &mut out)
        .map_err(|e| WebAuthnError::Internal(format!("CBOR encoding failed: {e}")))?;
    Ok(out)
}

/// U2F's registration signature base (FIDO U2F Raw Message Formats §4.3):
/// `0x00 ‖ application ‖ challenge ‖ key handle ‖ user public key`.
pub(crate) fn u2f_registration_signed_data(
    application: &[u8; 32],
    challenge: &[u8; 32],
    key_handle: &[u8],
    public_key: &[u8; 65],
) -> Result<Vec<u8>, WebAuthnError> {
    if key_handle.len() > 255 {
        return Err(WebAuthnError::Internal(
            "a U2F key handle must be at most 255 bytes".into(),
        ));
    }
    let mut signed = Vec::with_capacity(1 + 32 + 32 + key_handle.len() + 65);
    signed.push(0x00);
    signed.extend_from_slice(application);
    signed.extend_from_slice(challenge);
    signed.extend_from_slice(key_handle);
    signed.extend_from_slice(public_key);
    Ok(signed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::{Decode, Encode};
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{DerSignature, VerifyingKey};
    use x509_cert::Certificate;

    #[test]
    fn the_certificate_parses_and_verifies_with_an_independent_parser() {
        let mut rng = crate::test_rng::test_rng();
        // 2026-01-01T00:00:00Z.
        let identity = AttestationIdentity::generate(&mut rng, 1_767_225_600).expect("certificate");
        let certificate =
            Certificate::from_der(identity.certificate_der()).expect("valid DER X.509");
        let tbs = certificate.tbs_certificate();
        assert_eq!(tbs.subject(), tbs.issuer(), "self-signed");
        assert!(
            tbs.subject()
                .to_string()
                .contains("CN=SoftKey for AWS U2F Attestation")
        );
        assert_eq!(
            tbs.validity().not_before.to_unix_duration().as_secs(),
            1_767_225_600
        );
        assert_eq!(tbs.validity().not_after.to_date_time().year(), 9999);
        assert_eq!(tbs.serial_number().as_bytes().len(), 16);
        // The key in the certificate is the identity's key, and it signed the TBS part.
        let spki = tbs.subject_public_key_info();
        let key =
            VerifyingKey::from_sec1_bytes(spki.subject_public_key.raw_bytes()).expect("P-256 key");
        assert_eq!(
            spki.subject_public_key.raw_bytes(),
            identity.key().public_key_sec1()
        );
        let signature =
            DerSignature::try_from(certificate.signature().raw_bytes()).expect("DER signature");
        key.verify(&tbs.to_der().expect("tbs"), &signature)
            .expect("self-signature verifies");
        // The whole certificate is over 255 bytes: two length bytes in the long form.
        assert_eq!(identity.certificate_der()[1], 0x82);
    }

    #[test]
    fn tlv_uses_short_and_long_length_forms() {
        assert_eq!(tlv(0x04, &[1, 2]), [0x04, 0x02, 1, 2]);
        let long = tlv(0x04, &[0; 200]);
        assert_eq!(&long[..3], &[0x04, 0x81, 200]);
        let longer = tlv(0x04, &[0; 300]);
        assert_eq!(&longer[..4], &[0x04, 0x82, 0x01, 0x2c]);
    }
}
