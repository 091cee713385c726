//! How `lexls lint` prints findings: rustc-style snippets for people, JSON, SARIF 2.1.0 for
//! code scanning, and GitHub Actions workflow commands. Every format is a [`Reporter`]: it
//! writes into a `&mut dyn Write` as the files come, in the order given, and needs nothing
//! of a file once it has been written, so that a run's memory does not grow with the
//! number of files. JSON and SARIF are single documents, written as they go: the opening,
//! each finding, then the closing.

mod github;
mod human;
mod json;
mod sarif;

use std::io::{self, Write};
use std::ops::Range;

use super::annotate::LineIndex;
use crate::rules::Finding;

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

/// Writes one format: [`begin`](Reporter::begin) once, [`file`](Reporter::file) for each
/// file in order, then [`end`](Reporter::end) once. A reporter keeps what its summary needs
/// (counts), never the files.
pub trait Reporter {
    /// Before the first file: a document's opening.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// One file's findings.
    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()>;
    /// After the last file: a document's closing, or the summary line.
    fn end(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The reporter of `format`. `colors` matter for the human format only.
pub fn reporter(format: Format, colors: Colors) -> Box<dyn Reporter> {
    match format {
        Format::Human => Box::new(human::Human::new(colors)),
        Format::Json => Box::new(json::Json::default()),
        Format::Sarif => Box::new(sarif::Sarif::default()),
        Format::Github => Box::new(github::Github),
    }
}

/// Writes the findings of `files` in `format`, all at once (for tests).
#[cfg(test)]
pub fn write(
    format: Format,
    out: &mut dyn Write,
    files: &[Checked],
    summary: &Summary,
    colors: Colors,
) -> io::Result<()> {
    let mut r = reporter(format, colors);
    r.begin(out)?;
    for file in files {
        r.file(out, file)?;
    }
    r.end(out, summary)
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

/// The elements of a pretty-printed JSON array written one at a time: `[`, then each
/// element on its own lines at `indent` (`,` between them), then `]` — byte for byte what
/// `serde_json::to_writer_pretty` prints for the whole array at that depth (`[]` when
/// empty).
struct JsonArray {
    /// The indentation of the array's elements; the closing `]` goes two spaces less.
    indent: String,
    elements: usize,
    /// An element serialised on its own, before it is indented into the output: reused, so
    /// that a run's thousands of findings do not allocate one each.
    buffer: Vec<u8>,
}

impl JsonArray {
    fn new(indent: impl Into<String>) -> JsonArray {
        JsonArray {
            indent: indent.into(),
            elements: 0,
            buffer: Vec::new(),
        }
    }

    fn open(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    /// Writes `value` as the next element: pretty-printed on its own, with `indent` after
    /// every line break so that it nests at that depth (JSON strings escape their line
    /// breaks, so every `\n` is between tokens).
    fn push(&mut self, out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
        out.write_all(if self.elements == 0 { b"\n" } else { b",\n" })?;
        out.write_all(self.indent.as_bytes())?;
        self.buffer.clear();
        serde_json::to_writer_pretty(&mut self.buffer, value)?;
        for line in self.buffer.split_inclusive(|&b| b == b'\n') {
            out.write_all(line)?;
            if line.ends_with(b"\n") {
                out.write_all(self.indent.as_bytes())?;
            }
        }
        self.elements += 1;
        Ok(())
    }

    /// Writes the closing `]`, on its own line at the outer indentation unless the array
    /// is empty.
    fn close(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.elements > 0 {
            out.write_all(b"\n")?;
            let outer = self.indent.len().saturating_sub(2);
            out.write_all(&self.indent.as_bytes()[..outer])?;
        }
        out.write_all(b"]")
    }
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

    /// Streams `values` through [`JsonArray`] at `indent`.
    fn streamed(values: &[serde_json::Value], indent: &str) -> String {
        let mut out = Vec::new();
        let mut array = JsonArray::new(indent);
        array.open(&mut out).unwrap();
        for v in values {
            array.push(&mut out, v).unwrap();
        }
        array.close(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_streamed_array_is_what_serde_json_prints() {
        let values = [
            serde_json::json!({"a": 1, "text": "two\nlines", "nested": {"list": [1, [], {}]}}),
            serde_json::json!([]),
            serde_json::json!("x"),
            serde_json::json!({"empty": [], "obj": {"k": [{"deep": null}]}}),
        ];
        for n in 0..=values.len() {
            let whole = serde_json::to_string_pretty(&values[..n]).unwrap();
            assert_eq!(streamed(&values[..n], "  "), whole, "{n} elements");
            // The same array as a member of an object, one level deeper.
            let outer = serde_json::to_string_pretty(&serde_json::json!({ "k": &values[..n] }));
            let nested = format!("{{\n  \"k\": {}\n}}", streamed(&values[..n], "    "));
            assert_eq!(nested, outer.unwrap(), "{n} elements, nested");
        }
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "problem"), "1 problem");
        assert_eq!(plural(2, "warning"), "2 warnings");
        assert_eq!(plural(2, "info"), "2 info");
    }
}
