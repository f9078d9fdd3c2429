use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::pkcs8::DecodePublicKey;
use sha2::{Digest, Sha256};
use softkey_formats::{AwsContext, backup};
use softkey_webauthn::json::CreationOptionsJson;

use super::*;
use crate::keyring::tests::{caller, creation_options, get_options};
use crate::keyring::{CreateDecision, GetDecision};
use crate::rng::seeded;

const T0_MS: u64 = 1_767_225_600_000;

fn create_options() -> CreationOptionsJson {
    creation_options("none")
}

/// A registered key as the relying party stored it: credential ID and public key.
struct Registered {
    id: String,
    public_key: VerifyingKey,
}

fn register(keyring: &mut Keyring) -> Registered {
    let decision = keyring
        .prepare_create(
            "r",
            &caller("https://console.aws.amazon.com"),
            &create_options(),
        )
        .expect("prepare");
    assert!(matches!(decision, CreateDecision::NeedsConsent { .. }));
    let aws = AwsContext {
        account: Some("123456789012".into()),
        user: Some("root".into()),
        ..AwsContext::default()
    };
    let (response, _) = keyring
        .finish_create("r", aws, Some("break-glass".into()), T0_MS)
        .expect("finish");
    Registered {
        id: response.id,
        public_key: VerifyingKey::from_public_key_der(&response.response.public_key.0)
            .expect("SPKI"),
    }
}

/// Signs in as the relying party would see it; checks the signature against the public key from
/// registration and returns the counter. `None` when the keyring says the request is not ours.
fn sign_in(keyring: &mut Keyring, rp: &Registered, now_ms: u64) -> Option<u32> {
    match keyring
        .prepare_get(
            "g",
            &caller("https://signin.aws.amazon.com"),
            &get_options(&rp.id),
        )
        .expect("prepare get")
    {
        GetDecision::Ready { .. } => {}
        GetDecision::NotOurs { .. } => return None,
    }
    let (response, _) = keyring.finish_get("g", now_ms).expect("finish get");
    assert_eq!(response.id, rp.id, "the same credential ID");
    let auth_data = &response.response.authenticator_data.0;
    let mut signed = auth_data.clone();
    signed.extend_from_slice(&Sha256::digest(&response.response.client_data_json.0));
    let signature = Signature::from_der(&response.response.signature.0).expect("DER signature");
    rp.public_key
        .verify(&signed, &signature)
        .expect("the signature verifies against the registered public key");
    Some(u32::from_be_bytes(
        auth_data[33..37].try_into().expect("counter"),
    ))
}

/// A new vault, reproducible: its generator is seeded from the password, so the two vaults of
/// a test (each with its own password) have different keys.
fn vault(password: &[u8]) -> (Keyring, Vec<u8>) {
    let seed = password.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Keyring::create_with_rng(password, KdfParams::MIN, T0_MS, seeded(seed)).expect("create")
}

fn move_through_backup(from: &mut Keyring, to: &mut Keyring, keys: KeyExport, now_ms: u64) {
    let (file, envelope) = from
        .export_backup(b"backup password", keys, KdfParams::MIN, now_ms)
        .expect("export");
    assert_eq!(envelope.is_some(), keys != KeyExport::Omit);
    let opened = backup::open(&file, b"backup password").expect("open the backup");
    to.import(&opened, now_ms).expect("import");
}

#[test]
fn a_moved_key_signs_in_a_fresh_vault_and_stops_signing_in_the_old_one() {
    let (mut a, _) = vault(b"password A");
    let rp = register(&mut a);
    let mut seen = 0;
    for i in 0..3 {
        seen = sign_in(&mut a, &rp, T0_MS + i).expect("A signs");
    }
    let (mut b, _) = vault(b"another password for B");
    move_through_backup(&mut a, &mut b, KeyExport::Move, T0_MS + 10);

    assert_eq!(
        sign_in(&mut a, &rp, T0_MS + 20),
        None,
        "A no longer signs after a move"
    );
    let first_b = sign_in(&mut b, &rp, T0_MS + 30).expect("B signs");
    assert!(
        first_b > seen,
        "B's counter {first_b} continues above A's {seen}"
    );
    let second_b = sign_in(&mut b, &rp, T0_MS + 40).expect("B signs again");
    assert!(second_b > first_b);

    // The imported key survives sealing: reopen B from its stored envelope.
    let envelope = b.seal().expect("seal");
    let mut reopened = Keyring::unlock(&envelope, b"another password for B").expect("unlock B");
    let third = sign_in(&mut reopened, &rp, T0_MS + 50).expect("reopened B signs");
    assert!(third > second_b);
    // Nor does A sign after reopening its stored (moved) state.
    let a_envelope = a.seal().expect("seal A");
    let mut a_again = Keyring::unlock(&a_envelope, b"password A").expect("unlock A");
    assert_eq!(sign_in(&mut a_again, &rp, T0_MS + 60), None);
}

