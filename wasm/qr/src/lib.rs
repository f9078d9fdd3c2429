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
/// found is the image read again inverted (a light-on-dark code, as dark themes draw them).
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    check_size(luma.len(), width, height, 1)?;
    let (w, h) = (width as usize, height as usize);
    match search(w, h, |x, y| luma[y * w + x]) {
        Err(QrError::NoQrFound) => search(w, h, |x, y| 255 - luma[y * w + x]),
        other => other,
    }
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

fn search(
    w: usize,
    h: usize,
    pixel: impl FnMut(usize, usize) -> u8,
) -> Result<Vec<String>, QrError> {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, pixel);
    let grids = image.detect_grids();
    if grids.is_empty() {
        return Err(QrError::NoQrFound);
    }
    let mut texts: Vec<String> = Vec::new();
    for grid in &grids {
        if let Ok((_, text)) = grid.decode()
            && !texts.contains(&text)
        {
            texts.push(text);
        }
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
