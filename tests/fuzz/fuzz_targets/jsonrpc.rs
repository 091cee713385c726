//! Arbitrary bytes as everything a client sends (malformed Content-Length headers and
//! bodies included), then end of input: `lexls::lsp::serve` must finish, write well-formed
//! frames, and no handler or task may panic. Seed the corpus with real sessions:
//! `tests/fuzz/seeds/jsonrpc/*`.
#![no_main]

#[path = "../../reliability/invariants.rs"]
mod invariants;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    invariants::check_jsonrpc(data, std::time::Duration::from_secs(20));
});
