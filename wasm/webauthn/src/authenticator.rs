//! The authenticator proper (CTAP2 semantics): make a credential, sign an assertion.
//!
//! It knows nothing of origins or JSON; [`crate::client`] does the browser's part.

use rand_core::CryptoRng;
use sha2::{Digest, Sha256};

use crate::attestation::{
    AttestationFormat, AttestationIdentity, AttestationInput, attestation_object,
};
use crate::auth_data::{AttestedCredentialData, AuthenticatorData, Flags};
use crate::b64::Base64Url;
use crate::credential_key::CredentialKey;
use crate::error::WebAuthnError;
use crate::key_handle::KeyHandleKey;
use crate::store::{CredentialRecord, CredentialStore, UserEntity};

/// Our authenticator model's AAGUID (`7a3f2c5e-9b1d-4e8a-a6c0-5d2e9f1b3c47`), fixed for all
/// installs so relying parties can recognise the model without telling users apart.
pub const AAGUID: [u8; 16] = [
    0x7a, 0x3f, 0x2c, 0x5e, 0x9b, 0x1d, 0x4e, 0x8a, 0xa6, 0xc0, 0x5d, 0x2e, 0x9f, 0x1b, 0x3c, 0x47,
];

/// SHA-256 of an RP ID or AppID.
pub fn rp_id_hash(rp_id: &str) -> [u8; 32] {
    Sha256::digest(rp_id.as_bytes()).into()
}

/// The keys an authenticator needs: one to wrap credential keys, one to attest.
pub struct Authenticator<'a> {
    key_handles: &'a KeyHandleKey,
    attestation: &'a AttestationIdentity,
}

/// A request to make a credential, already checked by the client.
#[derive(Debug, Clone)]
pub struct MakeCredentialRequest {
    /// The RP ID (or AppID) to bind the credential to.
    pub rp_id: String,
    /// SHA-256 of the client data.
    pub client_data_hash: [u8; 32],
    /// The user it is for.
    pub user: Option<UserEntity>,
    /// Store it as discoverable.
    pub discoverable: bool,
    /// Statement format.
    pub format: AttestationFormat,
    /// Set the BE flag (the key can leave this device through an encrypted backup).
    pub backup_eligible: bool,
}

/// What a new key is bound to and recorded with.
pub(crate) struct NewKeySpec {
    pub(crate) rp_id: String,
    pub(crate) rp_id_hash: [u8; 32],
    pub(crate) user: Option<UserEntity>,
    pub(crate) discoverable: bool,
    pub(crate) backup_eligible: bool,
}

/// A new credential, stored, with what the RP receives.
#[derive(Debug, Clone)]
pub struct NewCredential {
    /// The credential ID.
    pub credential_id: Vec<u8>,
    /// The credential's key (the private half stays in the process; only public parts leave).
    pub key: CredentialKey,
    /// Serialized authenticator data.
    pub auth_data: Vec<u8>,
    /// Serialized attestation object.
    pub attestation_object: Vec<u8>,
}

/// A signed assertion.
#[derive(Debug, Clone)]
pub struct Assertion {
    /// The credential used.
    pub credential_id: Vec<u8>,
    /// Serialized authenticator data.
    pub auth_data: Vec<u8>,
    /// DER ECDSA signature over `auth_data ‖ client_data_hash`.
    pub signature: Vec<u8>,
    /// The user handle of a discoverable credential.
    pub user_handle: Option<Vec<u8>>,
    /// The counter in `auth_data`.
    pub sign_count: u32,
}

impl<'a> Authenticator<'a> {
    /// An authenticator over these keys.
    pub fn new(key_handles: &'a KeyHandleKey, attestation: &'a AttestationIdentity) -> Self {
        Self {
            key_handles,
            attestation,
        }
    }

    /// The attestation identity (for U2F registration responses).
    pub fn attestation(&self) -> &AttestationIdentity {
        self.attestation
    }

    /// Makes a key, wraps it into a credential ID bound to `rp_id_hash`, and records it.
    pub(crate) fn create_key<R: CryptoRng + ?Sized>(
        &self,
        store: &mut dyn CredentialStore,
        spec: NewKeySpec,
        rng: &mut R,
    ) -> Result<(Vec<u8>, CredentialKey), WebAuthnError> {
        let key = CredentialKey::generate(rng);
        let credential_id = self.key_handles.wrap(&key, &spec.rp_id_hash, rng);
        store
            .insert(CredentialRecord {
                id: Base64Url(credential_id.clone()),
                rp_id: spec.rp_id,
                rp_id_hash: Base64Url(spec.rp_id_hash.to_vec()),
                user: spec.user,
                discoverable: spec.discoverable,
                sign_count: 0,
                backup_eligible: spec.backup_eligible,
            })
            .map_err(WebAuthnError::Store)?;
        Ok((credential_id, key))
    }

