//! CBOR. No code of ours *reads* CBOR from outside: the extension only writes it (attestation
//! objects, COSE keys) for relying parties to read. So this target checks the writer against two
//! independent readers (ciborium's `Value` and coset's `CoseKey`) for arbitrary field values, and
//! also feeds the raw input to those readers, which the relying-party side of our tests uses.

use ciborium::Value;
use coset::{CborSerializable, CoseKey, KeyType, Label, iana};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use softkey_webauthn::AttestationFormat;
use softkey_webauthn::attestation::{AttestationInput, attestation_object};
use softkey_webauthn::auth_data::{AttestedCredentialData, AuthenticatorData, Flags};
use softkey_webauthn::credential_key::CredentialKey;

use crate::Input;
use crate::fixtures::{SeededRng, attestation};

/// Target `cbor_attestation`: `[format, flags, count(4), has_ext, key(32), rp hash(32),
/// client data hash(32), id_len(2), id..., extensions...]`.
pub fn cbor_attestation(data: &[u8]) {
    // The raw input through the independent readers: they must not panic either.
    let _ = ciborium::from_reader::<Value, _>(data);
    let _ = CoseKey::from_slice(data);

    let mut input = Input::new(data);
    let format = match input.byte() % 3 {
        0 => AttestationFormat::None,
        1 => AttestationFormat::PackedSelf,
        _ => AttestationFormat::FidoU2f,
    };
    let flags = input.byte();
    let sign_count = u32::from_be_bytes(input.array());
    let has_extensions = input.byte() & 1 == 1;
    let key_bytes: [u8; 32] = input.array();
    let key = CredentialKey::from_bytes(&key_bytes)
        .unwrap_or_else(|_| CredentialKey::generate(&mut SeededRng::new(6)));
    let rp_id_hash: [u8; 32] = input.array();
    let client_data_hash: [u8; 32] = input.array();
    let id_len = usize::from(u16::from_be_bytes(input.array())) % 1024;
    let credential_id = input.bytes(id_len).to_vec();
    let extensions = has_extensions.then(|| input.rest().to_vec());

    let public_key_cose = key.public_key_cose();
    check_cose_key(&public_key_cose, &key);
    let auth_data = AuthenticatorData {
        rp_id_hash,
        flags: Flags(flags),
        sign_count,
        attested_credential: Some(AttestedCredentialData {
            aaguid: softkey_webauthn::AAGUID,
            credential_id: credential_id.clone(),
            public_key_cose: public_key_cose.clone(),
        }),
        extensions: extensions.clone(),
    }
    .to_bytes();
    check_auth_data(
        &auth_data,
        &rp_id_hash,
        flags,
        sign_count,
        &credential_id,
        &public_key_cose,
        extensions.as_deref(),
    );

    let identity = attestation();
    let object = attestation_object(
        format,
        &AttestationInput {
            auth_data: &auth_data,
            client_data_hash: &client_data_hash,
            rp_id_hash: &rp_id_hash,
            credential_id: &credential_id,
            credential_key: &key,
        },
        identity,
    );
    let object = match object {
        Ok(object) => object,
        // U2F's signature base carries the key handle's length in one byte.
        Err(_) if format == AttestationFormat::FidoU2f && credential_id.len() > 255 => return,
        Err(e) => panic!("attestation object for {format:?} failed: {e}"),
    };
    let value: Value = match ciborium::from_reader(&object[..]) {
        Ok(value) => value,
        Err(e) => panic!("our attestation object is not CBOR: {e}"),
    };
    let Value::Map(entries) = value else {
        panic!("the attestation object is not a map");
    };
    let keys: Vec<_> = entries.iter().map(|(k, _)| k.as_text()).collect();
    assert_eq!(
        keys,
        [Some("fmt"), Some("attStmt"), Some("authData")],
        "keys not in CTAP2 canonical order"
    );
    assert_eq!(entries[0].1.as_text(), Some(format.as_str()));
    assert_eq!(
        entries[2].1.as_bytes().map(Vec::as_slice),
        Some(&auth_data[..])
    );
    let Some(statement) = entries[1].1.as_map() else {
        panic!("attStmt is not a map");
    };
    let field = |name: &str| {
        statement
            .iter()
            .find(|(k, _)| k.as_text() == Some(name))
            .map(|(_, v)| v.clone())
    };
    match format {
        AttestationFormat::None => assert!(statement.is_empty()),
        AttestationFormat::PackedSelf => {
            assert_eq!(field("alg").and_then(|v| v.as_integer()), Some((-7).into()));
            let mut signed = auth_data.clone();
            signed.extend_from_slice(&client_data_hash);
            verify(&key.public_key_sec1(), &signed, field("sig"));
        }
        AttestationFormat::FidoU2f => {
            let x5c = field("x5c");
            let certs = x5c.as_ref().and_then(Value::as_array);
            assert_eq!(
                certs.map(|c| c.len()),
                Some(1),
                "x5c must hold one certificate"
            );
            assert_eq!(
                certs.and_then(|c| c[0].as_bytes()).map(Vec::as_slice),
                Some(identity.certificate_der())
            );
            let mut signed = vec![0x00];
            signed.extend_from_slice(&rp_id_hash);
            signed.extend_from_slice(&client_data_hash);
            signed.extend_from_slice(&credential_id);
            signed.extend_from_slice(&key.public_key_sec1());
            verify(&identity.key().public_key_sec1(), &signed, field("sig"));
        }
    }
}

