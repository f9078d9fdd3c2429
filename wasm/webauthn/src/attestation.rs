//! Attestation: the statement that accompanies a new credential, in the `none`, `packed` (self)
//! and `fido-u2f` formats, and the attestation object that carries it (WebAuthn §6.5).

use core::str::FromStr;
use core::time::Duration;

use ciborium::Value;
use p256::ecdsa::DerSignature;
use rand_core::CryptoRng;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::der::Encode;
use x509_cert::der::asn1::{GeneralizedTime, UtcTime};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};
use x509_cert::time::{Time, Validity};

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

/// Subject and issuer of the attestation certificate; no extensions.
struct SelfSignedAttestation;

const ATTESTATION_SUBJECT: &str =
    "CN=SoftKey for AWS U2F Attestation,OU=Authenticator Attestation,O=SoftKey for AWS";

impl BuilderProfile for SelfSignedAttestation {
    fn get_issuer(&self, subject: &Name) -> Name {
        subject.clone()
    }

    fn get_subject(&self) -> Name {
        Name::from_str(ATTESTATION_SUBJECT).unwrap_or_default()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        _tbs: &x509_cert::TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        Ok(Vec::new())
    }
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
        let fail = |e: &dyn core::fmt::Display| {
            WebAuthnError::Internal(format!("could not make the attestation certificate: {e}"))
        };
        let not_before = UtcTime::from_unix_duration(Duration::from_secs(now_unix_seconds))
            .map(Time::UtcTime)
            .map_err(|e| fail(&e))?;
        let not_after = GeneralizedTime::from_date_time(x509_cert::der::DateTime::INFINITY);
        let validity = Validity::new(not_before, Time::GeneralTime(not_after));
        let signer = key.signing_key();
        let spki = SubjectPublicKeyInfo::from_key(signer.verifying_key()).map_err(|e| fail(&e))?;
        let builder = CertificateBuilder::new(
            SelfSignedAttestation,
            SerialNumber::generate(rng),
            validity,
            spki,
        )
        .map_err(|e| fail(&e))?;
        let certificate = builder
            .build::<_, DerSignature>(&signer)
            .map_err(|e| fail(&e))?;
        let certificate_der = certificate.to_der().map_err(|e| fail(&e))?;
        Ok(Self {
            key,
            certificate_der,
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
