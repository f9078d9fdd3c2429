//! `otpauth://` URIs and bare base32 secrets: what a page's "secret key" text, a QR code, or a
//! pasted URI hands to `softkey-otp`.

use softkey_otp::{OtpAuth, Secret, consecutive_pair};

/// Target `otpauth`: the input as text, read both as an `otpauth://` URI and as a base32 secret.
pub fn otpauth(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_text(text);
}

/// Everything the extension does with an outside `otpauth://` text or secret. Also used by the
/// QR targets for the decoded text.
pub fn check_text(text: &str) {
    if let Ok(secret) = Secret::from_base32(text) {
        // The secret as the vault stores it (upper-case unpadded base32) reads back the same.
        match Secret::from_base32(&secret.to_base32()) {
            Ok(back) => assert!(back == secret, "base32 round trip changed the secret"),
            Err(e) => panic!(
                "our own base32 {:?} did not read back: {e}",
                secret.to_base32()
            ),
        }
    }
    let Ok(entry) = OtpAuth::parse(text) else {
        return;
    };
    // `to_uri` promises that a parsed entry reads back unchanged.
    let uri = entry.to_uri();
    match OtpAuth::parse(&uri) {
        Ok(back) => assert_eq!(back, entry, "parse(to_uri(x)) != x for {uri:?}"),
        Err(e) => panic!("our own URI {uri:?} did not parse: {e}"),
    }
    // The vault keeps entries as JSON.
    let json = match serde_json::to_string(&entry) {
        Ok(json) => json,
        Err(e) => panic!("a parsed entry did not serialize: {e}"),
    };
    match serde_json::from_str::<OtpAuth>(&json) {
        Ok(back) => assert_eq!(back, entry, "JSON round trip changed {json}"),
        Err(e) => panic!("our own JSON {json} did not read back: {e}"),
    }
    // Codes at the edges of time: errors are fine, panics are not. A parsed entry is valid, so a
    // TOTP code at an ordinary time must exist.
    for t in [0, 59, 1_767_225_600, u64::MAX / 2, u64::MAX - 1, u64::MAX] {
        let _ = entry.code_at(t);
        let _ = consecutive_pair(&entry, t, 5);
        let _ = consecutive_pair(&entry, t, u32::MAX);
    }
    if let Err(e) = entry.code_at(1_767_225_600) {
        panic!("a parsed entry gave no code: {e}");
    }
    // What the IAM page's "Show secret key" text is compared with.
    let _ = entry.secret_matches(text);
    let _ = entry.secret_matches(&entry.secret.to_base32().to_ascii_lowercase());
}
