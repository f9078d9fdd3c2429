//! Writes the fixture vault (`fixtures/keyring.json`) and the seed inputs of every corpus
//! (`corpus/<target>/seed-*`). Run from `fuzz/`:
//!
//! ```sh
//! cargo run --no-default-features --example seeds -- keyring   # only when the vault format changes
//! cargo run --no-default-features --example seeds              # seeds (needs the keyring)
//! cargo run --no-default-features --example seeds -- formats   # the import targets' seeds
//! ```
//!
//! The seeds are real samples: the `otpauth://` URIs of the crates' and e2e tests, AWS's and
//! Amazon.com's label shapes, WebAuthn options in the shape py_webauthn's `options_to_json` and
//! AWS's IAM console send, the U2F API arguments of `tests/fixtures/static/u2f-legacy.js`, and
//! messages naming the fixtures' real credential IDs and key handles.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fs;
use std::path::Path;

use serde_json::json;
use sha2::{Digest, Sha256};
use softkey_core::{AwsContext, Caller, KdfParams, Keyring};
use softkey_fuzz::fixtures::{self, APP_ID, NOW_MS};
use softkey_webauthn::authenticator::rp_id_hash;
use softkey_webauthn::b64;

fn caller(origin: &str) -> Caller {
    Caller {
        origin: origin.into(),
        top_origin: None,
    }
}

fn aws(account: &str, user: &str) -> AwsContext {
    AwsContext {
        account: Some(account.into()),
        user: Some(user.into()),
        arn: None,
        ..AwsContext::default()
    }
}

/// A vault as a user would have it: two WebAuthn keys for AWS, a legacy U2F key, three TOTP
/// entries. Made with the weakest accepted KDF; the targets open it with its session key.
fn make_keyring() {
    let (mut keyring, _) =
        Keyring::create(b"fuzz fixture", KdfParams::MIN, NOW_MS).expect("create");
    for (n, resident) in [(1, "discouraged"), (2, "required")] {
        let options = serde_json::from_value(json!({
            "rp": {"id": "amazon.com", "name": "Amazon Web Services"},
            "user": {"id": b64::encode(format!("user-{n}").as_bytes()), "name": format!("alice{n}"), "displayName": "alice"},
            "challenge": "Y2hhbGxlbmdlLWNoYWxsZW5nZQ",
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
            "authenticatorSelection": {"residentKey": resident, "userVerification": "discouraged"},
            "attestation": "direct"
        }))
        .expect("options");
        let id = format!("c{n}");
        keyring
            .prepare_create(&id, &caller("https://console.aws.amazon.com"), &options)
            .expect("prepare create");
        keyring
            .finish_create(&id, aws("123456789012", &format!("alice{n}")), None, NOW_MS)
            .expect("finish create");
    }
    let u2f = serde_json::from_value(json!({
        "appId": APP_ID,
        "registerRequests": [{"version": "U2F_V2", "challenge": "cmVnaXN0ZXItY2hhbGxlbmdl"}],
        "registeredKeys": []
    }))
    .expect("u2f options");
    keyring
        .prepare_u2f_register("u1", &caller("https://signin.aws.amazon.com"), &u2f)
        .expect("prepare u2f");
    keyring
        .finish_u2f_register("u1", aws("my-alias", "carol"), None, NOW_MS)
        .expect("finish u2f");
    for (uri, context) in [
        (
            "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
            aws("123456789012", "alice"),
        ),
        (
            "otpauth://totp/Amazon:someone%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amazon",
            AwsContext::default(),
        ),
        ("MZXW6YTBOI======", aws("my-alias", "bob")),
    ] {
        keyring
            .add_totp(uri, None, context, NOW_MS)
            .expect("add totp");
    }
    let envelope = keyring.seal().expect("seal");
    let parts = json!({
        "envelope": b64::encode(&envelope),
        "sessionKey": b64::encode(keyring.session_key().as_slice()),
    });
    fs::write(
        "fixtures/keyring.json",
        serde_json::to_string_pretty(&parts).unwrap() + "\n",
    )
    .expect("write fixtures/keyring.json");
    println!(
        "wrote fixtures/keyring.json ({} byte envelope)",
        envelope.len()
    );
}

