#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| softkey_fuzz::cbor::cbor_attestation(data));
