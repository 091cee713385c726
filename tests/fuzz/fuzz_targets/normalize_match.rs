//! Arbitrary bytes (lossily UTF-8) through the normaliser, the matcher, definitions and
//! the lint rules: no panic, every offset inside the text and on a character boundary.
#![no_main]

#[path = "../../reliability/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    invariants::check_bytes(data);
});
