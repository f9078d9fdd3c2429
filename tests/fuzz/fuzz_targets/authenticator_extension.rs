#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::formats::authenticator_extension(data));
