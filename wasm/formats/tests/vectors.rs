//! Imports every sample file of `tests/vectors/formats/` (written from each format's public
//! description, see the README there) and checks what is read against the values in the files.

use std::path::PathBuf;

use softkey_formats::{
    FormatError, aegis, authenticator_extension, backup, bitwarden, google, twofas,
};
use softkey_otp::{Algorithm, OtpKind};

fn vector(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "tests",
        "vectors",
        "formats",
        name,
    ]
    .iter()
    .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn vector_bytes(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "tests",
        "vectors",
        "formats",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn google_published_example() {
    let items = google::read_uris(&vector("google_migration_example.txt")).expect("reads");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].otp.secret.as_bytes(), b"Hello!\xde\xad\xbe\xef");
    assert_eq!(items[0].otp.account, "alice@google.com");
    assert_eq!(items[0].otp.issuer.as_deref(), Some("Example"));
}

fn check_aegis(items: &[softkey_formats::TotpItem]) {
    assert_eq!(items.len(), 3);
    assert_eq!(items[0].otp.issuer.as_deref(), Some("Google"));
    assert_eq!(items[0].otp.account, "Bob");
    assert_eq!(
        items[0].otp.secret.to_base32(),
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    );
    assert_eq!(items[1].otp.algorithm, Algorithm::Sha256);
    assert_eq!(items[1].otp.digits, 8);
    assert_eq!(items[1].otp.kind, OtpKind::Totp { period: 60 });
    assert_eq!(items[2].otp.kind, OtpKind::Hotp { counter: 7 });
}

#[test]
fn aegis_plain_and_encrypted() {
    check_aegis(&aegis::read(&vector("aegis_plain.json"), None).expect("plain"));
    let encrypted = vector("aegis_encrypted.json");
    check_aegis(&aegis::read(&encrypted, Some(b"test")).expect("encrypted"));
    assert!(matches!(
        aegis::read(&encrypted, Some(b"Test")),
        Err(FormatError::WrongPassword { .. })
    ));
}

#[test]
fn bitwarden_export() {
    let read = bitwarden::read(&vector("bitwarden.json")).expect("reads");
    assert_eq!(read.totp.len(), 2);
    assert_eq!(read.totp[0].label, "AWS prod");
    assert_eq!(read.totp[0].otp.account, "alice@111122223333");
    assert_eq!(read.totp[1].otp.secret.to_base32(), "JBSWY3DPEHPK3PXP");
    assert_eq!(read.totp[1].otp.account, "bob");
    let key = &read.security_keys[0];
    assert_eq!(key.rp_id, "amazon.com");
    assert_eq!(key.sign_count, 17);
    assert!(key.discoverable);
    assert_eq!(key.credential_id[..4], [0x0f, 0x1e, 0x2d, 0x3c]);
    assert_eq!(key.user.as_ref().map(|u| u.name.as_str()), Some("carol"));
    // RFC 6979 A.2.5: the public key's x coordinate.
    let x = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6";
    let sec1 = key.private_key.public_key_sec1();
    let hex: String = sec1[1..33].iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, x);
}

#[test]
fn twofas_backup() {
    let items = twofas::read(&vector("twofas.2fas")).expect("reads");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].otp.issuer.as_deref(), Some("Amazon Web Services"));
    assert_eq!(items[0].otp.account, "alice");
    assert_eq!(items[1].otp.issuer.as_deref(), Some("example.com"));
    assert_eq!(items[1].otp.digits, 8);
    assert_eq!(items[1].otp.algorithm, Algorithm::Sha512);
    let encrypted = r#"{"services":[],"servicesEncrypted":"abc:def:ghi","schemaVersion":4}"#;
    assert_eq!(
        twofas::read(encrypted).expect_err("encrypted").kind(),
        "Unsupported"
    );
}

#[test]
fn authenticator_extension_backup() {
    let items =
        authenticator_extension::read(&vector("authenticator_extension.json")).expect("reads");
    assert_eq!(items.len(), 2);
    // Sorted by the extension's `index`: bob (0) first.
    assert_eq!(items[0].otp.account, "bob");
    assert_eq!(items[0].otp.secret.as_bytes(), b"Hello!\xde\xad\xbe\xef");
    assert_eq!(items[0].otp.algorithm, Algorithm::Sha256);
    assert_eq!(items[1].otp.issuer.as_deref(), Some("Amazon Web Services"));
    let encrypted =
        r#"{"h":{"secret":"U2FsdGVkX1+abc","encrypted":true,"hash":"h","type":"totp"}}"#;
    assert_eq!(
        authenticator_extension::read(encrypted)
            .expect_err("enc")
            .kind(),
        "Unsupported"
    );
}

#[test]
fn softkey_backup_written_from_the_spec() {
    let file = vector_bytes("softkey_backup_v1.skbackup");
    let opened = backup::open(&file, b"vector").expect("opens");
    assert_eq!(opened.created_ms, 1_767_225_600_000);
    assert_eq!(opened.totp[0].label, "prod alice");
    assert_eq!(
        opened.totp[0].aws.arn.as_deref(),
        Some("arn:aws:iam::111122223333:mfa/alice")
    );
    let key = &opened.security_keys[0];
    assert_eq!(key.credential_id, (0u8..32).collect::<Vec<_>>());
    assert_eq!(key.sign_count, 48);
    assert_eq!(key.label, "break-glass");
    assert_eq!(
        backup::open(&file, b"Vector").expect_err("wrong").kind(),
        "WrongPassword"
    );
}

