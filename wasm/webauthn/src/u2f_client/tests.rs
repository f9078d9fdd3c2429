use zeroize::Zeroizing;

use super::*;
use crate::attestation::AttestationIdentity;
use crate::key_handle::KeyHandleKey;
use crate::store::MemoryStore;
use crate::test_rng::test_rng;

const APP_ID: &str = "https://u2f.aws.amazon.com/app-id.json";
const CONSOLE: &str = "https://console.aws.amazon.com";
const SIGNIN: &str = "https://signin.aws.amazon.com";

struct Fixture {
    key_handles: KeyHandleKey,
    identity: AttestationIdentity,
    store: MemoryStore,
}

impl Fixture {
    fn new() -> Self {
        Self {
            key_handles: KeyHandleKey::new(Zeroizing::new([7; 32])),
            identity: AttestationIdentity::generate(&mut test_rng(), 1_767_225_600)
                .expect("identity"),
            store: MemoryStore::default(),
        }
    }

    fn authenticator(&self) -> Authenticator<'_> {
        Authenticator::new(&self.key_handles, &self.identity)
    }

    fn register(
        &mut self,
        origin: &str,
        options: &U2fRegisterOptionsJson,
    ) -> Result<U2fRegisterResponseJson, U2fApiError> {
        let prepared =
            prepare_register(&self.authenticator(), &self.store, &caller(origin), options)?;
        let authenticator = Authenticator::new(&self.key_handles, &self.identity);
        finish_register(&authenticator, &mut self.store, &prepared, &mut test_rng())
    }

    fn sign(
        &mut self,
        origin: &str,
        options: &U2fSignOptionsJson,
    ) -> Result<U2fSignResponseJson, U2fApiError> {
        let prepared = prepare_sign(&self.authenticator(), &self.store, &caller(origin), options)?;
        let authenticator = Authenticator::new(&self.key_handles, &self.identity);
        finish_sign(&authenticator, &mut self.store, &prepared)
    }
}

fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

fn register_options(
    app_id: Option<&str>,
    keys: Vec<U2fRegisteredKeyJson>,
) -> U2fRegisterOptionsJson {
    U2fRegisterOptionsJson {
        app_id: app_id.map(Into::into),
        register_requests: vec![U2fRegisterRequestJson {
            version: U2F_V2.into(),
            challenge: "cmVnaXN0ZXItY2hhbGxlbmdl".into(),
        }],
        registered_keys: keys,
    }
}

fn key(handle: &str, app_id: Option<&str>) -> U2fRegisteredKeyJson {
    U2fRegisteredKeyJson {
        version: U2F_V2.into(),
        key_handle: handle.into(),
        app_id: app_id.map(Into::into),
    }
}

fn sign_options(app_id: Option<&str>, keys: Vec<U2fRegisteredKeyJson>) -> U2fSignOptionsJson {
    U2fSignOptionsJson {
        app_id: app_id.map(Into::into),
        challenge: "c2lnbi1jaGFsbGVuZ2U".into(),
        registered_keys: keys,
    }
}

/// The key handle inside registration data: `05 | key (65) | L | handle | …`.
fn key_handle_of(registration: &U2fRegisterResponseJson) -> String {
    let data = &registration.registration_data.0;
    assert_eq!(data[0], 0x05, "reserved byte");
    let len = usize::from(data[66]);
    b64::encode(&data[67..67 + len])
}

fn client_data(json: &Base64Url) -> serde_json::Value {
    serde_json::from_slice(&json.0).expect("client data is JSON")
}

#[test]
fn register_binds_the_key_to_the_app_id_and_records_it_as_the_rp() {
    let mut f = Fixture::new();
    let response = f
        .register(CONSOLE, &register_options(Some(APP_ID), vec![]))
        .expect("register");
    assert_eq!(response.version, "U2F_V2");
    let cd = client_data(&response.client_data);
    assert_eq!(cd["typ"], "navigator.id.finishEnrollment");
    assert_eq!(cd["challenge"], "cmVnaXN0ZXItY2hhbGxlbmdl");
    assert_eq!(cd["origin"], CONSOLE);
    assert_eq!(cd["cid_pubkey"], "unused");
    let record = &f.store.records[0];
    assert_eq!(record.rp_id, APP_ID);
    assert_eq!(record.rp_id_hash.0, rp_id_hash(APP_ID));
    assert_eq!(b64::encode(&record.id.0), key_handle_of(&response));
}

#[test]
fn sign_uses_the_held_key_and_its_counter_grows() {
    let mut f = Fixture::new();
    let registered = f
        .register(CONSOLE, &register_options(Some(APP_ID), vec![]))
        .expect("register");
    let handle = key_handle_of(&registered);
    // A key handle we do not hold comes first: the one we hold is picked.
    let keys = vec![key("AAAA", None), key(&handle, None)];
    let first = f
        .sign(SIGNIN, &sign_options(Some(APP_ID), keys.clone()))
        .expect("sign");
    let second = f
        .sign(SIGNIN, &sign_options(Some(APP_ID), keys))
        .expect("sign");
    assert_eq!(first.key_handle, handle);
    let cd = client_data(&first.client_data);
    assert_eq!(cd["typ"], "navigator.id.getAssertion");
    assert_eq!(cd["origin"], SIGNIN);
    let counter = |r: &U2fSignResponseJson| {
        assert_eq!(r.signature_data.0[0], 0x01, "user present");
        u32::from_be_bytes(r.signature_data.0[1..5].try_into().expect("4 bytes"))
    };
    assert_eq!((counter(&first), counter(&second)), (1, 2));
}