fn verify(public_sec1: &[u8], message: &[u8], signature: Option<Value>) {
    let Some(Value::Bytes(signature)) = signature else {
        panic!("no signature in attStmt");
    };
    let key = match VerifyingKey::from_sec1_bytes(public_sec1) {
        Ok(key) => key,
        Err(e) => panic!("our public key is not a P-256 point: {e}"),
    };
    let signature = match DerSignature::try_from(&signature[..]) {
        Ok(sig) => sig,
        Err(e) => panic!("our signature is not DER: {e}"),
    };
    assert!(
        key.verify(message, &signature).is_ok(),
        "attestation signature does not verify"
    );
}

/// The COSE key must read back with coset as EC2 / ES256 / P-256 with our point.
fn check_cose_key(cose: &[u8], key: &CredentialKey) {
    let parsed = match CoseKey::from_slice(cose) {
        Ok(parsed) => parsed,
        Err(e) => panic!("our COSE key does not parse: {e:?}"),
    };
    assert_eq!(parsed.kty, KeyType::Assigned(iana::KeyType::EC2));
    assert_eq!(
        parsed.alg,
        Some(coset::Algorithm::Assigned(iana::Algorithm::ES256))
    );
    let param = |label: i64| {
        parsed
            .params
            .iter()
            .find(|(l, _)| *l == Label::Int(label))
            .map(|(_, v)| v.clone())
    };
    let sec1 = key.public_key_sec1();
    assert_eq!(
        param(-1).and_then(|v| v.as_integer()),
        Some((iana::EllipticCurve::P_256 as i64).into())
    );
    assert_eq!(
        param(-2).and_then(|v| v.into_bytes().ok()),
        Some(sec1[1..33].to_vec())
    );
    assert_eq!(
        param(-3).and_then(|v| v.into_bytes().ok()),
        Some(sec1[33..].to_vec())
    );
    // Canonical: writing the parsed key again gives the same bytes.
    assert_eq!(parsed.to_vec().ok().as_deref(), Some(cose));
}

/// Reads authenticator data back field by field (WebAuthn §6.1).
fn check_auth_data(
    bytes: &[u8],
    rp_id_hash: &[u8; 32],
    flags: u8,
    sign_count: u32,
    credential_id: &[u8],
    cose: &[u8],
    extensions: Option<&[u8]>,
) {
    assert_eq!(&bytes[..32], rp_id_hash);
    let mut want_flags = flags & !(Flags::AT | Flags::ED) | Flags::AT;
    if extensions.is_some() {
        want_flags |= Flags::ED;
    }
    assert_eq!(bytes[32], want_flags);
    assert_eq!(bytes[33..37], sign_count.to_be_bytes());
    assert_eq!(bytes[37..53], softkey_webauthn::AAGUID);
    let len = usize::from(u16::from_be_bytes([bytes[53], bytes[54]]));
    assert_eq!(&bytes[55..55 + len], credential_id);
    let rest = &bytes[55 + len..];
    assert_eq!(&rest[..cose.len()], cose);
    assert_eq!(&rest[cose.len()..], extensions.unwrap_or_default());
}