    /// authenticatorMakeCredential with user presence already established by the caller.
    pub fn make_credential<R: CryptoRng + ?Sized>(
        &self,
        store: &mut dyn CredentialStore,
        request: &MakeCredentialRequest,
        rng: &mut R,
    ) -> Result<NewCredential, WebAuthnError> {
        let hash = rp_id_hash(&request.rp_id);
        let (credential_id, key) = self.create_key(
            store,
            NewKeySpec {
                rp_id: request.rp_id.clone(),
                rp_id_hash: hash,
                user: request.user.clone(),
                discoverable: request.discoverable,
                backup_eligible: request.backup_eligible,
            },
            rng,
        )?;
        // A U2F device has no AAGUID; verifiers of fido-u2f statements expect zeros.
        let aaguid = match request.format {
            AttestationFormat::FidoU2f => [0; 16],
            _ => AAGUID,
        };
        let mut flags = Flags::UP;
        if request.backup_eligible {
            flags |= Flags::BE;
        }
        let auth_data = AuthenticatorData {
            rp_id_hash: hash,
            flags: Flags(flags),
            sign_count: 0,
            attested_credential: Some(AttestedCredentialData {
                aaguid,
                credential_id: credential_id.clone(),
                public_key_cose: key.public_key_cose(),
            }),
            extensions: None,
        }
        .to_bytes();
        let attestation_object = attestation_object(
            request.format,
            &AttestationInput {
                auth_data: &auth_data,
                client_data_hash: &request.client_data_hash,
                rp_id_hash: &hash,
                credential_id: &credential_id,
                credential_key: &key,
            },
            self.attestation,
        )?;
        Ok(NewCredential {
            credential_id,
            key,
            auth_data,
            attestation_object,
        })
    }

    /// The record and key of a credential ID, if it is ours and bound to `rp_id_hash`. A
    /// credential the user deleted is not ours any more, even though its handle would open.
    pub fn lookup(
        &self,
        store: &dyn CredentialStore,
        credential_id: &[u8],
        rp_id_hash: &[u8; 32],
    ) -> Option<(CredentialRecord, CredentialKey)> {
        let record = store.find(credential_id)?;
        if record.rp_id_hash.0 != rp_id_hash {
            return None;
        }
        let key = self
            .key_handles
            .unwrap(credential_id, rp_id_hash)
            .or_else(|| store.imported_key(credential_id))?;
        Some((record, key))
    }

    /// authenticatorGetAssertion for one credential, user presence decided by the caller.
    /// The counter is incremented in `store` before anything is signed.
    pub fn get_assertion(
        &self,
        store: &mut dyn CredentialStore,
        credential_id: &[u8],
        rp_id_hash: &[u8; 32],
        client_data_hash: &[u8; 32],
        user_present: bool,
    ) -> Result<Assertion, WebAuthnError> {
        let (record, key) = self
            .lookup(store, credential_id, rp_id_hash)
            .ok_or_else(|| {
                WebAuthnError::NotAllowed("this security key does not hold that credential".into())
            })?;
        let sign_count = store
            .increment_sign_count(credential_id)
            .map_err(WebAuthnError::Store)?;
        let mut flags = 0;
        if user_present {
            flags |= Flags::UP;
        }
        if record.backup_eligible {
            flags |= Flags::BE;
        }
        let auth_data = AuthenticatorData {
            rp_id_hash: *rp_id_hash,
            flags: Flags(flags),
            sign_count,
            attested_credential: None,
            extensions: None,
        }
        .to_bytes();
        let mut signed = Vec::with_capacity(auth_data.len() + 32);
        signed.extend_from_slice(&auth_data);
        signed.extend_from_slice(client_data_hash);
        let signature = key.sign(&signed);
        let user_handle = if record.discoverable {
            record.user.map(|u| u.id.0)
        } else {
            None
        };
        Ok(Assertion {
            credential_id: credential_id.to_vec(),
            auth_data,
            signature,
            user_handle,
            sign_count,
        })
    }
}
