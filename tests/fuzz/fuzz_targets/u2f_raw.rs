#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::u2f::u2f_raw(data));
