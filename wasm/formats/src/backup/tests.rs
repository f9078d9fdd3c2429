use sha2::{Digest, Sha256};
use softkey_vault::KdfParams;

use super::*;
use crate::test_support::{rng, sample_passkey, sample_totp};

/// The cheapest cost the reader accepts, so the tests stay fast.
const FAST: KdfParams = KdfParams::MIN;

fn sample() -> Backup {
    Backup {
        created_ms: 1_700_000_123_456,
        totp: sample_totp(),
        security_keys: vec![sample_passkey()],
        skipped: Vec::new(),
    }
}

fn sealed() -> Vec<u8> {
    seal(&sample(), b"backup pass", FAST, &mut rng()).expect("seals")
}

/// Recomputes the trailing checksum, as someone editing the header on purpose would.
fn fix_checksum(file: &mut [u8]) {
    let body = file.len() - 32;
    let sum = Sha256::digest(&file[..body]);
    file[body..].copy_from_slice(&sum);
}

#[test]
fn round_trip_keeps_everything() {
    let file = sealed();
    assert_eq!(&file[..8], MAGIC);
    let opened = open(&file, b"backup pass").expect("opens");
    assert_eq!(opened, sample());
    assert_eq!(
        opened.security_keys[0].private_key.scalar(),
        sample_passkey().private_key.scalar()
    );
    let header = check(&file).expect("header");
    assert_eq!(header.params, FAST);
}

#[test]
fn each_bad_file_has_its_own_error() {
    let file = sealed();
    let kind = |bytes: &[u8], pw: &[u8]| open(bytes, pw).expect_err("must fail").kind();

    assert_eq!(kind(&file, b"not the password"), "WrongPassword");
    assert_eq!(kind(b"PK\x03\x04 a zip file", b"x"), "NotThisFormat");
    assert_eq!(kind(&file[..file.len() - 1], b"backup pass"), "Truncated");
    assert_eq!(kind(&file[..HEADER_LEN + 3], b"backup pass"), "Truncated");

    let mut flipped = file.clone();
    flipped[HEADER_LEN + 5] ^= 1;
    assert_eq!(kind(&flipped, b"backup pass"), "Corrupted");

    let mut longer = file.clone();
    longer.push(0);
    assert_eq!(kind(&longer, b"backup pass"), "Corrupted");

    let huge = vec![0u8; MAX_FILE_BYTES + 1];
    assert_eq!(kind(&huge, b"x"), "TooLarge");

    let mut absurd_len = file.clone();
    absurd_len[HEADER_LEN - 4..HEADER_LEN].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(kind(&absurd_len, b"backup pass"), "TooLarge");

    let mut absurd_kdf = file.clone();
    absurd_kdf[10..14].copy_from_slice(&(4u32 << 20).to_le_bytes()); // 4 GiB
    fix_checksum(&mut absurd_kdf);
    let err = open(&absurd_kdf, b"backup pass").expect_err("refused");
    assert!(
        matches!(
            err,
            FormatError::KdfParamsOutOfBounds {
                value: 4_194_304,
                ..
            }
        ),
        "{err}"
    );
    let mut weak_kdf = file.clone();
    weak_kdf[14..18].copy_from_slice(&1u32.to_le_bytes());
    fix_checksum(&mut weak_kdf);
    assert_eq!(kind(&weak_kdf, b"backup pass"), "KdfParamsOutOfBounds");

    let mut version = file.clone();
    version[8] = 2;
    fix_checksum(&mut version);
    assert_eq!(kind(&version, b"backup pass"), "UnsupportedVersion");

    let mut kdf_id = file.clone();
    kdf_id[9] = 7;
    fix_checksum(&mut kdf_id);
    assert_eq!(kind(&kdf_id, b"backup pass"), "UnsupportedKdf");
}

#[test]
fn refuses_an_empty_password() {
    let err = seal(&sample(), b"", FAST, &mut rng()).expect_err("refused");
    assert_eq!(err.kind(), "CannotExport");
}

#[test]
fn error_messages_name_the_problem() {
    let file = sealed();
    let text = open(&file, b"nope").expect_err("wrong").to_string();
    assert!(text.contains("wrong password"), "{text}");
    let text = open(&file[..100], b"x").expect_err("short").to_string();
    assert!(text.contains("truncated"), "{text}");
}