struct Corpus {
    written: usize,
}

impl Corpus {
    fn put(&mut self, target: &str, name: &str, bytes: &[u8]) {
        let dir = Path::new("corpus").join(target);
        fs::create_dir_all(&dir).expect("corpus dir");
        fs::write(dir.join(format!("seed-{name}")), bytes).expect("write seed");
        self.written += 1;
    }

    fn json(&mut self, target: &str, name: &str, value: &serde_json::Value) {
        self.put(target, name, value.to_string().as_bytes());
    }
}

const URIS: &[&str] = &[
    "otpauth://totp/Amazon%20Web%20Services:alice@123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services",
    "otpauth://totp/Amazon%20Web%20Services:alice-phone@123456789012?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    "otpauth://totp/Amazon:someone%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Amazon",
    "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60&image=https%3A%2F%2Fexample.com%2Fx.png",
    "otpauth://hotp/bob?secret=MZXW6YTBOI&algorithm=SHA512&digits=8&counter=7",
    "otpauth://hotp/Example:bob?secret=MZXW6YTBOI&counter=18446744073709551615&period=abc",
    "otpauth://totp/A%3AB:alice?secret=MZXW6YTBOI&issuer=A%3AB",
    "otpauth://totp/alice?secret=MZXW6YTBOI&issuer=C%2B%2B%20%26%20co",
    "otpauth://totp/alice?secret=MZXW6YTBOI&issuer=Amazon+Web+Services",
    "otpauth://totp/x?digits=&period=&secret=MZXW6YTBOI&secret=AAAA&issuer=&algorithm=",
    "otpauth://totp/Ex:a%20b?secret=MZXW6YTBOI&issuer=Ex&period=60",
    "OTPAUTH://TOTP/:colon:account?SECRET=mzxw 6ytb oi======&Digits=7&PERIOD=1",
    "otpauth://motp/alice?secret=JBSWY3DPEHPK3PXP",
    "otpauth://totp/a%0Ab?secret=MZXW6YTBOI",
    "otpauth://totp/%FF?secret=MZXW6YTBOI",
    "JBSW Y3DP EHPK 3PXP",
    "jbswy3dpehpk3pxp====",
];

/// `text` as a QR code, `scale` pixels a module with a 2-module quiet zone, in the decode
/// target's layout `[flags, width byte, height byte, pixels]` (RGBA when `rgba`).
fn qr_seed(text: &str, scale: usize, rgba: bool) -> Option<Vec<u8>> {
    let matrix = softkey_qr::encode(text).ok()?;
    let side = (matrix.size() + 4) * scale;
    // The target maps a byte b to 21 + b % 76.
    let byte = u8::try_from(side.checked_sub(21)?)
        .ok()
        .filter(|b| *b < 76)?;
    let mut out = vec![u8::from(rgba), byte, byte];
    for y in 0..side {
        for x in 0..side {
            let dark = matrix.is_dark((x / scale).wrapping_sub(2), (y / scale).wrapping_sub(2));
            let v = if dark { 0 } else { 255 };
            if rgba {
                out.extend_from_slice(&[v, v, v, 255]);
            } else {
                out.push(v);
            }
        }
    }
    Some(out)
}

