//! Page messages: the JSON a web page's arguments become on their way to the core (WebAuthn
//! creation and request options, the legacy U2F API's arguments, the MFA prompt's query), read
//! the way `softkey-wasm` reads them (`serde_json::from_slice` into the core's types), then
//! handed to the fixture keyring (`softkey-core`) and to the WebAuthn client with a throwaway
//! store, whose answers are checked.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, VerifyingKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use softkey_core::mfa_match::MfaQuery;
use softkey_core::{Caller, CreateDecision, GetDecision};
use softkey_webauthn::authenticator::rp_id_hash;
use softkey_webauthn::b64;
use softkey_webauthn::client::{self, Plan};
use softkey_webauthn::json::{CreationOptionsJson, RequestOptionsJson};
use softkey_webauthn::u2f_client::{self, U2fRegisterOptionsJson, U2fSignOptionsJson};
use softkey_webauthn::{AttestationFormat, Authenticator, MemoryStore};

use crate::fixtures::{SeededRng, attestation, key_handle_key, u2f_store, with_keyring};

/// `{origin, topOrigin?, options}`, as `softkey-wasm`'s `CeremonyRequest` (private there) reads
/// it. The origins come from the browser, not the page, but are fuzzed as well.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CeremonyRequest<T> {
    origin: String,
    #[serde(default)]
    top_origin: Option<String>,
    options: T,
}

impl<T> CeremonyRequest<T> {
    fn caller(&self) -> Caller {
        Caller {
            origin: self.origin.clone(),
            top_origin: self.top_origin.clone(),
        }
    }
}

const REQUEST_ID: &str = "fuzz";

fn read<T: DeserializeOwned + Serialize>(data: &[u8]) -> Option<CeremonyRequest<T>> {
    let request: CeremonyRequest<T> = serde_json::from_slice(data).ok()?;
    json_round_trip(&request.options);
    Some(request)
}

/// The options types are also written (the page script re-sends them to the browser's own
/// WebAuthn when a request is not ours): what we write must read back and write the same.
fn json_round_trip<T: DeserializeOwned + Serialize>(value: &T) {
    let first = match serde_json::to_string(value) {
        Ok(json) => json,
        Err(e) => panic!("options read from JSON did not write: {e}"),
    };
    let again: T = match serde_json::from_str(&first) {
        Ok(v) => v,
        Err(e) => panic!("our own JSON {first} did not read back: {e}"),
    };
    let second = serde_json::to_string(&again).unwrap_or_default();
    assert_eq!(first, second, "JSON round trip changed the options");
}

/// The client data JSON must be JSON whose members say what was asked (a string the page chose,
/// like a U2F challenge, must survive escaping).
fn check_client_data(json: &[u8], kind: &str, challenge: &str, origin: &str) {
    let value: serde_json::Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) => panic!(
            "client data is not JSON ({e}): {}",
            String::from_utf8_lossy(json)
        ),
    };
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    // WebAuthn names it `type`, the U2F JavaScript API `typ`.
    assert_eq!(
        field("type").or_else(|| field("typ")).as_deref(),
        Some(kind),
        "client data type"
    );
    assert_eq!(field("challenge").as_deref(), Some(challenge), "challenge");
    assert_eq!(field("origin").as_deref(), Some(origin), "origin");
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
        "signature does not verify"
    );
}

