//! Round trips through our own encoder and decoder, and every refusal. Reading codes made by an
//! independent encoder (segno) and checking our codes with an independent decoder (zxing-cpp)
//! are in tests/verify/test_qr_independent.py.

use super::*;

const AWS_URI: &str = "otpauth://totp/Amazon%20Web%20Services:alice-phone@123456789012?secret=\
    JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services";

/// Draws a matrix as greyscale: `scale` pixels a module, `quiet` modules of margin.
fn draw(matrix: &QrMatrix, scale: usize, quiet: usize) -> (Vec<u8>, u32) {
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
    (pixels, side as u32)
}

fn to_rgba(luma: &[u8]) -> Vec<u8> {
    luma.iter().flat_map(|&v| [v, v, v, 255]).collect()
}

#[test]
fn round_trip_at_several_scales() {
    let matrix = encode(AWS_URI).expect("encodes");
    for scale in [1, 2, 3, 5] {
        let (pixels, side) = draw(&matrix, scale, 4);
        assert_eq!(
            decode_luma(&pixels, side, side).expect("decodes"),
            [AWS_URI],
            "scale {scale}"
        );
    }
}

#[test]
fn rgba_and_inverted() {
    let matrix = encode("hello").expect("encodes");
    let (pixels, side) = draw(&matrix, 4, 4);
    assert_eq!(
        decode_rgba(&to_rgba(&pixels), side, side).expect("rgba"),
        ["hello"]
    );
    let inverted: Vec<u8> = pixels.iter().map(|v| 255 - v).collect();
    assert_eq!(
        decode_luma(&inverted, side, side).expect("inverted"),
        ["hello"]
    );
}

#[test]
fn transparent_pixels_count_as_white() {
    let matrix = encode("transparent").expect("encodes");
    let (pixels, side) = draw(&matrix, 3, 4);
    // Light modules fully transparent black: only alpha tells them apart.
    let rgba: Vec<u8> = pixels
        .iter()
        .flat_map(|&v| if v == 0 { [0, 0, 0, 255] } else { [0, 0, 0, 0] })
        .collect();
    assert_eq!(
        decode_rgba(&rgba, side, side).expect("decodes"),
        ["transparent"]
    );
}

#[test]
fn two_codes_in_one_image_and_repeats_dropped() {
    let a = draw(&encode("first").expect("a"), 3, 4);
    let b = draw(&encode("second").expect("b"), 3, 4);
    let (wa, wb) = (a.1 as usize, b.1 as usize);
    let height = wa.max(wb);
    let width = wa + wb + wa;
    let mut pixels = vec![255u8; width * height];
    for (image, side, left) in [(&a.0, wa, 0), (&b.0, wb, wa), (&a.0, wa, wa + wb)] {
        for y in 0..side {
            pixels[y * width + left..y * width + left + side]
                .copy_from_slice(&image[y * side..(y + 1) * side]);
        }
    }
    let mut texts = decode_luma(&pixels, width as u32, height as u32).expect("decodes");
    texts.sort();
    assert_eq!(texts, ["first", "second"]);
}

#[test]
fn blank_image_has_no_qr() {
    let pixels = vec![255u8; 100 * 80];
    assert_eq!(decode_luma(&pixels, 100, 80), Err(QrError::NoQrFound));
    assert_eq!(
        QrError::NoQrFound.to_string(),
        "no QR code was found in the image"
    );
}

#[test]
fn damaged_code_is_unreadable_not_missing() {
    let matrix = encode(AWS_URI).expect("encodes");
    let (mut pixels, side) = draw(&matrix, 2, 4);
    // Blank out the data area, keeping the three finder patterns (the top-left 9 modules
    // square, and those beside it), so a grid is found but its data cannot be corrected.
    let s = side as usize;
    let finder = (4 + 9) * 2;
    for y in finder..s - finder {
        for x in finder..s - finder {
            pixels[y * s + x] = if (x / 2 + y / 2) % 2 == 0 { 0 } else { 255 };
        }
    }
    assert_eq!(decode_luma(&pixels, side, side), Err(QrError::Unreadable));
}

#[test]
fn sizes_are_checked_before_work() {
    assert_eq!(
        decode_luma(&[], 4097, 100),
        Err(QrError::ImageTooLarge {
            width: 4097,
            height: 100
        })
    );
    assert_eq!(
        decode_rgba(&[], 100, u32::MAX),
        Err(QrError::ImageTooLarge {
            width: 100,
            height: u32::MAX
        })
    );
    assert_eq!(
        decode_luma(&[0; 400], 20, 20),
        Err(QrError::ImageTooSmall {
            width: 20,
            height: 20
        })
    );
    assert_eq!(
        decode_luma(&[0; 10], 21, 21),
        Err(QrError::WrongLength {
            expected: 441,
            found: 10
        })
    );
    assert_eq!(
        decode_rgba(&[0; 441], 21, 21),
        Err(QrError::WrongLength {
            expected: 1764,
            found: 441
        })
    );
    assert!(
        QrError::ImageTooLarge {
            width: 5000,
            height: 1
        }
        .to_string()
        .contains("5000×1")
    );
}

#[test]
fn largest_image_is_searched() {
    let pixels = vec![255u8; (MAX_SIDE * MAX_SIDE) as usize];
    assert_eq!(
        decode_luma(&pixels, MAX_SIDE, MAX_SIDE),
        Err(QrError::NoQrFound)
    );
}

