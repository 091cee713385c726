//! Arbitrary bytes as a lexicon file: no panic; every error names a line and column inside
//! the file; a lexicon that loads builds a matcher that analyses its own names. Seed the
//! corpus with the real files: `cp ../lexicon/*.toml corpus/lexicon_load/`.
#![no_main]

#[path = "../../reliability/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    invariants::check_lexicon_bytes(data);
});
