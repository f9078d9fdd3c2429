//! The vault envelope: bytes read back from `chrome.storage` (damaged, truncated, replaced by
//! another extension or a copied profile) and, in a backup, from a file.

use std::sync::OnceLock;

use softkey_vault::{KdfParams, MasterKey, UnlockedVault, Vault, VaultError, peek_header};

use crate::Input;
use crate::fixtures::{SeededRng, with_checksum};

/// The fixture vault's password. Argon2id cannot be made cheaper than [`KdfParams::MIN`]
/// (19 MiB, 2 passes: tens of milliseconds), so the targets open envelopes with the master key
/// (`UnlockedVault::resume`, the worker-restart path) and run the password path only on inputs
/// that the cheap checks refuse before any key derivation.
const PASSWORD: &[u8] = b"fuzz password";

struct Fixture {
    vault: UnlockedVault,
    master: MasterKey,
    envelope: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut rng = SeededRng::new(3);
        #[allow(clippy::expect_used)]
        let (vault, envelope) =
            Vault::create(PASSWORD, KdfParams::MIN, &mut rng, br#"{"fuzz":"fixture"}"#)
                .expect("fixture vault");
        let master = MasterKey::from_bytes(&vault.master_key().to_bytes());
        Fixture {
            vault,
            master,
            envelope,
        }
    })
}

/// Target `vault_envelope`: `[mode, rest...]`.
/// - mode 0: the rest is an envelope;
/// - mode 1: the rest is an envelope whose checksum is then made right;
/// - mode 2: the fixture's envelope with the rest as `(offset, xor)` byte pairs, checksum fixed;
/// - mode 3: the rest is sealed as plaintext, opened again, and must come back unchanged; then
///   that envelope is opened as the extension opens its vault (`Keyring::resume`), which parses
///   the plaintext as vault contents.
pub fn vault_envelope(data: &[u8]) {
    let mut input = Input::new(data);
    let mode = input.byte() % 4;
    let rest = input.rest();
    let fixture = fixture();
    match mode {
        0 => open(rest),
        1 => open(&with_checksum(rest)),
        2 => {
            let mut envelope = fixture.envelope.clone();
            for pair in rest.chunks_exact(2) {
                let at = usize::from(pair[0]) % envelope.len();
                envelope[at] ^= pair[1];
            }
            // Byte pairs past 255 cannot reach the tail: also cut the envelope short sometimes.
            if rest.len() % 2 == 1 {
                envelope.truncate(usize::from(rest[rest.len() - 1]) * 2);
            }
            open(&with_checksum(&envelope));
        }
        _ => {
            let sealed = match fixture.vault.seal(rest, &mut SeededRng::new(4)) {
                Ok(sealed) => sealed,
                Err(e) => panic!("sealing {} bytes failed: {e}", rest.len()),
            };
            match UnlockedVault::resume(&sealed, &fixture.master) {
                Ok((_, plaintext)) => {
                    assert_eq!(&plaintext[..], rest, "seal/open changed the data")
                }
                Err(e) => panic!("our own envelope did not open: {e}"),
            }
            match peek_header(&sealed) {
                Ok(info) => assert_eq!(info.kdf_params, KdfParams::MIN),
                Err(e) => panic!("our own envelope's header did not read: {e}"),
            }
            // The vault's contents are JSON the extension wrote; a damaged or foreign one must
            // give an error, not a panic.
            let _ = softkey_core::Keyring::resume(&sealed, &fixture.master.to_bytes()[..]);
        }
    }
}

/// Opens `envelope` every way the extension can, and checks the ways agree.
fn open(envelope: &[u8]) {
    let fixture = fixture();
    let header = peek_header(envelope);
    let resumed = UnlockedVault::resume(envelope, &fixture.master);
    match (&header, &resumed) {
        (Err(e), Err(r)) => {
            assert_eq!(e, r, "peek_header and resume disagree");
            // Refused before Argon2id: unlocking with the password must refuse it the same way,
            // at no cost.
            match Vault::unlock(envelope, PASSWORD) {
                Err(u) => assert_eq!(&u, e, "unlock and peek_header disagree"),
                Ok(_) => panic!("unlock opened an envelope peek_header refused: {e}"),
            }
        }
        (Err(e), Ok(_)) => panic!("resume opened an envelope peek_header refused: {e}"),
        (Ok(info), Err(r)) => {
            assert!(
                info.kdf_params.validate().is_ok(),
                "peek_header passed out-of-bounds parameters"
            );
            // Past the structural checks only the key can be wrong.
            assert!(
                matches!(r, VaultError::MasterKeyRejected),
                "resume failed after peek_header passed, with {r:?}"
            );
        }
        (Ok(_), Ok((vault, plaintext))) => {
            // It opened: sealing it again must give an envelope that opens to the same data.
            let sealed = match vault.seal(plaintext, &mut SeededRng::new(5)) {
                Ok(sealed) => sealed,
                Err(e) => panic!("resealing an opened envelope failed: {e}"),
            };
            match UnlockedVault::resume(&sealed, &fixture.master) {
                Ok((_, again)) => assert_eq!(again, *plaintext, "reseal changed the data"),
                Err(e) => panic!("a resealed envelope did not open: {e}"),
            }
        }
    }
}

/// The fixture envelope (for the seed corpus).
pub fn fixture_envelope() -> Vec<u8> {
    fixture().envelope.clone()
}