#[test]
fn encode_limits() {
    assert_eq!(encode(""), Err(QrError::EmptyText));
    let long = "A".repeat(MAX_TEXT_LEN + 1);
    assert_eq!(
        encode(&long),
        Err(QrError::TextTooLong {
            length: MAX_TEXT_LEN + 1
        })
    );
    let max = encode(&"a".repeat(MAX_TEXT_LEN)).expect("fits");
    assert!(max.size() <= 177);
    // A 64-character AWS secret fits a version well under 10 (57 modules), so a phone reads it
    // from a popup-sized square.
    let aws = encode(AWS_URI).expect("encodes");
    assert!(aws.size() <= 57, "size {}", aws.size());
    assert_eq!(aws.size() % 4, 1);
    assert_eq!(aws.to_bytes().len(), aws.size() * aws.size());
}

#[test]
fn matrix_outside_is_light_and_finder_is_dark() {
    let m = encode("x").expect("encodes");
    assert_eq!(m.size(), 21);
    assert!(!m.is_dark(21, 0) && !m.is_dark(0, 21) && !m.is_dark(usize::MAX, 0));
    // Finder patterns: the corners of the top-left, top-right and bottom-left squares.
    assert!(m.is_dark(0, 0) && m.is_dark(20, 0) && m.is_dark(0, 20));
    // ...and the separators around them light.
    assert!(!m.is_dark(7, 0) && !m.is_dark(7, 7) && !m.is_dark(13, 0) && !m.is_dark(0, 13));
}

#[test]
fn error_names_are_stable() {
    assert_eq!(QrError::NoQrFound.name(), "NoQrFound");
    assert_eq!(QrError::Unreadable.name(), "QrUnreadable");
    assert_eq!(
        QrError::WrongLength {
            expected: 1,
            found: 0
        }
        .name(),
        "BadImage"
    );
    assert_eq!(QrError::EmptyText.name(), "BadText");
}

#[test]
fn one_pixel_a_module_is_read_through_the_doubled_image() {
    // quircs alone finds no code at one pixel a module (its timing scan wants runs of two).
    let matrix = encode(AWS_URI).expect("encodes");
    let (pixels, side) = draw(&matrix, 1, 4);
    let s = side as usize;
    let local = local_two_tone(&pixels, s, s);
    assert_eq!(search(s, s, &local), Err(QrError::NoQrFound));
    assert_eq!(
        search(2 * s, 2 * s, &upscale2(&local, s, s)).expect("doubled"),
        [AWS_URI]
    );
}

#[test]
fn uneven_light_is_read_by_the_local_threshold() {
    // Lit from the right: the light modules at the left edge are darker than the dark modules'
    // surroundings elsewhere, so no single cut separates the tones, but the local one does.
    let matrix = encode(AWS_URI).expect("encodes");
    let (mut pixels, side) = draw(&matrix, 4, 4);
    let s = side as usize;
    for y in 0..s {
        for x in 0..s {
            let light = 30 + 225 * x / s;
            let v = &mut pixels[y * s + x];
            *v = if *v == 0 {
                (light / 4) as u8
            } else {
                light as u8
            };
        }
    }
    let cut = otsu_threshold(&pixels);
    let global: Vec<u8> = pixels.iter().map(|&v| two_tone(v, cut, true)).collect();
    assert!(
        search(s, s, &global).is_err(),
        "one global cut should not read it"
    );
    assert_eq!(
        search(s, s, &local_two_tone(&pixels, s, s)).expect("local"),
        [AWS_URI]
    );
    assert_eq!(
        decode_luma(&pixels, side, side).expect("decodes"),
        [AWS_URI]
    );
}

#[test]
fn images_that_made_rqrr_panic_give_an_error() {
    // rqrr 0.11 asserted in `Perspective::map` on these (rqrr issue #54): three collinear
    // reference points sent a line inside the grid to infinity. Inputs of the `qr_decode` fuzz
    // target: [flags, width byte, height byte, grey pixels...], sides mapped into 21..=96.
    for (name, data) in [
        (
            "rqrr-perspective-assert",
            &include_bytes!("../../../tests/fuzz/regressions/qr_decode/rqrr-perspective-assert")[..],
        ),
        (
            "crash-0ac32520",
            &include_bytes!(
                "../../../tests/fuzz/regressions/qr_decode/crash-0ac325204e5a6f69da50a4f22209fd18f373ea2e"
            )[..],
        ),
    ] {
        assert_eq!(data[0] & 3, 0, "{name}: a greyscale input of mapped size");
        let side = |b: u8| MIN_SIDE + u32::from(b) % (96 - MIN_SIDE + 1);
        let (w, h) = (side(data[1]), side(data[2]));
        let mut luma = vec![255u8; (w * h) as usize];
        let n = luma.len().min(data.len() - 3);
        luma[..n].copy_from_slice(&data[3..3 + n]);
        let outcome = decode_luma(&luma, w, h);
        assert!(
            matches!(
                outcome,
                Ok(_) | Err(QrError::NoQrFound | QrError::Unreadable)
            ),
            "{name}: {outcome:?}"
        );
        let rgba: Vec<u8> = luma.iter().flat_map(|&v| [v, v, v, 255]).collect();
        assert_eq!(decode_rgba(&rgba, w, h), outcome, "{name}: as RGBA");
    }
}
