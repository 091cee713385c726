//! JSON: one array of findings, in path order then text order, written a finding at a time.
//! Positions are 1-based lines and columns in characters, and byte offsets into the file as
//! read (a BOM counts).

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;

use super::{Checked, JsonArray, Place, Reporter, Summary};
use crate::cli::annotate::LineIndex;
use crate::rules::{Edit, Finding, Fix};

#[derive(Serialize)]
struct Record<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    at: At,
    fix: Option<FixRecord<'a>>,
    related: Vec<Related<'a>>,
}

#[derive(Serialize)]
struct At {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    start: usize,
    end: usize,
}

impl At {
    fn new(index: &LineIndex, text: &str, span: &Range<usize>) -> At {
        let p = Place::of(index, text, span);
        At {
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
            start: span.start,
            end: span.end,
        }
    }
}

#[derive(Serialize)]
struct FixRecord<'a> {
    title: &'a str,
    safe: bool,
    edits: Vec<EditRecord<'a>>,
}

#[derive(Serialize)]
struct EditRecord<'a> {
    #[serde(flatten)]
    at: At,
    replacement: &'a str,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    #[serde(flatten)]
    at: At,
}

/// The JSON format: `[`, a record per finding, `]`.
pub struct Json {
    records: JsonArray,
}

impl Default for Json {
    fn default() -> Json {
        Json {
            records: JsonArray::new("  "),
        }
    }
}

impl Reporter for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.records.open(out)
    }

    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(file.text);
        for f in file.findings {
            self.records.push(out, &record(file, &index, f))?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.records.close(out)?;
        writeln!(out)
    }
}

fn record<'a>(file: &Checked<'a>, index: &LineIndex, f: &'a Finding) -> Record<'a> {
    let at = |span: &Range<usize>| At::new(index, file.text, span);
    let edit = |e: &'a Edit| EditRecord {
        at: at(&e.range),
        replacement: &e.replacement,
    };
    Record {
        path: file.path,
        rule: f.rule,
        severity: f.severity.as_str(),
        message: &f.message,
        at: at(&f.span),
        fix: f.fixes.first().map(|x: &'a Fix| FixRecord {
            title: &x.title,
            safe: x.safe,
            edits: x.edits.iter().map(edit).collect(),
        }),
        related: f
            .related
            .iter()
            .map(|(span, message)| Related {
                message,
                at: at(span),
            })
            .collect(),
    }
}
