//! Behaviour of the public API, plus the corruption/tamper matrix.
//!
//! Vaults here use `KdfParams::MIN` (19 MiB, t = 2): the cheapest the crate accepts. Tests that
//! sweep every byte are built so that Argon2id does not run once per byte (see each one).

use alloc::format;
use alloc::vec::Vec;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::*;
use crate::envelope::{CHECKSUM_LEN, parse};
use crate::error::KdfParam;
use crate::kdf::derive_wrapping_key;
use crate::test_rng::{FailingRng, SeededRng};
use crate::{HeaderInfo, peek_header};

const PASSWORD: &[u8] = b"correct horse battery staple";
const CONTENTS: &[u8] = br#"{"totp":[{"label":"aws","secret":"JBSWY3DPEHPK3PXP"}]}"#;

type TestResult = Result<(), VaultError>;

fn small_vault(seed: u64) -> Result<(UnlockedVault, Vec<u8>), VaultError> {
    Vault::create(
        PASSWORD,
        KdfParams::MIN,
        &mut SeededRng::new(seed),
        CONTENTS,
    )
}

fn same_key(a: &MasterKey, b: &MasterKey) -> bool {
    *a.to_bytes() == *b.to_bytes()
}

fn fix_checksum(mut envelope: Vec<u8>) -> Vec<u8> {
    let body = envelope.len() - CHECKSUM_LEN;
    let sum = Sha256::digest(&envelope[..body]);
    envelope[body..].copy_from_slice(&sum);
    envelope
}

fn flip(envelope: &[u8], at: usize, mask: u8) -> Vec<u8> {
    let mut out = envelope.to_vec();
    out[at] ^= mask;
    out
}

/// Which field a byte offset of a version-1 envelope belongs to (layout in the crate docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Magic,
    Version,
    KdfId,
    KdfParams,
    Salt,
    WrapNonce,
    WrappedKey,
    DataNonce,
    Ciphertext,
    Checksum,
}

fn field_at(at: usize, len: usize) -> Field {
    match at {
        0..8 => Field::Magic,
        8 => Field::Version,
        9 => Field::KdfId,
        10..22 => Field::KdfParams,
        22..38 => Field::Salt,
        38..50 => Field::WrapNonce,
        50..98 => Field::WrappedKey,
        98..110 => Field::DataNonce,
        _ if at < len - CHECKSUM_LEN => Field::Ciphertext,
        _ => Field::Checksum,
    }
}

