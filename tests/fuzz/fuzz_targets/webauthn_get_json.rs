#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::pages::webauthn_get_json(data));
