//! The `lexls lint` and `lexls explain` commands, run as a user runs them: golden outputs of
//! every format on the fixture articles, exit codes, broken inputs, `--fix` and `--diff`,
//! configuration, and the seed corpus when it is there. One test binary; the parts live in
//! `tests/cli/`.
//!
//! Goldens are in `tests/fixtures/lint/`; `LEXLS_BLESS=1 cargo test --test cli` rewrites
//! them (read the diff before committing).

#[path = "cli/support.rs"]
mod support;

#[path = "cli/config.rs"]
mod config;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/explain.rs"]
mod explain;
#[path = "cli/fix.rs"]
mod fix;
#[path = "cli/golden.rs"]
mod golden;
#[path = "cli/readme.rs"]
mod readme;
#[path = "cli/seeds.rs"]
mod seeds;