/// The error that a header byte changed with the checksum recomputed must get from the checks
/// made before the password is used. `None`: the structure is still valid, so the refusal must
/// come from the cryptography.
fn structural_error(flipped: &[u8], at: usize) -> Option<VaultError> {
    match field_at(at, flipped.len()) {
        Field::Magic => Some(VaultError::NotAVault),
        Field::Version => Some(VaultError::UnsupportedVersion {
            version: flipped[8],
        }),
        Field::KdfId => Some(VaultError::UnsupportedKdf { kdf_id: flipped[9] }),
        Field::KdfParams => {
            let word = |i: usize| {
                u32::from_le_bytes([flipped[i], flipped[i + 1], flipped[i + 2], flipped[i + 3]])
            };
            KdfParams {
                m_cost_kib: word(10),
                t_cost: word(14),
                p_cost: word(18),
            }
            .validate()
            .err()
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

#[test]
fn create_then_unlock_round_trips() -> TestResult {
    let (created, envelope) = small_vault(1)?;
    let (opened, plaintext) = Vault::unlock(&envelope, PASSWORD)?;
    assert_eq!(plaintext.as_slice(), CONTENTS);
    assert!(same_key(created.master_key(), opened.master_key()));
    assert_eq!(
        peek_header(&envelope)?,
        HeaderInfo {
            version: 1,
            kdf_params: KdfParams::MIN
        }
    );
    assert_eq!(opened.kdf_params(), KdfParams::MIN);
    assert_eq!(envelope.len(), CIPHERTEXT_AT + CONTENTS.len() + 16 + 32);
    Ok(())
}

#[test]
fn empty_plaintext_round_trips() -> TestResult {
    let (_, envelope) = Vault::create(PASSWORD, KdfParams::MIN, &mut SeededRng::new(2), b"")?;
    assert_eq!(envelope.len(), envelope::MIN_V1_LEN);
    assert!(Vault::unlock(&envelope, PASSWORD)?.1.is_empty());
    Ok(())
}

#[test]
fn seal_writes_new_contents_under_the_same_header_and_a_fresh_nonce() -> TestResult {
    let (vault, first) = small_vault(3)?;
    let mut rng = SeededRng::new(33);
    let second = vault.seal(b"new contents", &mut rng)?;
    let third = vault.seal(b"new contents", &mut rng)?;

    let (_, plaintext) = Vault::unlock(&second, PASSWORD)?;
    assert_eq!(plaintext.as_slice(), b"new contents");
    // Same KDF parameters, salt and wrapped key: no Argon2 was needed to write it.
    assert_eq!(first[..98], second[..98]);
    // A fresh data nonce each time, so equal plaintexts still give unrelated ciphertexts.
    assert_ne!(second[98..110], third[98..110]);
    assert_ne!(second, third);
    Ok(())
}

#[test]
fn resume_with_a_saved_master_key_needs_no_password() -> TestResult {
    let (vault, envelope) = small_vault(4)?;
    let saved = vault.master_key().to_bytes();
    drop(vault);

    let key = MasterKey::from_bytes(&saved);
    let (resumed, plaintext) = UnlockedVault::resume(&envelope, &key)?;
    assert_eq!(plaintext.as_slice(), CONTENTS);

    // A resumed vault seals envelopes that still open with the password.
    let resealed = resumed.seal(b"after restart", &mut SeededRng::new(44))?;
    assert_eq!(
        Vault::unlock(&resealed, PASSWORD)?.1.as_slice(),
        b"after restart"
    );
    Ok(())
}

#[test]
fn resume_with_another_vaults_key_is_rejected() -> TestResult {
    let (_, envelope) = small_vault(5)?;
    let other = MasterKey::from_bytes(&[7; 32]);
    assert_eq!(
        UnlockedVault::resume(&envelope, &other).err(),
        Some(VaultError::MasterKeyRejected)
    );
    Ok(())
}

#[test]
fn change_password_rewraps_the_same_master_key() -> TestResult {
    let (mut vault, old_envelope) = small_vault(6)?;
    let key_before = vault.master_key().to_bytes();
    let subkey_before = vault.master_key().derive_subkey(b"key-handle");
    let new_params = KdfParams {
        t_cost: 3,
        ..KdfParams::MIN
    };

    let mut rng = SeededRng::new(66);
    vault.change_password(PASSWORD, b"new password", new_params, &mut rng)?;
    let new_envelope = vault.seal(CONTENTS, &mut rng)?;

    assert_eq!(
        Vault::unlock(&new_envelope, PASSWORD).err(),
        Some(VaultError::WrongPassword)
    );
    let (reopened, plaintext) = Vault::unlock(&new_envelope, b"new password")?;
    assert_eq!(plaintext.as_slice(), CONTENTS);
    assert_eq!(*reopened.master_key().to_bytes(), *key_before);
    assert_eq!(
        *reopened.master_key().derive_subkey(b"key-handle"),
        *subkey_before
    );
    assert_eq!(peek_header(&new_envelope)?.kdf_params, new_params);
    assert_ne!(old_envelope[22..38], new_envelope[22..38], "fresh salt");
    // Nothing rewrote the stored envelope behind the caller's back.
    assert_eq!(
        Vault::unlock(&old_envelope, PASSWORD)?.1.as_slice(),
        CONTENTS
    );
    Ok(())
}

#[test]
fn change_password_with_a_wrong_old_password_changes_nothing() -> TestResult {
    let (mut vault, envelope) = small_vault(7)?;
    let mut rng = SeededRng::new(77);
    assert_eq!(
        vault.change_password(b"not it", b"new password", KdfParams::MIN, &mut rng),
        Err(VaultError::WrongPassword)
    );
    assert_eq!(
        vault.change_password(b"", b"new password", KdfParams::MIN, &mut rng),
        Err(VaultError::WrongPassword)
    );
    let resealed = vault.seal(CONTENTS, &mut rng)?;
    assert_eq!(resealed[..98], envelope[..98], "header unchanged");
    assert_eq!(Vault::unlock(&resealed, PASSWORD)?.1.as_slice(), CONTENTS);
    Ok(())
}

#[test]
fn change_password_refuses_bad_requests_before_any_key_derivation() -> TestResult {
    let (mut vault, _) = small_vault(8)?;
    let huge = KdfParams {
        m_cost_kib: u32::MAX,
        ..KdfParams::MIN
    };
    // FailingRng: had these got as far as drawing a salt, the error would be different.
    assert_eq!(
        vault.change_password(PASSWORD, b"", KdfParams::MIN, &mut FailingRng),
        Err(VaultError::EmptyPassword)
    );
    assert!(matches!(
        vault.change_password(PASSWORD, b"x", huge, &mut FailingRng),
        Err(VaultError::KdfParamsOutOfBounds {
            param: KdfParam::Memory,
            ..
        })
    ));
    Ok(())
}

#[test]
fn create_refuses_bad_requests_before_any_key_derivation() {
    let mut rng = SeededRng::new(9);
    assert_eq!(
        Vault::create(b"", KdfParams::MIN, &mut rng, CONTENTS).err(),
        Some(VaultError::EmptyPassword)
    );
    let four_gib = KdfParams {
        m_cost_kib: 4 * 1024 * 1024,
        ..KdfParams::DEFAULT
    };
    assert!(matches!(
        Vault::create(PASSWORD, four_gib, &mut rng, CONTENTS).err(),
        Some(VaultError::KdfParamsOutOfBounds {
            param: KdfParam::Memory,
            value: 4_194_304,
            ..
        })
    ));
}

#[test]
fn a_failing_rng_is_an_error_not_a_panic() -> TestResult {
    assert_eq!(
        Vault::create(PASSWORD, KdfParams::MIN, &mut FailingRng, CONTENTS).err(),
        Some(VaultError::RandomnessUnavailable)
    );
    let (vault, _) = small_vault(10)?;
    assert_eq!(
        vault.seal(CONTENTS, &mut FailingRng),
        Err(VaultError::RandomnessUnavailable)
    );
    Ok(())
}

#[test]
fn wrong_password_is_reported_and_the_input_is_untouched() -> TestResult {
    let (_, envelope) = small_vault(11)?;
    let before = envelope.clone();
    assert_eq!(
        Vault::unlock(&envelope, b"correct horse battery stapler").err(),
        Some(VaultError::WrongPassword)
    );
    assert_eq!(
        Vault::unlock(&envelope, b"").err(),
        Some(VaultError::WrongPassword)
    );
    assert_eq!(envelope, before);
    // And the right password still works afterwards: no state was kept between calls.
    assert_eq!(Vault::unlock(&envelope, PASSWORD)?.1.as_slice(), CONTENTS);
    Ok(())
}

#[test]
fn debug_output_holds_no_key_material() -> TestResult {
    let (vault, _) = small_vault(12)?;
    assert_eq!(format!("{:?}", vault.master_key()), "MasterKey(..)");
    let shown = format!("{vault:?}");
    assert!(shown.starts_with("UnlockedVault {"), "{shown}");
    let key_byte = format!("{}", vault.master_key().to_bytes()[0]);
    assert!(
        !shown.contains("master_key") && !shown.contains("wrapped"),
        "{shown}"
    );
    assert!(!shown.contains(&format!("[{key_byte},")), "{shown}");
    Ok(())
}

#[test]
fn subkeys_are_independent_per_label_and_of_the_data_key() {
    let key = MasterKey::from_bytes(&[0x42; 32]);
    let a = key.derive_subkey(b"key-handle/v1");
    assert_eq!(*a, *key.derive_subkey(b"key-handle/v1"));
    assert_ne!(*a, *key.derive_subkey(b"key-handle/v2"));
    assert_ne!(*key.derive_subkey(b""), *key.data_key());
    assert_ne!(*key.derive_subkey(b"data"), *key.data_key());
    assert_ne!(*a, [0x42; 32]);
}

// ---------------------------------------------------------------------------------------------
// Corruption, truncation, tampering
// ---------------------------------------------------------------------------------------------

/// Every single-byte change (XOR 0x01 and 0xFF at every offset) is refused, and classified as
/// damage: a flip in the magic is "not a vault", any other flip breaks the checksum. No Argon2
/// run: the checksum is checked first, which is what keeps this fast (and it would fail, not
/// just slow down, if the checksum were checked after the password).
#[test]
fn every_single_byte_flip_is_refused_as_damage() -> TestResult {
    let (vault, envelope) = small_vault(13)?;
    for at in 0..envelope.len() {
        for mask in [0x01, 0xFF] {
            let bad = flip(&envelope, at, mask);
            let expected = if at < 8 {
                VaultError::NotAVault
            } else {
                VaultError::Corrupted
            };
            assert_eq!(
                Vault::unlock(&bad, PASSWORD).err(),
                Some(expected.clone()),
                "offset {at} ({:?}) mask {mask:#04x}",
                field_at(at, envelope.len())
            );
            assert_eq!(
                UnlockedVault::resume(&bad, vault.master_key()).err(),
                Some(expected.clone())
            );
            assert_eq!(peek_header(&bad).err(), Some(expected));
        }
    }
    Ok(())
}

/// The same flips with the checksum recomputed, as a deliberate attacker would: each must still
/// be refused, by the check responsible for that field. Runs Argon2id once in total: the
/// password step is exercised with the wrapping key derived for the *original* header, which is
/// the stronger test of the AAD: a changed salt or KDF parameter must break the unwrap even when
/// the key is right. (`flips_with_fixed_checksum_through_the_full_unlock_path` covers
/// `Vault::unlock` end to end.)
#[test]
fn every_flip_with_a_fixed_checksum_is_refused_by_the_right_check() -> TestResult {
    let (vault, envelope) = small_vault(14)?;
    let original = parse(&envelope)?;
    let salt: [u8; 16] = envelope[22..38]
        .try_into()
        .map_err(|_| VaultError::Truncated)?;
    let wrapping_key = derive_wrapping_key(PASSWORD, &salt, KdfParams::MIN)?;
    // Sanity: the shortcut path opens the untouched envelope.
    let key = original.header.unwrap_with(&wrapping_key)?;
    assert!(same_key(&key, vault.master_key()));

    let body_len = envelope.len() - CHECKSUM_LEN;
    for at in 0..body_len {
        for mask in [0x01, 0xFF] {
            let bad = fix_checksum(flip(&envelope, at, mask));
            let field = field_at(at, envelope.len());
            let context = format!("offset {at} ({field:?}) mask {mask:#04x}");
            let resumed = UnlockedVault::resume(&bad, vault.master_key()).err();

            if let Some(expected) = structural_error(&bad, at) {
                assert_eq!(resumed, Some(expected.clone()), "{context}");
                assert_eq!(
                    Vault::unlock(&bad, PASSWORD).err(),
                    Some(expected),
                    "{context}"
                );
                continue;
            }
            // The data AAD covers every header byte, so the master key alone notices too.
            assert_eq!(resumed, Some(VaultError::MasterKeyRejected), "{context}");

            let parsed = parse(&bad)?;
            let unwrapped = parsed.header.unwrap_with(&wrapping_key);
            match field {
                Field::KdfParams | Field::Salt | Field::WrapNonce | Field::WrappedKey => {
                    assert_eq!(
                        unwrapped.err(),
                        Some(VaultError::WrongPassword),
                        "{context}"
                    );
                }
                Field::DataNonce | Field::Ciphertext => {
                    let opened = open_with_master_key(&parsed, unwrapped?);
                    assert_eq!(opened.err(), Some(VaultError::Tampered), "{context}");
                }
                other => panic!("{context}: unexpected field {other:?}"),
            }
        }
    }
    Ok(())
}

/// `Vault::unlock` end to end on one flip per field, checksum fixed. One Argon2id run per case
/// (10 cases at MIN cost).
#[test]
fn flips_with_fixed_checksum_through_the_full_unlock_path() -> TestResult {
    let (_, envelope) = small_vault(15)?;
    let last = envelope.len() - CHECKSUM_LEN - 1;
    let cases = [
        (10, VaultError::WrongPassword), // m_cost 19456 -> 19457 KiB: in bounds
        (14, VaultError::WrongPassword), // t_cost 2 -> 3: in bounds
        (22, VaultError::WrongPassword), // salt
        (37, VaultError::WrongPassword), // salt, last byte
        (38, VaultError::WrongPassword), // wrap nonce
        (50, VaultError::WrongPassword), // wrapped key ciphertext
        (97, VaultError::WrongPassword), // wrapped key tag
        (98, VaultError::Tampered),      // data nonce
        (110, VaultError::Tampered),     // data ciphertext
        (last, VaultError::Tampered),    // data tag
    ];
    for (at, expected) in cases {
        let bad = fix_checksum(flip(&envelope, at, 0x01));
        assert_eq!(
            Vault::unlock(&bad, PASSWORD).err(),
            Some(expected),
            "offset {at}"
        );
    }
    Ok(())
}

/// Exhaustive version of the test above: every offset, both masks, through `Vault::unlock`.
/// About 250 Argon2id runs (a few at 45 and 83 MiB, where a flipped m_cost byte stays in
/// bounds), so it is ignored by default; run with
/// `cargo test -p softkey-vault --release -- --ignored`.
#[test]
#[ignore = "slow: one Argon2id run per offset; run in --release"]
fn every_flip_with_fixed_checksum_through_the_full_unlock_path() -> TestResult {
    let (_, envelope) = small_vault(16)?;
    for at in 0..envelope.len() - CHECKSUM_LEN {
        for mask in [0x01, 0xFF] {
            let bad = fix_checksum(flip(&envelope, at, mask));
            let expected = structural_error(&bad, at).unwrap_or(match field_at(at, bad.len()) {
                Field::DataNonce | Field::Ciphertext => VaultError::Tampered,
                _ => VaultError::WrongPassword,
            });
            assert_eq!(
                Vault::unlock(&bad, PASSWORD).err(),
                Some(expected),
                "offset {at} mask {mask:#04x}"
            );
        }
    }
    Ok(())
}

/// Every proper prefix is refused, and none reaches the password step (a prefix's last 32 bytes
/// are not its checksum).
#[test]
fn every_truncation_is_refused() -> TestResult {
    let (vault, envelope) = small_vault(17)?;
    for len in 0..envelope.len() {
        let cut = &envelope[..len];
        let expected = if len < 8 + 1 + 32 {
            VaultError::Truncated
        } else {
            VaultError::Corrupted
        };
        assert_eq!(
            Vault::unlock(cut, PASSWORD).err(),
            Some(expected.clone()),
            "{len}"
        );
        assert_eq!(
            UnlockedVault::resume(cut, vault.master_key()).err(),
            Some(expected)
        );
    }
    Ok(())
}

/// A short envelope whose checksum is valid but which is too short for version 1 (a crafted
/// file, or one cut at exactly the wrong place and "repaired").
#[test]
fn a_valid_checksum_on_a_too_short_v1_envelope_is_truncated() -> TestResult {
    let (_, envelope) = small_vault(18)?;
    for len in [41, 100, envelope::MIN_V1_LEN - 1] {
        let mut short = envelope[..len].to_vec();
        let body = len - CHECKSUM_LEN;
        short.truncate(body);
        short.extend_from_slice(&Sha256::digest(&short));
        assert_eq!(
            Vault::unlock(&short, PASSWORD).err(),
            Some(VaultError::Truncated),
            "{len}"
        );
    }
    Ok(())
}

#[test]
fn a_newer_format_is_reported_as_such() -> TestResult {
    // The version is read before the v1 length rules apply: a future format may be shorter.
    let mut future = b"SKVAULT\0\x02 some future layout".to_vec();
    future.extend_from_slice(&Sha256::digest(&future));
    let err = Vault::unlock(&future, PASSWORD).err();
    assert_eq!(err, Some(VaultError::UnsupportedVersion { version: 2 }));
    let msg = format!("{}", err.ok_or(VaultError::Truncated)?);
    assert!(
        msg.contains("written by a newer version (format 2)"),
        "{msg}"
    );
    assert_eq!(
        peek_header(&future).err(),
        Some(VaultError::UnsupportedVersion { version: 2 })
    );
    Ok(())
}

#[test]
fn things_that_are_not_vaults() {
    for input in [
        &b"x"[..],
        b"SKVAULT",
        b"{\"totp\":[]}",
        b"skvault\0\x01",
        &[0u8; 200],
    ] {
        let expected = if input == b"SKVAULT" {
            VaultError::Truncated
        } else {
            VaultError::NotAVault
        };
        assert_eq!(Vault::unlock(input, PASSWORD).err(), Some(expected));
    }
}

/// Out-of-bounds KDF parameters in a vault whose checksum is valid: only the bounds check can
/// refuse these. Without it, unlocking would try to allocate 4 GiB, run a million passes, or
/// fail inside argon2 with a different error; with it, all are refused in well under a second.
#[test]
fn out_of_bounds_kdf_params_in_a_vault_are_refused_quickly() -> TestResult {
    let (vault, envelope) = small_vault(19)?;
    // Ordered so that, were the check missing, the cheap cases fail first (p = 0 is an argon2
    // error, m = 8 / t = 1 / p = 255 run quickly) before the 4 GiB / million-pass ones could hang.
    let cases: [(usize, u32, KdfParam); 8] = [
        (18, 0, KdfParam::Parallelism),
        (10, 8, KdfParam::Memory), // Argon2's own minimum
        (14, 1, KdfParam::Iterations),
        (18, 255, KdfParam::Parallelism),
        (10, 262_145, KdfParam::Memory),         // MAX + 1 KiB
        (10, 4 * 1024 * 1024, KdfParam::Memory), // 4 GiB
        (10, u32::MAX, KdfParam::Memory),
        (14, 1_000_000, KdfParam::Iterations),
    ];
    let started = Instant::now();
    for (at, value, param) in cases {
        let mut bad = envelope.clone();
        bad[at..at + 4].copy_from_slice(&value.to_le_bytes());
        let bad = fix_checksum(bad);
        let refused = |r: Result<(), VaultError>| match r {
            Err(VaultError::KdfParamsOutOfBounds {
                param: p, value: v, ..
            }) => p == param && v == value,
            _ => false,
        };
        assert!(
            refused(Vault::unlock(&bad, PASSWORD).map(drop)),
            "{param:?}={value}"
        );
        assert!(refused(peek_header(&bad).map(drop)), "{param:?}={value}");
        assert!(
            refused(UnlockedVault::resume(&bad, vault.master_key()).map(drop)),
            "{param:?}={value}"
        );
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
    Ok(())
}

/// Random multi-byte damage, length changes and garbage (checksum fixed, so it gets past the
/// cheap checks), through the no-KDF paths: never a panic, never a wrong success.
#[test]
fn random_damage_never_panics_or_succeeds() -> TestResult {
    use rand_core::Rng;
    let (vault, envelope) = small_vault(20)?;
    let mut rng = SeededRng::new(2020);
    for round in 0..3000 {
        let mut bad = envelope.clone();
        match round % 3 {
            0 => {
                for _ in 0..1 + rng.next_u32() % 8 {
                    let at = rng.next_u32() as usize % bad.len();
                    bad[at] ^= 1 + (rng.next_u32() % 255) as u8;
                }
            }
            1 => {
                let len = CIPHERTEXT_AT + rng.next_u32() as usize % 200;
                bad.resize(len, 0);
            }
            _ => {
                let len = rng.next_u32() as usize % 400;
                bad = MAGIC_AND_V1.to_vec();
                bad.resize(len.max(MAGIC_AND_V1.len()), 0);
                rng.fill_bytes(&mut bad[MAGIC_AND_V1.len()..]);
            }
        }
        if bad.len() < CHECKSUM_LEN {
            continue;
        }
        let bad = fix_checksum(bad);
        if bad == envelope {
            continue;
        }
        assert!(
            UnlockedVault::resume(&bad, vault.master_key()).is_err(),
            "round {round}"
        );
        let _ = peek_header(&bad);
    }
    Ok(())
}

const MAGIC_AND_V1: &[u8] = b"SKVAULT\0\x01\x01";

// ---------------------------------------------------------------------------------------------
// Fixed vectors
// ---------------------------------------------------------------------------------------------

/// An envelope written by an independent implementation of the documented format (Python's
/// `cryptography` package; `testdata/make_v1_vector.py`), so the layout in the crate docs, not
/// just this code's reading of it, is what is tested. It must keep opening forever: stored vaults
/// depend on it.
#[test]
fn opens_the_independently_written_v1_vector() -> TestResult {
    let vector = Vector::load()?;
    let (vault, plaintext) = Vault::unlock(&vector.envelope, &vector.password)?;
    assert_eq!(plaintext.as_slice(), vector.plaintext.as_slice());
    assert_eq!(*vault.master_key().to_bytes(), vector.master_key);
    assert_eq!(
        *vault.master_key().derive_subkey(b"key-handle/v1"),
        vector.subkey_key_handle_v1
    );
    Ok(())
}

struct Vector {
    password: Vec<u8>,
    plaintext: Vec<u8>,
    master_key: [u8; 32],
    subkey_key_handle_v1: [u8; 32],
    envelope: Vec<u8>,
}

impl Vector {
    /// `testdata/v1_min.txt`: `name: hex` lines; `#` starts a comment.
    fn load() -> Result<Self, VaultError> {
        let text = include_str!("../../testdata/v1_min.txt");
        let field = |name: &str| -> Result<Vec<u8>, VaultError> {
            let line = text
                .lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
                .ok_or(VaultError::NotAVault)?;
            hex(line.trim()).ok_or(VaultError::NotAVault)
        };
        let array = |name: &str| -> Result<[u8; 32], VaultError> {
            field(name)?.try_into().map_err(|_| VaultError::NotAVault)
        };
        Ok(Self {
            password: field("password")?,
            plaintext: field("plaintext")?,
            master_key: array("master_key")?,
            subkey_key_handle_v1: array("subkey_key-handle/v1")?,
            envelope: field("envelope")?,
        })
    }
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Timing (informational)
// ---------------------------------------------------------------------------------------------

/// Prints how long unlocking takes at the default parameters. Meaningful only in `--release`:
/// `cargo test -p softkey-vault --release -- --ignored --nocapture unlock_time`.
#[test]
#[ignore = "timing report, not a check; run in --release with --nocapture"]
fn unlock_time_at_default_params() -> TestResult {
    let (_, envelope) = Vault::create(
        PASSWORD,
        KdfParams::DEFAULT,
        &mut SeededRng::new(21),
        CONTENTS,
    )?;
    for _ in 0..3 {
        let started = Instant::now();
        Vault::unlock(&envelope, PASSWORD)?;
        std::println!("unlock at KdfParams::DEFAULT: {:?}", started.elapsed());
    }
    Ok(())
}
