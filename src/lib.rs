//! lexls: annotate news articles with a lexicon of organisations, meetings, people, places
//! and documents — the analysis core, the lint rules, the CLI and the language server.
//!
//! The core (`normalize`, `lexicon`, `matcher`, `analysis`) knows nothing of LSP; `lsp`
//! converts at the edge. The library never prints to stdout: stdout carries the protocol.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
pub mod cli;
pub mod config;
pub mod export;
pub mod language;
pub mod lexicon;
pub mod lsp;
pub mod matcher;
pub mod normalize;
pub mod rules;

/// Writes a line to stderr (stdout carries the protocol).
pub fn log(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
