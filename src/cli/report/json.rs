//! JSON: one array of findings, in path order then text order, written a finding at a time.
//! Positions are 1-based lines and columns in characters, and byte offsets into the file as
//! read (a BOM counts).

use std::io::{self, Write};
use std::ops::Range;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Checked, JsonArray, Place, Reporter, Summary};
use crate::cli::annotate::LineIndex;
use crate::rules::{Edit, Finding, Fix};

struct Record<'a> {
    path: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    at: At,
    fix: Option<FixRecord<'a>>,
    related: Vec<Related<'a>>,
}

/// A span's place, written as fields of the record that has it (`line`, `column`, …,
/// `start`, `end`). The records are serialised by hand rather than with `#[serde(flatten)]`,
/// which buffers every record's fields through serde's map machinery.
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

    /// The fields of `self`, in a record being written.
    const FIELDS: usize = 6;

    fn write<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        s.serialize_field("line", &self.line)?;
        s.serialize_field("column", &self.column)?;
        s.serialize_field("end_line", &self.end_line)?;
        s.serialize_field("end_column", &self.end_column)?;
        s.serialize_field("start", &self.start)?;
        s.serialize_field("end", &self.end)
    }
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Record", 6 + At::FIELDS)?;
        s.serialize_field("path", self.path)?;
        s.serialize_field("rule", self.rule)?;
        s.serialize_field("severity", self.severity)?;
        s.serialize_field("message", self.message)?;
        self.at.write(&mut s)?;
        s.serialize_field("fix", &self.fix)?;
        s.serialize_field("related", &self.related)?;
        s.end()
    }
}

#[derive(serde::Serialize)]
struct FixRecord<'a> {
    title: &'a str,
    safe: bool,
    edits: Vec<EditRecord<'a>>,
}

struct EditRecord<'a> {
    at: At,
    replacement: &'a str,
}

impl Serialize for EditRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("EditRecord", 1 + At::FIELDS)?;
        self.at.write(&mut s)?;
        s.serialize_field("replacement", self.replacement)?;
        s.end()
    }
}

struct Related<'a> {
    message: &'a str,
    at: At,
}

impl Serialize for Related<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Related", 1 + At::FIELDS)?;
        s.serialize_field("message", self.message)?;
        self.at.write(&mut s)?;
        s.end()
    }
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
