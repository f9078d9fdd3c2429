//! FIDO U2F raw messages (U2F_REGISTER, U2F_AUTHENTICATE). The legacy U2F API builds them from a
//! page's `u2f.register`/`u2f.sign` arguments (challenge, AppID, key handles).

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use softkey_webauthn::Authenticator;
use softkey_webauthn::u2f::{self, DONT_ENFORCE_USER_PRESENCE, ENFORCE_USER_PRESENCE};

use crate::Input;
use crate::fixtures::{SeededRng, attestation, key_handle_key, u2f_store};

/// Target `u2f_raw`: `[control, presence, request...]`. The request goes to U2F_AUTHENTICATE
/// against a store holding the fixture key (seeds carry its handle), and to U2F_REGISTER; a
/// registration that succeeds is read back as the U2F spec lays it out, its signature checked,
/// and its new handle must then authenticate.
pub fn u2f_raw(data: &[u8]) {
    let mut input = Input::new(data);
    let control = input.byte();
    let user_present = input.byte() & 1 == 1;
    let request = input.rest();
    let khk = key_handle_key();
    let authenticator = Authenticator::new(&khk, attestation());
    let mut store = u2f_store().0.clone();

    if let Ok(response) =
        u2f::authenticate(&authenticator, &mut store, control, request, user_present)
    {
        check_authentication(&response, request, &store, &authenticator);
    }

    match u2f::register(
        &authenticator,
        &mut store,
        request,
        None,
        user_present,
        &mut SeededRng::new(8),
    ) {
        Ok(response) => {
            assert!(user_present, "registered without user presence");
            let handle = check_registration(&response, request);
            // The new handle signs for its application.
            let mut sign = request.to_vec();
            sign.push(u8::try_from(handle.len()).unwrap_or(u8::MAX));
            sign.extend_from_slice(&handle);
            match u2f::authenticate(
                &authenticator,
                &mut store,
                ENFORCE_USER_PRESENCE,
                &sign,
                true,
            ) {
                Ok(response) => check_authentication(&response, &sign, &store, &authenticator),
                Err(e) => panic!("a handle we just registered did not sign: {e}"),
            }
        }
        Err(_) => assert!(
            request.len() != 64 || !user_present,
            "a well-formed registration with user presence failed"
        ),
    }
    // The control byte only matters once the handle is ours; other bytes never sign.
    let _ = u2f::authenticate(
        &authenticator,
        &mut store,
        DONT_ENFORCE_USER_PRESENCE,
        request,
        false,
    );
}

/// `0x05 ‖ public key (65) ‖ L ‖ key handle (L) ‖ certificate (DER) ‖ signature (DER)`; returns
/// the key handle.
fn check_registration(response: &[u8], request: &[u8]) -> Vec<u8> {
    assert_eq!(response[0], 0x05, "reserved byte");
    let public_key = &response[1..66];
    let len = usize::from(response[66]);
    let handle = response[67..67 + len].to_vec();
    let rest = &response[67 + len..];
    let cert_len = der_length(rest);
    let (certificate, signature) = rest.split_at(cert_len);
    assert_eq!(certificate, attestation().certificate_der());
    let mut signed = vec![0x00];
    signed.extend_from_slice(&request[32..64]);
    signed.extend_from_slice(&request[..32]);
    signed.extend_from_slice(&handle);
    signed.extend_from_slice(public_key);
    verify(&attestation().key().public_key_sec1(), &signed, signature);
    assert!(VerifyingKey::from_sec1_bytes(public_key).is_ok());
    handle
}

/// `user presence (1) ‖ counter (4) ‖ signature (DER)`, signed over
/// `application ‖ presence ‖ counter ‖ challenge` with the handle's own key.
fn check_authentication(
    response: &[u8],
    request: &[u8],
    store: &softkey_webauthn::MemoryStore,
    authenticator: &Authenticator<'_>,
) {
    let (challenge, application) = (&request[..32], &request[32..64]);
    let handle = &request[65..];
    let Ok(application_hash) = <[u8; 32]>::try_from(application) else {
        panic!("signed with a short application parameter");
    };
    let Some((record, key)) = authenticator.lookup(store, handle, &application_hash) else {
        panic!("signed with a handle that is not ours for this application");
    };
    let counter = u32::from_be_bytes([response[1], response[2], response[3], response[4]]);
    assert_eq!(
        counter, record.sign_count,
        "the counter answered is the stored one"
    );
    let mut signed = application.to_vec();
    signed.extend_from_slice(&response[..5]);
    signed.extend_from_slice(challenge);
    verify(&key.public_key_sec1(), &signed, &response[5..]);
}

fn verify(public_sec1: &[u8], message: &[u8], signature: &[u8]) {
    let key = match VerifyingKey::from_sec1_bytes(public_sec1) {
        Ok(key) => key,
        Err(e) => panic!("not a P-256 public key: {e}"),
    };
    let signature = match DerSignature::try_from(signature) {
        Ok(sig) => sig,
        Err(e) => panic!("the signature is not DER: {e}"),
    };
    assert!(
        key.verify(message, &signature).is_ok(),
        "U2F signature does not verify"
    );
}

/// Length of the DER element at the start of `bytes` (tag, length, contents).
fn der_length(bytes: &[u8]) -> usize {
    assert_eq!(bytes[0], 0x30, "the certificate is a SEQUENCE");
    match bytes[1] {
        n @ 0..=0x7f => 2 + usize::from(n),
        0x81 => 3 + usize::from(bytes[2]),
        0x82 => 4 + usize::from(u16::from_be_bytes([bytes[2], bytes[3]])),
        other => panic!("unexpected DER length form {other:#x}"),
    }
}
