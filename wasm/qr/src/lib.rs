//! QR codes for SoftKey for AWS: pixels in, texts out ([`decode_luma`], [`decode_rgba`]), and
//! text in, a module matrix out ([`encode`]).
//!
//! This crate knows nothing about `otpauth://`: it only turns pixels into text and text into
//! modules; the text is parsed and checked by `softkey-otp` elsewhere. It is a separate crate
//! (and a separate wasm module) so that the authenticator core does not carry a QR reader.
//!
//! Nothing panics on any input: sizes are checked before any work, and every failure is a
//! [`QrError`] whose message can be shown to a person.
//!
//! ```
//! let matrix = softkey_qr::encode("otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP")?;
//! // Draw it at 4 pixels a module with a 4-module quiet zone, then read it back.
//! let scale = 4;
//! let side = (matrix.size() + 8) * scale;
//! let mut pixels = vec![255u8; side * side];
//! for y in 0..side {
//!     for x in 0..side {
//!         let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
//!         if matrix.is_dark(mx, my) {
//!             pixels[y * side + x] = 0;
//!         }
//!     }
//! }
//! let texts = softkey_qr::decode_luma(&pixels, side as u32, side as u32)?;
//! assert_eq!(texts, ["otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP"]);
//! # Ok::<(), softkey_qr::QrError>(())
//! ```

use core::fmt;

use qrcode::{EcLevel, QrCode};

/// The largest image side we read, in pixels: a 4K screenshot fits; anything bigger is refused
/// before memory is allocated for it.
pub const MAX_SIDE: u32 = 4096;
/// The smallest image side that can hold a QR code (version 1 is 21 modules, one pixel each).
pub const MIN_SIDE: u32 = 21;
/// The longest text we put into a QR code, in bytes. Version 40 at level M holds 2331 bytes;
/// far below that, a phone camera still reads the code from a popup-sized square.
pub const MAX_TEXT_LEN: usize = 1024;

/// Everything that can go wrong while reading or writing a QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrError {
    /// Width or height is above [`MAX_SIDE`].
    ImageTooLarge {
        /// Width in pixels, as given.
        width: u32,
        /// Height in pixels, as given.
        height: u32,
    },
    /// Width or height is below [`MIN_SIDE`].
    ImageTooSmall {
        /// Width in pixels, as given.
        width: u32,
        /// Height in pixels, as given.
        height: u32,
    },
    /// The pixel buffer does not have `width × height × bytes per pixel` bytes.
    WrongLength {
        /// What width and height call for.
        expected: usize,
        /// What was given.
        found: usize,
    },
    /// Nothing in the image looks like a QR code.
    NoQrFound,
    /// Something shaped like a QR code was found, but its content could not be read (blurred,
    /// cut off, damaged beyond its error correction, or not UTF-8 text).
    Unreadable,
    /// The text to encode is empty.
    EmptyText,
    /// The text to encode is longer than [`MAX_TEXT_LEN`] bytes.
    TextTooLong {
        /// Length in bytes.
        length: usize,
    },
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ImageTooLarge { width, height } => write!(
                f,
                "the image is too large to search for a QR code ({width}×{height} pixels; at most {MAX_SIDE}×{MAX_SIDE})"
            ),
            Self::ImageTooSmall { width, height } => write!(
                f,
                "the image is too small to hold a QR code ({width}×{height} pixels; at least {MIN_SIDE}×{MIN_SIDE})"
            ),
            Self::WrongLength { expected, found } => write!(
                f,
                "the image data has {found} bytes, but its size calls for {expected}"
            ),
            Self::NoQrFound => f.write_str("no QR code was found in the image"),
            Self::Unreadable => f.write_str(
                "a QR code was found but could not be read: make it larger or sharper and try again",
            ),
            Self::EmptyText => f.write_str("there is no text to put into a QR code"),
            Self::TextTooLong { length } => write!(
                f,
                "the text is too long for a QR code ({length} bytes; at most {MAX_TEXT_LEN})"
            ),
        }
    }
}

impl std::error::Error for QrError {}

impl QrError {
    /// A stable name for the JavaScript side (an `Error`'s `name`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::ImageTooLarge { .. } | Self::ImageTooSmall { .. } | Self::WrongLength { .. } => {
                "BadImage"
            }
            Self::NoQrFound => "NoQrFound",
            Self::Unreadable => "QrUnreadable",
            Self::EmptyText | Self::TextTooLong { .. } => "BadText",
        }
    }
}

/// Checks the size and the buffer length; returns the number of pixels.
fn check_size(
    len: usize,
    width: u32,
    height: u32,
    bytes_per_pixel: usize,
) -> Result<usize, QrError> {
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(QrError::ImageTooLarge { width, height });
    }
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(QrError::ImageTooSmall { width, height });
    }
    // Both sides are at most 4096 here, so this cannot overflow even on 32-bit targets.
    let pixels = width as usize * height as usize;
    let expected = pixels * bytes_per_pixel;
    if len != expected {
        return Err(QrError::WrongLength {
            expected,
            found: len,
        });
    }
    Ok(pixels)
}

