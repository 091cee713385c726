//! Reliability: property tests and faults (issue 8). One test binary; the parts live in
//! `tests/reliability/`. Case counts are modest by default; set `PROPTEST_CASES` to run
//! more, and `LEXLS_FUZZ_SECS` for the time-bounded fuzz runs (see tests/RELIABILITY.md).

#[path = "reliability/bounded.rs"]
mod bounded;
#[path = "reliability/client.rs"]
mod client;
#[path = "reliability/edits.rs"]
mod edits;
#[path = "reliability/faults.rs"]
mod faults;
#[path = "reliability/fix_interrupt.rs"]
mod fix_interrupt;
#[path = "reliability/fuzz.rs"]
mod fuzz;
#[path = "reliability/incremental.rs"]
mod incremental;
#[path = "reliability/inputs.rs"]
mod inputs;
#[path = "reliability/invariants.rs"]
mod invariants;
#[path = "reliability/lexicon.rs"]
mod lexicon;
#[path = "reliability/positions.rs"]
mod positions;
#[path = "reliability/reference.rs"]
mod reference;
#[path = "reliability/regressions.rs"]
mod regressions;
#[path = "reliability/rng.rs"]
mod rng;
#[path = "reliability/security.rs"]
mod security;
#[path = "reliability/text.rs"]
mod text;