/// Target `webauthn_create_json`: a `navigator.credentials.create` request.
pub fn webauthn_create_json(data: &[u8]) {
    let Some(request) = read::<CreationOptionsJson>(data) else {
        return;
    };
    let caller = request.caller();
    let options = &request.options;
    let decision = with_keyring(|keyring| {
        let decision = keyring.prepare_create(REQUEST_ID, &caller, options);
        keyring.cancel(REQUEST_ID);
        decision
    });
    let ours = matches!(decision, Ok(CreateDecision::NeedsConsent { .. }));

    // The same request through the client with a fresh store, all the way to a credential,
    // which must then sign in.
    let khk = key_handle_key();
    let authenticator = Authenticator::new(&khk, attestation());
    let mut store = MemoryStore::default();
    let plan = client::prepare_create(&authenticator, &store, &caller, options);
    let Ok(Plan::Ready(prepared)) = plan else {
        // An empty store excludes nothing the keyring's would not.
        assert!(
            !ours,
            "the keyring accepted what the client refused: {plan:?}"
        );
        return;
    };
    let response = match client::finish_create(
        &authenticator,
        &mut store,
        &prepared,
        AttestationFormat::PackedSelf,
        true,
        &mut SeededRng::new(9),
    ) {
        Ok(response) => response,
        Err(e) => panic!("a prepared registration failed: {e}"),
    };
    check_client_data(
        &response.response.client_data_json.0,
        "webauthn.create",
        &b64::encode(&options.challenge.0),
        &caller.origin,
    );
    json_round_trip(&response);
    let attestation_object = &response.response.attestation_object.0;
    if let Err(e) = ciborium::from_reader::<ciborium::Value, _>(&attestation_object[..]) {
        panic!("the attestation object is not CBOR: {e}");
    }
    let spki = &response.response.public_key.0;
    let public_key = &spki[spki.len().saturating_sub(65)..];

    let get: RequestOptionsJson = match serde_json::from_value(serde_json::json!({
        "challenge": "Z2V0LWFmdGVyLWNyZWF0ZQ",
        "rpId": prepared.rp_id,
        "allowCredentials": [{"type": "public-key", "id": response.id}],
    })) {
        Ok(get) => get,
        Err(e) => panic!("get options: {e}"),
    };
    let get_caller = Caller {
        origin: prepared.origin.clone(),
        top_origin: None,
    };
    match client::prepare_get(&authenticator, &store, &get_caller, &get, None) {
        Ok(Plan::Ready(prepared_get)) => {
            match client::finish_get(&authenticator, &mut store, &prepared_get, true) {
                Ok(assertion) => check_assertion(&assertion, public_key),
                Err(e) => panic!("the new credential did not sign: {e}"),
            }
        }
        // A cross-site frame registered; signing in top-level works, but may not be ours when
        // the RP ID is not the origin's own (e.g. a public suffix quirk): no claim then.
        other => {
            assert!(
                caller.top_origin.is_some() || other.is_ok(),
                "the new credential cannot sign in: {other:?}"
            );
        }
    }
}

fn check_assertion(
    assertion: &softkey_webauthn::json::AuthenticationResponseJson,
    public_key: &[u8],
) {
    let mut signed = assertion.response.authenticator_data.0.clone();
    signed.extend_from_slice(&Sha256::digest(&assertion.response.client_data_json.0));
    verify(public_key, &signed, &assertion.response.signature.0);
    json_round_trip(assertion);
}

/// Target `webauthn_get_json`: a `navigator.credentials.get` request, against the fixture
/// keyring (two credentials for `amazon.com`, one U2F key usable through `appid`) and, for the
/// signature check, against the fixture U2F store.
pub fn webauthn_get_json(data: &[u8]) {
    let Some(request) = read::<RequestOptionsJson>(data) else {
        return;
    };
    let caller = request.caller();
    let options = &request.options;
    with_keyring(|keyring| {
        let decision = keyring.prepare_get(REQUEST_ID, &caller, options);
        if let Ok(GetDecision::Ready { .. }) = decision {
            match keyring.finish_get(REQUEST_ID, crate::fixtures::NOW_MS) {
                Ok((assertion, _)) => json_round_trip(&assertion),
                Err(e) => panic!("a prepared assertion failed: {e}"),
            }
        }
        keyring.cancel(REQUEST_ID);
    });

    let khk = key_handle_key();
    let authenticator = Authenticator::new(&khk, attestation());
    let mut store = u2f_store().0.clone();
    let Ok(Plan::Ready(prepared)) =
        client::prepare_get(&authenticator, &store, &caller, options, None)
    else {
        return;
    };
    let assertion = match client::finish_get(&authenticator, &mut store, &prepared, true) {
        Ok(assertion) => assertion,
        Err(e) => panic!("a prepared assertion failed: {e}"),
    };
    check_client_data(
        &assertion.response.client_data_json.0,
        "webauthn.get",
        &b64::encode(&options.challenge.0),
        &caller.origin,
    );
    let id = &prepared.credential.id.0;
    let key = khk
        .unwrap(id, &rp_id_hash(&prepared.rp_id))
        .or_else(|| khk.unwrap(id, &rp_id_hash(crate::fixtures::APP_ID)));
    let Some(key) = key else {
        panic!("signed with a credential that is neither the RP ID's nor the AppID's");
    };
    check_assertion(&assertion, &key.public_key_sec1());
}

