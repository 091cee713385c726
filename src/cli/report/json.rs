//! JSON: one array of findings, in path order then text order, written a finding at a time.
//! Positions are 1-based lines and columns in characters, and byte offsets into the file as
//! read (a BOM counts).
//!
//! A record:
//!
//! ```json
//! {
//!   "path": "articles/x.txt",
//!   "rule": "known-misspelling",
//!   "severity": "warning",
//!   "message": "`ASEANPOL` is a misspelling of `ASEANAPOL` (…)",
//!   "line": 3, "column": 32, "end_line": 3, "end_column": 40, "start": 90, "end": 98,
//!   "fix": { "title": "…", "safe": true, "edits": [{ "line": 3, …, "replacement": "…" }] },
//!   "related": [{ "message": "…", "line": 1, … }]
//! }
//! ```
//!
//! pretty-printed as serde_json prints it (the first fix only, `null` when there is none).

use std::io::{self, Write};
use std::ops::Range;

use super::{Checked, HAND_OVER_AT, Place, PrettyJson, Reporter, Summary};
use crate::cli::annotate::LineIndex;
use crate::rules::Finding;

/// The JSON format: `[`, a record per finding, `]`.
pub struct Json {
    json: PrettyJson,
    /// The path of the file being written, as a JSON string: escaped once for all its
    /// records.
    path: PrettyJson,
}

impl Default for Json {
    fn default() -> Json {
        Json {
            json: PrettyJson::new(),
            path: PrettyJson::new(),
        }
    }
}

impl Reporter for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.json.begin_array();
        self.json.flush_to(out)
    }

    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(file.text);
        self.path.restart(0);
        self.path.string(file.path);
        // The file's records are handed to the output in pieces of `HAND_OVER_AT` bytes or
        // so: in one for most files.
        for f in file.findings {
            self.json.element();
            record(&mut self.json, file, &self.path.buf, &index, f);
            if self.json.buf.len() >= HAND_OVER_AT {
                self.json.flush_to(out)?;
            }
        }
        self.json.flush_to(out)
    }

    fn end(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.json.end_array();
        self.json.buf.push(b'\n');
        self.json.flush_to(out)
    }
}