fn make_seeds() {
    let mut c = Corpus { written: 0 };
    let (envelope, session_key) = fixtures::keyring_parts();
    let keyring = Keyring::resume(&envelope, &session_key).expect("fixture keyring");
    let keys = keyring.security_keys();
    let webauthn_ids: Vec<String> = keys
        .iter()
        .filter(|k| !k.made_with_u2f)
        .map(|k| k.id.clone())
        .collect();
    let keyring_u2f = keys
        .iter()
        .find(|k| k.made_with_u2f)
        .expect("u2f key")
        .id
        .clone();
    let (_, store_handle) = fixtures::u2f_store();
    let store_u2f = b64::encode(store_handle);

    // otpauth and the QR text path.
    for (n, uri) in URIS.iter().enumerate() {
        c.put("otpauth", &format!("{n:02}"), uri.as_bytes());
        c.put("qr_roundtrip", &format!("{n:02}"), uri.as_bytes());
    }
    for (name, text, scale, rgba) in [
        (
            "short-1px",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            1,
            false,
        ),
        (
            "short-2px",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            2,
            false,
        ),
        (
            "short-rgba",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            1,
            true,
        ),
        ("aws-1px", URIS[0], 1, false),
    ] {
        let seed = qr_seed(text, scale, rgba).expect("a QR seed that fits the target's sizes");
        c.put("qr_decode", name, &seed);
    }

    // The vault envelope.
    let vault = softkey_fuzz::vault::fixture_envelope();
    for (mode, name) in [(0u8, "fixture"), (1, "fixture-checksummed")] {
        c.put("vault_envelope", name, &[&[mode][..], &vault].concat());
    }
    c.put(
        "vault_envelope",
        "keyring",
        &[&[0u8][..], &envelope].concat(),
    );
    c.put("vault_envelope", "flip-kdf", &[2u8, 10, 0x01, 14, 0x02]);
    c.put("vault_envelope", "flip-version", &[2u8, 8, 0x03]);
    c.put("vault_envelope", "truncate", &[2u8, 120]);
    let (_, plaintext) = softkey_vault::UnlockedVault::resume(
        &envelope,
        &softkey_vault::MasterKey::from_bytes(session_key.as_slice().try_into().expect("32 bytes")),
    )
    .expect("fixture plaintext");
    c.put(
        "vault_envelope",
        "contents",
        &[&[3u8][..], &plaintext].concat(),
    );

    // CBOR: the attestation writer, each format, with AWS's RP ID and a real key (RFC 6979 A.2.5).
    let key = hex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");
    for (format, name) in [(0u8, "none"), (1, "packed"), (2, "fido-u2f")] {
        let mut seed = vec![format, 0x45];
        seed.extend_from_slice(&7u32.to_be_bytes());
        seed.push(0);
        seed.extend_from_slice(&key);
        seed.extend_from_slice(&rp_id_hash("amazon.com"));
        seed.extend_from_slice(&Sha256::digest(b"{\"type\":\"webauthn.create\"}"));
        seed.extend_from_slice(&61u16.to_be_bytes());
        seed.extend_from_slice(store_handle);
        c.put("cbor_attestation", name, &seed);
    }
    // A COSE key as we write it, and an extension map.
    c.put(
        "cbor_attestation",
        "cose-key",
        &softkey_webauthn::credential_key::CredentialKey::from_bytes(&key)
            .unwrap()
            .public_key_cose(),
    );
    let mut with_ext = vec![1u8, 0x01, 0, 0, 0, 1, 1];
    with_ext.extend_from_slice(&key);
    with_ext.extend_from_slice(&[0; 64]);
    with_ext.extend_from_slice(&[0, 0]);
    with_ext.extend_from_slice(&[
        0xa1, 0x6b, b'c', b'r', b'e', b'd', b'P', b'r', b'o', b't', b'e', b'c', b't', 0x01,
    ]);
    c.put("cbor_attestation", "extensions", &with_ext);

    // Key handles: ours for its AppID, ours for another site, and a fresh key to wrap.
    let app_hash = rp_id_hash(APP_ID);
    c.put(
        "key_handle",
        "ours",
        &[&[0u8][..], &app_hash, store_handle].concat(),
    );
    c.put(
        "key_handle",
        "other-site",
        &[&[0u8][..], &rp_id_hash("amazon.com"), store_handle].concat(),
    );
    c.put(
        "key_handle",
        "wrap",
        &[&[1u8][..], &app_hash, &key, &[5, 0x80]].concat(),
    );

    // U2F raw messages (FIDO U2F Raw Message Formats §4.1, §5.1).
    let challenge = Sha256::digest(b"{\"typ\":\"navigator.id.getAssertion\"}");
    let mut authenticate = challenge.to_vec();
    authenticate.extend_from_slice(&app_hash);
    authenticate.push(61);
    authenticate.extend_from_slice(store_handle);
    for (control, name) in [
        (0x03u8, "enforce"),
        (0x07, "check-only"),
        (0x08, "dont-enforce"),
    ] {
        c.put(
            "u2f_raw",
            name,
            &[&[control, 1][..], &authenticate].concat(),
        );
    }
    c.put(
        "u2f_raw",
        "register",
        &[&[0u8, 1][..], &challenge, &app_hash].concat(),
    );

    // The legacy U2F API's arguments (as u2f-legacy.js passes them).
    let origin = "https://signin.aws.amazon.com";
    let u2f_register = |keys: &[&str]| {
        json!({
            "origin": origin,
            "options": {
                "appId": APP_ID,
                "registerRequests": [{"version": "U2F_V2", "challenge": "cmVnaXN0ZXItY2hhbGxlbmdl"}],
                "registeredKeys": keys.iter().map(|k| json!({"version": "U2F_V2", "keyHandle": k, "appId": APP_ID})).collect::<Vec<_>>(),
            }
        })
    };
    c.json("u2f_client_json", "register", &u2f_register(&[]));
    c.json(
        "u2f_client_json",
        "register-known",
        &u2f_register(&[&keyring_u2f]),
    );
    for (name, handle) in [("sign-store", &store_u2f), ("sign-keyring", &keyring_u2f)] {
        c.json(
            "u2f_client_json",
            name,
            &json!({
                "origin": origin,
                "options": {
                    "appId": APP_ID,
                    "challenge": "c2lnbi1jaGFsbGVuZ2U",
                    "registeredKeys": [{"version": "U2F_V2", "keyHandle": handle}],
                }
            }),
        );
    }
    c.json("u2f_client_json", "sign-facet", &json!({
        "origin": origin, "topOrigin": "https://evil.test",
        "options": {"challenge": "\"\\u0000</script>", "registeredKeys": [{"version": "U2F_V1", "keyHandle": "AAAA"}]}
    }));

    // WebAuthn create: py_webauthn's options_to_json shape and the IAM console's.
    let create = |origin: &str, top: Option<&str>, extra: serde_json::Value| {
        let mut options = json!({
            "rp": {"name": "Amazon Web Services", "id": "amazon.com"},
            "user": {"id": "dXNlci1oYW5kbGU", "name": "alice", "displayName": "Alice"},
            "challenge": "Y3JlYXRlLWNoYWxsZW5nZS0xMjM0NTY3ODkw",
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
            "timeout": 60000,
            "excludeCredentials": [],
            "authenticatorSelection": {"residentKey": "preferred", "requireResidentKey": false, "userVerification": "preferred"},
            "attestation": "none",
            "hints": []
        });
        if let (Some(o), Some(e)) = (options.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                o.insert(k.clone(), v.clone());
            }
        }
        let mut request = json!({"origin": origin, "options": options});
        if let Some(top) = top {
            request["topOrigin"] = json!(top);
        }
        request
    };
    c.json(
        "webauthn_create_json",
        "iam",
        &create("https://console.aws.amazon.com", None, json!({})),
    );
    c.json("webauthn_create_json", "direct-resident", &create("https://console.aws.amazon.com", None, json!({
        "attestation": "direct",
        "authenticatorSelection": {"residentKey": "required", "userVerification": "discouraged"},
        "extensions": {"credProps": true}
    })));
    c.json("webauthn_create_json", "exclude-ours", &create("https://console.aws.amazon.com", None, json!({
        "excludeCredentials": webauthn_ids.iter().map(|id| json!({"type": "public-key", "id": id})).collect::<Vec<_>>(),
    })));
    c.json(
        "webauthn_create_json",
        "appid-exclude",
        &create(
            "https://signin.aws.amazon.com",
            None,
            json!({
                "extensions": {"appidExclude": APP_ID}
            }),
        ),
    );
    c.json(
        "webauthn_create_json",
        "cross-origin",
        &create(
            "https://signin.aws.amazon.com",
            Some("https://evil.test"),
            json!({}),
        ),
    );
    c.json(
        "webauthn_create_json",
        "rs256-only",
        &create(
            "https://console.aws.amazon.com",
            None,
            json!({
                "pubKeyCredParams": [{"type": "public-key", "alg": -257}], "rp": {"name": "x"}
            }),
        ),
    );
    c.json(
        "webauthn_create_json",
        "other-site",
        &create(
            "https://example.com:8443",
            None,
            json!({"rp": {"id": "example.com", "name": "Ex"}}),
        ),
    );

    // WebAuthn get: the AWS sign-in page's, naming our credentials, discoverable, and appid.
    let get = |origin: &str, extra: serde_json::Value| {
        let mut options = json!({
            "challenge": "c2lnbi1pbi1jaGFsbGVuZ2UtMTIzNDU2Nzg5MA",
            "timeout": 60000,
            "rpId": "amazon.com",
            "allowCredentials": [],
            "userVerification": "preferred"
        });
        if let (Some(o), Some(e)) = (options.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                o.insert(k.clone(), v.clone());
            }
        }
        json!({"origin": origin, "options": options})
    };
    let signin = "https://signin.aws.amazon.com";
    c.json("webauthn_get_json", "discoverable", &get(signin, json!({})));
    c.json("webauthn_get_json", "allow-ours", &get(signin, json!({
        "allowCredentials": webauthn_ids.iter().map(|id| json!({"type": "public-key", "id": id, "transports": ["usb"]})).collect::<Vec<_>>()
    })));
    for (name, handle) in [("appid-store", &store_u2f), ("appid-keyring", &keyring_u2f)] {
        c.json(
            "webauthn_get_json",
            name,
            &get(
                signin,
                json!({
                    "allowCredentials": [{"type": "public-key", "id": handle}],
                    "extensions": {"appid": APP_ID}
                }),
            ),
        );
    }
    c.json(
        "webauthn_get_json",
        "uv-required",
        &get(signin, json!({"userVerification": "required"})),
    );
    c.json(
        "webauthn_get_json",
        "no-rpid",
        &get("https://aws.amazon.com", json!({"rpId": null})),
    );
    c.json(
        "webauthn_get_json",
        "suffix",
        &get("https://signin.aws.amazon.com", json!({"rpId": "com"})),
    );

    // MFA queries, as mfa-fill.js reads the sign-in pages.
    for (name, query) in [
        (
            "aws",
            json!({"site": "aws", "account": "1234-5678-9012", "user": "alice"}),
        ),
        (
            "alias",
            json!({"site": "aws", "account": "my-alias", "user": "bob"}),
        ),
        (
            "root",
            json!({"site": "aws", "email": "someone@example.com"}),
        ),
        (
            "amazon",
            json!({"site": "amazon", "email": "someone@example.com"}),
        ),
        (
            "remembered",
            json!({"account": "123456789012", "remembered": "x"}),
        ),
        (
            "arn",
            json!({"user": "arn:aws:iam::123456789012:user/alice"}),
        ),
        ("empty", json!({})),
    ] {
        c.json("mfa_query_json", name, &query);
    }
    println!("wrote {} seed files", c.written);
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Seeds of the import targets: the sample files of `tests/vectors/formats/` (written from each
/// format's public description, not by SoftKey), what our own writers make of entries read from
/// them, and a few hand-made variants (HOTP, Steam, encrypted markers, batches).
fn make_format_seeds() {
    use softkey_formats::{aegis, backup, bitwarden, google, otpauth_list};

    let mut c = Corpus { written: 0 };
    let vectors = Path::new("../vectors/formats");
    let read = |name: &str| fs::read(vectors.join(name)).expect("vector file");
    let mut rng = fixtures::SeededRng::new(9);

    let backup_file = read("softkey_backup_v1.skbackup");
    for (n, file) in [
        ("aegis_plain.json", "aegis-plain"),
        ("aegis_encrypted.json", "aegis-encrypted"),
        ("bitwarden.json", "bitwarden"),
        ("twofas.2fas", "twofas"),
        ("authenticator_extension.json", "authenticator-extension"),
        ("google_migration_example.txt", "google"),
        ("softkey_backup_v1.skbackup", "backup"),
    ] {
        c.put("import_any", file, &read(n));
    }
    c.put("aegis", "plain", &read("aegis_plain.json"));
    c.put("aegis", "encrypted", &read("aegis_encrypted.json"));
    c.put("bitwarden", "vector", &read("bitwarden.json"));
    c.put("twofas", "vector", &read("twofas.2fas"));
    c.put(
        "authenticator_extension",
        "vector",
        &read("authenticator_extension.json"),
    );
    let google_text = String::from_utf8(read("google_migration_example.txt")).expect("utf-8");
    c.put("google_migration_uri", "vector", google_text.as_bytes());
    for (mode, name) in [(0u8, "file"), (1, "file-checksum")] {
        let mut seed = vec![mode];
        seed.extend_from_slice(&backup_file);
        c.put("backup", name, &seed);
    }

    // Entries as the readers give them, to write in every format we write.
    let aegis_items = aegis::read(
        std::str::from_utf8(&read("aegis_plain.json")).expect("utf-8"),
        None,
    )
    .expect("the Aegis vector reads");
    let bw = bitwarden::read(std::str::from_utf8(&read("bitwarden.json")).expect("utf-8"))
        .expect("the Bitwarden vector reads");
    let opened = backup::open(&backup_file, b"vector").expect("the backup vector opens");
    let mut items = aegis_items.clone();
    items.extend(bw.totp.iter().cloned());
    items.extend(opened.totp.iter().cloned());
    let hotp =
        softkey_otp::OtpAuth::parse("otpauth://hotp/Example:bob?secret=MZXW6YTBOI&counter=7")
            .expect("hotp");
    items.push(softkey_formats::TotpItem::from_otp(hotp));

    c.put(
        "aegis",
        "written-plain",
        aegis::write_plain(&items, &mut rng)
            .expect("aegis")
            .as_bytes(),
    );
    let encrypted =
        aegis::write_encrypted_with(&aegis_items, b"test", 14, &mut rng).expect("aegis encrypted");
    c.put("aegis", "written-encrypted", encrypted.as_bytes());
    c.put(
        "import_any",
        "aegis-written-encrypted",
        encrypted.as_bytes(),
    );

    let mut keys = bw.security_keys.clone();
    keys.extend(opened.security_keys.iter().cloned());
    let written = bitwarden::write(&items, &keys, fixtures::NOW_MS, &mut rng).expect("bitwarden");
    c.put("bitwarden", "written", written.as_bytes());
    c.put("import_any", "bitwarden-written", written.as_bytes());

    let google_items: Vec<_> = items
        .iter()
        .filter(|i| google::write(std::slice::from_ref(i), 1).is_ok())
        .cloned()
        .collect();
    let mut many = Vec::new();
    for _ in 0..3 {
        many.extend(google_items.iter().cloned());
    }
    let uris = google::write(&many, 7).expect("google");
    let lines: String = uris.iter().map(|u| format!("{}\n", u.as_str())).collect();
    c.put("google_migration_uri", "written-batches", lines.as_bytes());
    c.put("import_any", "google-written", lines.as_bytes());
    for (n, uri) in uris.iter().enumerate() {
        c.put(
            "google_migration_payload",
            &format!("written-{n}"),
            &migration_payload(uri),
        );
    }
    c.put(
        "google_migration_payload",
        "vector",
        &migration_payload(google_text.trim()),
    );

    let list = otpauth_list::write(&items);
    c.put("otpauth_list", "written", list.as_bytes());
    let mut hand = String::from("# a comment\n\n");
    for uri in URIS {
        if softkey_otp::OtpAuth::parse(uri).is_ok() {
            hand.push_str(uri);
            hand.push('\n');
        }
    }
    c.put("otpauth_list", "uris", hand.as_bytes());
    c.put("import_any", "otpauth-list", hand.as_bytes());

    // The backup's plaintext (modes 2 and 3), as `backup::seal` writes it.
    let payload = json!({
        "format": "softkey-backup",
        "version": 1,
        "createdMs": fixtures::NOW_MS,
        "totp": items,
        "securityKeys": keys,
    })
    .to_string();
    for mode in [2u8, 3] {
        let mut seed = vec![mode];
        seed.extend_from_slice(payload.as_bytes());
        c.put("backup", &format!("payload-mode{mode}"), &seed);
    }
    let written = backup::seal(&opened, b"vector", KdfParams::MIN, &mut rng).expect("seal");
    c.put("import_any", "backup-written", &written);

    // Hand-made variants the vectors lack.
    c.json(
        "twofas",
        "kinds",
        &json!({"schemaVersion": 4, "appOrigin": "ios", "groups": [], "services": [
            {"name": "HOTP", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "HOTP", "counter": 5, "digits": 8, "algorithm": "SHA256"}},
            {"name": "Steam", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "STEAM"}},
            {"name": "", "secret": "jbsw y3dp", "otp": {"account": "a", "issuer": "", "period": 60}}
        ]}),
    );
    c.json(
        "twofas",
        "encrypted",
        &json!({"schemaVersion": 4, "services": [], "servicesEncrypted": "abc:def:ghi"}),
    );
    c.json(
        "authenticator_extension",
        "kinds",
        &json!({
            "h1": {"type": "hhex", "secret": "48656c6c6f21deadbeef", "issuer": "Hex", "account": "a", "counter": 3, "index": 2},
            "h2": {"type": "steam", "secret": "JBSWY3DPEHPK3PXP", "index": 1},
            "h3": {"type": "totp", "secret": "JBSWY3DPEHPK3PXP", "algorithm": 3, "digits": 8, "period": 60, "index": 0},
            "h4": {"type": "battle", "secret": "JBSWY3DPEHPK3PXP"}
        }),
    );
    c.json(
        "authenticator_extension",
        "encrypted",
        &json!({"h1": {"encrypted": true, "secret": "U2FsdGVkX1"}, "key": {"enc": "x", "hash": "y"}}),
    );
    c.json(
        "import_any",
        "twofas-kinds",
        &json!({"services": [{"name": "HOTP", "secret": "JBSWY3DPEHPK3PXP", "otp": {"tokenType": "HOTP"}}]}),
    );
    println!("wrote {} seed files", c.written);
}

/// The protobuf bytes in a migration URI's `data` parameter.
fn migration_payload(uri: &str) -> Vec<u8> {
    let data = uri.split("data=").nth(1).expect("data parameter");
    let mut text = String::new();
    let mut bytes = data.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = bytes.next().expect("hex");
            let lo = bytes.next().expect("hex");
            let pair = [hi, lo];
            let v = u8::from_str_radix(std::str::from_utf8(&pair).expect("hex"), 16).expect("hex");
            text.push(char::from(v));
        } else {
            text.push(char::from(b));
        }
    }
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for ch in text.bytes().filter(|b| *b != b'=') {
        let v = alphabet.iter().position(|a| *a == ch).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("keyring") => make_keyring(),
        Some("formats") => make_format_seeds(),
        _ => make_seeds(),
    }
}
