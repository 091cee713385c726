//! lexls: annotate news articles with a lexicon of organisations, meetings, people, places
//! and documents — the analysis core, the lint rules, the CLI and the language server.
//!
//! The core (`normalize`, `lexicon`, `matcher`, `analysis`) knows nothing of LSP; `lsp`
//! converts at the edge. The library never prints to stdout: stdout carries the protocol.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod analysis;
mod bytes16;
pub mod cli;
pub mod config;
pub mod export;
pub mod language;
pub mod lexicon;
pub mod lsp;
pub mod matcher;
pub mod normalize;
pub mod rules;

/// Hash maps and sets for the analysis's own keys (aliases, acronyms, record ids): foldhash
/// instead of the standard SipHash, which took 2% of a lint run. Its seed is still random per
/// process, so a text crafted to collide in one run does not in the next.
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`Map`].
pub(crate) type Set<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// Writes a line to stderr (stdout carries the protocol).
pub fn log(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
