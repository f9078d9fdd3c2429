#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::pages::mfa_query_json(data));