#[test]
fn copies_count_by_the_clock_and_stay_ahead_of_each_other() {
    let (mut a, _) = vault(b"password A");
    let rp = register(&mut a);
    sign_in(&mut a, &rp, T0_MS).expect("A signs");
    let (mut b, _) = vault(b"password B");
    move_through_backup(&mut a, &mut b, KeyExport::Copy, T0_MS + 1_000);

    let t0 = (T0_MS / 1000) as u32;
    let a1 = sign_in(&mut a, &rp, T0_MS + 10_000).expect("A still signs");
    let b1 = sign_in(&mut b, &rp, T0_MS + 20_000).expect("B signs");
    let a2 = sign_in(&mut a, &rp, T0_MS + 30_000).expect("A signs");
    let b2 = sign_in(&mut b, &rp, T0_MS + 30_500).expect("B signs in the same second");
    assert!(a1 >= t0 + 10, "A's counter follows the clock: {a1}");
    assert!(
        a1 < b1 && b1 < a2,
        "interleaved sign-ins keep increasing: {a1} {b1} {a2}"
    );
    assert!(
        b2 >= a2,
        "same second: equal at worst, never lower ({a2} then {b2})"
    );
}

#[test]
fn import_merges_without_duplicates_and_takes_the_higher_counter() {
    let (mut a, _) = vault(b"password A");
    let rp = register(&mut a);
    a.add_totp(
        "otpauth://totp/AWS:alice?secret=JBSWY3DPEHPK3PXP&issuer=AWS",
        None,
        AwsContext::default(),
        T0_MS,
    )
    .expect("totp");
    let model = a.export_model(KeyExport::Copy, T0_MS).expect("model");

    let (mut b, _) = vault(b"password B");
    let preview = b.preview_import(&model);
    assert_eq!(preview.totp_added.len(), 1);
    assert_eq!(preview.keys_added, vec!["break-glass".to_owned()]);
    assert!(b.contents().totp.is_empty(), "a preview stores nothing");
    b.import(&model, T0_MS).expect("import");

    // The same file again: nothing new.
    let again = b.preview_import(&model);
    assert_eq!(again.totp_duplicates.len(), 1);
    assert!(again.totp_added.is_empty() && again.keys_added.is_empty());
    assert_eq!(again.keys_unchanged.len(), 1);

    // A file with a higher counter raises it, and signing continues above it.
    let mut higher = model.clone();
    higher.security_keys[0].sign_count = 5_000;
    let (preview, _) = b.import(&higher, T0_MS).expect("import higher");
    assert_eq!(preview.keys_updated[0].to, 5_000);
    assert!(sign_in(&mut b, &rp, T0_MS).expect("signs") > 5_000);

    // HOTP entries are listed as skipped, not stored.
    let mut hotp = Backup::default();
    hotp.totp.push(TotpItem::from_otp(
        softkey_otp::OtpAuth::parse("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=3")
            .expect("hotp"),
    ));
    assert_eq!(b.preview_import(&hotp).totp_skipped.len(), 1);
}

#[test]
fn a_moved_key_that_comes_back_signs_again_above_every_counter() {
    let (mut a, _) = vault(b"password A");
    let rp = register(&mut a);
    let (mut b, _) = vault(b"password B");
    move_through_backup(&mut a, &mut b, KeyExport::Move, T0_MS);
    let at_b = sign_in(&mut b, &rp, T0_MS).expect("B signs");
    move_through_backup(&mut b, &mut a, KeyExport::Move, T0_MS);
    assert_eq!(sign_in(&mut b, &rp, T0_MS), None);
    let back = sign_in(&mut a, &rp, T0_MS).expect("A signs again");
    assert!(back > at_b);
    // Back home the key opens from its own handle: no private key needs keeping.
    assert!(
        a.contents().security_keys[0]
            .transfer
            .imported_key
            .is_none()
    );
}

#[test]
fn old_vaults_read_and_untouched_keys_write_no_transfer_field() {
    let (mut a, _) = vault(b"password A");
    register(&mut a);
    let json = serde_json::to_string(a.contents()).expect("json");
    assert!(!json.contains("transfer"), "{json}");
    let envelope = a.seal().expect("seal");
    assert!(a.confirm_password(&envelope, b"password A").is_ok());
    let wrong = a.confirm_password(&envelope, b"nope");
    assert_eq!(wrong.expect_err("wrong").name(), "WrongPassword");
}