/// Target `u2f_client_json`: `u2f.register` and `u2f.sign` arguments (the input is tried as both).
pub fn u2f_client_json(data: &[u8]) {
    let khk = key_handle_key();
    let authenticator = Authenticator::new(&khk, attestation());
    let mut store = u2f_store().0.clone();

    if let Some(request) = read::<U2fRegisterOptionsJson>(data) {
        let caller = request.caller();
        with_keyring(|keyring| {
            let _ = keyring.prepare_u2f_register(REQUEST_ID, &caller, &request.options);
            keyring.cancel(REQUEST_ID);
        });
        if let Ok(prepared) =
            u2f_client::prepare_register(&authenticator, &store, &caller, &request.options)
        {
            let response = match u2f_client::finish_register(
                &authenticator,
                &mut store,
                &prepared,
                &mut SeededRng::new(10),
            ) {
                Ok(response) => response,
                Err(e) => panic!("a prepared U2F registration failed: {e}"),
            };
            let challenge = request
                .options
                .register_requests
                .iter()
                .find(|r| r.version == u2f_client::U2F_V2)
                .map(|r| r.challenge.clone())
                .unwrap_or_default();
            check_client_data(
                &response.client_data.0,
                "navigator.id.finishEnrollment",
                &challenge,
                &caller.origin,
            );
            json_round_trip(&response);
        }
    }

    if let Some(request) = read::<U2fSignOptionsJson>(data) {
        let caller = request.caller();
        with_keyring(|keyring| {
            if keyring
                .prepare_u2f_sign(REQUEST_ID, &caller, &request.options)
                .is_ok()
                && let Err(e) = keyring.finish_u2f_sign(REQUEST_ID, crate::fixtures::NOW_MS)
            {
                panic!("a prepared U2F sign failed: {e}");
            }
            keyring.cancel(REQUEST_ID);
        });
        if let Ok(prepared) =
            u2f_client::prepare_sign(&authenticator, &store, &caller, &request.options)
        {
            let response = match u2f_client::finish_sign(&authenticator, &mut store, &prepared) {
                Ok(response) => response,
                Err(e) => panic!("a prepared U2F sign failed: {e}"),
            };
            check_client_data(
                &response.client_data.0,
                "navigator.id.getAssertion",
                &request.options.challenge,
                &caller.origin,
            );
            let Some(key) = khk.unwrap(&prepared.credential.id.0, &rp_id_hash(&prepared.app_id))
            else {
                panic!("signed with a key handle that does not open for its AppID");
            };
            let data = &response.signature_data.0;
            let mut signed = rp_id_hash(&prepared.app_id).to_vec();
            signed.extend_from_slice(&data[..5]);
            signed.extend_from_slice(&Sha256::digest(&response.client_data.0));
            verify(&key.public_key_sec1(), &signed, &data[5..]);
            json_round_trip(&response);
        }
    }
}

/// Target `mfa_query_json`: the MFA prompt's `{site?, account?, user?, email?, remembered?}`
/// (read from the sign-in page), against the fixture keyring's TOTP entries.
pub fn mfa_query_json(data: &[u8]) {
    let Ok(query) = serde_json::from_slice::<MfaQuery>(data) else {
        return;
    };
    let candidates = with_keyring(|keyring| {
        let total = keyring.contents().totp.len();
        let picked = softkey_core::mfa_match::choose(&query, &keyring.contents().totp);
        assert!(picked.iter().all(|&i| i < total), "index out of range");
        let mut sorted = picked.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), picked.len(), "an entry offered twice");
        keyring.mfa_candidates(&query, crate::fixtures::NOW_MS)
    });
    if let Err(e) = candidates {
        panic!("codes for chosen entries failed: {e}");
    }
}