/// The texts of every QR code found in an 8-bit greyscale image (row-major, 0 = black), in the
/// order found, without repeats. Dark-on-light codes are looked for first; only when none is
/// read is the image tried again in two tones, inverted (a light-on-dark code), smoothed, and at
/// twice its size.
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    check_size(luma.len(), width, height, 1)?;
    let (w, h) = (width as usize, height as usize);
    // A local (adaptive) threshold first: it keeps codes on pages lit unevenly or next to large
    // dark areas. It misses some blurred edges, which one global threshold between the two
    // tones (Otsu) gets; then light-on-dark, as dark themes draw codes; last, speckled images
    // through a 3×3 median (which would erase the modules of a code drawn at one or two pixels
    // a module, hence not earlier).
    // The doubling retry (below) reuses two of these images; larger ones are dropped early, as
    // a 4096×4096 image takes 16 MiB each.
    let doubling = w.max(h) <= MAX_SIDE as usize / 2;
    let local = local_two_tone(luma, w, h);
    let mut outcome = search(w, h, &local);
    let local = doubling.then_some(local);
    let cut = otsu_threshold(luma);
    let mut inverted = None;
    for dark_below in [true, false] {
        if outcome.is_ok() {
            return outcome;
        }
        let toned: Vec<u8> = luma.iter().map(|&v| two_tone(v, cut, dark_below)).collect();
        outcome = worse_failure(outcome, search(w, h, &toned));
        if doubling && !dark_below {
            inverted = Some(toned);
        }
    }
    if outcome.is_ok() {
        return outcome;
    }
    let smooth = median3(luma, w, h);
    let cut = otsu_threshold(&smooth);
    for dark_below in [true, false] {
        let toned: Vec<u8> = smooth
            .iter()
            .map(|&v| two_tone(v, cut, dark_below))
            .collect();
        outcome = worse_failure(outcome, search(w, h, &toned));
        if outcome.is_ok() {
            return outcome;
        }
    }
    // quircs measures the timing pattern by runs of at least two pixels, so it cannot read a
    // code drawn at one pixel a module; twice the size, it can. Only up to MAX_SIDE after
    // doubling, so memory stays within what a largest image takes.
    for toned in [local, inverted].into_iter().flatten() {
        let next = search(2 * w, 2 * h, &upscale2(&toned, w, h));
        outcome = worse_failure(outcome, next);
        if outcome.is_ok() {
            break;
        }
    }
    outcome
}

/// The image at twice its width and height, each pixel a 2×2 square.
fn upscale2(image: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 * w * h);
    for row in image.chunks_exact(w).take(h) {
        for _ in 0..2 {
            for &v in row {
                out.extend([v, v]);
            }
        }
    }
    out
}

/// How much darker than the mean of its neighbourhood a pixel must be to count as dark, in
/// percent: a margin that keeps flat areas with a little noise light.
const LOCAL_MARGIN_PERCENT: u64 = 5;

/// Each pixel black (0) if it is darker than the mean of the square around it (side about an
/// eighth of the image's longer side) by [`LOCAL_MARGIN_PERCENT`], else white (255). The
/// window's column sums slide down the image, so memory is one row of sums, not a summed-area
/// table (which for a 4096×4096 image would be 64 MiB).
fn local_two_tone(luma: &[u8], w: usize, h: usize) -> Vec<u8> {
    let radius = (w.max(h) / 16).max(1);
    // column[x]: the sum of the pixels of column x in rows y - radius ..= y + radius (clamped).
    let mut column = vec![0u32; w];
    for row in luma.chunks_exact(w).take(radius + 1) {
        for (sum, &v) in column.iter_mut().zip(row) {
            *sum += u32::from(v);
        }
    }
    let mut out = vec![255u8; luma.len()];
    for y in 0..h {
        let rows = ((y + radius).min(h - 1) - y.saturating_sub(radius) + 1) as u64;
        let mut sum: u64 = column[..=radius.min(w - 1)]
            .iter()
            .map(|&c| u64::from(c))
            .sum();
        for x in 0..w {
            let cols = ((x + radius).min(w - 1) - x.saturating_sub(radius) + 1) as u64;
            let v = u64::from(luma[y * w + x]);
            if v * rows * cols * 100 < sum * (100 - LOCAL_MARGIN_PERCENT) {
                out[y * w + x] = 0;
            }
            if x + radius + 1 < w {
                sum += u64::from(column[x + radius + 1]);
            }
            if x >= radius {
                sum -= u64::from(column[x - radius]);
            }
        }
        if y + radius + 1 < h {
            let row = &luma[(y + radius + 1) * w..(y + radius + 2) * w];
            for (sum, &v) in column.iter_mut().zip(row) {
                *sum += u32::from(v);
            }
        }
        if y >= radius {
            let row = &luma[(y - radius) * w..(y - radius + 1) * w];
            for (sum, &v) in column.iter_mut().zip(row) {
                *sum -= u32::from(v);
            }
        }
    }
    out
}

