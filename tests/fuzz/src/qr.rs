//! QR codes: pixels a page (or a screenshot of the tab) hands to `softkey-qr`, and the text they
//! carry, which goes on to `softkey-otp`.

use crate::Input;

/// Widest side the decode target draws: big enough for a version-10 code at two pixels a
/// module, small enough to keep thousands of runs a second.
const MAX_FUZZ_SIDE: u32 = 96;

/// Target `qr_decode`: `[flags, width, height, pixels...]`. Width and height are mapped into
/// 21..=96; the pixels are greyscale (or RGBA when `flags & 1`), padded with white. With
/// `flags & 2` the raw rest goes in unchanged with the given size, to exercise the size checks.
pub fn qr_decode(data: &[u8]) {
    let mut input = Input::new(data);
    let flags = input.byte();
    let (w_byte, h_byte) = (input.byte(), input.byte());
    let (width, height) = (side(w_byte), side(h_byte));
    let pixels = input.rest();
    let rgba = flags & 1 != 0;
    let outcome = if flags & 2 != 0 {
        // Raw: whatever length came, and sizes from 0 to 4335, past both bounds.
        let (w, h) = (u32::from(w_byte) * 17, u32::from(h_byte) * 17);
        if rgba {
            softkey_qr::decode_rgba(pixels, w, h)
        } else {
            softkey_qr::decode_luma(pixels, w, h)
        }
    } else {
        let per_pixel = if rgba { 4 } else { 1 };
        let len = (width * height) as usize * per_pixel;
        let mut buffer = vec![255u8; len];
        let n = len.min(pixels.len());
        buffer[..n].copy_from_slice(&pixels[..n]);
        if rgba {
            softkey_qr::decode_rgba(&buffer, width, height)
        } else {
            softkey_qr::decode_luma(&buffer, width, height)
        }
    };
    if let Ok(texts) = outcome {
        assert!(!texts.is_empty(), "a successful decode returned no text");
        for text in texts {
            crate::otp::check_text(&text);
        }
    }
}

fn side(byte: u8) -> u32 {
    softkey_qr::MIN_SIDE + u32::from(byte) % (MAX_FUZZ_SIDE - softkey_qr::MIN_SIDE + 1)
}

/// Target `qr_roundtrip`: the input as text, written as a QR code (as the popup shows an entry),
/// drawn at 2 pixels a module, and read back: the same text must come out. Then the text takes
/// the `otpauth://` path.
pub fn qr_roundtrip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    crate::otp::check_text(text);
    let Ok(matrix) = softkey_qr::encode(text) else {
        assert!(
            text.is_empty() || text.len() > softkey_qr::MAX_TEXT_LEN,
            "encode refused a text within bounds"
        );
        return;
    };
    let (scale, quiet) = (2, 4);
    let side = (matrix.size() + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (
                (x / scale).wrapping_sub(quiet),
                (y / scale).wrapping_sub(quiet),
            );
            if matrix.is_dark(mx, my) {
                pixels[y * side + x] = 0;
            }
        }
    }
    let side = side as u32;
    match softkey_qr::decode_luma(&pixels, side, side) {
        Ok(texts) => assert_eq!(texts, [text], "the QR code we drew read back differently"),
        Err(e) => panic!("the QR code we drew for {text:?} did not read back: {e}"),
    }
}
