use super::*;
use crate::test_support::{rng, sample_totp};

#[test]
fn plain_round_trip() {
    let items = sample_totp();
    let text = write_plain(&items, &mut rng()).expect("writes");
    let back = read(&text, None).expect("reads");
    assert_eq!(
        back.iter().map(|i| &i.otp).collect::<Vec<_>>(),
        items.iter().map(|i| &i.otp).collect::<Vec<_>>()
    );
}

#[test]
fn encrypted_round_trip_and_errors() {
    let items = sample_totp();
    let text = write_encrypted(&items, b"aegis pass", &mut rng()).expect("writes");
    let back = read(&text, Some(b"aegis pass")).expect("reads");
    assert_eq!(back.len(), items.len());
    assert_eq!(back[0].otp, items[0].otp);
    assert_eq!(
        read(&text, Some(b"wrong")).expect_err("wrong").kind(),
        "WrongPassword"
    );
    assert_eq!(
        read(&text, None).expect_err("none").kind(),
        "PasswordRequired"
    );

    let mut vault: Value = serde_json::from_str(&text).expect("json");
    vault["header"]["slots"][0]["n"] = Value::from(1u64 << 30);
    let absurd = serde_json::to_string(&vault).expect("json");
    assert_eq!(
        read(&absurd, Some(b"aegis pass"))
            .expect_err("absurd")
            .kind(),
        "KdfParamsOutOfBounds"
    );

    let mut vault: Value = serde_json::from_str(&text).expect("json");
    let db = vault["db"].as_str().expect("db").to_owned();
    let mut bytes = b64_decode_any(&db).expect("b64").to_vec();
    bytes[0] ^= 1;
    vault["db"] = Value::from(b64_encode(&bytes));
    let damaged = serde_json::to_string(&vault).expect("json");
    assert_eq!(
        read(&damaged, Some(b"aegis pass"))
            .expect_err("damaged")
            .kind(),
        "Corrupted"
    );
    assert_eq!(
        read("[]", None).expect_err("not aegis").kind(),
        "NotThisFormat"
    );
    assert_eq!(
        read(&text[..text.len() / 2], None).expect_err("cut").kind(),
        "NotThisFormat"
    );
}

/// A file may not make the import run scrypt for minutes: p = 16 at the memory cap, or many
/// password slots, are refused before any scrypt runs. Seen while writing the `aegis` fuzz
/// target, whose 10 s limit per input such files would exceed; before, both were run.
#[test]
fn scrypt_time_is_bounded_over_all_slots() {
    let items = sample_totp();
    let text = write_encrypted_with(&items, b"aegis pass", 14, &mut rng()).expect("writes");
    let vault: Value = serde_json::from_str(&text).expect("json");

    let mut costly = vault.clone();
    costly["header"]["slots"][0]["n"] = Value::from(1u64 << 18);
    costly["header"]["slots"][0]["p"] = Value::from(16u64);
    let err = read(&costly.to_string(), Some(b"aegis pass")).expect_err("p = 16");
    assert_eq!(err.kind(), "KdfParamsOutOfBounds", "{err}");

    // Forty copies of the slot (each alone is within bounds, 2^14 · 8): 40 scrypt runs.
    let mut many = vault.clone();
    let slot = vault["header"]["slots"][0].clone();
    many["header"]["slots"] = Value::Array(vec![slot.clone(); 40]);
    let err = read(&many.to_string(), Some(b"wrong")).expect_err("40 slots");
    assert_eq!(err.kind(), "KdfParamsOutOfBounds", "{err}");

    // Aegis's own cost, and a few slots of it, still read.
    let mut two = vault.clone();
    two["header"]["slots"] = Value::Array(vec![slot.clone(), slot]);
    assert_eq!(
        read(&two.to_string(), Some(b"aegis pass"))
            .expect("reads")
            .len(),
        2
    );
}
