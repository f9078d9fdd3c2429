//! Browser smoke test: proves `cargo test --target wasm32-unknown-unknown` really
//! reaches headless Chromium through wasm-bindgen-test-runner and chromedriver.
//! Real binding tests belong beside it.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "
    export function user_agent() {
        return typeof navigator === 'undefined' ? '' : navigator.userAgent;
    }
")]
extern "C" {
    fn user_agent() -> String;
}

#[wasm_bindgen_test]
fn runs_in_chromium() {
    // Node has no Chrome user agent, so a pass shows the browser runner was used.
    let ua = user_agent();
    assert!(
        ua.contains("Chrome/"),
        "not in Chromium; user agent = {ua:?}"
    );
}