/// Black or white by `cut`; `dark_below` false swaps them (a light-on-dark code).
fn two_tone(v: u8, cut: u8, dark_below: bool) -> u8 {
    if (v <= cut) == dark_below { 0 } else { 255 }
}

/// Of two outcomes, a success, else the more telling failure: a code found but unreadable says
/// more than none found.
fn worse_failure(
    a: Result<Vec<String>, QrError>,
    b: Result<Vec<String>, QrError>,
) -> Result<Vec<String>, QrError> {
    match (&a, &b) {
        (_, Ok(_)) => b,
        (Err(QrError::NoQrFound), Err(_)) => b,
        _ => a,
    }
}

/// Each pixel replaced by the median of its 3×3 neighbourhood (edges clamped): removes isolated
/// specks without moving edges.
fn median3(luma: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(luma.len());
    for y in 0..h {
        for x in 0..w {
            let mut n = [0u8; 9];
            let mut i = 0;
            for yy in [y.saturating_sub(1), y, (y + 1).min(h - 1)] {
                for xx in [x.saturating_sub(1), x, (x + 1).min(w - 1)] {
                    n[i] = luma[yy * w + xx];
                    i += 1;
                }
            }
            n.sort_unstable();
            out.push(n[4]);
        }
    }
    out
}

/// The grey level that best splits the image into two tones (Otsu's method): at or below it is
/// dark.
fn otsu_threshold(luma: &[u8]) -> u8 {
    let mut histogram = [0u64; 256];
    for &v in luma {
        histogram[usize::from(v)] += 1;
    }
    let total = luma.len() as f64;
    let sum_all: f64 = histogram
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut below, mut sum_below, mut best, mut cut) = (0.0, 0.0, -1.0, 127u8);
    for (level, &count) in histogram.iter().enumerate() {
        below += count as f64;
        sum_below += level as f64 * count as f64;
        let above = total - below;
        if below == 0.0 || above == 0.0 {
            continue;
        }
        let mean_below = sum_below / below;
        let mean_above = (sum_all - sum_below) / above;
        let between = below * above * (mean_below - mean_above).powi(2);
        if between > best {
            best = between;
            cut = level as u8;
        }
    }
    cut
}

/// Like [`decode_luma`], for RGBA pixels as a canvas's `ImageData` holds them. Transparent pixels
/// count as white (what a page shows behind them is usually light).
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    let pixels = check_size(rgba.len(), width, height, 4)?;
    let mut luma = Vec::with_capacity(pixels);
    for px in rgba.chunks_exact(4) {
        // ITU-R BT.601 weights in fixed point, then composited over white by alpha.
        let y = (299 * u32::from(px[0]) + 587 * u32::from(px[1]) + 114 * u32::from(px[2])) / 1000;
        let a = u32::from(px[3]);
        luma.push(((y * a + 255 * (255 - a)) / 255) as u8);
    }
    decode_luma(&luma, width, height)
}

/// Every code quircs finds in a two-tone image (0 dark, 255 light). quircs thresholds by Otsu
/// itself, which on an image of two tones is the cut between them.
fn search(w: usize, h: usize, toned: &[u8]) -> Result<Vec<String>, QrError> {
    // quircs asserts that the buffer is exactly w × h; ours always are, but a refusal is cheaper
    // than a trap should that ever change.
    if toned.len() != w * h {
        return Err(QrError::WrongLength {
            expected: w * h,
            found: toned.len(),
        });
    }
    let mut decoder = quircs::Quirc::new();
    let mut found = false;
    let mut texts: Vec<String> = Vec::new();
    for code in decoder.identify(w, h, toned) {
        found = true;
        let Ok(code) = code else { continue };
        let Ok(data) = code.decode() else { continue };
        if let Ok(text) = String::from_utf8(data.payload)
            && !texts.contains(&text)
        {
            texts.push(text);
        }
    }
    if !found {
        return Err(QrError::NoQrFound);
    }
    if texts.is_empty() {
        return Err(QrError::Unreadable);
    }
    Ok(texts)
}

/// A QR code as a square of modules, without a quiet zone (the drawer adds one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    size: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Modules per side (21 for version 1, 4 more per version).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at column `x`, row `y` is dark; outside the square (the quiet zone)
    /// every module is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// Row-major, one byte a module: 1 dark, 0 light.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.dark.iter().map(|&d| u8::from(d)).collect()
    }
}

/// Encodes `text` as a QR code at error-correction level M (15% of the code may be damaged),
/// in the smallest version that holds it.
pub fn encode(text: &str) -> Result<QrMatrix, QrError> {
    if text.is_empty() {
        return Err(QrError::EmptyText);
    }
    if text.len() > MAX_TEXT_LEN {
        return Err(QrError::TextTooLong { length: text.len() });
    }
    // Within MAX_TEXT_LEN every text fits (version 40-M holds 2331 bytes), so this cannot fail;
    // should the crate disagree, report it as too long rather than panic.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| QrError::TextTooLong { length: text.len() })?;
    let size = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok(QrMatrix { size, dark })
}

#[cfg(test)]
mod tests;