/// Every reader, fed many damaged versions of every sample: errors, never a panic. A short run
/// by default; `SOFTKEY_FUZZ_RUNS=<n per sample>` runs longer (the count is printed).
#[test]
fn damaged_samples_never_panic() {
    let per_sample: usize = std::env::var("SOFTKEY_FUZZ_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let texts = [
        vector("aegis_plain.json"),
        vector("aegis_encrypted.json"),
        vector("bitwarden.json"),
        vector("twofas.2fas"),
        vector("authenticator_extension.json"),
        vector("google_migration_example.txt"),
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut runs = 0;
    for text in &texts {
        for _ in 0..per_sample {
            let mut bytes = text.clone().into_bytes();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[at] = (next() % 128) as u8,
                    1 => bytes.truncate(at),
                    _ => {
                        bytes.remove(at);
                    }
                }
                if bytes.is_empty() {
                    break;
                }
            }
            let Ok(damaged) = String::from_utf8(bytes) else {
                continue;
            };
            let _ = aegis::read(&damaged, Some(b"x"));
            let _ = bitwarden::read(&damaged);
            let _ = twofas::read(&damaged);
            let _ = authenticator_extension::read(&damaged);
            let _ = google::read_uris(&damaged);
            let _ = softkey_formats::otpauth_list::read(&damaged);
            runs += 1;
        }
    }
    // Random protobuf for the migration payload reader.
    for _ in 0..per_sample * 4 {
        let len = (next() % 200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let _ = google::read_payload(&bytes);
        runs += 1;
    }
    let file = vector_bytes("softkey_backup_v1.skbackup");
    for _ in 0..per_sample {
        let mut bytes = file.clone();
        let at = (next() as usize) % bytes.len();
        bytes[at] ^= (next() % 255 + 1) as u8;
        bytes.truncate(bytes.len() - (next() as usize % 3));
        // A changed byte fails the checksum before any key derivation.
        assert!(backup::open(&bytes, b"vector").is_err());
        runs += 1;
    }
    eprintln!("damaged_samples_never_panic: {runs} inputs");
    assert!(runs > per_sample, "{runs}");
}

#[test]
fn every_sample_is_recognised() {
    use softkey_formats::import::{Format, read_any};
    let cases: [(&str, Option<&[u8]>, Format); 8] = [
        (
            "google_migration_example.txt",
            None,
            Format::GoogleMigration,
        ),
        ("aegis_plain.json", None, Format::Aegis),
        ("aegis_encrypted.json", Some(b"test"), Format::Aegis),
        ("bitwarden.json", None, Format::Bitwarden),
        ("twofas.2fas", None, Format::TwoFas),
        (
            "authenticator_extension.json",
            None,
            Format::AuthenticatorExtension,
        ),
        (
            "softkey_backup_v1.skbackup",
            Some(b"vector"),
            Format::SoftKeyBackup,
        ),
        ("aegis_encrypted.json", Some(b"test"), Format::Aegis),
    ];
    for (name, password, format) in cases {
        let (found, model) =
            read_any(&vector_bytes(name), password).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(found, format, "{name}");
        assert!(!model.totp.is_empty(), "{name}");
    }
    let needs = read_any(&vector_bytes("aegis_encrypted.json"), None).expect_err("no password");
    assert_eq!(needs.kind(), "PasswordRequired");
    let list = read_any(b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n", None).expect("list");
    assert_eq!(list.0, Format::OtpauthList);
    assert_eq!(
        read_any(b"\x89PNG....", None).expect_err("png").kind(),
        "NotThisFormat"
    );
}

/// A Steam entry (a kind SoftKey does not support) fails the strict readers by name and is left
/// out, listed, by the import path, which reads the rest of the file.
#[test]
fn unsupported_kinds_are_skipped_on_import() {
    use softkey_formats::import::read_any;
    let mut vault: serde_json::Value =
        serde_json::from_str(&vector("aegis_plain.json")).expect("json");
    let steam = serde_json::json!({"type": "steam", "uuid": "x", "name": "gabe", "issuer": "Steam",
        "info": {"secret": "JBSWY3DPEHPK3PXP", "algo": "SHA1", "digits": 5, "period": 30}});
    vault["db"]["entries"]
        .as_array_mut()
        .expect("entries")
        .push(steam);
    let text = vault.to_string();
    let err = aegis::read(&text, None).expect_err("strict");
    assert!(err.to_string().contains("Steam: gabe"), "{err}");
    let (_, model) = read_any(text.as_bytes(), None).expect("lenient");
    assert_eq!(model.totp.len(), 3);
    assert_eq!(model.skipped.len(), 1);
    assert_eq!(model.skipped[0].label, "Steam: gabe");

    let twofas = r#"{"services":[
        {"name":"Steam","secret":"JBSWY3DPEHPK3PXP","otp":{"tokenType":"STEAM","digits":5}},
        {"name":"AWS","secret":"GEZDGNBVGY3TQOJQ","otp":{"tokenType":"TOTP"}}],"schemaVersion":4}"#;
    let (_, model) = read_any(twofas.as_bytes(), None).expect("2fas");
    assert_eq!((model.totp.len(), model.skipped.len()), (1, 1));
    let bitwarden =
        r#"{"items":[{"type":1,"name":"Steam","login":{"totp":"steam://JBSWY3DPEHPK3PXP"}}]}"#;
    let (_, model) = read_any(bitwarden.as_bytes(), None).expect("bitwarden");
    assert_eq!((model.totp.len(), model.skipped.len()), (0, 1));
}
