//! SARIF 2.1.0, as GitHub code scanning reads it: the rules' metadata in
//! `tool.driver.rules`, one result per finding, columns in Unicode code points
//! (`columnKind`), and `fixes` for safe fixes. The log is written as the files come: what
//! surrounds `runs[0].results` first, the results one by one, then the rest.

use std::io::{self, Write};
use std::ops::Range;

use serde_json::{Value, json};

use super::{Checked, JsonArray, Place, Reporter, Summary};
use crate::cli::annotate::LineIndex;
use crate::config::Level;
use crate::rules::{Finding, RULES, RuleInfo, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF format: the log around its results array is made once, at the start.
pub struct Sarif {
    /// The log up to its results array, and after it.
    before: String,
    after: String,
    results: JsonArray,
}

impl Default for Sarif {
    fn default() -> Sarif {
        let (before, indent, after) = split_log();
        Sarif {
            before,
            after,
            results: JsonArray::new(indent),
        }
    }
}

impl Reporter for Sarif {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.before.as_bytes())?;
        self.results.open(out)
    }

    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(file.text);
        let uri = uri(file.path);
        for f in file.findings {
            self.results.push(out, &result(file, &index, &uri, f))?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.results.close(out)?;
        out.write_all(self.after.as_bytes())?;
        writeln!(out)
    }
}

/// The log with no results, pretty-printed and cut around its empty results array: the
/// text before `[`, the indentation of a result, and the text after `]`.
fn split_log() -> (String, String, String) {
    const KEY: &str = "\"results\": ";
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "lexls",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": RULES.iter().map(rule).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": [],
        }]
    });
    let text = serde_json::to_string_pretty(&log).expect("a JSON value serialises");
    // The keys are ours and a string value holds no unescaped `"`: this is the key.
    let at = text.find(&format!("{KEY}[]")).expect("the log has results") + KEY.len();
    let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = format!("{}  ", &text[line..at - KEY.len()]);
    (
        text[..at].to_owned(),
        indent,
        text[at + "[]".len()..].to_owned(),
    )
}

fn rule(r: &RuleInfo) -> Value {
    json!({
        "id": r.id,
        "shortDescription": { "text": r.summary },
        "help": { "text": r.explanation, "markdown": r.explanation },
        "defaultConfiguration": { "level": level(r.default_level) },
    })
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Off => "none",
        Level::Hint | Level::Info => "note",
        Level::Warning => "warning",
        Level::Error => "error",
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Hint | Severity::Info => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn result(file: &Checked, index: &LineIndex, uri: &str, f: &Finding) -> Value {
    let region = |span: &Range<usize>| {
        let p = Place::of(index, file.text, span);
        json!({
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
            "byteOffset": span.start,
            "byteLength": span.end - span.start,
        })
    };
    let location =
        |span: &Range<usize>| json!({ "artifactLocation": { "uri": uri }, "region": region(span) });
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": RULES.iter().position(|r| r.id == f.rule),
        "level": severity(f.severity),
        "message": { "text": f.message },
        "locations": [{ "physicalLocation": location(&f.span) }],
    });
    if !f.related.is_empty() {
        r["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, (span, message))| {
                json!({ "id": i, "message": { "text": message }, "physicalLocation": location(span) })
            })
            .collect();
    }
    let fixes: Vec<Value> = f
        .fixes
        .iter()
        .filter(|x| x.safe)
        .map(|x| {
            let replacements: Vec<Value> = x
                .edits
                .iter()
                .map(|e| json!({ "deletedRegion": region(&e.range), "insertedContent": { "text": e.replacement } }))
                .collect();
            json!({
                "description": { "text": x.title },
                "artifactChanges": [{ "artifactLocation": { "uri": uri }, "replacements": replacements }],
            })
        })
        .collect();
    if !fixes.is_empty() {
        r["fixes"] = Value::Array(fixes);
    }
    r
}

/// A relative URI reference for a path with `/` separators (`file://` for absolute paths),
/// percent-encoding everything but unreserved characters and `/`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_cut_at_its_only_results_array() {
        let (before, indent, after) = split_log();
        assert!(before.ends_with("\n      \"results\": "), "{before}");
        assert_eq!(indent, " ".repeat(8));
        assert!(after.starts_with(",\n      \"tool\": {"), "{after}");
        let whole = format!("{before}[]{after}");
        assert_eq!(whole.matches("\"results\"").count(), 1);
        serde_json::from_str::<Value>(&whole).expect("the empty log is JSON");
    }

    #[test]
    fn uris() {
        assert_eq!(uri("articles/bài 1.txt"), "articles/b%C3%A0i%201.txt");
        assert_eq!(uri("/tmp/a.txt"), "file:///tmp/a.txt");
    }
}