#[test]
fn the_origin_is_the_app_id_when_the_page_gives_none() {
    let mut f = Fixture::new();
    let registered = f
        .register(CONSOLE, &register_options(None, vec![]))
        .expect("register");
    assert_eq!(f.store.records[0].rp_id, CONSOLE);
    let handle = key_handle_of(&registered);
    assert!(
        f.sign(CONSOLE, &sign_options(None, vec![key(&handle, None)]))
            .is_ok()
    );
    // Under another facet the default AppID differs, so the key is not found.
    let err = f
        .sign(SIGNIN, &sign_options(None, vec![key(&handle, None)]))
        .expect_err("other facet");
    assert_eq!(err.error_code(), 4);
}

#[test]
fn an_app_id_of_another_site_is_a_bad_request() {
    let mut f = Fixture::new();
    for (origin, app_id) in [
        (CONSOLE, "https://u2f.example.com/app-id.json"),
        (CONSOLE, "http://u2f.aws.amazon.com/app-id.json"),
        ("https://www.example.test", APP_ID),
        ("https://signin.aws.amazon.com.example.test", APP_ID),
    ] {
        let err = f
            .register(origin, &register_options(Some(app_id), vec![]))
            .expect_err(app_id);
        assert_eq!(
            (err.error_code(), err.name()),
            (2, "U2fBadRequest"),
            "{origin} {app_id}"
        );
        let err = f
            .sign(origin, &sign_options(Some(app_id), vec![key("AAAA", None)]))
            .expect_err(app_id);
        assert_eq!(err.error_code(), 2, "{origin} {app_id}");
    }
    // A registered key's own AppID is checked too.
    let err = f
        .sign(
            SIGNIN,
            &sign_options(Some(APP_ID), vec![key("AAAA", Some("https://evil.test/a"))]),
        )
        .expect_err("per-key AppID");
    assert_eq!(err.error_code(), 2);
    assert!(f.store.records.is_empty(), "nothing was registered");
}

#[test]
fn registering_a_key_we_already_hold_is_device_ineligible() {
    let mut f = Fixture::new();
    let registered = f
        .register(CONSOLE, &register_options(Some(APP_ID), vec![]))
        .expect("register");
    let handle = key_handle_of(&registered);
    let err = f
        .register(
            CONSOLE,
            &register_options(Some(APP_ID), vec![key(&handle, None)]),
        )
        .expect_err("already registered");
    assert_eq!((err.error_code(), err.name()), (4, "U2fDeviceIneligible"));
    // Someone else's key in the list does not stop a registration.
    assert!(
        f.register(
            CONSOLE,
            &register_options(Some(APP_ID), vec![key("AAAA", None)])
        )
        .is_ok()
    );
    assert_eq!(f.store.records.len(), 2);
}

#[test]
fn signing_with_no_key_of_ours_is_device_ineligible() {
    let mut f = Fixture::new();
    for keys in [vec![], vec![key("AAAA", None)]] {
        let err = f
            .sign(SIGNIN, &sign_options(Some(APP_ID), keys))
            .expect_err("not ours");
        assert_eq!(err.error_code(), 4);
    }
    // Our key, registered under another AppID, is not ours for this one.
    let registered = f
        .register(CONSOLE, &register_options(None, vec![]))
        .expect("register");
    let handle = key_handle_of(&registered);
    let err = f
        .sign(
            CONSOLE,
            &sign_options(Some(APP_ID), vec![key(&handle, None)]),
        )
        .expect_err("other AppID");
    assert_eq!(err.error_code(), 4);
    // ...unless the key names its own AppID (v1.1 per-key appId).
    assert!(
        f.sign(
            CONSOLE,
            &sign_options(Some(APP_ID), vec![key(&handle, Some(CONSOLE))])
        )
        .is_ok()
    );
}

#[test]
fn malformed_or_unsupported_requests_have_their_codes() {
    let mut f = Fixture::new();
    let mut only_v1 = register_options(Some(APP_ID), vec![]);
    only_v1.register_requests[0].version = "U2F_V1".into();
    assert_eq!(
        f.register(CONSOLE, &only_v1).expect_err("v1").error_code(),
        3
    );
    let mut none = register_options(Some(APP_ID), vec![]);
    none.register_requests.clear();
    assert_eq!(
        f.register(CONSOLE, &none).expect_err("empty").error_code(),
        2
    );
    let mut empty_challenge = register_options(Some(APP_ID), vec![]);
    empty_challenge.register_requests[0].challenge.clear();
    assert_eq!(
        f.register(CONSOLE, &empty_challenge)
            .expect_err("challenge")
            .error_code(),
        2
    );
    let bad_handle = sign_options(Some(APP_ID), vec![key("not base64!", None)]);
    assert_eq!(
        f.sign(SIGNIN, &bad_handle)
            .expect_err("handle")
            .error_code(),
        2
    );
    assert_eq!(
        f.register(
            "http://console.aws.amazon.com",
            &register_options(None, vec![])
        )
        .expect_err("insecure")
        .error_code(),
        2
    );
    // Keys of another protocol version are ignored rather than refused.
    let mut v1_key = key("AAAA", None);
    v1_key.version = "U2F_V1".into();
    assert_eq!(
        f.sign(SIGNIN, &sign_options(Some(APP_ID), vec![v1_key]))
            .expect_err("no v2 key")
            .error_code(),
        4
    );
    assert!(f.store.records.is_empty());
}
