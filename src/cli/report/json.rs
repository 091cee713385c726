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

use super::{Checked, HAND_OVER_AT, Place, Places, PrettyJson, Reporter, Summary, put_uint};
use crate::rules::{Finding, Severity};

/// The JSON format: `[`, a record per finding, `]`.
pub struct Json {
    json: PrettyJson,
    /// The path of the file being written, as a JSON string: escaped once for all its
    /// records.
    path: PrettyJson,
    /// The places of the file's spans.
    places: Places,
}

impl Default for Json {
    fn default() -> Json {
        Json {
            json: PrettyJson::new(),
            path: PrettyJson::new(),
            places: Places::default(),
        }
    }
}

impl Reporter for Json {
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        self.json.begin_array();
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        self.places.clear();
        for f in file.findings {
            ask_places(&mut self.places, f);
        }
        self.places.answer(file.text);
        self.path.restart(0);
        self.path.string(file.path);
        // The records are handed to the output in pieces of `HAND_OVER_AT` bytes or so,
        // whatever the files: a piece as large as the output's buffer goes past it (to
        // stdout, without a copy into `main`'s `BufWriter`, which was 1.2% of a run).
        for f in file.findings {
            self.json.element();
            record(&mut self.json, &self.path.buf, &mut self.places, f);
            if self.json.buf.len() >= HAND_OVER_AT {
                self.json.flush_to(out)?;
            }
        }
        debug_assert!(self.places.all_read());
        Ok(())
    }

    fn flush(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.json.flush_to(out)
    }

    fn end(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.json.end_array();
        self.json.buf.push(b'\n');
        self.json.flush_to(out)
    }
}

/// Asks for the places [`record`] writes, in the order it writes them: the finding's span,
/// the edits of its first fix that are not on that span, its related spans.
fn ask_places(places: &mut Places, f: &Finding) {
    places.ask(&f.span);
    if let Some(fix) = f.fixes.first() {
        for e in fix.edits.iter().filter(|e| e.range != f.span) {
            places.ask(&e.range);
        }
    }
    for (span, _) in &f.related {
        places.ask(span);
    }
}

/// Writes the record of `f`, an object; `path` is the file's path as a JSON string, and
/// `places` answers what [`ask_places`] asked for `f`.
///
/// A record's shape is fixed, and so is its depth in the document: what lies between its
/// values (separators, line breaks, indentation, keys) is written as constant pieces, one
/// copy each, rather than token by token through [`PrettyJson`]'s general printer (whose
/// depth and separator bookkeeping was about half of a record's cost). The test below
/// compares the result with what serde_json prints.
fn record(json: &mut PrettyJson, path: &[u8], places: &mut Places, f: &Finding) {
    let place = places.next();
    json.raw(b"{\n    \"path\": ");
    json.raw(path);
    json.raw(b",\n    \"rule\": ");
    // Rules' ids are kebab-case.
    json.plain_string(f.rule);
    // The severity's name needs no escaping: its piece is a constant too.
    json.raw(match f.severity {
        Severity::Hint => b",\n    \"severity\": \"hint\",\n    \"message\": ",
        Severity::Info => b",\n    \"severity\": \"info\",\n    \"message\": ",
        Severity::Warning => b",\n    \"severity\": \"warning\",\n    \"message\": ",
        Severity::Error => b",\n    \"severity\": \"error\",\n    \"message\": ",
    });
    json.string(&f.message);
    at(json, &RECORD, &place, &f.span);
    match f.fixes.first() {
        None => json.raw(b",\n    \"fix\": null"),
        Some(fix) => {
            json.raw(b",\n    \"fix\": {\n      \"title\": ");
            json.string(&fix.title);
            json.raw(if fix.safe {
                b",\n      \"safe\": true,\n      \"edits\": ["
            } else {
                b",\n      \"safe\": false,\n      \"edits\": ["
            });
            for (i, e) in fix.edits.iter().enumerate() {
                // An edit usually replaces the finding's own span, whose place is known.
                let edit_place = if e.range == f.span {
                    place
                } else {
                    places.next()
                };
                json.raw(if i == 0 {
                    b"\n        {"
                } else {
                    b",\n        {"
                });
                at(json, &EDIT, &edit_place, &e.range);
                json.raw(b",\n          \"replacement\": ");
                json.string(&e.replacement);
                json.raw(b"\n        }");
            }
            json.raw(if fix.edits.is_empty() {
                b"]\n    }"
            } else {
                b"\n      ]\n    }"
            });
        }
    }
    json.raw(b",\n    \"related\": [");
    for (i, (span, message)) in f.related.iter().enumerate() {
        json.raw(if i == 0 {
            b"\n      {\n        \"message\": "
        } else {
            b",\n      {\n        \"message\": "
        });
        json.string(message);
        at(json, &RELATED, &places.next(), span);
        json.raw(b"\n      }");
    }
    json.raw(if f.related.is_empty() {
        b"]\n  }"
    } else {
        b"\n    ]\n  }"
    });
}

