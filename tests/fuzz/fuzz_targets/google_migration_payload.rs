#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::formats::google_migration_payload(data));
