#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::pages::u2f_client_json(data));
