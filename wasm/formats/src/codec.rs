//! Byte encodings the formats use: base64 (padded, as Aegis and the migration URI write it),
//! base64url (WebAuthn, Bitwarden), hex (Aegis). Readers are lenient where writers differ.

use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
use zeroize::Zeroizing;

/// Standard base64 with padding.
pub(crate) fn b64_encode(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Unpadded base64url.
pub(crate) fn b64url_encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Any base64 flavour: standard or URL alphabet, padded or not, surrounding whitespace ignored.
pub(crate) fn b64_decode_any(text: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let text = text.trim();
    let url = text.contains(['-', '_']);
    let padded = text.ends_with('=');
    let result = match (url, padded) {
        (false, true) => Base64::decode_vec(text),
        (false, false) => Base64Unpadded::decode_vec(text),
        (true, true) => Base64Url::decode_vec(text),
        (true, false) => Base64UrlUnpadded::decode_vec(text),
    };
    result
        .map(Zeroizing::new)
        .map_err(|_| "not valid base64".to_owned())
}

/// Lower-case hex.
pub(crate) fn hex_encode(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

/// Hex of exactly `N` bytes, either case.
pub(crate) fn hex_array<const N: usize>(text: &str, field: &str) -> Result<[u8; N], String> {
    let mut out = [0u8; N];
    let decoded = base16ct::mixed::decode(text.trim(), &mut out)
        .map_err(|_| format!("{field} is not {N} bytes of hex"))?;
    if decoded.len() != N {
        return Err(format!("{field} is not {N} bytes of hex"));
    }
    Ok(out)
}

/// Hex of any length up to `max` bytes, either case.
pub(crate) fn hex_vec(text: &str, field: &str, max: usize) -> Result<Zeroizing<Vec<u8>>, String> {
    let text = text.trim();
    if text.len() > max * 2 {
        return Err(format!("{field} is longer than {max} bytes"));
    }
    let mut out = Zeroizing::new(vec![0u8; text.len() / 2]);
    let n = base16ct::mixed::decode(text, &mut out)
        .map_err(|_| format!("{field} is not hex"))?
        .len();
    out.truncate(n);
    Ok(out)
}

/// A random version-4 UUID, as Aegis and Bitwarden give every entry.
pub(crate) fn uuid<R: rand_core::CryptoRng + ?Sized>(rng: &mut R) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex_encode(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_flavours_all_decode() {
        let bytes = [0xfbu8, 0xff, 0x01, 0x02];
        for text in ["+/8BAg==", "+/8BAg", "-_8BAg==", "-_8BAg"] {
            assert_eq!(&b64_decode_any(text).expect(text)[..], &bytes[..], "{text}");
        }
        assert!(b64_decode_any("not base64!").is_err());
    }

    #[test]
    fn hex_checks_length() {
        assert_eq!(hex_array::<2>("abCD", "x"), Ok([0xab, 0xcd]));
        assert!(hex_array::<2>("abc", "x").is_err());
        assert!(hex_array::<3>("abcd", "x").is_err());
        assert!(hex_vec("zz", "x", 4).is_err());
        assert!(hex_vec("00000000000000", "x", 4).is_err());
    }
}