#[test]
fn totp_only_export_leaves_keys_signing() {
    let (mut a, _) = vault(b"password A");
    let rp = register(&mut a);
    let (file, envelope) = a
        .export_backup(b"pw", KeyExport::Omit, KdfParams::MIN, T0_MS)
        .expect("export");
    assert!(envelope.is_none());
    assert!(
        backup::open(&file, b"pw")
            .expect("open")
            .security_keys
            .is_empty()
    );
    assert!(sign_in(&mut a, &rp, T0_MS).is_some());
}

#[test]
fn a_passkey_from_a_bitwarden_export_signs_and_a_bad_file_changes_nothing() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vectors/formats/bitwarden.json"
    );
    let text = std::fs::read(path).expect("sample");
    let (_, model) = softkey_formats::import::read_any(&text, None).expect("reads");
    let (mut b, _) = vault(b"password B");
    let before = serde_json::to_string(b.contents()).expect("json");
    let damaged = &text[..text.len() / 2];
    assert!(softkey_formats::import::read_any(damaged, None).is_err());
    assert_eq!(serde_json::to_string(b.contents()).expect("json"), before);

    let (preview, _) = b.import(&model, T0_MS).expect("import");
    assert_eq!(preview.keys_added, vec!["amazon.com passkey".to_owned()]);
    assert_eq!(preview.totp_added.len(), 2);
    // The sample's key is RFC 6979 A.2.5's; its public key (Ux, Uy) is published there.
    let mut sec1 = vec![4u8];
    for hex in [
        "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6",
        "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
    ] {
        sec1.extend((0..32).map(|i| u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).expect("hex")));
    }
    let rp = Registered {
        id: softkey_webauthn::b64::encode(&[
            0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2,
            0xe1, 0xf0,
        ]),
        public_key: VerifyingKey::from_sec1_bytes(&sec1).expect("published key"),
    };
    let count = sign_in(&mut b, &rp, T0_MS).expect("signs");
    assert!(count > 17, "above the exported counter: {count}");

    let mut bad = model.clone();
    bad.security_keys[0].rp_id_hash = vec![1, 2, 3];
    bad.security_keys[0].credential_id = vec![9; 16];
    assert_eq!(b.preview_import(&bad).keys_skipped.len(), 1);
}

#[test]
fn every_export_format_imports_into_another_vault() {
    let (mut a, _) = vault(b"password A");
    let rp = register(&mut a);
    a.add_totp(
        "otpauth://totp/AWS:alice?secret=JBSWY3DPEHPK3PXP&issuer=AWS",
        Some("prod".into()),
        AwsContext::default(),
        T0_MS,
    )
    .expect("totp");
    for format in [
        ExportFormat::Otpauth,
        ExportFormat::GoogleMigration,
        ExportFormat::AegisPlain,
        ExportFormat::AegisEncrypted,
    ] {
        let (files, envelope) = a
            .export(format, KeyExport::Move, Some(b"file pw"), T0_MS)
            .expect("export");
        assert!(
            envelope.is_none(),
            "{format:?} holds no security keys: nothing moves"
        );
        let (mut b, _) = vault(b"password B");
        let (found, _) = b
            .import_file(&files[0].bytes, Some(b"file pw"), T0_MS)
            .expect("import");
        assert_eq!(found.preview.totp_added.len(), 1, "{format:?}");
        assert_eq!(
            b.contents().totp[0].otp,
            a.contents().totp[0].otp,
            "{format:?}"
        );
    }
    assert!(
        sign_in(&mut a, &rp, T0_MS).is_some(),
        "TOTP-only exports move nothing"
    );
    let needs = a.export(ExportFormat::Backup, KeyExport::Move, None, T0_MS);
    assert_eq!(needs.expect_err("no password").name(), "BadRequest");

    // Bitwarden carries the key; moving it there stops it here, and it signs where imported.
    let (files, envelope) = a
        .export(ExportFormat::Bitwarden, KeyExport::Move, None, T0_MS)
        .expect("bitwarden");
    assert!(envelope.is_some());
    assert_eq!(sign_in(&mut a, &rp, T0_MS), None);
    let (mut b, _) = vault(b"password B");
    let preview = b.preview_file(&files[0].bytes, None).expect("preview");
    assert_eq!(preview.format, "bitwarden");
    assert!(
        b.contents().security_keys.is_empty(),
        "a preview stores nothing"
    );
    b.import_file(&files[0].bytes, None, T0_MS).expect("import");
    assert!(sign_in(&mut b, &rp, T0_MS).is_some());

    let err = b
        .import_file(b"SKBACKUP truncated", Some(b"pw"), T0_MS)
        .expect_err("bad");
    assert_eq!(err.name(), "Truncated");
}