/// Writes the record of `f`, an object; `path` is the file's path as a JSON string.
fn record(json: &mut PrettyJson, file: &Checked, path: &[u8], index: &LineIndex, f: &Finding) {
    let place = Place::of(index, file.text, &f.span);
    json.begin_object();
    json.key("path");
    json.raw(path);
    json.key("rule");
    json.string(f.rule);
    json.key("severity");
    json.string(f.severity.as_str());
    json.key("message");
    json.string(&f.message);
    at(json, &place, &f.span);
    json.key("fix");
    match f.fixes.first() {
        None => json.null(),
        Some(fix) => {
            json.begin_object();
            json.key("title");
            json.string(&fix.title);
            json.key("safe");
            json.bool(fix.safe);
            json.key("edits");
            json.begin_array();
            for e in &fix.edits {
                // An edit usually replaces the finding's own span, whose place is known.
                let edit_place = if e.range == f.span {
                    place
                } else {
                    Place::of(index, file.text, &e.range)
                };
                json.element();
                json.begin_object();
                at(json, &edit_place, &e.range);
                json.key("replacement");
                json.string(&e.replacement);
                json.end_object();
            }
            json.end_array();
            json.end_object();
        }
    }
    json.key("related");
    json.begin_array();
    for (span, message) in &f.related {
        json.element();
        json.begin_object();
        json.key("message");
        json.string(message);
        at(json, &Place::of(index, file.text, span), span);
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

/// Writes a span's place as members of the object being written: `line`, `column`,
/// `end_line`, `end_column`, then the byte offsets `start` and `end`.
fn at(json: &mut PrettyJson, place: &Place, span: &Range<usize>) {
    json.key("line");
    json.uint(place.line);
    json.key("column");
    json.uint(place.column);
    json.key("end_line");
    json.uint(place.end_line);
    json.key("end_column");
    json.uint(place.end_column);
    json.key("start");
    json.uint(span.start as u64);
    json.key("end");
    json.uint(span.end as u64);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Edit, Fix, Severity};

    /// A span's place, for [`Record`].
    #[derive(serde::Serialize)]
    struct At {
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        start: usize,
        end: usize,
    }

    /// A record as the report wrote it when it serialised records with serde_json.
    #[derive(serde::Serialize)]
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

    #[derive(serde::Serialize)]
    struct FixRecord<'a> {
        title: &'a str,
        safe: bool,
        edits: Vec<EditRecord<'a>>,
    }

    #[derive(serde::Serialize)]
    struct EditRecord<'a> {
        #[serde(flatten)]
        at: At,
        replacement: &'a str,
    }

    #[derive(serde::Serialize)]
    struct Related<'a> {
        message: &'a str,
        #[serde(flatten)]
        at: At,
    }

    fn with_serde<'a>(file: &Checked<'a>, index: &LineIndex, f: &'a Finding) -> Record<'a> {
        let at = |span: &Range<usize>| {
            let p = Place::of(index, file.text, span);
            At {
                line: p.line,
                column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
                start: span.start,
                end: span.end,
            }
        };
        Record {
            path: file.path,
            rule: f.rule,
            severity: f.severity.as_str(),
            message: &f.message,
            at: at(&f.span),
            fix: f.fixes.first().map(|x| FixRecord {
                title: &x.title,
                safe: x.safe,
                edits: x
                    .edits
                    .iter()
                    .map(|e| EditRecord {
                        at: at(&e.range),
                        replacement: &e.replacement,
                    })
                    .collect(),
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

    #[test]
    fn records_are_what_serde_json_prints() {
        let text = "\u{FEFF}Hà Nội \"và\"\r\nAMIC\tASEANPOL\rcuối\u{2028}\n";
        let amic = text.find("AMIC").unwrap();
        let pol = text.find("ASEANPOL").unwrap();
        let findings = [
            Finding {
                rule: "known-misspelling",
                severity: Severity::Warning,
                span: pol..pol + 8,
                message: "`ASEANPOL` is a \"misspelling\" \\ of `ASEANAPOL`\n".into(),
                fixes: vec![
                    Fix {
                        title: "Replace with ASEANAPOL".into(),
                        safe: true,
                        edits: vec![
                            Edit {
                                range: pol..pol + 8,
                                replacement: "ASEANAPOL\u{1}".into(),
                            },
                            Edit {
                                range: 3..amic,
                                replacement: String::new(),
                            },
                        ],
                    },
                    Fix {
                        title: "never shown".into(),
                        safe: false,
                        edits: vec![],
                    },
                ],
                related: vec![(amic..amic + 4, "here".into()), (0..3, "BOM".into())],
            },
            Finding {
                rule: "unknown-acronym",
                severity: Severity::Info,
                span: amic..amic + 4,
                message: "`AMIC`".into(),
                fixes: vec![Fix {
                    title: "no edits".into(),
                    safe: false,
                    edits: vec![],
                }],
                related: vec![],
            },
            Finding {
                rule: "r",
                severity: Severity::Hint,
                span: text.len()..text.len(),
                message: String::new(),
                fixes: vec![],
                related: vec![],
            },
        ];
        let file = Checked {
            path: "bài \"1\".txt",
            text,
            findings: &findings,
        };
        let index = LineIndex::new(text);
        let mut out = Vec::new();
        let mut json = Json::default();
        json.begin(&mut out).unwrap();
        json.file(&mut out, &file).unwrap();
        json.end(&mut out, &Summary::default()).unwrap();
        let expected: Vec<_> = findings
            .iter()
            .map(|f| with_serde(&file, &index, f))
            .collect();
        let expected = serde_json::to_string_pretty(&expected).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn no_findings_is_an_empty_array() {
        let mut out = Vec::new();
        let mut json = Json::default();
        json.begin(&mut out).unwrap();
        let empty = Checked {
            path: "a.txt",
            text: "AMIC",
            findings: &[],
        };
        json.file(&mut out, &empty).unwrap();
        json.end(&mut out, &Summary::default()).unwrap();
        assert_eq!(out, b"[]\n");
    }
}
