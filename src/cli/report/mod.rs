//! How `lexls lint` prints findings: rustc-style snippets for people, JSON, SARIF 2.1.0 for
//! code scanning, and GitHub Actions workflow commands. Every format writes into a
//! `&mut dyn Write`, reads the same [`Checked`] files, and prints them in the order given.

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};
use std::ops::Range;

use super::annotate::LineIndex;
use crate::rules::{Finding, Severity};

pub use human::Colors;

/// An output format of `lexls lint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with the mention underlined, and a summary line.
    Human,
    /// A JSON array of findings with positions and fixes.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other tools.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…::…`).
    Github,
}

/// A file that was linted: its path as shown, its text and its findings.
pub struct Checked<'a> {
    /// The path as the user wrote it or the walk found it, with `/` separators.
    pub path: &'a str,
    pub text: &'a str,
    pub findings: &'a [Finding],
}

/// Totals of a run, for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files read and checked.
    pub files: usize,
    /// Files that could not be checked (unreadable, not UTF-8, binary).
    pub failed: usize,
    /// Safe fixes applied by `--fix`, and the files they changed.
    pub fixed: usize,
    pub fixed_files: usize,
}

/// Writes the findings of `files` in `format`. `colors` matter for the human format only.
pub fn write(
    format: Format,
    out: &mut dyn Write,
    files: &[Checked],
    summary: &Summary,
    colors: Colors,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(out, files, summary, colors),
        Format::Json => json::write(out, files),
        Format::Sarif => sarif::write(out, files),
        Format::Github => github::write(out, files),
    }
}

/// Where a span is, 1-based, in characters (a BOM is not a column). Lines end at `\n`,
/// `\r\n` or a lone `\r`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl Place {
    pub fn of(index: &LineIndex, text: &str, span: &Range<usize>) -> Place {
        let (line, column) = index.line_col(text, span.start);
        let (end_line, end_column) = index.line_col(text, span.end);
        Place {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// Findings per severity, most severe first: `(severity, count)` for those that occur.
fn counts<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<(Severity, usize)> {
    let mut n = [0usize; 4];
    for f in findings {
        n[f.severity as usize] += 1;
    }
    [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Hint,
    ]
    .into_iter()
    .map(|s| (s, n[s as usize]))
    .filter(|&(_, c)| c > 0)
    .collect()
}

/// `1 warning`, `2 warnings`, `3 info`.
fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) | (_, "info") => format!("{n} {word}"),
        _ => format!("{n} {word}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "problem"), "1 problem");
        assert_eq!(plural(2, "warning"), "2 warnings");
        assert_eq!(plural(2, "info"), "2 info");
    }
}