/// What goes before each member of a span's place, at one depth of a record: the
/// separator or line break, the indentation and the key.
struct AtKeys {
    line: &'static [u8],
    column: &'static [u8],
    end_line: &'static [u8],
    end_column: &'static [u8],
    start: &'static [u8],
    end: &'static [u8],
}

/// The pieces of [`AtKeys`] for members at indentation `$indent`, the first one after
/// `$first` (`","` when members come before it in the object, `""` otherwise).
macro_rules! at_keys {
    ($first:literal, $indent:literal) => {
        AtKeys {
            line: concat!($first, "\n", $indent, "\"line\": ").as_bytes(),
            column: concat!(",\n", $indent, "\"column\": ").as_bytes(),
            end_line: concat!(",\n", $indent, "\"end_line\": ").as_bytes(),
            end_column: concat!(",\n", $indent, "\"end_column\": ").as_bytes(),
            start: concat!(",\n", $indent, "\"start\": ").as_bytes(),
            end: concat!(",\n", $indent, "\"end\": ").as_bytes(),
        }
    };
}

/// A record's own place, after its message.
const RECORD: AtKeys = at_keys!(",", "    ");
/// An edit's place, the first members of its object.
const EDIT: AtKeys = at_keys!("", "          ");
/// A related place, after its message.
const RELATED: AtKeys = at_keys!(",", "        ");

/// Writes a span's place as members of the object being written: `line`, `column`,
/// `end_line`, `end_column`, then the byte offsets `start` and `end`. The members are put
/// together on the stack, then copied in one piece; always inlined, so that the keys are
/// constants, copied without a call.
#[inline(always)]
fn at(json: &mut PrettyJson, keys: &AtKeys, place: &Place, span: &Range<usize>) {
    // The keys of the deepest place (an edit's) take 139 bytes, six numbers at most 80.
    let mut b = [0u8; 256];
    let mut n = member(&mut b, 0, keys.line, place.line.into());
    n = member(&mut b, n, keys.column, place.column.into());
    n = member(&mut b, n, keys.end_line, place.end_line.into());
    n = member(&mut b, n, keys.end_column, place.end_column.into());
    n = member(&mut b, n, keys.start, span.start as u64);
    n = member(&mut b, n, keys.end, span.end as u64);
    json.raw(&b[..n]);
}

/// Writes `key` then `value` into `b` at `at`, and returns where they end.
#[inline(always)]
fn member(b: &mut [u8; 256], at: usize, key: &[u8], value: u64) -> usize {
    b[at..at + key.len()].copy_from_slice(key);
    put_uint(b, at + key.len(), value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::annotate::LineIndex;
    use crate::rules::{Edit, Fix};

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
            Finding {
                rule: "e",
                severity: Severity::Error,
                span: 0..text.len(),
                message: "whole".into(),
                fixes: vec![Fix {
                    title: "two edits".into(),
                    safe: false,
                    edits: vec![
                        Edit {
                            range: 0..3,
                            replacement: String::new(),
                        },
                        Edit {
                            range: 0..text.len(),
                            replacement: "x".into(),
                        },
                    ],
                }],
                related: vec![(amic..amic, "empty".into())],
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

    /// A record writes the rule's id without escaping it.
    #[test]
    fn rule_ids_need_no_escaping() {
        for r in crate::rules::RULES {
            assert_eq!(
                serde_json::to_string(r.id).unwrap(),
                format!("\"{}\"", r.id)
            );
        }
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
