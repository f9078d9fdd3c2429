//! The wasm-bindgen boundary of `softkey-qr`, and nothing else. It is its own wasm module
//! (`softkey_qr_bg.wasm`) so that the authenticator module, loaded on every AWS sign-in, does not
//! carry a QR reader: the service worker instantiates this one only when a QR code is read, and
//! the popup only when it scans or shows one.
//!
//! Errors are JavaScript `Error`s whose `name` is [`softkey_qr::QrError::name`] and whose message
//! can be shown to the user as is.

use softkey_qr::QrError;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(
    inline_js = "export function make_error(name, message) { const e = new Error(message); e.name = name; return e; }"
)]
extern "C" {
    fn make_error(name: &str, message: &str) -> JsValue;
}

fn js_error(error: QrError) -> JsValue {
    make_error(error.name(), &error.to_string())
}

/// The texts of the QR codes in an 8-bit greyscale image (row-major, width × height bytes).
#[wasm_bindgen(js_name = decodeLuma)]
pub fn decode_luma(luma: &[u8], width: u32, height: u32) -> Result<Vec<String>, JsValue> {
    softkey_qr::decode_luma(luma, width, height).map_err(js_error)
}

/// The texts of the QR codes in RGBA pixels (a canvas's `ImageData.data`).
#[wasm_bindgen(js_name = decodeRgba)]
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Result<Vec<String>, JsValue> {
    softkey_qr::decode_rgba(rgba, width, height).map_err(js_error)
}

/// A QR code's modules: `size` per side, `modules` row-major with 1 for dark.
#[wasm_bindgen]
pub struct QrModules {
    size: usize,
    modules: Vec<u8>,
}

#[wasm_bindgen]
impl QrModules {
    /// Modules per side, without a quiet zone.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.size
    }

    /// Row-major, one byte a module: 1 dark, 0 light.
    #[wasm_bindgen(getter)]
    pub fn modules(&self) -> Vec<u8> {
        self.modules.clone()
    }
}

/// Encodes `text` (error-correction level M).
#[wasm_bindgen]
pub fn encode(text: &str) -> Result<QrModules, JsValue> {
    let matrix = softkey_qr::encode(text).map_err(js_error)?;
    Ok(QrModules {
        size: matrix.size(),
        modules: matrix.to_bytes(),
    })
}
